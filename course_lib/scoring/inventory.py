"""Scoring the practice inventory: responses -> facet means, total mean and teaching band.

The rule is the one written in the inventory file (``missing.description``):

* reverse-keyed items are flipped first (``min + max - x``, i.e. ``6 - x`` on the 1-5 scale);
* a facet score is the mean of its answered items when at most
  ``missing.max_missing_per_facet`` of its items are missing, otherwise the facet is
  not scorable;
* the total is the mean of all answered items when at most ``missing.max_missing_total``
  items are missing *and* every facet is scorable, otherwise it is not scorable;
* a total built from fewer than all the items is ``prorated``; a total that cannot be
  computed is ``not_scorable`` and is ``None``, never a silent number.

Every function here is pure: no I/O, no printing. Bad input raises ``ValueError`` naming
the item (and, for a dataset, the row).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

import numpy as np

from course_lib.content.inventory import ID_COLUMN, Inventory, ResponseScale

Status = Literal["complete", "prorated", "not_scorable"]


@dataclass(frozen=True)
class FacetScore:
    """The score of one facet: the mean of its answered (reverse-keyed) items, if scorable."""

    facet_id: str
    mean: float | None
    answered: int
    missing: int
    scorable: bool


@dataclass(frozen=True)
class InventoryScore:
    """The scored inventory: facet scores, total mean, teaching band and a plain message."""

    facets: dict[str, FacetScore]
    total: float | None
    band: str | None
    status: Status
    missing_items: tuple[str, ...]
    message: str


def _is_integer(value: object) -> TypeGuard[numbers.Integral]:
    """True for ``int`` and numpy integers; ``bool`` (and numpy bool) is not an integer."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _check_value(item_id: str, value: object, scale: ResponseScale) -> int | None:
    """Return ``value`` as ``int`` (or ``None`` for a missing answer); raise on bad input."""
    if value is None:
        return None
    if not _is_integer(value):
        hint = (
            " (use None for a missing answer)"
            if isinstance(value, float) and math.isnan(value)
            else ""
        )
        raise ValueError(
            f"item {item_id}: response must be an integer {scale.min}-{scale.max} "
            f"or None, got {value!r}{hint}"
        )
    number = int(value)
    if not scale.min <= number <= scale.max:
        raise ValueError(
            f"item {item_id}: response must be between {scale.min} and {scale.max}, got {number}"
        )
    return number


def check_responses(responses: Mapping[str, object], inventory: Inventory) -> dict[str, int | None]:
    """Validate one person's responses and return a value (or ``None``) for every item.

    Keys must be item ids of ``inventory``; a missing key counts as a missing answer.
    Raises ``ValueError`` naming the item for an unknown item id, a non-integer value
    (``True``/``False`` and floats such as ``3.0`` included) or a value off the scale.
    """
    known = {item.id for item in inventory.items}
    unknown = [key for key in responses if key not in known]
    if unknown:
        raise ValueError(
            f"unknown item id(s): {', '.join(repr(k) for k in unknown)}; "
            f"expected ids among {', '.join(sorted(known))}"
        )
    return {
        item.id: _check_value(item.id, responses.get(item.id), inventory.scale)
        for item in inventory.items
    }


def reverse_key(value: int, scale: ResponseScale) -> int:
    """Flip a response on ``scale``: ``min + max - value`` (on a 1-5 scale, ``6 - value``)."""
    if not _is_integer(value) or not scale.min <= int(value) <= scale.max:
        raise ValueError(f"cannot reverse-key {value!r}: not an integer {scale.min}-{scale.max}")
    return scale.min + scale.max - int(value)


def band_for_total(mean: float, inventory: Inventory) -> str:
    """Return the id of the teaching band holding a total mean.

    Bands are half-open, ``lower <= mean < upper``, except that the top band also holds
    the scale maximum. A mean off the scale raises ``ValueError``.
    """
    scale = inventory.scale
    if isinstance(mean, bool) or not isinstance(mean, numbers.Real) or math.isnan(mean):
        raise ValueError(f"total mean must be a number, got {mean!r}")
    if not scale.min <= mean <= scale.max:
        raise ValueError(f"total mean must lie in [{scale.min}, {scale.max}], got {mean}")
    bands = sorted(inventory.bands, key=lambda b: b.lower)
    for band in bands:
        if band.lower <= mean < band.upper:
            return band.id
    return bands[-1].id  # mean == scale max


def _keyed(inventory: Inventory, clean: Mapping[str, int | None]) -> dict[str, int | None]:
    """Responses with reverse-keyed items flipped (missing answers stay ``None``)."""
    out: dict[str, int | None] = {}
    for item in inventory.items:
        value = clean[item.id]
        out[item.id] = (
            reverse_key(value, inventory.scale) if value is not None and item.reverse else value
        )
    return out


