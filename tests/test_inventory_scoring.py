"""Scoring the practice inventory: reverse keying, means, the missing-answer rule, bands."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.content import load_inventory
from course_lib.content.inventory import Inventory
from course_lib.scoring.inventory import (
    FacetScore,
    InventoryScore,
    band_for_total,
    check_responses,
    item_matrix,
    reverse_key,
    score_inventory,
    score_matrix,
)

# The hand-computed examples below rely on this layout of the course's inventory.
LAYOUT = {
    "restricted_choice": ["i01", "i05", "i09"],
    "advice_persuasion": ["i02", "i06", "i10"],
    "rules_pressure": ["i03", "i07", "i11"],
    "independent_judgement": ["i04", "i08", "i12"],
}
REVERSED = {"i06", "i07", "i09", "i12"}

# Raw answers; keyed (i06 2->4, i07 1->5, i09 1->5, i12 4->2):
# restricted 5,4,5 = 14/3; advice 4,4,5 = 13/3; rules 2,5,3 = 10/3; independent 1,3,2 = 2;
# total 43/12 = 3.5833 (high band).
EXAMPLE = {
    "i01": 5, "i02": 4, "i03": 2, "i04": 1, "i05": 4, "i06": 2,
    "i07": 1, "i08": 3, "i09": 1, "i10": 5, "i11": 3, "i12": 4,
}  # fmt: skip


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory()


def raw_from_keyed(keyed: dict[str, int]) -> dict[str, int]:
    """Turn wanted keyed values into the raw answers that produce them."""
    return {k: (6 - v if k in REVERSED else v) for k, v in keyed.items()}


def test_inventory_has_the_layout_the_examples_assume(inventory: Inventory) -> None:
    assert [i.id for i in inventory.items] == [f"i{n:02d}" for n in range(1, 13)]
    for facet_id, ids in LAYOUT.items():
        assert [i.id for i in inventory.items_in(facet_id)] == ids
    assert {i.id for i in inventory.items if i.reverse} == REVERSED
    # facets interleave in item order
    assert [i.facet for i in inventory.items[:4]] == list(LAYOUT)
    assert inventory.missing.max_missing_per_facet == 1
    assert inventory.missing.max_missing_total == 2


# ---- reverse keying -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "flipped"), [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)])
def test_reverse_key_is_six_minus_x(inventory: Inventory, value: int, flipped: int) -> None:
    assert reverse_key(value, inventory.scale) == flipped


@pytest.mark.parametrize("bad", [0, 6, True, 2.0, "3", None])
def test_reverse_key_rejects_values_off_the_scale(inventory: Inventory, bad: object) -> None:
    with pytest.raises(ValueError, match="reverse-key"):
        reverse_key(bad, inventory.scale)  # type: ignore[arg-type]


def test_reverse_keyed_items_are_flipped_before_averaging(inventory: Inventory) -> None:
    # Strongly agreeing with every item: forward items count 5, reverse-keyed items 1.
    score = score_inventory(dict.fromkeys(LAYOUT["advice_persuasion"], 5), inventory)
    advice = score.facets["advice_persuasion"]
    assert advice.mean == pytest.approx((5 + 1 + 5) / 3)


# ---- complete responses ---------------------------------------------------------------


def test_hand_computed_example(inventory: Inventory) -> None:
    score = score_inventory(EXAMPLE, inventory)
    assert isinstance(score, InventoryScore)
    assert score.status == "complete"
    assert score.missing_items == ()
    means = {f: s.mean for f, s in score.facets.items()}
    assert means == pytest.approx(
        {
            "restricted_choice": 14 / 3,
            "advice_persuasion": 13 / 3,
            "rules_pressure": 10 / 3,
            "independent_judgement": 2.0,
        }
    )
    assert score.total == pytest.approx(43 / 12)
    assert score.band == "high"
    assert score.facets["rules_pressure"] == FacetScore("rules_pressure", 10 / 3, 3, 0, True)
    assert "Complete" in score.message and "3.58" in score.message


def test_all_neutral_answers(inventory: Inventory) -> None:
    score = score_inventory(dict.fromkeys(EXAMPLE, 3), inventory)
    assert score.total == 3.0
    assert score.band == "mid"
    assert all(f.mean == 3.0 and f.scorable for f in score.facets.values())


def test_extremes(inventory: Inventory) -> None:
    most = score_inventory(raw_from_keyed(dict.fromkeys(EXAMPLE, 5)), inventory)
    least = score_inventory(raw_from_keyed(dict.fromkeys(EXAMPLE, 1)), inventory)
    assert (most.total, most.band) == (5.0, "high")
    assert (least.total, least.band) == (1.0, "low")


# ---- the missing-answer rule ---------------------------------------------------------------


def test_exactly_at_the_limit_is_prorated(inventory: Inventory) -> None:
    # Two missing in all (the total limit), one each in two facets (the facet limit).
    answers = {**EXAMPLE, "i01": None, "i06": None}
    score = score_inventory(answers, inventory)
    assert score.status == "prorated"
    assert score.missing_items == ("i01", "i06")
    assert score.facets["restricted_choice"] == FacetScore("restricted_choice", 4.5, 2, 1, True)
    assert score.facets["advice_persuasion"] == FacetScore("advice_persuasion", 4.5, 2, 1, True)
    assert score.facets["rules_pressure"].mean == pytest.approx(10 / 3)
    assert score.facets["independent_judgement"].mean == 2.0
    assert score.total == pytest.approx(34 / 10)  # (43 - 5 - 4) / 10
    assert score.band == "mid"
    assert "i01" in score.message and "i06" in score.message


def test_absent_keys_count_as_missing(inventory: Inventory) -> None:
    with_none = score_inventory({**EXAMPLE, "i01": None, "i06": None}, inventory)
    absent = {k: v for k, v in EXAMPLE.items() if k not in {"i01", "i06"}}
    assert score_inventory(absent, inventory) == with_none


def test_one_over_the_facet_limit_is_not_scorable(inventory: Inventory) -> None:
    # Only 2 missing in all, but both in one facet.
    answers = {**EXAMPLE, "i03": None, "i07": None}
    score = score_inventory(answers, inventory)
    assert score.status == "not_scorable"
    assert score.total is None
    assert score.band is None
    assert score.missing_items == ("i03", "i07")
    assert score.facets["rules_pressure"] == FacetScore("rules_pressure", None, 1, 2, False)
    assert "rules_pressure" in score.message
    assert "Opposition to rules and pressure" in score.message
    # the other facets are still scored
    assert score.facets["restricted_choice"].mean == pytest.approx(14 / 3)
    assert score.facets["independent_judgement"].scorable


def test_one_over_the_total_limit_is_not_scorable(inventory: Inventory) -> None:
    # One missing per facet in three facets: every facet scorable, but 3 > 2 missing in all.
    answers = {**EXAMPLE, "i01": None, "i02": None, "i03": None}
    score = score_inventory(answers, inventory)
    assert score.status == "not_scorable"
    assert score.total is None and score.band is None
    assert all(f.scorable for f in score.facets.values())
    assert "3 of the 12" in score.message


def test_nothing_answered(inventory: Inventory) -> None:
    score = score_inventory({}, inventory)
    assert score.status == "not_scorable"
    assert score.total is None
    assert len(score.missing_items) == 12
    assert not any(f.scorable for f in score.facets.values())
    assert all(f.mean is None and f.answered == 0 for f in score.facets.values())


# ---- bands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (1.0, "low"),
        (2.4999, "low"),
        (2.5, "mid"),
        (3.4999, "mid"),
        (3.5, "high"),
        (5.0, "high"),
    ],
)
def test_band_boundaries(inventory: Inventory, mean: float, band: str) -> None:
    assert band_for_total(mean, inventory) == band


@pytest.mark.parametrize("bad", [0.99, 5.01, math.nan, None, "3"])
def test_band_rejects_means_off_the_scale(inventory: Inventory, bad: object) -> None:
    with pytest.raises(ValueError, match="total mean"):
        band_for_total(bad, inventory)  # type: ignore[arg-type]


def test_total_exactly_on_the_boundaries(inventory: Inventory) -> None:
    ids = list(EXAMPLE)
    at_25 = raw_from_keyed({k: (2 if n % 2 else 3) for n, k in enumerate(ids)})  # 30 / 12
    at_35 = raw_from_keyed({k: (3 if n % 2 else 4) for n, k in enumerate(ids)})  # 42 / 12
    low = score_inventory(at_25, inventory)
    high = score_inventory(at_35, inventory)
    assert (low.total, low.band) == (2.5, "mid")
    assert (high.total, high.band) == (3.5, "high")


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"i13": 3}, "i13"),
        ({"I01": 3}, "I01"),
        ({"i05": 0}, "i05"),
        ({"i05": 6}, "i05"),
        ({"i05": -1}, "i05"),
        ({"i02": True}, "i02"),
        ({"i02": False}, "i02"),
        ({"i07": 3.0}, "i07"),
        ({"i07": 2.5}, "i07"),
        ({"i08": "4"}, "i08"),
        ({"i09": math.nan}, "i09"),
        ({"i10": np.float64(3)}, "i10"),
    ],
)
def test_bad_input_raises_naming_the_item(
    inventory: Inventory, answers: dict[str, object], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        score_inventory({**EXAMPLE, **answers}, inventory)  # type: ignore[dict-item]


def test_numpy_integers_are_integers(inventory: Inventory) -> None:
    answers = {k: np.int64(v) for k, v in EXAMPLE.items()}
    assert score_inventory(answers, inventory) == score_inventory(EXAMPLE, inventory)  # type: ignore[arg-type]


def test_check_responses_fills_every_item(inventory: Inventory) -> None:
    clean = check_responses({"i01": 4}, inventory)
    assert list(clean) == list(EXAMPLE)
    assert clean["i01"] == 4
    assert all(v is None for k, v in clean.items() if k != "i01")


# ---- datasets ------------------------------------------------------------------------------------


def test_score_matrix_scores_each_row_and_ignores_the_id(inventory: Inventory) -> None:
    rows = [
        {"respondent_id": "r001", **EXAMPLE},
        {"respondent_id": "r002", **EXAMPLE, "i03": None, "i07": None},
    ]
    scores = score_matrix(rows, inventory)
    assert [s.status for s in scores] == ["complete", "not_scorable"]
    assert scores[0] == score_inventory(EXAMPLE, inventory)


def test_score_matrix_names_the_row_and_item(inventory: Inventory) -> None:
    rows = [{"respondent_id": "r001", **EXAMPLE}, {"respondent_id": "r002", **EXAMPLE, "i04": 9}]
    with pytest.raises(ValueError, match=r"row 2 \(respondent_id 'r002'\).*i04"):
        score_matrix(rows, inventory)


def test_item_matrix(inventory: Inventory) -> None:
    rows = [{"respondent_id": "r001", **EXAMPLE, "i02": None}, EXAMPLE]
    keyed = item_matrix(rows, inventory)
    raw = item_matrix(rows, inventory, reverse=False)
    assert keyed.shape == raw.shape == (2, 12)
    assert keyed.dtype == np.float64
    assert math.isnan(keyed[0, 1]) and math.isnan(raw[0, 1])
    assert raw[1].tolist() == [float(v) for v in EXAMPLE.values()]
    assert keyed[1].tolist() == [5, 4, 2, 1, 4, 4, 5, 3, 5, 5, 3, 2]


def test_item_matrix_of_no_rows(inventory: Inventory) -> None:
    assert item_matrix([], inventory).shape == (0, 12)


def test_item_matrix_names_the_row_and_item(inventory: Inventory) -> None:
    with pytest.raises(ValueError, match=r"row 1.*i11"):
        item_matrix([{**EXAMPLE, "i11": True}], inventory)
