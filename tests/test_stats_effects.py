"""course_lib.stats.effects against scipy (normal cdf, point-biserial r) and statsmodels."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.stats import norm, pearsonr
from statsmodels.stats.meta_analysis import combine_effects

from course_lib.stats import FixedEffect, d_to_r, fixed_effect, probability_of_superiority

TOL = 1e-9
SEEDS = range(8)
D_GRID = [-3.0, -1.2, -0.5, 0.0, 0.2, 0.5, 0.79, 0.8, 0.82, 1.0, 2.5, 4.0]


# --- d -> r and probability of superiority -----------------------------------------------


@pytest.mark.parametrize(("d", "r", "ps"), [(0.82, 0.38, 0.72), (0.79, 0.37, 0.71)])
def test_reference_sheet_numbers(d: float, r: float, ps: float) -> None:
    assert round(d_to_r(d), 2) == r
    assert round(probability_of_superiority(d), 2) == ps


@pytest.mark.parametrize("d", D_GRID)
def test_d_to_r_formula(d: float) -> None:
    assert d_to_r(d) == pytest.approx(d / math.sqrt(d**2 + 4), abs=TOL)
    assert d_to_r(-d) == pytest.approx(-d_to_r(d), abs=TOL)


@pytest.mark.parametrize("d", [0.3, 0.82, 1.7])
@pytest.mark.parametrize("seed", SEEDS)
def test_d_to_r_is_point_biserial_r_for_equal_groups(seed: int, d: float) -> None:
    # two equal groups with the same spread (SD 1, ddof=0) and means d apart
    rng = np.random.default_rng(seed)
    base = rng.normal(size=int(rng.integers(5, 60)))
    base = (base - base.mean()) / base.std()
    scores = np.concatenate([base, base + d])
    group = np.repeat([0.0, 1.0], base.size)
    assert d_to_r(d) == pytest.approx(pearsonr(group, scores).statistic, abs=TOL)


@pytest.mark.parametrize("d", D_GRID)
def test_probability_of_superiority_matches_scipy(d: float) -> None:
    expected = norm.cdf(d / math.sqrt(2))
    assert probability_of_superiority(d) == pytest.approx(expected, abs=TOL)


def test_probability_of_superiority_anchors() -> None:
    assert probability_of_superiority(0) == 0.5
    assert probability_of_superiority(np.float64(0.5)) == pytest.approx(
        norm.cdf(0.5 / math.sqrt(2)), abs=TOL
    )


@pytest.mark.parametrize("func", [d_to_r, probability_of_superiority])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (math.nan, "must be finite"),
        (math.inf, "must be finite"),
        ("0.5", "must be a real number"),
        (None, "must be a real number"),
        (True, "must be a real number"),
    ],
)
def test_effect_bad_d(func, bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        func(bad)


# --- fixed-effect meta-analysis ----------------------------------------------------------


def test_fixed_effect_hand_example() -> None:
    # weights 1/.01 = 100 and 1/.04 = 25: estimate (100*.2 + 25*.4) / 125 = .24
    res = fixed_effect([0.2, 0.4], [0.01, 0.04])
    assert res.estimate == pytest.approx(0.24, abs=TOL)
    assert res.se == pytest.approx(math.sqrt(1 / 125), abs=TOL)
    assert res.ci_low == pytest.approx(0.24 - 1.959963984540054 * math.sqrt(1 / 125), abs=TOL)
    assert res.ci_high == pytest.approx(0.24 + 1.959963984540054 * math.sqrt(1 / 125), abs=TOL)
    # Q = 100 * .04**2 + 25 * .16**2 = .8 < df = 1, so I^2 is floored at 0
    assert res.q == pytest.approx(0.8, abs=TOL)
    assert res.df == 1
    assert res.i2 == 0.0
    assert res.weights == pytest.approx((0.8, 0.2), abs=TOL)


def test_fixed_effect_heterogeneous_hand_example() -> None:
    res = fixed_effect([0.0, 1.0], [0.01, 0.01])
    assert res.estimate == pytest.approx(0.5, abs=TOL)
    assert res.q == pytest.approx(50.0, abs=TOL)  # 100 * .25 * 2
    assert res.i2 == pytest.approx(98.0, abs=TOL)  # (50 - 1) / 50


def test_fixed_effect_single_study() -> None:
    res = fixed_effect([0.3], [0.04])
    assert (res.estimate, res.se, res.q, res.df, res.i2) == pytest.approx(
        (0.3, 0.2, 0.0, 0, 0.0), abs=TOL
    )
    assert res.weights == (1.0,)


def test_fixed_effect_result_is_frozen() -> None:
    res = fixed_effect([0.2, 0.4], [0.01, 0.04])
    assert isinstance(res, FixedEffect)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.estimate = 0.0  # type: ignore[misc]


def _studies(seed: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 16))
    variances = rng.uniform(0.005, 0.2, size=k)
    estimates = rng.normal(0.4, spread, size=k) + rng.normal(size=k) * np.sqrt(variances)
    return estimates, variances


@pytest.mark.parametrize("spread", [0.0, 0.3])
@pytest.mark.parametrize("seed", SEEDS)
def test_fixed_effect_matches_statsmodels(seed: int, spread: float) -> None:
    estimates, variances = _studies(seed, spread)
    ref = combine_effects(estimates, variances, use_t=False)
    row = ref.summary_frame(use_t=False).loc["fixed effect"]
    res = fixed_effect(estimates.tolist(), variances.tolist())
    assert res.estimate == pytest.approx(row["eff"], abs=TOL)
    assert res.se == pytest.approx(row["sd_eff"], abs=TOL)
    assert res.ci_low == pytest.approx(row["ci_low"], abs=TOL)
    assert res.ci_high == pytest.approx(row["ci_upp"], abs=TOL)
    assert res.q == pytest.approx(ref.q, abs=TOL)
    assert res.df == ref.df_resid == len(estimates) - 1
    # statsmodels reports I^2 as an unfloored fraction; ours is percent floored at 0
    assert res.i2 == pytest.approx(max(0.0, ref.i2) * 100, abs=TOL)
    np.testing.assert_allclose(res.weights, ref.weights_rel_fe, rtol=0, atol=TOL)


def test_i2_floor_is_exercised() -> None:
    # homogeneous studies: statsmodels' I^2 is negative, ours is 0
    estimates = np.array([0.30, 0.31, 0.29, 0.30])
    variances = np.array([0.04, 0.05, 0.03, 0.04])
    ref = combine_effects(estimates, variances, use_t=False)
    assert ref.i2 < 0
    assert fixed_effect(estimates, variances).i2 == 0.0


@pytest.mark.parametrize(
    ("estimates", "variances", "message"),
    [
        ([0.1, 0.2], [0.01], "2 estimates but 1 variances"),
        ([], [], "at least 1 study"),
        ([0.1, 0.2], [0.01, 0.0], r"positive; variances\[1\] is 0.0"),
        ([0.1, 0.2], [-0.01, 0.02], r"positive; variances\[0\]"),
        ([0.1, math.nan], [0.01, 0.02], "estimates must be finite"),
        ([0.1, 0.2], [0.01, math.inf], "variances must be finite"),
        (["0.1", "0.2"], [0.01, 0.02], "estimates must contain only numbers"),
        ([0.1, None], [0.01, 0.02], "estimates must contain only numbers"),
        ([[0.1, 0.2]], [[0.01, 0.02]], "1-D"),
        ([[0.1, 0.2], [0.3]], [0.01, 0.02], "flat sequence"),
        (0.1, 0.01, "1-D"),
    ],
)
def test_fixed_effect_bad_input(estimates: object, variances: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fixed_effect(estimates, variances)  # type: ignore[arg-type]
