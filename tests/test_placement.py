"""The rubric's placement rule and the comparison of a student's answers with a key."""

from __future__ import annotations

import pytest

from course_lib.answers import CaseAnswer
from course_lib.content import load_cases, load_rubric
from course_lib.scoring.compare import compare_case, summarize
from course_lib.scoring.placement import band_for, place

RUBRIC = load_rubric()
OPP = [m.id for m in RUBRIC.markers if m.pole == "oppositional"]
COMP = [m.id for m in RUBRIC.markers if m.pole == "compliant"]


def ratings(opp: list[int], comp: list[int]) -> dict[str, int]:
    return dict(zip(OPP, opp, strict=True)) | dict(zip(COMP, comp, strict=True))


def test_extremes_and_centre() -> None:
    assert place(ratings([3] * 5, [0] * 5), RUBRIC).position == pytest.approx(1.0)
    assert place(ratings([0] * 5, [3] * 5), RUBRIC).position == pytest.approx(-1.0)
    centre = place(ratings([2] * 5, [2] * 5), RUBRIC)
    assert centre.position == 0 and centre.band == "mid"
    assert centre.oppositional_mean == 2 and centre.compliant_mean == 2


def test_band_boundaries_are_inclusive_towards_the_poles() -> None:
    # (5 - 0) / 5 / 3 = 1/3 exactly: high.
    assert place(ratings([1] * 5, [0] * 5), RUBRIC).band == "high"
    assert place(ratings([0] * 5, [1] * 5), RUBRIC).band == "low"
    assert place(ratings([1, 1, 1, 1, 0], [0] * 5), RUBRIC).band == "mid"
    assert band_for(0.3333, RUBRIC) == "mid"


def test_incomplete_or_invalid_ratings_are_refused() -> None:
    r = ratings([1] * 5, [1] * 5)
    with pytest.raises(ValueError, match="missing"):
        place({k: v for k, v in r.items() if k != OPP[0]}, RUBRIC)
    with pytest.raises(ValueError, match="0-3"):
        place(r | {OPP[0]: 4}, RUBRIC)
    with pytest.raises(ValueError, match="unknown"):
        place(r | {"made_up": 1}, RUBRIC)
    with pytest.raises(ValueError, match="position"):
        band_for(1.5, RUBRIC)


def test_compare_case_against_its_key() -> None:
    case = load_cases(which="practice")[0]
    key = case.key
    assert key is not None
    perfect = CaseAnswer(
        {m: r.rating for m, r in key.ratings.items()}, key.band, key.trait_or_state, key.stance
    )
    result = compare_case(case.id, perfect, key, RUBRIC)
    assert result.weighted_kappa == pytest.approx(1.0)
    assert result.band_hit and result.trait_state_hit and result.stance_hit
    assert result.exact_matches == len(RUBRIC.markers)
    off = CaseAnswer(
        {m: min(3, r.rating + 1) for m, r in key.ratings.items()}, "mid", "state", "structured"
    )
    worse = compare_case(case.id, off, key, RUBRIC)
    assert worse.weighted_kappa is not None and worse.weighted_kappa < 1
    assert not worse.band_hit or key.band == "mid"
    assert all(m.difference in (0, 1) for m in worse.markers)


def test_incomplete_answer_has_no_position_and_no_kappa() -> None:
    case = load_cases(which="practice")[0]
    assert case.key is not None
    result = compare_case(case.id, CaseAnswer(), case.key, RUBRIC)
    assert result.student is None and result.weighted_kappa is None and not result.band_hit


def test_summary_pools_across_cases() -> None:
    cases = [c for c in load_cases(which="practice")][:3]
    comps = []
    for c in cases:
        assert c.key is not None
        ans = CaseAnswer(
            {m: r.rating for m, r in c.key.ratings.items()},
            c.key.band,
            c.key.trait_or_state,
            "structured",
        )
        comps.append(compare_case(c.id, ans, c.key, RUBRIC))
    summary = summarize(comps)
    assert summary.n_cases == 3 and summary.n_ratings == 3 * len(RUBRIC.markers)
    assert summary.weighted_kappa == pytest.approx(1.0) and summary.band_accuracy == 1.0
    assert summary.stance_accuracy == pytest.approx(
        sum(c.key.stance == "structured" for c in cases) / 3
    )
    assert summarize([]).weighted_kappa is None
