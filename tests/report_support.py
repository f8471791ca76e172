"""Small hand-made grade output folders for the class report's fast tests.

``write_out`` writes grades.csv, cell_scores.csv, case_answers.json and a released notebook
per assignment, exactly in the formats ``grade`` writes them.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path
from typing import Any

import nbformat

from course_lib.grading import case_answers
from course_lib.grading.reports import CELL_FIELDS, GRADE_FIELDS

#: Assignment -> its autograded questions and points (one notebook, named as the assignment).
QUESTIONS = {"a1": {"q1": 2.0, "q2": 1.0, "q3": 1.0}, "a2_cases": {"a2_ratings": 4.0}}


def _release(out: Path, assignment: str, questions: dict[str, float]) -> None:
    cells = [nbformat.v4.new_markdown_cell(f"# Assignment {assignment}")]
    for gid, points in questions.items():
        heading = nbformat.v4.new_markdown_cell(f"## Question {gid}")
        heading.metadata["nbgrader"] = {"locked": True, "grade": False, "solution": False}
        test = nbformat.v4.new_code_cell("assert True")
        test.metadata["nbgrader"] = {
            "grade": True,
            "grade_id": gid,
            "locked": True,
            "points": points,
            "solution": False,
        }
        cells += [heading, test]
    folder = out / "release" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / f"{assignment}.ipynb")


def write_out(
    out: Path,
    scores: dict[tuple[str, str], dict[str, float] | str],
    answers: list[case_answers.CaseAnswers] = (),  # type: ignore[assignment]
) -> Path:
    """``scores``: (student, assignment) -> {grade id: score} for a graded notebook, or a
    status (``not-submitted``, ``malformed-notebook``, ...) for one that did not run."""
    out.mkdir(parents=True, exist_ok=True)
    for assignment, questions in QUESTIONS.items():
        _release(out, assignment, questions)
    with (
        (out / "grades.csv").open("w", newline="") as g,
        (out / "cell_scores.csv").open("w", newline="") as c,
    ):
        grades, cells = csv.writer(g), csv.writer(c)
        grades.writerow(GRADE_FIELDS)
        cells.writerow(CELL_FIELDS)
        for (student, assignment), got in scores.items():
            questions = QUESTIONS[assignment]
            status = got if isinstance(got, str) else "graded"
            total = sum(got.values()) if isinstance(got, dict) else None
            if status == "malformed-notebook":
                total = 0.0
            auto = "" if total is None else f"{total:g}"
            grades.writerow(
                [student, assignment, assignment, auto, f"{sum(questions.values()):g}", "0"]
                + ["false", status, "", "", "", "", ""]
            )
            if status == "not-submitted":
                continue
            for gid, points in questions.items():
                score = got.get(gid, 0.0) if isinstance(got, dict) else 0.0
                cells.writerow([student, assignment, assignment, gid, f"{score:g}", f"{points:g}"])
    case_answers.write(out / case_answers.FILE, list(answers))
    return out


def rated(student: str, cases: dict[str, dict[str, Any]]) -> case_answers.CaseAnswers:
    """An a2 record: ``cases`` maps case id -> {"ratings": {...}, "band": ..., ...}."""
    return case_answers.CaseAnswers(
        student,
        "a2_cases",
        "a2_cases",
        "a2_ratings",
        ("ratings", "band", "trait_or_state", "stance"),
        tuple(cases),
        cases,
    )


def nan_anywhere(value: Any) -> bool:
    """True if a NaN or infinity hides anywhere in a dataclass tree."""
    if dataclasses.is_dataclass(value):
        return any(nan_anywhere(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return any(nan_anywhere(k) or nan_anywhere(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(nan_anywhere(v) for v in value)
    return isinstance(value, float) and not math.isfinite(value)
