"""Case placement: marker ratings -> spectrum position and band (the rubric's documented rule)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from course_lib.content.rubric import LEVELS, Rubric

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Placement:
    """Where a set of ratings places a client on the defiance-compliance spectrum."""

    oppositional_mean: float
    compliant_mean: float
    position: float
    band: str


def check_ratings(ratings: Mapping[str, int], rubric: Rubric) -> None:
    """Raise ``ValueError`` unless ``ratings`` rates every rubric marker with 0-3 and nothing else."""
    expected = set(rubric.marker_ids())
    missing = sorted(expected - set(ratings))
    extra = sorted(set(ratings) - expected)
    if missing:
        raise ValueError(f"ratings missing for markers: {', '.join(missing)}")
    if extra:
        raise ValueError(f"ratings given for unknown markers: {', '.join(extra)}")
    for marker_id, value in ratings.items():
        if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
            raise ValueError(f"rating for {marker_id} must be an integer 0-3 (got {value!r})")


def band_for(position: float, rubric: Rubric) -> str:
    """Return the band id for a position, using the rubric's band bounds."""
    if not -1 - TOLERANCE <= position <= 1 + TOLERANCE:
        raise ValueError(f"position must lie in [-1, 1] (got {position})")
    bands = {b.id: b for b in rubric.placement.bands}
    if position >= bands["high"].lower - TOLERANCE:
        return "high"
    if position <= bands["low"].upper + TOLERANCE:
        return "low"
    return "mid"


def place(ratings: Mapping[str, int], rubric: Rubric) -> Placement:
    """Apply the rubric's placement rule to a complete set of marker ratings."""
    check_ratings(ratings, rubric)
    means = {}
    for pole in ("oppositional", "compliant"):
        values = [ratings[m.id] for m in rubric.markers if m.pole == pole]
        means[pole] = sum(values) / len(values)
    position = (means["oppositional"] - means["compliant"]) / max(LEVELS)
    return Placement(
        means["oppositional"], means["compliant"], position, band_for(position, rubric)
    )
