"""The practice self-report inventory (schema).

Course-made practice material modelled on the published structure of trait reactance
scales (short, 5-point agreement, some reverse-keyed items, 3-4 facets). Its items are our
own; it is not a validated instrument and its bands are teaching conventions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from course_lib.content.base import Identifier, Strict, Text

#: Column of a dataset row that identifies the respondent; it is not an item.
ID_COLUMN = "respondent_id"


class Facet(Strict):
    """One facet (subscale) of the inventory."""

    id: Identifier
    name: Text
    description: Text


class Item(Strict):
    """One inventory item, written for this course."""

    id: Identifier
    text: Text
    facet: Identifier
    reverse: bool


class ResponseScale(Strict):
    """The agreement scale: integer responses from ``min`` to ``max``, each labelled."""

    min: Literal[1]
    max: Literal[5]
    labels: dict[int, Text]

    @model_validator(mode="after")
    def _labels_cover_scale(self) -> ResponseScale:
        if sorted(self.labels) != list(range(self.min, self.max + 1)):
            raise ValueError(f"labels must cover every point from {self.min} to {self.max}")
        return self


class MissingRule(Strict):
    """How many missing answers a score tolerates before it is reported as not scorable."""

    max_missing_per_facet: int = Field(ge=0)
    max_missing_total: int = Field(ge=0)
    description: Text


class ScoreBand(Strict):
    """A band of the total (mean item) score: ``lower <= mean < upper``; the top band includes 5."""

    id: Literal["low", "mid", "high"]
    label: Text
    lower: float
    upper: float
    description: Text


class Inventory(Strict):
    """The practice inventory."""

    id: Identifier
    title: Text
    practice_material: Literal[True]
    notice: Text
    instructions: Text
    scale: ResponseScale
    facets: list[Facet] = Field(min_length=3, max_length=4)
    items: list[Item] = Field(min_length=11, max_length=14)
    missing: MissingRule
    bands: list[ScoreBand]
    references: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _structure(self) -> Inventory:
        facet_ids = [f.id for f in self.facets]
        item_ids = [i.id for i in self.items]
        for label, ids in (("facet", facet_ids), ("item", item_ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{label} ids must be unique; repeated: {', '.join(dupes)}")
        unknown = sorted({i.facet for i in self.items} - set(facet_ids))
        if unknown:
            raise ValueError(f"items refer to unknown facets: {', '.join(unknown)}")
        empty = [f for f in facet_ids if not any(i.facet == f for i in self.items)]
        if empty:
            raise ValueError(f"facets without items: {', '.join(empty)}")
        if not any(i.reverse for i in self.items):
            raise ValueError("at least one item must be reverse-keyed")
        bands = sorted(self.bands, key=lambda b: b.lower)
        if [b.id for b in bands] != ["low", "mid", "high"]:
            raise ValueError("bands must be low, mid and high in ascending order")
        if bands[0].lower != self.scale.min or bands[-1].upper != self.scale.max:
            raise ValueError(f"bands must cover {self.scale.min} to {self.scale.max}")
        for a, b in zip(bands, bands[1:], strict=False):
            if a.upper != b.lower:
                raise ValueError(f"band {a.id} ends at {a.upper} but {b.id} starts at {b.lower}")
        return self

    def items_in(self, facet_id: str) -> list[Item]:
        """Items belonging to one facet, in inventory order."""
        return [i for i in self.items if i.facet == facet_id]
