"""Case vignettes and their expert keys (schema and cross-checks against the rubric).

Practice cases carry their key inline (students see it as feedback after committing their
answers). Assignment cases carry no key: theirs lives instructor-side, in
``notebooks/course/keys/cases/<case id>.yaml``, and never ships to students.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from course_lib.content.base import Identifier, Strict, Text

Band = Literal["low", "mid", "high"]
TraitOrState = Literal["trait", "state"]
StanceId = Literal["self_directed", "collaborative", "structured"]
Migration = Literal["none", "first_generation", "second_generation"]
MIN_WORDS, MAX_WORDS = 150, 350
CHOICE_VALUES: dict[str, tuple[str, ...]] = {
    "band": ("low", "mid", "high"),
    "trait_or_state": ("trait", "state"),
    "stance": ("self_directed", "collaborative", "structured"),
}


class Client(Strict):
    """Fictional client demographics (varied and respectful; no real people).

    ``majority_group`` is true when the client belongs to the majority ethnic group where
    they live; ``migration`` says whether they or their parents migrated. Together they let
    ``validate`` check that no band and no trait/state kind is carried mostly by minority or
    migrant clients (the case set must not teach a stereotype).
    """

    name: Text
    age: int = Field(ge=12, le=95)
    pronouns: Text
    gender: Text
    background: Text
    majority_group: bool
    migration: Migration

    @property
    def group(self) -> str:
        """``majority``, ``minority`` (not migrant) or ``migrant`` (first or second generation)."""
        if self.migration != "none":
            return "migrant"
        return "majority" if self.majority_group else "minority"


class Turn(Strict):
    """One turn of a short session excerpt."""

    speaker: Literal["Therapist", "Client"]
    text: Text


class MarkerRating(Strict):
    """The expert's rating of one marker and the cue that justifies it.

    For a rating above 0 the cue is a verbatim quote from the vignette or excerpt;
    for 0 it is a short note on what is absent.
    """

    rating: int = Field(ge=0, le=3)
    cue: Text


class Alternative(Strict):
    """A defensible answer other than the key's, earning part of the credit, and why."""

    choice: Literal["band", "trait_or_state", "stance"]
    value: str
    credit: float = Field(gt=0, lt=1)
    reason: Text

    @model_validator(mode="after")
    def _known_value(self) -> Alternative:
        if self.value not in CHOICE_VALUES[self.choice]:
            allowed = ", ".join(CHOICE_VALUES[self.choice])
            raise ValueError(f"value for {self.choice} must be one of {allowed}")
        return self


class CaseKey(Strict):
    """The expert key of one case.

    ``alternatives`` lists answers other than the key's that a careful rater could defend,
    each with its share of the credit and the reason (shown in feedback and honoured by
    the grader).
    """

    ratings: dict[str, MarkerRating]
    band: Band
    trait_or_state: TraitOrState
    stance: StanceId
    rationale: Text
    alternatives: list[Alternative] = Field(default_factory=list)

    @field_validator("alternatives")
    @classmethod
    def _alternatives_differ(
        cls, alternatives: list[Alternative], info: ValidationInfo
    ) -> list[Alternative]:
        seen: set[tuple[str, str]] = set()
        for alt in alternatives:
            if alt.value == info.data.get(alt.choice):
                raise ValueError(f"alternative {alt.choice}={alt.value!r} is the key's own answer")
            if (alt.choice, alt.value) in seen:
                raise ValueError(f"alternative {alt.choice}={alt.value!r} is listed twice")
            seen.add((alt.choice, alt.value))
        return alternatives

    def credit(self, choice: str, value: str | None) -> float:
        """Share of the credit for ``value`` as the answer to ``choice``: 1 for the key's,
        an alternative's credit, else 0."""
        if value is None:
            return 0.0
        if value == getattr(self, choice):
            return 1.0
        return next(
            (a.credit for a in self.alternatives if a.choice == choice and a.value == value), 0.0
        )

    def alternative(self, choice: str, value: str | None) -> Alternative | None:
        """The alternative matching ``value`` for ``choice``, if the key lists one."""
        return next(
            (a for a in self.alternatives if a.choice == choice and a.value == value), None
        )


class KeyFile(CaseKey):
    """An instructor-side key file for an assignment case."""

    case_id: Identifier


class Case(Strict):
    """One fictional client case."""

    id: Identifier
    title: Text
    set: Literal["practice", "assignment"]
    lesson: Literal[3, 4, 5] | None = Field(
        default=None,
        description="practice cases: the lesson that uses them (each case in one lesson only, "
        "so no lesson practises on a case whose key an earlier lesson revealed)",
    )
    practice_material: Literal[True]
    difficulty: Literal["introductory", "intermediate", "advanced"]
    client: Client
    presenting_concern: Text
    referral_context: Text
    vignette: Text
    excerpt: list[Turn] = Field(min_length=2)
    key: CaseKey | None = None

    @field_validator("excerpt")
    @classmethod
    def _dialogue(cls, turns: list[Turn]) -> list[Turn]:
        if {t.speaker for t in turns} != {"Therapist", "Client"}:
            raise ValueError("the excerpt must be a dialogue with both Therapist and Client turns")
        return turns

    @model_validator(mode="after")
    def _length_and_key(self) -> Case:
        words = word_count(self.full_text())
        if not MIN_WORDS <= words <= MAX_WORDS:
            raise ValueError(
                f"vignette plus excerpt must be {MIN_WORDS}-{MAX_WORDS} words (has {words})"
            )
        if self.set == "practice" and self.key is None:
            raise ValueError("a practice case must carry its key")
        if self.set == "practice" and self.lesson is None:
            raise ValueError("a practice case names the lesson that uses it (lesson: 3, 4 or 5)")
        if self.set == "assignment" and self.lesson is not None:
            raise ValueError("an assignment case belongs to no lesson (remove lesson)")
        if self.set == "assignment" and self.key is not None:
            raise ValueError(
                "an assignment case must not carry its key (students can read assets/); "
                "put it in notebooks/course/keys/cases/<id>.yaml"
            )
        return self

    def full_text(self) -> str:
        """Vignette and excerpt as one text (what a cue must quote)."""
        lines = [self.vignette] + [f"{t.speaker}: {t.text}" for t in self.excerpt]
        return "\n".join(lines)


def word_count(text: str) -> int:
    """Count words the way a reader would (runs of letters, digits and apostrophes)."""
    return len(re.findall(r"[\w'’-]+", text))


def normalise(text: str) -> str:
    """Collapse whitespace and unify quotes so cue matching ignores line wrapping."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()
