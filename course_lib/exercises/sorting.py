"""Scoring and feedback for the lesson 02 sorting exercise (pure functions, no widgets).

Each statement scores 1 for the best fit, 0.5 for a category the feedback calls
defensible (a source on the reference sheet supports it too), 0 otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from course_lib.content.exercises import (
    CATEGORIES,
    CATEGORY_LABELS,
    SortingSet,
    SortingStatement,
)
from course_lib.exercises import ChoiceStore
from course_lib.savefile import adopt_legacy

Verdict = Literal["correct", "defensible", "wrong", "unanswered"]
VERDICTS: tuple[str, ...] = ("correct", "defensible", "wrong", "unanswered")
VERDICT_LABELS = {
    "correct": "✓ Best fit",
    "defensible": "~ Defensible",
    "wrong": "✗ Not this one",
    "unanswered": "? Not answered",
}
POINTS = {"correct": 1.0, "defensible": 0.5, "wrong": 0.0, "unanswered": 0.0}
SAVE_FILE = "lesson02.answers.json"
LEGACY_SAVE_FILE = "sorting_answers.json"  # the name before every lesson used lessonNN


@dataclass(frozen=True)
class StatementResult:
    """One statement's verdict and the feedback to show for it."""

    statement_id: str
    choice: str | None
    answer: str
    verdict: str
    feedback: str

    @property
    def points(self) -> float:
        """1 for the best fit, 0.5 for a defensible choice, 0 otherwise."""
        return POINTS[self.verdict]


@dataclass(frozen=True)
class SortingScore:
    """Every statement's result plus totals."""

    results: tuple[StatementResult, ...]

    @property
    def points(self) -> float:
        """Points earned."""
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> int:
        """Points available (one per statement)."""
        return len(self.results)

    def counts(self) -> dict[str, int]:
        """How many statements got each verdict."""
        return {v: sum(1 for r in self.results if r.verdict == v) for v in VERDICTS}

    def by_category(self) -> dict[str, dict[str, int]]:
        """Verdict counts for the statements whose best fit is each category."""
        table = {c: dict.fromkeys(VERDICTS, 0) for c in CATEGORIES}
        for r in self.results:
            table[r.answer][r.verdict] += 1
        return table

    def summary(self) -> str:
        """One line: points, best fits and defensible choices."""
        c = self.counts()
        return (
            f"{self.points:g} of {self.max_points} points: {c['correct']} best fit, "
            f"{c['defensible']} defensible, {c['wrong']} not this one, "
            f"{c['unanswered']} not answered."
        )


def label(category: str | None) -> str:
    """Readable name of a category (``'nothing'`` for no choice)."""
    return CATEGORY_LABELS.get(category or "", "nothing")


def verdict_for(statement: SortingStatement, choice: str | None) -> str:
    """``correct``, ``defensible``, ``wrong`` or ``unanswered``."""
    if choice is None:
        return "unanswered"
    if choice == statement.answer:
        return "correct"
    if choice in statement.also_defensible:
        return "defensible"
    return "wrong"


def feedback_text(statement: SortingStatement, choice: str | None) -> str:
    """The specific feedback for one statement and one choice."""
    verdict = verdict_for(statement, choice)
    best = label(statement.answer)
    caveat = f" Where the sources differ: {statement.caveat}" if statement.caveat else ""
    if verdict == "unanswered":
        return f"Not answered. The best fit is {best}. {statement.explanation}"
    if verdict == "correct":
        return f"{best} is the best fit. {statement.explanation}{caveat}"
    if verdict == "defensible":
        return (
            f"You chose {label(choice)}: defensible, but {best} is the best fit."
            f"{caveat} {statement.explanation}"
        )
    specific = statement.feedback_for(choice or "")
    specific = f" {specific}" if specific else ""
    return f"You chose {label(choice)}; the best fit is {best}.{specific} {statement.explanation}"


def score_statement(statement: SortingStatement, choice: str | None) -> StatementResult:
    """Score one statement."""
    return StatementResult(
        statement.id,
        choice,
        statement.answer,
        verdict_for(statement, choice),
        feedback_text(statement, choice),
    )


def score_sorting(sorting: SortingSet, choices: Mapping[str, str | None]) -> SortingScore:
    """Score every statement (missing choices count as unanswered; unknown ids are ignored)."""
    return SortingScore(tuple(score_statement(s, choices.get(s.id)) for s in sorting.statements))


def open_store(sorting: SortingSet, folder: Path | str = ".") -> ChoiceStore:
    """The save file for the sorting exercise, in ``folder`` (the notebook's working folder).

    A file under the exercise's earlier name is renamed first; ``store.notice`` says so.
    """
    path = Path(folder) / SAVE_FILE
    moved = adopt_legacy(path, LEGACY_SAVE_FILE)
    allowed = {sid: CATEGORIES for sid in sorting.ids()}
    store = ChoiceStore(path, kind=sorting.id, allowed=allowed)
    store.notice = moved
    return store
