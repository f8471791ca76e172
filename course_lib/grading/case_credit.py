"""The credit rule for one rated case: the ratings' closeness to the key, then band,
trait-or-state and opening stance (a defensible alternative earns part of its share).

Pure: no file, widget or kernel is touched. The grader (:mod:`course_lib.grading.verdict`)
and the reference used for self-tests (:mod:`course_lib.grading.references`) both judge
cases with it, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CASE_WEIGHTS = {"ratings": 0.4, "band": 0.2, "trait_or_state": 0.2, "stance": 0.2}
CHOICE_NAMES = {"band": "band", "trait_or_state": "trait or state", "stance": "opening stance"}


@dataclass(frozen=True)
class ChoiceCredit:
    """One choice of a rated case: how it compares with the key and the credit share (0-1)."""

    state: str  # "not chosen", "matched", "defensible" or "did not match"
    share: float
    reason: str = ""


@dataclass(frozen=True)
class CaseCredit:
    """What one rated case earned: the ratings' share and each choice's credit."""

    ratings: float
    choices: dict[str, ChoiceCredit]

    @property
    def matched(self) -> dict[str, bool | None]:
        """Per choice: matched the key exactly (``None``: left blank)."""
        return {
            name: None if c.state == "not chosen" else c.state == "matched"
            for name, c in self.choices.items()
        }

    @property
    def total(self) -> float:
        """Credit for the case, 0-1."""
        return self.ratings + sum(CASE_WEIGHTS[k] * c.share for k, c in self.choices.items())

    def describe(self) -> str:
        """What earned credit, without the key's values (see :func:`course_lib.grading.verdict.judge_answers_file`)."""
        parts = [f"ratings: {self.ratings:.2f} of {CASE_WEIGHTS['ratings']:.2f}"]
        for name, choice in self.choices.items():
            text = f"{CHOICE_NAMES[name]}: {choice.state}"
            if choice.state == "defensible":
                text += f" ({choice.share:.0%} of its credit: {choice.reason})"
            parts.append(text)
        return f"{'; '.join(parts)} (case total {self.total:.2f} of 1)"


def choice_credit(key: Any, name: str, value: str | None) -> ChoiceCredit:
    """How one choice compares with the key, honouring the key's defensible alternatives."""
    if value is None:
        return ChoiceCredit("not chosen", 0.0)
    if value == getattr(key, name):
        return ChoiceCredit("matched", 1.0)
    alternative = key.alternative(name, value)
    if alternative is not None:
        return ChoiceCredit("defensible", alternative.credit, alternative.reason)
    return ChoiceCredit("did not match", 0.0)


def case_credit(answer: Any, key: Any, marker_ids: list[str]) -> CaseCredit:
    """Credit for one rated case: 0.4 x (1 - mean |rating difference| / 3) + 0.2 for each
    of band, trait/state and stance (a listed alternative earns its share of the 0.2). An
    unrated marker counts as the largest difference."""
    diffs = []
    for marker in marker_ids:
        rating = answer.ratings.get(marker)
        diffs.append(3 if rating is None else abs(rating - key.ratings[marker].rating))
    closeness = 1 - (sum(diffs) / len(diffs)) / 3
    choices = {name: choice_credit(key, name, getattr(answer, name)) for name in CHOICE_NAMES}
    return CaseCredit(CASE_WEIGHTS["ratings"] * closeness, choices)


def case_score(answer: Any, key: Any, marker_ids: list[str]) -> float:
    """Credit (0-1) for one rated case (see :func:`case_credit`)."""
    return case_credit(answer, key, marker_ids).total
