"""Each student's total per assignment, read back from what ``grade`` wrote in OUT.

The source is ``OUT/grades.csv`` (manual scores as ``grade`` last read them from the
gradebook) and the release templates in ``OUT/release/`` (an assignment's notebooks and
their points). An assignment's total is the sum over its notebooks of autograded plus
manual score. It is **blank, never zero**, when any of its notebooks has no score to give:

* a status with no graded answers: ``not-submitted``, ``missing-notebook``,
  ``infrastructure-error``, ``unsafe-file``, ``malformed-notebook`` (``grade`` scores it 0
  because the file could not be opened; that 0 is the instructor's call, not an automatic
  grade), any other non-graded status, or a limit (``timeout``, ...) that left no score;
* a *partial* row: autograded, but written answers still awaiting the instructor (or with
  no score in the gradebook). Importing the autograded part alone would look like a final,
  low grade, so the total stays blank until every written answer is graded; the notes give
  the autograded score so far.

A total that is exported but deserves a look carries a note too: a limit that stopped the
notebook (answers before the stop were graded). Rows that belong to no assignment total
(``bad-student-id``, ``unknown-assignment``, ``unexpected-notebook``) are kept as notes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.content.errors import ContentError, Problem
from course_lib.grading.feedback import points_text
from course_lib.grading.rows import NOT_SUBMITTED, RAN_STATUSES, points

REQUIRED = (
    "student_id",
    "assignment",
    "notebook",
    "auto_score",
    "manual_max",
    "needs_manual_grade",
    "status",
    "detail",
    "manual_score",
)
OPTIONAL = ("lms_id", "variant")
NO_TOTAL = {"bad-student-id", "unknown-assignment", "unexpected-notebook"}
MANUAL_PENDING = "manual-pending"  # a partial row: autograded, written answers not yet graded
WHY_BLANK = {
    NOT_SUBMITTED: "submitted nothing for this assignment",
    "missing-notebook": "this notebook was not in the submission",
    "infrastructure-error": "the grader failed, not the student: grade it again",
    "unsafe-file": "not graded: the submission holds a file the grader does not read",
    "malformed-notebook": (
        "the notebook file could not be opened (grade scored it 0): check the file and enter "
        "a grade by hand"
    ),
}


class ExportError(ContentError):
    """OUT, its grades.csv or the roster cannot be exported; every problem is listed."""


@dataclass(frozen=True)
class GradeLine:
    """One line of grades.csv (scores ``None`` when the cell is empty)."""

    line: int
    student: str
    assignment: str
    notebook: str
    status: str
    detail: str
    auto_score: float | None
    manual_max: float
    manual_score: float | None
    needs_manual_grade: bool
    lms_id: str = ""
    variant: str = ""


@dataclass(frozen=True)
class Note:
    """Why a total is blank, or what to check about one that is exported."""

    notebook: str
    status: str
    detail: str
    note: str


@dataclass(frozen=True)
class Total:
    """A student's total for one assignment (``score`` ``None``: exported blank)."""

    student: str
    assignment: str
    score: float | None
    possible: float
    notes: tuple[Note, ...] = ()

    @property
    def status(self) -> str:
        """The notebooks' statuses in a word or two (``manual-pending`` for a partial row)."""
        if not self.notes:
            return "graded"
        seen = dict.fromkeys(n.status for n in self.notes)
        return ";".join(seen)


def _number(path: Path, line: int, name: str, text: str, problems: list[Problem]) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        problems.append(Problem(path, f"line {line}, {name}", f"{text!r} is not a score"))
        return None
    return value


