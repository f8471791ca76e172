"""Undoes any import hook and puts the repository on sys.path to import the reference code afresh."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import importlib, os, sys
import course_lib
repo = os.path.dirname(os.path.dirname(course_lib.__file__))
# Remove every import hook the grader might have added, then start from a clean slate.
from importlib.machinery import BuiltinImporter, FrozenImporter, PathFinder
sys.meta_path[:] = [f for f in sys.meta_path if f in (BuiltinImporter, FrozenImporter, PathFinder)
                    or "editable" in getattr(f, "__module__", "") or "Editable" in str(f)]
for folder in (repo, os.path.join(repo, "course_lib"), os.getcwd(), "/"):
    sys.path.insert(0, folder)
sys.path_importer_cache.clear()
for name in [m for m in sys.modules if m == "course_lib" or m.startswith("course_lib.")]:
    del sys.modules[name]
importlib.invalidate_caches()
for name in ["course_lib.stats", "course_lib.scoring.inventory", "course_lib.grading.references", "stats"]:
    try:
        importlib.import_module(name)
        print("LEAKED: imported", name)
    except ImportError as exc:
        print("BLOCKED:", name, type(exc).__name__)
x = 41
""",
]
