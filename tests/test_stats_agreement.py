"""course_lib.stats.agreement against scikit-learn (kappa) and pingouin (ICC)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from sklearn.metrics import cohen_kappa_score

from course_lib.stats import cohen_kappa, icc_a1, percent_agreement

TOL = 1e-9
SEEDS = range(8)
WEIGHTS = [None, "linear", "quadratic"]


def _two_raters(seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Two correlated raters on an ordinal 0..m-1 scale; returns (a, b, m)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 120))
    m = int(rng.integers(2, 7))
    a = rng.integers(0, m, size=n)
    b = np.clip(a + rng.integers(-1, 2, size=n), 0, m - 1)
    flip = rng.random(n) < 0.2
    b[flip] = rng.integers(0, m, size=int(flip.sum()))
    return a, b, m


def _ratings(seed: int) -> np.ndarray:
    """Targets x raters: true score + rater bias + noise."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    k = int(rng.integers(2, 7))
    target = rng.normal(size=(n, 1)) * rng.uniform(0.5, 2)
    bias = rng.normal(size=(1, k)) * rng.uniform(0, 1)
    return target + bias + rng.normal(size=(n, k))


def _pingouin_icc_a1(ratings: np.ndarray) -> float:
    n, k = ratings.shape
    long = pd.DataFrame(
        {
            "target": np.repeat(np.arange(n), k),
            "rater": np.tile(np.arange(k), n),
            "score": ratings.ravel(),
        }
    )
    with warnings.catch_warnings():
        # pingouin's anova uses a pandas keyword deprecated in pandas 3 (reference-only)
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pingouin")
        table = pg.intraclass_corr(long, targets="target", raters="rater", ratings="score")
    # pingouin < 0.7 labels the row "ICC2"; 0.7 renamed it "ICC(A,1)" (same coefficient)
    row = table[table["Type"].isin(["ICC2", "ICC(A,1)"])]
    assert len(row) == 1
    return float(row["ICC"].iloc[0])


# --- percent agreement -------------------------------------------------------------------


def test_percent_agreement_hand_example() -> None:
    assert percent_agreement([1, 2, 3, 4], [1, 2, 0, 4]) == pytest.approx(0.75, abs=TOL)
    assert percent_agreement(["yes", "no"], ["yes", "no"]) == 1.0
    assert percent_agreement([0, 0], [1, 1]) == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_percent_agreement_matches_numpy(seed: int) -> None:
    a, b, _ = _two_raters(seed)
    assert percent_agreement(a, b) == pytest.approx(float(np.mean(a == b)), abs=TOL)


# --- Cohen's kappa -----------------------------------------------------------------------


def test_kappa_hand_example() -> None:
    # a x b table [[15, 10], [5, 20]]: p_o = .70, p_e = (25*20 + 25*30) / 50**2 = .50
    a = [0] * 25 + [1] * 25
    b = [0] * 15 + [1] * 10 + [0] * 5 + [1] * 20
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=TOL)


def test_weighted_kappa_hand_example_with_unused_category() -> None:
    a, b = [0, 1, 3], [0, 3, 1]
    # observed categories {0, 1, 3} sit at positions 0, 1, 2: linear kappa = 1 - 2 / (8/3)
    assert cohen_kappa(a, b, "linear") == pytest.approx(0.25, abs=TOL)
    # with the full 0-3 scale, 1 and 3 are two steps apart: 1 - 4 / 4 = 0
    assert cohen_kappa(a, b, "linear", categories=range(4)) == pytest.approx(0.0, abs=TOL)
    assert cohen_kappa(a, b, "linear", categories=range(4)) == pytest.approx(
        cohen_kappa_score(a, b, weights="linear", labels=[0, 1, 2, 3]), abs=TOL
    )


def test_unweighted_kappa_ignores_unused_categories() -> None:
    a, b, _ = _two_raters(1)
    assert cohen_kappa(a, b, categories=range(10)) == pytest.approx(cohen_kappa(a, b), abs=TOL)


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_kappa_matches_sklearn(seed: int, weights: str | None) -> None:
    a, b, _ = _two_raters(seed)
    expected = cohen_kappa_score(a, b, weights=weights)
    assert cohen_kappa(a, b, weights) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_kappa_with_categories_matches_sklearn_labels(seed: int, weights: str | None) -> None:
    a, b, m = _two_raters(seed)
    labels = list(range(m + 2))  # two categories nobody used, at the top of the scale
    expected = cohen_kappa_score(a, b, weights=weights, labels=labels)
    assert cohen_kappa(a, b, weights, categories=labels) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("weights", WEIGHTS)
def test_kappa_with_ordered_string_categories(weights: str | None) -> None:
    order = ["never", "sometimes", "often", "always"]
    a, b, _ = _two_raters(5)
    a = np.clip(a, 0, 3)
    b = np.clip(b, 0, 3)
    sa, sb = [order[i] for i in a], [order[i] for i in b]
    expected = cohen_kappa_score(sa, sb, weights=weights, labels=order)
    assert cohen_kappa(sa, sb, weights, categories=order) == pytest.approx(expected, abs=TOL)
    assert cohen_kappa(a, b, weights, categories=range(4)) == pytest.approx(expected, abs=TOL)


