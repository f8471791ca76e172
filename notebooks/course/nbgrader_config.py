"""nbgrader configuration of the instructor's course folder (``notebooks/course``).

Run nbgrader from this folder, e.g. ``nbgrader generate_assignment a1_inventory``.
Layout: ``source/<assignment>/<assignment>.ipynb`` (one notebook per assignment and nothing
else, because nbgrader releases every file in the folder); instructor-only grading specs
and case keys in ``keys/`` (never released); ``gradebook.db`` is created here.

Autograding is done by ``python -m course_lib grade`` (see ``course_lib.grading``), which
writes its own configuration for its output folder with the same course id and stubs.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "reactance"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
# Never release or collect editor debris or the case scorer's temporary/moved-aside files.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".*.answers.json.*",
    "*.answers.corrupt-*",
]

# What replaces the solutions in the student version.
c.ClearSolutions.code_stub = {"python": 'raise NotImplementedError("Write your answer here")'}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Each notebook runs in well under a minute; a cell that takes longer is stuck.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# A grade cell a student deleted is put back when nbgrader's own autograder runs.
c.OverwriteCells.add_missing_cells = True
