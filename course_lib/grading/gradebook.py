"""Write autograded scores into nbgrader's gradebook and read manual grades back.

Autograded scores are (re)written on every run; manual scores entered in formgrader are
never overwritten, and they flow into grades.csv and the feedback on the next run.
"""

from __future__ import annotations

from typing import Any

import nbformat

from course_lib.grading.course import COURSE_ID, Course, ensure_tools_on_path
from course_lib.grading.reconstruct import strip_captures
from course_lib.grading.roster import Roster
from course_lib.grading.rows import RAN_STATUSES, Row, in_course

GRADED_WITH_SCORES = RAN_STATUSES | {"malformed-notebook"}  # malformed: scored 0


def record(
    course: Course, rows: list[Row], roster: Roster | None = None
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Store each row's scores; return manual grades and comments by (student, assignment, notebook).

    Every rostered student is created or updated with the roster's names, email and LMS id
    (empty roster cells leave the gradebook's value), so formgrader lists them, with
    "no submission" for an assignment they did not submit.
    """
    import warnings

    from nbgrader.api import Gradebook, MissingEntry

    ensure_tools_on_path()
    manual: dict[tuple[str, str, str], dict[str, Any]] = {}
    with warnings.catch_warnings(), Gradebook(course.db_url, course_id=COURSE_ID) as gb:
        # nbgrader's add_submission triggers SQLAlchemy autoflush warnings; they are harmless.
        warnings.simplefilter("ignore")
        for entry in roster.students.values() if roster else ():
            gb.update_or_create_student(entry.student_id, **entry.gradebook_fields())
        for row in rows:
            if not in_course(row, course.specs):
                continue
            gb.update_or_create_student(row.student)
            try:
                gb.find_submission(row.assignment, row.student)
            except MissingEntry:
                gb.add_submission(row.assignment, row.student)
            nb = gb.find_submission_notebook(row.notebook, row.assignment, row.student)
            fractions = {q.grade_id: q.fraction for q in row.questions}
            autograded = set(course.specs[row.assignment].notebooks[row.notebook].questions)
            scored = row.status in GRADED_WITH_SCORES
            cells: dict[str, Any] = {}
            for grade in nb.grades:
                cell = grade.cell
                if cell.name in autograded:
                    # 2 decimals, as in grades.csv and the feedback, so formgrader agrees
                    grade.auto_score = (
                        round(cell.max_score * fractions.get(cell.name, 0.0), 2) if scored else None
                    )
                    grade.needs_manual_grade = False
                else:  # a written answer, graded by hand in formgrader
                    # only a notebook that ran has an answer to read; an unreadable or
                    # missing one must not sit in formgrader's queue forever
                    grade.needs_manual_grade = (
                        grade.manual_score is None and row.status in RAN_STATUSES
                    )
                    cells[cell.name] = {"max": cell.max_score, "score": grade.manual_score}
            comments = {c.cell.name: c.manual_comment for c in nb.comments if c.manual_comment}
            gb.db.commit()
            manual[(row.student, row.assignment, row.notebook)] = {
                "cells": cells,
                "comments": comments,
            }
    return manual


def apply_manual(rows: list[Row], manual: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """Fill each row's manual score and needs-manual-grade flag from the gradebook."""
    for row in rows:
        info = manual.get((row.student, row.assignment, row.notebook))
        if not info or not info["cells"] or row.status not in RAN_STATUSES:
            continue
        scores = [c["score"] for c in info["cells"].values()]
        row.needs_manual_grade = any(s is None for s in scores)
        row.manual_score = None if row.needs_manual_grade else float(sum(s or 0 for s in scores))


def write_autograded(course: Course, rows: list[Row]) -> None:
    """Save each executed notebook (capture cells removed) where formgrader looks for it."""
    for row in rows:
        if row.executed is None:
            continue
        dest = course.root / "autograded" / row.student / row.assignment / f"{row.notebook}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(strip_captures(row.executed), dest)
