"""The clinician-observable marker rubric and its placement rule (schema).

A rubric lists 8-12 markers, each belonging to one pole of the defiance-compliance
spectrum and rated on anchored levels 0-3. The placement rule, documented in the rubric
file itself, maps a set of ratings to a position in [-1, 1] and to a band.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from course_lib.content.base import Identifier, Strict, Text

Pole = Literal["oppositional", "compliant"]
LEVELS = (0, 1, 2, 3)


class Marker(Strict):
    """One observable marker with anchored levels 0-3."""

    id: Identifier
    pole: Pole
    name: Text
    description: Text
    evidence: Literal["session", "history"]
    levels: dict[int, Text]

    @model_validator(mode="after")
    def _levels_complete(self) -> Marker:
        if sorted(self.levels) != list(LEVELS):
            raise ValueError(
                f"levels must be anchored for exactly 0, 1, 2, 3 (got {sorted(self.levels)})"
            )
        return self


class Band(Strict):
    """A band of the spectrum: positions in [lower, upper] (bounds as documented)."""

    id: Literal["low", "mid", "high"]
    label: Text
    lower: float = Field(ge=-1, le=1)
    upper: float = Field(ge=-1, le=1)
    description: Text


class Stance(Strict):
    """An opening therapeutic stance a student can recommend."""

    id: Literal["self_directed", "collaborative", "structured"]
    label: Text
    description: Text


class Placement(Strict):
    """The documented rule from ratings to a spectrum position and a band."""

    rule: Text
    bands: list[Band]
    limits: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_tile(self) -> Placement:
        bands = sorted(self.bands, key=lambda b: b.lower)
        if [b.id for b in bands] != ["low", "mid", "high"]:
            raise ValueError("bands must be low, mid and high, in ascending order of position")
        if bands[0].lower != -1 or bands[-1].upper != 1:
            raise ValueError("bands must cover positions from -1 to 1")
        for a, b in zip(bands, bands[1:], strict=False):
            if a.upper != b.lower:
                raise ValueError(f"band {a.id} ends at {a.upper} but {b.id} starts at {b.lower}")
        return self


class Rubric(Strict):
    """The marker rubric (course-made practice material, not a validated tool)."""

    id: Identifier
    title: Text
    practice_material: Literal[True]
    notice: Text
    markers: list[Marker] = Field(min_length=8, max_length=12)
    placement: Placement
    stances: list[Stance] = Field(min_length=3, max_length=3)
    references: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _markers_consistent(self) -> Rubric:
        ids = [m.id for m in self.markers]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"marker ids must be unique; repeated: {', '.join(dupes)}")
        poles = {m.pole for m in self.markers}
        if poles != {"oppositional", "compliant"}:
            raise ValueError("markers must cover both poles (oppositional and compliant)")
        return self

    def marker_ids(self) -> list[str]:
        """Marker ids in rubric order."""
        return [m.id for m in self.markers]

    def marker(self, marker_id: str) -> Marker:
        """Look up one marker by id."""
        for m in self.markers:
            if m.id == marker_id:
                return m
        raise KeyError(marker_id)
