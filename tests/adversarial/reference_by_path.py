"""Loads the course's reference code from its file path (source and compiled), bypassing imports."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import glob, importlib.machinery, importlib.util, os, runpy
import course_lib
pkg = os.path.dirname(course_lib.__file__)
for rel in ["stats/agreement.py", "stats/reliability.py", "stats/effects.py",
            "scoring/inventory.py", "grading/references.py", "grading/verdict.py"]:
    path = os.path.join(pkg, rel)
    for where in (path, "/proc/self/root" + path, "/proc/1/root" + path):
        try:
            spec = importlib.util.spec_from_file_location("loot_" + os.path.basename(rel)[:-3], where)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            print("LEAKED: loaded", where)
        except (OSError, ImportError) as exc:
            print("BLOCKED:", where, type(exc).__name__)
    try:
        runpy.run_path(path)
        print("LEAKED: ran", path)
    except (OSError, ImportError) as exc:
        print("BLOCKED: run_path", type(exc).__name__)
for pyc in glob.glob(os.path.join(pkg, "**", "*.pyc"), recursive=True):
    rel = os.path.relpath(pyc, pkg)
    if rel.startswith(("stats", "scoring", "grading")) and "capture." not in rel and "__init__." not in rel:
        try:
            importlib.machinery.SourcelessFileLoader("loot", pyc).load_module()
            print("LEAKED: compiled", pyc)
        except Exception as exc:
            print("BLOCKED: compiled", pyc, type(exc).__name__)
x = 41
""",
]
