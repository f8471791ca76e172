"""course_lib.stats.reliability against pingouin (alpha) and scipy (corrected item-total r)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy.stats import pearsonr

from course_lib.stats import corrected_item_total, cronbach_alpha

TOL = 1e-9
SEEDS = range(8)


def _scale_data(seed: int, missing: bool) -> np.ndarray:
    """A respondents x items table of 1-5 Likert answers driven by one latent trait."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(15, 80))
    k = int(rng.integers(2, 9))
    latent = rng.normal(size=(n, 1))
    loadings = rng.uniform(0.2, 1.2, size=(1, k))
    raw = latent * loadings + rng.normal(size=(n, k))
    data = np.clip(np.round(raw + 3), 1, 5)
    if missing:
        holes = rng.random(size=(n, k)) < 0.08
        holes[:2] = False  # keep at least two complete rows
        data[holes] = np.nan
    return data


def _pingouin_alpha(data: np.ndarray) -> float:
    with warnings.catch_warnings():
        # pingouin on pandas 3: narrow, reference-library-only deprecation notice
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pingouin")
        return float(pg.cronbach_alpha(pd.DataFrame(data), nan_policy="listwise")[0])


def _reference_item_total(data: np.ndarray) -> np.ndarray:
    complete = data[~np.isnan(data).any(axis=1)]
    out = []
    for j in range(complete.shape[1]):
        rest = np.delete(complete, j, axis=1).sum(axis=1)
        out.append(pearsonr(complete[:, j], rest).statistic)
    return np.array(out)


# --- hand-checkable example --------------------------------------------------------------

HAND = [[1, 1], [2, 3], [3, 2]]  # item variances 1 and 1; totals 2, 5, 5 have variance 3


def test_alpha_hand_example() -> None:
    assert cronbach_alpha(HAND) == pytest.approx(2 * (1 - 2 / 3), abs=TOL)  # = 2/3


def test_item_total_hand_example() -> None:
    # with two items the rest score is the other item: r([1,2,3], [1,3,2]) = 0.5
    np.testing.assert_allclose(corrected_item_total(HAND), [0.5, 0.5], atol=TOL)


def test_parallel_items_give_alpha_one() -> None:
    assert cronbach_alpha([[1, 2, 3], [2, 3, 4], [3, 4, 5]]) == pytest.approx(1.0, abs=TOL)


# --- against the reference implementations ----------------------------------------------


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_alpha_matches_pingouin_listwise(seed: int, missing: bool) -> None:
    data = _scale_data(seed, missing)
    assert cronbach_alpha(data) == pytest.approx(_pingouin_alpha(data), abs=TOL)


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_item_total_matches_scipy_pearsonr(seed: int, missing: bool) -> None:
    data = _scale_data(seed, missing)
    result = corrected_item_total(data)
    assert result.shape == (data.shape[1],)
    np.testing.assert_allclose(result, _reference_item_total(data), rtol=0, atol=TOL)


def test_listwise_deletion_uses_complete_rows_only() -> None:
    data = _scale_data(3, missing=True)
    complete = data[~np.isnan(data).any(axis=1)]
    assert complete.shape[0] < data.shape[0]
    assert cronbach_alpha(data) == pytest.approx(cronbach_alpha(complete), abs=TOL)
    np.testing.assert_allclose(corrected_item_total(data), corrected_item_total(complete))


def test_accepts_dataframe_and_none_as_missing() -> None:
    rows = [[1, 2, 2], [2, None, 3], [3, 3, 4], [4, 5, 4], [2, 2, 1]]
    as_nan = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    expected = cronbach_alpha(as_nan)
    assert cronbach_alpha(rows) == pytest.approx(expected, abs=TOL)
    assert cronbach_alpha(pd.DataFrame(as_nan, columns=list("abc"))) == pytest.approx(
        expected, abs=TOL
    )


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("func", [cronbach_alpha, corrected_item_total])
class TestBadInput:
    def test_fewer_than_two_items(self, func) -> None:
        with pytest.raises(ValueError, match="at least 2 items"):
            func([[1], [2], [3]])

    def test_fewer_than_two_complete_rows(self, func) -> None:
        with pytest.raises(ValueError, match="at least 2 complete rows.*1 of 3"):
            func([[1, 2], [np.nan, 3], [2, np.nan]])

    def test_no_rows(self, func) -> None:
        with pytest.raises(ValueError, match="at least 2 complete rows"):
            func(np.empty((0, 3)))

    def test_non_numeric(self, func) -> None:
        with pytest.raises(ValueError, match="must be numeric"):
            func([["a", "b"], ["c", "d"]])

    def test_non_numeric_mixed(self, func) -> None:
        with pytest.raises(ValueError, match="non-numeric value 'x'"):
            func([[1, 2], [3, "x"], [2, None]])

    def test_one_dimensional(self, func) -> None:
        with pytest.raises(ValueError, match="must be 2-D"):
            func([1, 2, 3, 4])

    def test_three_dimensional(self, func) -> None:
        with pytest.raises(ValueError, match="must be 2-D"):
            func(np.ones((3, 2, 2)))

    def test_ragged(self, func) -> None:
        with pytest.raises(ValueError, match="rectangular"):
            func([[1, 2, 3], [1, 2]])

    def test_infinite(self, func) -> None:
        with pytest.raises(ValueError, match="infinite"):
            func([[1, 2], [2, np.inf], [3, 1]])

    def test_zero_total_variance(self, func) -> None:
        with pytest.raises(ValueError, match="zero variance"):
            func([[3, 3, 3], [3, 3, 3], [3, 3, 3]])

    def test_zero_total_variance_with_varying_items(self, func) -> None:
        # the items vary but always sum to 6
        with pytest.raises(ValueError, match="total score has zero variance"):
            func([[1, 5], [2, 4], [3, 3]])


def test_item_total_constant_item() -> None:
    with pytest.raises(ValueError, match="item 1 has zero variance"):
        corrected_item_total([[1, 4, 2], [2, 4, 3], [3, 4, 3]])


def test_item_total_constant_rest_score() -> None:
    # item 0 varies, but items 1 + 2 always sum to 5
    with pytest.raises(ValueError, match="rest score of item 0"):
        corrected_item_total([[1, 2, 3], [2, 4, 1], [3, 1, 4]])
