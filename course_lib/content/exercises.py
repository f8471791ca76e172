"""Exercise content: the client statements of lesson 02's sorting exercise (schema and loader).

Each statement is sorted into one of four categories. ``answer`` is the best fit;
``also_defensible`` lists categories that a source on the reference sheet would support
too (the ``caveat`` says which source and why), so the feedback never pretends to a
certainty the literature does not have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from course_lib import paths
from course_lib.content.base import Identifier, Strict, Text
from course_lib.content.loader import load

SORTING_FILE = "exercises/sorting_statements.yaml"

Category = Literal["trait_reactance", "state_reactance", "sustain_talk", "discord"]
CATEGORIES: tuple[str, ...] = ("trait_reactance", "state_reactance", "sustain_talk", "discord")
CATEGORY_LABELS: dict[str, str] = {
    "trait_reactance": "Trait reactance",
    "state_reactance": "State reactance",
    "sustain_talk": "Sustain talk",
    "discord": "Discord",
}
MIN_STATEMENTS, MAX_STATEMENTS = 10, 14


class SortingStatement(Strict):
    """One short client statement or behaviour to sort, with its key and feedback."""

    id: Identifier
    text: Text
    context: Text
    answer: Category
    explanation: Text
    feedback: dict[Category, Text] = Field(default_factory=dict)
    also_defensible: list[Category] = Field(default_factory=list)
    caveat: Text | None = None

    @model_validator(mode="after")
    def _feedback_consistent(self) -> SortingStatement:
        if self.answer in self.feedback:
            raise ValueError(
                f"feedback is for wrong choices; it must not have an entry for the answer "
                f"({self.answer})"
            )
        if self.answer in self.also_defensible:
            raise ValueError(f"also_defensible must not repeat the answer ({self.answer})")
        if len(set(self.also_defensible)) != len(self.also_defensible):
            raise ValueError("also_defensible lists a category twice")
        if self.also_defensible and self.caveat is None:
            raise ValueError("a statement with also_defensible categories needs a caveat")
        return self

    def feedback_for(self, choice: str) -> str:
        """The specific feedback for a wrong ``choice`` (empty if none was written)."""
        return {str(k): v for k, v in self.feedback.items()}.get(choice, "")


class SortingSet(Strict):
    """The whole sorting exercise: course-written practice statements."""

    id: Identifier
    title: Text
    practice_material: Literal[True]
    notice: Text
    statements: list[SortingStatement] = Field(min_length=MIN_STATEMENTS, max_length=MAX_STATEMENTS)
    references: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_and_coverage(self) -> SortingSet:
        ids = [s.id for s in self.statements]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"statement ids must be unique; repeated: {', '.join(dupes)}")
        for category in CATEGORIES:
            used = sum(1 for s in self.statements if s.answer == category)
            if used < 2:
                raise ValueError(
                    f"every category must be the answer of at least 2 statements "
                    f"({category} has {used})"
                )
        return self

    def statement(self, statement_id: str) -> SortingStatement:
        """Look up one statement by id."""
        for s in self.statements:
            if s.id == statement_id:
                return s
        raise KeyError(statement_id)

    def ids(self) -> list[str]:
        """Statement ids in file order."""
        return [s.id for s in self.statements]


def sorting_path(assets: Path | None = None) -> Path:
    """Path of the sorting-statements file."""
    folder = Path(assets) if assets is not None else paths.assets_dir()
    return folder / SORTING_FILE


def load_sorting_statements(assets: Path | None = None) -> SortingSet:
    """Load and validate the sorting statements (raises ``ContentError`` naming file and field)."""
    return load(sorting_path(assets), SortingSet)