def _fmt(mean: float) -> str:
    return f"{mean:.2f}"


def score_inventory(responses: Mapping[str, int | None], inventory: Inventory) -> InventoryScore:
    """Score one person's responses with the inventory's documented rule.

    ``responses`` maps item ids to integers on the scale or ``None`` (missing); absent
    item ids count as missing. Returns facet means, the total mean, its teaching band,
    a status (``complete``, ``prorated`` or ``not_scorable``) and a plain-words message.
    """
    clean = check_responses(responses, inventory)
    keyed = _keyed(inventory, clean)
    rule = inventory.missing
    missing_items = tuple(item.id for item in inventory.items if clean[item.id] is None)

    facets: dict[str, FacetScore] = {}
    problems: list[str] = []
    for facet in inventory.facets:
        ids = [item.id for item in inventory.items_in(facet.id)]
        values = [v for v in (keyed[i] for i in ids) if v is not None]
        n_missing = len(ids) - len(values)
        scorable = bool(values) and n_missing <= rule.max_missing_per_facet
        mean = sum(values) / len(values) if scorable else None
        facets[facet.id] = FacetScore(facet.id, mean, len(values), n_missing, scorable)
        if not scorable:
            gaps = ", ".join(i for i in ids if keyed[i] is None)
            limit = (
                f"but at most {rule.max_missing_per_facet} may be missing"
                if n_missing > rule.max_missing_per_facet
                else "so there is nothing to average"
            )
            problems.append(
                f"The facet '{facet.name}' ({facet.id}) has {n_missing} of its {len(ids)} "
                f"items unanswered ({gaps}), {limit}, so it is not scorable."
            )
    if len(missing_items) > rule.max_missing_total:
        problems.append(
            f"{len(missing_items)} of the {len(inventory.items)} items are unanswered "
            f"({', '.join(missing_items)}), but at most {rule.max_missing_total} may be missing."
        )

    if problems:
        scored = [f for f in facets.values() if f.scorable]
        kept = (
            " Facet scores are still given where the facet itself is scorable: "
            + ", ".join(f"{f.facet_id} {_fmt(f.mean)}" for f in scored if f.mean is not None)
            + "."
            if scored
            else ""
        )
        message = "Total not scorable. " + " ".join(problems) + kept
        return InventoryScore(facets, None, None, "not_scorable", missing_items, message)

    answered = [v for v in keyed.values() if v is not None]
    total = sum(answered) / len(answered)
    band = band_for_total(total, inventory)
    band_label = next(b.label for b in inventory.bands if b.id == band)
    if missing_items:
        status: Status = "prorated"
        message = (
            f"Prorated: {len(missing_items)} item(s) unanswered ({', '.join(missing_items)}), "
            f"within the rule (at most {rule.max_missing_per_facet} per facet and "
            f"{rule.max_missing_total} in all), so each score is the mean of the answered "
            f"items. Total mean {_fmt(total)} from {len(answered)} items: {band_label}."
        )
    else:
        status = "complete"
        message = (
            f"Complete: all {len(answered)} items answered. Total mean {_fmt(total)}: {band_label}."
        )
    return InventoryScore(facets, total, band, status, missing_items, message)


def _row_items(row: Mapping[str, Any], index: int) -> tuple[dict[str, Any], str]:
    """Split a dataset row into its item answers and a label used in error messages."""
    where = f"row {index + 1}"
    if ID_COLUMN in row:
        where += f" ({ID_COLUMN} {row[ID_COLUMN]!r})"
    return {k: v for k, v in row.items() if k != ID_COLUMN}, where


def score_matrix(rows: Iterable[Mapping[str, Any]], inventory: Inventory) -> list[InventoryScore]:
    """Score every row of a dataset (a ``respondent_id`` column, if present, is ignored).

    A bad value raises ``ValueError`` naming the row (and respondent) and the item.
    """
    scores = []
    for index, row in enumerate(rows):
        answers, where = _row_items(row, index)
        try:
            scores.append(score_inventory(answers, inventory))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return scores


def item_matrix(
    rows: Iterable[Mapping[str, Any]], inventory: Inventory, reverse: bool = True
) -> np.ndarray:
    """Return a respondents x items float array (inventory item order), NaN where missing.

    With ``reverse=True`` (the default) reverse-keyed items are flipped, so every column
    points the same way: the form wanted for reliability analysis (e.g. Cronbach's alpha).
    """
    out: list[list[float]] = []
    for index, row in enumerate(rows):
        answers, where = _row_items(row, index)
        try:
            clean = check_responses(answers, inventory)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        values = _keyed(inventory, clean) if reverse else clean
        out.append(
            [math.nan if values[i.id] is None else float(values[i.id]) for i in inventory.items]
        )
    return np.array(out, dtype=float).reshape(len(out), len(inventory.items))
