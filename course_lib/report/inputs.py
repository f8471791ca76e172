"""What the class report reads from a grade output folder (OUT), checked as it is read.

``grade`` writes, in OUT: ``grades.csv`` (one line per student x notebook, with its status),
``cell_scores.csv`` (one line per graded cell), ``case_answers.json`` (each graded
submission's answers on its own cases) and ``release/<assignment>/<notebook>.ipynb`` (the
released notebooks, which give each question's title and points). A missing or malformed
file raises ``ValueError`` naming the file and what is wrong; only ``case_answers.json`` may
be absent (an OUT graded before it existed): the report then says so and shows no cases.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.grading import case_answers
from course_lib.grading.case_answers import CaseAnswers
from course_lib.grading.reconstruct import grade_id
from course_lib.grading.reports import CELL_FIELDS, GRADE_FIELDS
from course_lib.grading.titles import heading_of, question_titles

GRADES = "grades.csv"
CELL_SCORES = "cell_scores.csv"
RELEASE = "release"


@dataclass(frozen=True)
class GradeLine:
    """One line of grades.csv (the fields the report uses)."""

    student: str
    assignment: str
    notebook: str
    status: str
    auto_score: float | None
    auto_max: float


@dataclass(frozen=True)
class CellScore:
    """One line of cell_scores.csv (``score`` is ``None`` when blank: the notebook never ran)."""

    student: str
    assignment: str
    notebook: str
    grade_id: str
    score: float | None
    max_score: float


@dataclass(frozen=True)
class Question:
    """A graded cell of a released notebook."""

    assignment: str
    notebook: str
    grade_id: str
    title: str
    points: float
    autograded: bool


@dataclass(frozen=True)
class ClassData:
    """Everything the report reads from one OUT folder."""

    out: Path
    grades: tuple[GradeLine, ...]
    cells: tuple[CellScore, ...]
    answers: tuple[CaseAnswers, ...]
    questions: tuple[Question, ...]  # in notebook order, assignments and notebooks sorted
    titles: dict[str, str]  # assignment -> its title (the first heading of its notebook)
    notes: tuple[str, ...] = ()


def _number(path: Path, line: int, column: str, text: str) -> float | None:
    if text.strip() == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path}, line {line}: {column} is not a number ({text!r})") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{path}, line {line}: {column} is not a finite number ({text!r})")
    return value


def _csv_rows(path: Path, needed: list[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ValueError(f"{path} is missing: is this a folder that `grade` wrote?")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in needed if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path} lacks the columns {', '.join(missing)}")
            return [(i, row) for i, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path} cannot be read ({type(exc).__name__}: {exc})") from None


def read_grades(path: Path) -> list[GradeLine]:
    """Read grades.csv."""
    out = []
    for line, r in _csv_rows(path, GRADE_FIELDS[:8]):
        auto_max = _number(path, line, "auto_max", r["auto_max"])
        out.append(
            GradeLine(
                r["student_id"],
                r["assignment"],
                r["notebook"],
                r["status"],
                _number(path, line, "auto_score", r["auto_score"]),
                auto_max or 0.0,
            )
        )
    return out


def read_cell_scores(path: Path) -> list[CellScore]:
    """Read cell_scores.csv."""
    out = []
    for line, r in _csv_rows(path, CELL_FIELDS):
        max_score = _number(path, line, "max_score", r["max_score"])
        if max_score is None:
            raise ValueError(f"{path}, line {line}: max_score is blank")
        score = _number(path, line, "score", r["score"])
        out.append(
            CellScore(
                r["student_id"], r["assignment"], r["notebook"], r["grade_id"], score, max_score
            )
        )
    return out


def read_questions(release: Path) -> tuple[list[Question], dict[str, str]]:
    """Every graded cell of the released notebooks (title, points, autograded or not), and
    each assignment's title."""
    if not release.is_dir():
        raise ValueError(f"{release} is missing: is this a folder that `grade` wrote?")
    questions: list[Question] = []
    titles: dict[str, str] = {}
    for path in sorted(release.glob("*/*.ipynb")):
        assignment, notebook = path.parent.name, path.stem
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable notebook is reported by name
            raise ValueError(f"{path} is not a readable notebook ({type(exc).__name__})") from None
        if assignment not in titles:
            first = next((h for c in nb.cells if (h := heading_of(c))), None)
            titles[assignment] = first or assignment
        names = question_titles(nb)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and (gid := grade_id(cell)):
                manual = bool(meta.get("solution")) or cell.get("cell_type") == "markdown"
                points = float(meta.get("points", 0) or 0)
                questions.append(
                    Question(assignment, notebook, gid, names.get(gid, gid), points, not manual)
                )
    if not titles:
        raise ValueError(f"{release} holds no released notebooks")
    return questions, titles


def read_class(out: Path) -> ClassData:
    """Read everything the report needs from ``out`` (raises ``ValueError`` naming a missing
    or malformed file)."""
    out = Path(out)
    if not out.is_dir():
        raise ValueError(f"{out} is not a folder")
    grades = read_grades(out / GRADES)
    cells = read_cell_scores(out / CELL_SCORES)
    questions, titles = read_questions(out / RELEASE)
    notes: list[str] = []
    answers_path = out / case_answers.FILE
    if answers_path.is_file():
        answers = case_answers.load(answers_path)
    else:
        answers = []
        notes.append(
            f"{case_answers.FILE} is missing (this folder was graded by an older version): "
            "grade again to see how the class rated the cases."
        )
    return ClassData(
        out, tuple(grades), tuple(cells), tuple(answers), tuple(questions), titles, tuple(notes)
    )
