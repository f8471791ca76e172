"""``nbgrader export`` in a graded output folder: nbgrader's totals, never over the course's files.

Stock ``nbgrader export`` writes ``grades.csv`` in the current folder, which in OUT is the
course's own per-notebook grades file. The folder's ``nbgrader_config.py`` selects this
plugin instead. It writes ``nbgrader_export.csv`` in the course folder by default, and
refuses a ``--to`` that names one of the course's own outputs (``grades.csv``,
``cell_scores.csv``, ``reconciliation.json``, the gradebook, the config, or anything under
``feedback/``, ``autograded/``, ``release/``, ``source/``, ``submitted/``).

The file has nbgrader's columns (one row per student and assignment, totals read from the
gradebook, so scores entered in formgrader count at once) plus ``status``: ``submitted``,
or ``not-submitted`` with empty scores where stock nbgrader writes a zero.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

DEFAULT_NAME = "nbgrader_export.csv"
COURSE_FILES = (
    "grades.csv",
    "cell_scores.csv",
    "reconciliation.json",
    "gradebook.db",
    "nbgrader_config.py",
    ".release-fingerprints.json",
)
COURSE_FOLDERS = ("feedback", "autograded", "release", "source", "submitted")
COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
    "status",
]


def course_file(dest: Path, root: Path) -> bool:
    """True if writing ``dest`` would overwrite one of the course's own outputs in ``root``."""
    dest, root = dest.resolve(), root.resolve()
    if dest.parent == root and dest.name in COURSE_FILES:
        return True
    return any(dest.is_relative_to(root / folder) for folder in COURSE_FOLDERS)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class CourseExportPlugin(ExportPlugin):
    """nbgrader's CSV export, written beside the course's files instead of over them."""

    def export(self, gradebook: Gradebook) -> None:
        """Write the export, or log why not and exit 1 (as nbgrader's own ``fail`` does)."""
        coursedir = getattr(self.parent, "coursedir", None)
        root = Path(coursedir.root if coursedir is not None else ".")
        dest = Path(self.to) if self.to else root / DEFAULT_NAME
        if course_file(dest, root):
            self.log.error(
                "nbgrader export will not write %s: it is one of the course's own files, "
                "written by python -m course_lib grade SUBMISSIONS --out %s. Export to another "
                "file (by default nbgrader export writes %s here).",
                dest.resolve(),
                root,
                DEFAULT_NAME,
            )
            raise SystemExit(1)
        self.log.info("Exporting grades to %s", dest)
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        with dest.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row: dict[str, Any] = {
                        "assignment": assignment.name,
                        "duedate": assignment.duedate,
                        "student_id": student.id,
                        "last_name": student.last_name,
                        "first_name": student.first_name,
                        "email": student.email,
                        "max_score": assignment.max_score,
                        "status": "not-submitted",  # scores stay empty: not a graded zero
                    }
                    try:
                        sub = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        pass
                    else:
                        penalty = sub.late_submission_penalty or 0.0
                        row.update(
                            timestamp=sub.timestamp,
                            raw_score=sub.score,
                            late_submission_penalty=penalty,
                            score=max(0.0, sub.score - penalty),
                            status="submitted",
                        )
                    writer.writerow([_text(row.get(column)) for column in COLUMNS])
