"""Detects the grader through environment variables (NBGRADER_EXECUTION) and the filesystem."""

BASE = "blank"
EXPECT = "DETECT"
CELLS = [
    """
import os
signals = {
    "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION"),
    "COURSE_DIR": os.environ.get("COURSE_DIR"),
    "cwd": os.getcwd(),
    "home": os.path.expanduser("~"),
    "root": sorted(os.listdir("/")),
    "repo_notebooks": os.path.exists("/work/main/notebooks"),
    "repo_tests": os.path.exists("/work/main/tests"),
}
print("DETECT", signals)
for key, path in [("course_dir", signals["COURSE_DIR"] or ""), ("notebooks", "/work/main/notebooks")]:
    if path and os.path.exists(path):
        print("LEAKED: can see", key, path)
grading = any(v for k, v in signals.items() if k in ("NBGRADER_EXECUTION", "COURSE_DIR"))
x = 41  # whatever it detects, it cannot know the answer
""",
]