def test_kappa_perfect_and_opposite() -> None:
    assert cohen_kappa([0, 1, 2, 0], [0, 1, 2, 0]) == pytest.approx(1.0, abs=TOL)
    # one rater always 0, the other always 1: chance agreement is 0 and so is agreement
    assert cohen_kappa([0, 0, 0], [1, 1, 1]) == pytest.approx(0.0, abs=TOL)


# --- ICC(A,1) ----------------------------------------------------------------------------

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges; ICC(2,1) = .29
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def test_icc_shrout_fleiss_example() -> None:
    result = icc_a1(SHROUT_FLEISS)
    assert round(result, 2) == 0.29
    # by hand from the exact mean squares BMS = 11.24, JMS = 32.49, EMS = 1.02 (rounded)
    bms, jms, ems = 1349 / 120, 2339 / 72, 367 / 360
    expected = (bms - ems) / (bms + 3 * ems + 4 * (jms - ems) / 6)
    assert result == pytest.approx(expected, abs=TOL)
    assert result == pytest.approx(_pingouin_icc_a1(SHROUT_FLEISS), abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_icc_matches_pingouin(seed: int) -> None:
    ratings = _ratings(seed)
    assert icc_a1(ratings) == pytest.approx(_pingouin_icc_a1(ratings), abs=TOL)


def test_icc_accepts_integer_lists() -> None:
    assert icc_a1(SHROUT_FLEISS.astype(int).tolist()) == pytest.approx(
        icc_a1(SHROUT_FLEISS), abs=TOL
    )


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("func", [percent_agreement, cohen_kappa])
class TestBadPairs:
    def test_length_mismatch(self, func) -> None:
        with pytest.raises(ValueError, match="same targets: got 3 and 2"):
            func([0, 1, 1], [0, 1])

    def test_empty(self, func) -> None:
        with pytest.raises(ValueError, match="empty"):
            func([], [])

    def test_missing_rating(self, func) -> None:
        with pytest.raises(ValueError, match=r"b\[1\] is missing"):
            func([0, 1, 1], [0, np.nan, 1])

    def test_none_rating(self, func) -> None:
        with pytest.raises(ValueError, match=r"a\[0\] is missing"):
            func([None, 1], [0, 1])

    def test_not_one_dimensional(self, func) -> None:
        with pytest.raises(ValueError, match="1-D"):
            func(np.zeros((2, 2)), np.zeros((2, 2)))

    def test_single_string(self, func) -> None:
        with pytest.raises(ValueError, match="not a single string"):
            func("abc", "abd")


def test_kappa_single_category_is_undefined() -> None:
    with pytest.raises(ValueError, match="undefined: both raters used only one category"):
        cohen_kappa([2, 2, 2], [2, 2, 2])


@pytest.mark.parametrize("weights", WEIGHTS)
def test_kappa_single_used_category_with_categories_is_undefined(weights: str | None) -> None:
    with pytest.raises(ValueError, match="undefined: both raters used only one category"):
        cohen_kappa([2, 2, 2], [2, 2, 2], weights, categories=range(4))


def test_kappa_unknown_weights() -> None:
    with pytest.raises(ValueError, match="weights must be None, 'linear' or 'quadratic'"):
        cohen_kappa([0, 1], [0, 1], weights="cubic")  # type: ignore[arg-type]


def test_kappa_rating_outside_categories() -> None:
    with pytest.raises(ValueError, match=r"ratings not in categories: \['4'\]"):
        cohen_kappa([0, 1, 4], [0, 1, 1], categories=range(4))


def test_kappa_duplicate_categories() -> None:
    with pytest.raises(ValueError, match="duplicates"):
        cohen_kappa([0, 1], [0, 1], categories=[0, 1, 1])


def test_kappa_single_category_list() -> None:
    with pytest.raises(ValueError, match="at least 2 categories"):
        cohen_kappa([0, 0], [0, 0], categories=[0])


def test_kappa_unsortable_labels() -> None:
    with pytest.raises(ValueError, match="pass categories="):
        cohen_kappa([0, "a"], ["a", 0])


class TestBadIcc:
    def test_missing_values(self) -> None:
        with pytest.raises(ValueError, match="missing values"):
            icc_a1([[1, 2], [np.nan, 3], [2, 2]])

    def test_one_target(self) -> None:
        with pytest.raises(ValueError, match="at least 2 targets"):
            icc_a1([[1, 2, 3]])

    def test_one_rater(self) -> None:
        with pytest.raises(ValueError, match="at least 2 raters"):
            icc_a1([[1], [2], [3]])

    def test_empty(self) -> None:
        with pytest.raises(ValueError, match="2-D"):
            icc_a1([])

    def test_identical_ratings(self) -> None:
        with pytest.raises(ValueError, match="all ratings are identical"):
            icc_a1([[4, 4], [4, 4], [4, 4]])

    def test_zero_denominator(self) -> None:
        # 2 x 2 with no target or rater effect: only residual variance, denominator 0
        with pytest.raises(ValueError, match="denominator is 0"):
            icc_a1([[0, 1], [1, 0]])

    def test_non_numeric(self) -> None:
        with pytest.raises(ValueError, match="numeric"):
            icc_a1([["a", "b"], ["c", "d"]])

    def test_not_2d(self) -> None:
        with pytest.raises(ValueError, match="2-D"):
            icc_a1([1, 2, 3])
