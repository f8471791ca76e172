"""Inter-rater agreement: percent agreement, Cohen's kappa (optionally weighted) and ICC(A,1).

``a`` and ``b`` are the two raters' category labels for the same targets, in the same
order. ``ratings`` for the ICC is a targets x raters table of numbers. Missing ratings are
not allowed anywhere here: drop the incomplete targets first. Degenerate input raises
``ValueError`` saying why; nothing returns NaN silently.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Literal

import numpy as np

from course_lib.stats.reliability import _numeric_matrix

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["cohen_kappa", "icc_a1", "percent_agreement"]

KappaWeights = Literal["linear", "quadratic"]

_WEIGHT_CHOICES: tuple[KappaWeights | None, ...] = (None, "linear", "quadratic")


def _labels(values: Iterable[Hashable], name: str) -> list[Hashable]:
    """``values`` as a list of hashable labels; ValueError for strings, nesting or missing."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{name} must be a sequence of ratings, not a single string")
    out: list[Hashable] = []
    for i, value in enumerate(values):
        if isinstance(value, np.generic):
            value = value.item()
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise ValueError(
                f"{name}[{i}] is missing; agreement needs both ratings for every target "
                "(drop the incomplete targets first)"
            )
        if isinstance(value, list | tuple | set | dict | np.ndarray):
            raise ValueError(f"{name} must be 1-D (one label per target); {name}[{i}] is not")
        try:
            hash(value)
        except TypeError:
            raise ValueError(f"{name}[{i}] ({value!r}) cannot be used as a category") from None
        out.append(value)
    return out


def _paired(a: Iterable[Hashable], b: Iterable[Hashable]) -> tuple[list[Hashable], list[Hashable]]:
    """Both raters' labels, checked to be non-empty and of equal length."""
    xa, xb = _labels(a, "a"), _labels(b, "b")
    if len(xa) != len(xb):
        raise ValueError(f"a and b must rate the same targets: got {len(xa)} and {len(xb)} ratings")
    if not xa:
        raise ValueError("no ratings: a and b are empty")
    return xa, xb


def percent_agreement(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Proportion (0-1) of targets on which raters ``a`` and ``b`` gave the same label."""
    xa, xb = _paired(a, b)
    return sum(u == v for u, v in zip(xa, xb, strict=True)) / len(xa)


def _category_list(
    xa: list[Hashable], xb: list[Hashable], categories: Iterable[Hashable] | None
) -> list[Hashable]:
    """The ordered category set: ``categories`` (validated) or the sorted observed labels."""
    observed = set(xa) | set(xb)
    if categories is None:
        try:
            cats: list[Hashable] = sorted(observed)  # type: ignore[type-var]
        except TypeError:
            raise ValueError(
                "the labels cannot be sorted into an order; pass categories= explicitly"
            ) from None
        if len(cats) < 2:
            raise ValueError(
                f"Cohen's kappa is undefined: both raters used only one category "
                f"({cats[0]!r}), so chance agreement is already 1"
            )
        return cats
    cats = _labels(categories, "categories")
    if len(set(cats)) != len(cats):
        raise ValueError(f"categories contains duplicates: {cats!r}")
    if len(cats) < 2:
        raise ValueError(f"categories must list at least 2 categories, got {cats!r}")
    unknown = observed - set(cats)
    if unknown:
        raise ValueError(f"ratings not in categories: {sorted(map(repr, unknown))}")
    return cats


def cohen_kappa(
    a: Iterable[Hashable],
    b: Iterable[Hashable],
    weights: KappaWeights | None = None,
    categories: Iterable[Hashable] | None = None,
) -> float:
    """Cohen's kappa between two raters, unweighted or with linear/quadratic weights.

    ``kappa = 1 - sum(w * observed) / sum(w * expected)`` over the category x category
    table, where ``expected`` comes from the raters' marginals and the disagreement weight
    ``w`` is ``i != j`` (unweighted), ``|i - j|`` (linear) or ``(i - j) ** 2`` (quadratic),
    with ``i, j`` the *positions* of the categories in the ordered category set.

    ``categories`` fixes that ordered set (e.g. ``range(4)`` for 0-3 ratings) so that the
    weights are right even when a category is never used; by default it is the sorted union
    of the observed labels. This matches ``sklearn.metrics.cohen_kappa_score(labels=...)``.

    Raises ValueError for: different lengths, empty input, missing labels, an unknown
    ``weights`` value, labels outside ``categories``, and a single category (both raters
    always gave the same one label, so chance agreement is 1 and kappa is undefined).
    """
    if weights not in _WEIGHT_CHOICES:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    xa, xb = _paired(a, b)
    cats = _category_list(xa, xb, categories)
    position = {c: i for i, c in enumerate(cats)}
    m = len(cats)
    observed = np.zeros((m, m), dtype=np.float64)
    np.add.at(observed, ([position[v] for v in xa], [position[v] for v in xb]), 1.0)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / len(xa)
    idx = np.arange(m, dtype=np.float64)
    distance = np.abs(idx[:, None] - idx[None, :])
    if weights is None:
        w = (distance > 0).astype(np.float64)
    elif weights == "linear":
        w = distance
    else:
        w = distance**2
    expected_disagreement = float((w * expected).sum())
    if expected_disagreement == 0.0:
        raise ValueError(
            f"Cohen's kappa is undefined: both raters used only one category "
            f"({xa[0]!r}), so chance agreement is already 1"
        )
    return float(1.0 - (w * observed).sum() / expected_disagreement)


def icc_a1(ratings: ArrayLike) -> float:
    """ICC(A,1): two-way random effects, absolute agreement, single rater.

    This is McGraw & Wong's (1996) ICC(A,1), the same coefficient as Shrout & Fleiss's
    (1979) ICC(2,1)::

        (MSR - MSE) / (MSR + (k - 1) * MSE + k * (MSC - MSE) / n)

    with MSR, MSC and MSE the targets (rows), raters (columns) and residual mean squares of
    the two-way ANOVA without replication, ``n`` targets and ``k`` raters.

    ``ratings`` is a targets x raters table of numbers with no missing values. Raises
    ValueError for: non-numeric or non-2-D input, missing values, fewer than 2 targets or
    raters, and all-identical ratings (or any table where the ICC's denominator is 0).
    """
    x = _numeric_matrix(ratings, "ratings")
    n, k = x.shape
    if np.isnan(x).any():
        raise ValueError(
            "ratings contains missing values; ICC(A,1) needs every rater to rate every "
            "target (drop the incomplete targets first)"
        )
    if n < 2:
        raise ValueError(f"need at least 2 targets (rows), got {n}")
    if k < 2:
        raise ValueError(f"need at least 2 raters (columns), got {k}")
    if np.ptp(x) == 0:
        raise ValueError("all ratings are identical, so ICC(A,1) is undefined")
    grand = x.mean()
    row_means = x.mean(axis=1)
    col_means = x.mean(axis=0)
    msr = k * float(((row_means - grand) ** 2).sum()) / (n - 1)
    msc = n * float(((col_means - grand) ** 2).sum()) / (k - 1)
    resid = x - row_means[:, None] - col_means[None, :] + grand
    mse = float((resid**2).sum()) / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if denominator <= 1e-12 * (msr + msc + mse):
        raise ValueError(
            "ICC(A,1) is undefined for these ratings: the targets and raters show no "
            "variance of their own (the denominator is 0)"
        )
    return (msr - mse) / denominator
