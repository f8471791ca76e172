"""Ships files that would run before the grader's setup cell or stand in for the package it
imports (a course_lib/ folder, ipykernel_launcher.py, IPython start-up code in a hidden folder),
hoping to turn a zero into a grader failure (an ungraded row). A module of the student's own
must still import, as it does in JupyterLab."""

BASE = "blank"
EXPECT = "OWN-MODULE-OK"
BROKEN = "raise ImportError('shadowed by the submission')\n"
FILES = {
    "course_lib/__init__.py": BROKEN,
    "course_lib/grading/__init__.py": BROKEN,
    "course_lib/grading/capture.py": BROKEN,
    "ipykernel_launcher.py": "raise SystemExit('the kernel never starts')\n",
    ".ipython/profile_default/startup/00-break.py": "import sys\nsys.modules['course_lib'] = None\n",
    ".local/lib/python3.11/site-packages/usercustomize.py": "raise SystemExit(3)\n",
    "my_helpers.py": "VALUE = 'OWN-MODULE-OK'\n",
}
CELLS = ["import my_helpers\nprint(my_helpers.VALUE)"]
