"""The gradebook formats ``export`` writes and what each LMS can match students by.

Kept apart from :mod:`course_lib.grading.lms_export` so that the CLI can list them without
importing the grader (``python -m course_lib --help`` stays fast).
"""

from __future__ import annotations

FORMATS = ("canvas", "moodle", "csv")
#: Per format, what ``--match`` may name (the first is the default) and the value it takes.
MATCHES: dict[str, dict[str, str]] = {
    "canvas": {"sis-user-id": "lms_id", "canvas-id": "lms_id", "sis-login-id": "student_id"},
    "moodle": {"idnumber": "lms_id", "email": "email", "username": "student_id"},
    "csv": {"student-id": "student_id"},
}
