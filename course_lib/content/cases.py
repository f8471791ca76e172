"""Case vignettes and their expert keys (schema and cross-checks against the rubric).

Practice cases carry their key inline (students see it as feedback after committing their
answers). Assignment cases carry no key: theirs lives instructor-side, in
``notebooks/course/keys/cases/<case id>.yaml``, and never ships to students.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from course_lib.content.base import Identifier, Strict, Text

Band = Literal["low", "mid", "high"]
TraitOrState = Literal["trait", "state"]
StanceId = Literal["self_directed", "collaborative", "structured"]
MIN_WORDS, MAX_WORDS = 150, 350


class Client(Strict):
    """Fictional client demographics (varied and respectful; no real people)."""

    name: Text
    age: int = Field(ge=12, le=95)
    pronouns: Text
    gender: Text
    background: Text


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


class CaseKey(Strict):
    """The expert key of one case."""

    ratings: dict[str, MarkerRating]
    band: Band
    trait_or_state: TraitOrState
    stance: StanceId
    rationale: Text


class KeyFile(CaseKey):
    """An instructor-side key file for an assignment case."""

    case_id: Identifier


class Case(Strict):
    """One fictional client case."""

    id: Identifier
    title: Text
    set: Literal["practice", "assignment"]
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
