"""A line of grades.csv (``Row``), the job behind it, the statuses it can carry, and points.

A row's ``status`` is ``graded`` or a named reason (see the README's status list); every
submitted notebook ends as exactly one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.grading.question_result import QuestionResult
from course_lib.grading.reconstruct import grade_id
from course_lib.grading.spec import AssignmentSpec

# Statuses of a notebook that ran, fully or until a limit stopped it: its answers are graded.
RAN_STATUSES = {
    "graded",
    "timeout",
    "memory",
    "killed",
    "output-limit",
    "process-limit",
    "file-limit",
    "disk-limit",
}
# A rostered student who submitted nothing for an assignment (grade --roster).
NOT_SUBMITTED = "not-submitted"
# Statuses of a row that is no submission of a course notebook: never put in the gradebook,
# the feedback pages or cell_scores.csv.
OUTSIDE_COURSE = {"bad-student-id", "unknown-assignment", "unexpected-notebook", NOT_SUBMITTED}


@dataclass
class Job:
    """One notebook of one student's assignment."""

    student: str
    assignment: str
    notebook: str
    folder: Path
    sha256: str


@dataclass
class Row:
    """The result for one job (a line of grades.csv)."""

    student: str
    assignment: str
    notebook: str
    status: str
    detail: str = ""
    auto_score: float | None = None
    auto_max: float = 0.0
    manual_max: float = 0.0
    manual_score: float | None = None
    needs_manual_grade: bool = False
    sha256: str = ""
    questions: list[QuestionResult] = field(default_factory=list)
    executed: Any = None
    stopped_in: str = ""  # where a stopped run stopped, as the student knows that cell
    unsafe: list[str] = field(default_factory=list)  # an unsafe-file row's files, for feedback
    seconds: float = 0.0
    variant: str = ""  # what varied for this student in this assignment (course_lib.variants)
    captured: dict[str, Any] = field(default_factory=dict)  # variant-specific values (copy check)
    case_answers: list[Any] = field(default_factory=list)  # case_answers.CaseAnswers, per question


def points(template: Any) -> tuple[float, float, dict[str, float]]:
    """Autograded and manual maximums of a notebook, and points per grade id."""
    auto = manual = 0.0
    per_cell: dict[str, float] = {}
    for cell in template.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and (gid := grade_id(cell)):
            pts = float(meta.get("points", 0) or 0)
            per_cell[gid] = pts
            if meta.get("solution") or cell.get("cell_type") == "markdown":
                manual += pts
            else:
                auto += pts
    return auto, manual, per_cell


def in_course(row: Row, specs: Mapping[str, AssignmentSpec]) -> bool:
    """True if ``row`` is a submission of one of the course's notebooks (gradebook, feedback)."""
    return (
        row.status not in OUTSIDE_COURSE
        and row.assignment in specs
        and row.notebook in specs[row.assignment].notebooks
    )


def submitted_assignments(rows: list[Row]) -> set[str]:
    """Course assignments that at least one student submitted something for in this run."""
    return {
        r.assignment
        for r in rows
        if r.status not in {"bad-student-id", "unknown-assignment", NOT_SUBMITTED}
    }