def read_grades(out: Path) -> list[GradeLine]:
    """Every line of ``OUT/grades.csv``; raise :class:`ExportError` naming file, line and field."""
    out = Path(out)
    if not out.is_dir():
        raise ExportError.single(out, "folder", "is not a folder (give the OUT that grade wrote)")
    path = out / "grades.csv"
    if not path.is_file():
        raise ExportError.single(
            path,
            "file",
            "is missing: run python -m course_lib grade SUBMISSIONS --out OUT first",
        )
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ExportError.single(
                path,
                "header",
                f"missing column(s) {', '.join(missing)}: not a grades.csv written by "
                "python -m course_lib grade (re-run grade to rewrite it)",
            )
        problems: list[Problem] = []
        lines = []
        for record in reader:
            n = reader.line_num
            if None in record or any(v is None for v in record.values()):
                problems.append(
                    Problem(path, f"line {n}", "has another number of cells than the header")
                )
                continue
            flag = record["needs_manual_grade"].strip().lower()
            if flag not in {"true", "false"}:
                problems.append(
                    Problem(path, f"line {n}, needs_manual_grade", f"{flag!r} is not true or false")
                )
            for name in ("student_id", "status"):
                if not record[name].strip():
                    problems.append(Problem(path, f"line {n}, {name}", "is empty"))
            lines.append(
                GradeLine(
                    n,
                    record["student_id"].strip(),
                    record["assignment"].strip(),
                    record["notebook"].strip(),
                    record["status"].strip(),
                    record["detail"],
                    _number(path, n, "auto_score", record["auto_score"], problems),
                    _number(path, n, "manual_max", record["manual_max"], problems) or 0.0,
                    _number(path, n, "manual_score", record["manual_score"], problems),
                    flag == "true",
                    record.get("lms_id", "").strip(),
                    record.get("variant", "").strip(),
                )
            )
    if problems:
        raise ExportError(problems)
    if not lines:
        raise ExportError.single(path, "file", "has no grades: nothing to export")
    return lines


def possible_points(out: Path, assignments: Iterable[str]) -> dict[str, float]:
    """Points possible per assignment: autograded plus manual, over the notebooks that
    ``grade`` released into ``OUT/release/<assignment>/``."""
    result: dict[str, float] = {}
    problems: list[Problem] = []
    for assignment in sorted(set(assignments)):
        folder = Path(out) / "release" / assignment
        notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        if not notebooks:
            problems.append(
                Problem(
                    folder,
                    "folder",
                    f"has no released notebook of {assignment} (grades.csv has rows for it): "
                    "OUT is not complete; re-run grade on it",
                )
            )
            continue
        total = 0.0
        for path in notebooks:
            auto, manual, _ = points(nbformat.read(path, as_version=4))
            total += auto + manual
        result[assignment] = total
    if problems:
        raise ExportError(problems)
    return result


def _notebook(line: GradeLine) -> tuple[float | None, str, str]:
    """One notebook's score (``None``: blank), its status for the notes (``manual-pending``
    for a partial row) and a note ("" when there is nothing to say)."""
    if line.status not in RAN_STATUSES or line.auto_score is None:
        why = WHY_BLANK.get(line.status, f"not graded ({line.status})")
        if line.status in RAN_STATUSES:
            why = f"{line.status} before any answer could be graded"
        return None, line.status, why
    if line.manual_max > 0 and (line.needs_manual_grade or line.manual_score is None):
        return (
            None,
            MANUAL_PENDING,
            (
                f"written answers ({points_text(line.manual_max)} points) still awaiting grading "
                f"in formgrader; autograded so far: {points_text(line.auto_score)}. Grade them, "
                "re-run grade, then export again"
            ),
        )
    score = line.auto_score + (line.manual_score or 0.0)
    if line.status != "graded":
        return (
            score,
            line.status,
            (f"exported: {line.status} stopped the notebook; answers before it were graded"),
        )
    return score, line.status, ""


def assignment_totals(
    lines: list[GradeLine], possible: dict[str, float], students: Iterable[str]
) -> dict[tuple[str, str], Total]:
    """``(student, assignment) -> Total`` for every student given and every assignment in
    ``possible``; a student with no line for an assignment gets a blank total."""
    by_key: dict[tuple[str, str], list[GradeLine]] = {}
    for line in lines:
        if line.status not in NO_TOTAL and line.assignment in possible:
            by_key.setdefault((line.student, line.assignment), []).append(line)
    totals = {}
    for student in students:
        for assignment, most in possible.items():
            group = by_key.get((student, assignment), [])
            if not group:
                note = Note(
                    "",
                    NOT_SUBMITTED,
                    "",
                    "no row in grades.csv: nothing submitted (grade lists only what was "
                    "submitted unless given --roster)",
                )
                totals[(student, assignment)] = Total(student, assignment, None, most, (note,))
                continue
            scores, notes = [], []
            for line in sorted(group, key=lambda g: g.notebook):
                score, status, text = _notebook(line)
                scores.append(score)
                if text:
                    notes.append(Note(line.notebook, status, line.detail, text))
            blank = any(s is None for s in scores)
            total = None if blank else round(sum(s for s in scores if s is not None), 4)
            totals[(student, assignment)] = Total(student, assignment, total, most, tuple(notes))
    return totals
