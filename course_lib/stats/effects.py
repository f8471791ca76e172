"""Effect sizes and their fixed-effect (inverse-variance) meta-analytic combination.

* :func:`d_to_r` and :func:`probability_of_superiority` translate a standardized mean
  difference *d* into a correlation and a "common language" probability;
* :func:`fixed_effect` pools study estimates with inverse-variance weights and reports
  the 95% normal-theory confidence interval, Cochran's Q and I^2.

Only the standard library and NumPy are used (the normal distribution is
:class:`statistics.NormalDist`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["FixedEffect", "d_to_r", "fixed_effect", "probability_of_superiority"]

_STANDARD_NORMAL = NormalDist()
#: Two-sided 95% critical value of the standard normal (1.959963984540054).
_Z_95 = _STANDARD_NORMAL.inv_cdf(0.975)


def _finite_number(value: float, name: str) -> float:
    """``value`` as a float; ValueError if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def d_to_r(d: float) -> float:
    """Point-biserial r equivalent of Cohen's d for two equal-sized groups.

    ``r = d / sqrt(d**2 + 4)``; e.g. d = .82 gives r = .38.
    """
    x = _finite_number(d, "d")
    return x / math.sqrt(x * x + 4.0)


def probability_of_superiority(d: float) -> float:
    """Probability that a random member of the better group outscores one of the other.

    ``Phi(d / sqrt(2))`` under normality with equal variances (McGraw & Wong's common
    language effect size); e.g. d = .82 gives .72.
    """
    x = _finite_number(d, "d")
    return _STANDARD_NORMAL.cdf(x / math.sqrt(2.0))


@dataclass(frozen=True)
class FixedEffect:
    """Result of a fixed-effect (inverse-variance) meta-analysis.

    ``weights`` are the studies' *relative* weights ``(1 / v_i) / sum(1 / v_j)``, in input
    order (they sum to 1; multiply by 100 for the "% weight" column of a forest plot).
    ``i2`` is in percent and floored at 0.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    q: float
    df: int
    i2: float
    weights: tuple[float, ...]


def _finite_vector(values: Iterable[float], name: str) -> NDArray[np.float64]:
    """``values`` as a 1-D float array; ValueError unless it is 1-D, numeric and finite."""
    try:
        arr = np.asarray(values if not isinstance(values, Iterable) else list(values))
    except ValueError:
        raise ValueError(f"{name} must be a flat sequence of numbers") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a flat (1-D) sequence of numbers, got shape {arr.shape}")
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must contain only numbers, got values of dtype {arr.dtype}")
    out = arr.astype(np.float64)
    if not np.isfinite(out).all():
        raise ValueError(f"{name} must be finite numbers (no NaN or infinity)")
    return out


def fixed_effect(estimates: Iterable[float], variances: Iterable[float]) -> FixedEffect:
    """Pool study ``estimates`` with inverse-variance weights (fixed-effect model).

    ``variances`` are the squared standard errors of the estimates, in the same order.
    Returns the pooled estimate, its standard error ``sqrt(1 / sum(w))``, the 95% normal
    confidence interval, Cochran's ``Q = sum(w * (y - estimate)**2)`` on ``df = k - 1``,
    ``I^2 = max(0, (Q - df) / Q) * 100`` (0 when Q is 0, e.g. a single study) and the
    relative weights.

    Raises ValueError for: different lengths, no studies, non-numeric or non-finite values,
    and variances that are not positive.
    """
    y = _finite_vector(estimates, "estimates")
    v = _finite_vector(variances, "variances")
    if y.size != v.size:
        raise ValueError(f"got {y.size} estimates but {v.size} variances; they must pair up")
    if y.size == 0:
        raise ValueError("need at least 1 study, got none")
    if (v <= 0).any():
        bad = int(np.flatnonzero(v <= 0)[0])
        raise ValueError(f"variances must be positive; variances[{bad}] is {v[bad]}")
    w = 1.0 / v
    w_sum = float(w.sum())
    estimate = float((w * y).sum() / w_sum)
    se = math.sqrt(1.0 / w_sum)
    q = float((w * (y - estimate) ** 2).sum())
    df = int(y.size - 1)
    i2 = max(0.0, (q - df) / q) * 100.0 if q > 0 else 0.0
    return FixedEffect(
        estimate=estimate,
        se=se,
        ci_low=estimate - _Z_95 * se,
        ci_high=estimate + _Z_95 * se,
        q=q,
        df=df,
        i2=i2,
        weights=tuple(float(x) for x in w / w_sum),
    )
