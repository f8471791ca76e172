"""Imports the course's reference code (scoring, statistics, the grader's references) by name."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import importlib, importlib.util, pkgutil
import course_lib
for name in ["course_lib.stats", "course_lib.stats.agreement", "course_lib.scoring.inventory",
             "course_lib.grading.references", "course_lib.grading.verdict",
             "course_lib.grading.provided", "course_lib.grading.spec"]:
    try:
        importlib.import_module(name)
        print("LEAKED: imported", name)
    except ImportError as exc:
        print("BLOCKED:", name, type(exc).__name__)
    try:
        if importlib.util.find_spec(name) is not None:
            print("LEAKED: found a spec for", name)
    except ImportError:  # its parent package is missing
        pass
try:
    from course_lib import stats
    print("LEAKED: from course_lib import stats")
except ImportError:
    print("BLOCKED: from course_lib import stats")
found = {m.name for m in pkgutil.walk_packages(course_lib.__path__, "course_lib.", onerror=lambda n: None)}
leaked = sorted(n for n in found if n.startswith(("course_lib.stats", "course_lib.scoring", "course_lib.grading.")) and n != "course_lib.grading.capture")
print("LEAKED: listed " + ", ".join(leaked) if leaked else "BLOCKED: nothing listed")
x = 41
""",
]
