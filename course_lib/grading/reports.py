"""What the grade command writes: grades.csv, cell_scores.csv, per-student feedback, a summary.

Scores are written with at most 2 decimals (``2.6666666`` -> ``2.67``); a notebook's total
is rounded from the exact sum, so it can differ by 0.01 from the sum of its rounded cells.
The feedback pages are built by :mod:`course_lib.grading.feedback`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from course_lib.grading import case_answers
from course_lib.grading.course import Course
from course_lib.grading.feedback import feedback_html, points_text
from course_lib.grading.roster import Roster
from course_lib.grading.rows import RAN_STATUSES, Row, in_course

GRADE_FIELDS = [
    "student_id",
    "assignment",
    "notebook",
    "auto_score",
    "auto_max",
    "manual_max",
    "needs_manual_grade",
    "status",
    "detail",
    "manual_score",
    "submission_sha256",
    "lms_id",
    "variant",
]
CELL_FIELDS = ["student_id", "assignment", "notebook", "grade_id", "score", "max_score"]


def _fmt(value: float | None) -> str:
    return "" if value is None else points_text(value)


def write_grades(path: Path, rows: list[Row], roster: Roster | None = None) -> None:
    """One line per student x assignment x notebook (``lms_id`` from the roster, if any;
    ``variant``: what this student's version of the assignment was, e.g. "case set 7 of 12")."""
    entries = roster.students if roster else {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADE_FIELDS)
        for r in rows:
            writer.writerow(
                [
                    r.student,
                    r.assignment,
                    r.notebook,
                    _fmt(r.auto_score),
                    _fmt(r.auto_max),
                    _fmt(r.manual_max),
                    str(r.needs_manual_grade).lower(),
                    r.status,
                    r.detail,
                    _fmt(r.manual_score),
                    r.sha256,
                    entries[r.student].lms_id if r.student in entries else "",
                    r.variant,
                ]
            )


def write_cell_scores(
    path: Path, rows: list[Row], course: Course, manual: dict[tuple[str, str, str], dict[str, Any]]
) -> None:
    """One line per graded cell (autograded and manual)."""
    import nbformat

    from course_lib.grading.rows import points

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CELL_FIELDS)
        for r in rows:
            if not in_course(r, course.specs):
                continue
            template = nbformat.read(
                course.release_notebook(r.assignment, r.notebook), as_version=4
            )
            _, _, per_cell = points(template)
            fractions = {q.grade_id: q.fraction for q in r.questions}
            manual_cells = manual.get((r.student, r.assignment, r.notebook), {}).get("cells", {})
            for gid, max_score in per_cell.items():
                if gid in manual_cells:
                    score = manual_cells[gid]["score"]
                elif r.auto_score is None:
                    score = None
                else:
                    score = max_score * fractions.get(gid, 0.0)
                writer.writerow(
                    [r.student, r.assignment, r.notebook, gid, _fmt(score), _fmt(max_score)]
                )


def write_case_answers(path: Path, rows: list[Row]) -> None:
    """``case_answers.json``: the case answers of every notebook that ran (for ``report``)."""
    case_answers.write(path, [a for r in rows if r.status in RAN_STATUSES for a in r.case_answers])


def write_feedback(
    course: Course, rows: list[Row], manual: dict[tuple[str, str, str], dict[str, Any]]
) -> int:
    """Write ``feedback/<student>/<assignment>/<notebook>.html``; return how many were written."""
    import nbformat

    count = 0
    for row in rows:
        if not in_course(row, course.specs):
            continue
        dest = course.root / "feedback" / row.student / row.assignment / f"{row.notebook}.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        template = nbformat.read(
            course.release_notebook(row.assignment, row.notebook), as_version=4
        )
        page = feedback_html(
            row, template, manual.get((row.student, row.assignment, row.notebook), {})
        )
        dest.write_text(page, encoding="utf-8")
        count += 1
    return count


def summary_table(rows: list[Row]) -> str:
    """A plain-text table of every row, for the terminal."""
    header = f"{'student':<14} {'assignment':<18} {'auto':>11} {'manual':>9} status"
    lines = [header, "-" * len(header)]
    for r in rows:
        auto = "-" if r.auto_score is None else f"{_fmt(r.auto_score)}/{_fmt(r.auto_max)}"
        manual = (
            "pending"
            if r.needs_manual_grade
            else ("-" if r.manual_score is None else f"{_fmt(r.manual_score)}/{_fmt(r.manual_max)}")
        )
        lines.append(f"{r.student:<14} {r.assignment:<18} {auto:>11} {manual:>9} {r.status}")
    return "\n".join(lines)
