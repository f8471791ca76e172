"""Internal consistency of a multi-item scale: Cronbach's alpha and corrected item-total r.

``data`` is a respondents x items array-like of numbers (nested lists, a NumPy array or a
pandas DataFrame). Missing values (NaN, or ``None`` in a list) are handled by **listwise
deletion**: only complete rows (respondents who answered every item) are used, as in
``psych::alpha(use="complete.obs")`` or ``pingouin.cronbach_alpha(nan_policy="listwise")``.

Bad input raises ``ValueError`` with a message a student can act on; nothing returns NaN.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["corrected_item_total", "cronbach_alpha"]

#: Relative tolerance under which a computed spread counts as zero (rounding noise only).
_ZERO_TOL = 1e-12


def _numeric_matrix(data: ArrayLike, name: str) -> NDArray[np.float64]:
    """``data`` as a 2-D float array (NaN kept); ValueError if ragged, not 2-D or not numeric."""
    try:
        arr = np.asarray(data)
    except ValueError:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular 2-D table (every row the same length)"
        ) from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows x columns), got shape {arr.shape}")
    if arr.dtype.kind == "O":  # e.g. lists with None, or a mixed-type DataFrame
        values = list(arr.flat)
        bad = [v for v in values if v is not None and not isinstance(v, numbers.Real)]
        if bad:
            raise ValueError(f"{name} must be numeric; found non-numeric value {bad[0]!r}")
        arr = np.array([np.nan if v is None else float(v) for v in values]).reshape(arr.shape)
    elif arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got values of dtype {arr.dtype}")
    out = arr.astype(np.float64)
    if np.isinf(out).any():
        raise ValueError(f"{name} contains infinite values")
    return out


def _spread_is_zero(values: NDArray[np.float64], scale: float) -> bool:
    """True if ``values`` are all equal up to floating-point noise relative to ``scale``."""
    return bool(np.ptp(values) <= _ZERO_TOL * max(scale, np.finfo(float).tiny))


def _complete_items(data: ArrayLike) -> NDArray[np.float64]:
    """Validated respondents x items matrix restricted to complete rows (listwise deletion)."""
    x = _numeric_matrix(data, "data")
    n_rows, k = x.shape
    if k < 2:
        raise ValueError(f"need at least 2 items (columns), got {k}")
    complete = x[~np.isnan(x).any(axis=1)]
    if complete.shape[0] < 2:
        raise ValueError(
            f"need at least 2 complete rows (respondents with no missing item), got "
            f"{complete.shape[0]} of {n_rows} rows after listwise deletion"
        )
    total = complete.sum(axis=1)
    if _spread_is_zero(total, k * float(np.abs(complete).max())):
        raise ValueError(
            "the total score has zero variance (every complete respondent has the same "
            "total), so reliability is undefined"
        )
    return complete


def cronbach_alpha(data: ArrayLike) -> float:
    """Cronbach's alpha of a respondents x items table.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance(total score))``.
    Missing values are handled by listwise deletion (only complete rows are used).

    Raises ValueError for: fewer than 2 items, fewer than 2 complete rows, non-numeric or
    non-2-D input, or a total score with zero variance.
    """
    x = _complete_items(data)
    k = x.shape[1]
    item_variances = x.var(axis=0, ddof=1)
    total_variance = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1.0 - item_variances.sum() / total_variance))


def corrected_item_total(data: ArrayLike) -> NDArray[np.float64]:
    """Corrected item-total correlations: each item vs the sum of the *other* items.

    Returns a 1-D array with one Pearson r per item (column order kept). Missing values are
    handled by listwise deletion (only complete rows are used), the same rows for every item.

    Raises ValueError for the same input problems as :func:`cronbach_alpha`, and when an
    item or its rest score is constant (the correlation is then undefined).
    """
    x = _complete_items(data)
    k = x.shape[1]
    scale = float(np.abs(x).max())
    result = np.empty(k, dtype=np.float64)
    for j in range(k):
        item = x[:, j]
        rest = np.delete(x, j, axis=1).sum(axis=1)
        if np.ptp(item) == 0:
            raise ValueError(
                f"item {j} has zero variance among the complete rows; its item-total "
                "correlation is undefined"
            )
        if _spread_is_zero(rest, (k - 1) * scale):
            raise ValueError(
                f"the rest score of item {j} (sum of the other items) has zero variance; "
                "its item-total correlation is undefined"
            )
        dev_item = item - item.mean()
        dev_rest = rest - rest.mean()
        r = (dev_item @ dev_rest) / np.sqrt((dev_item @ dev_item) * (dev_rest @ dev_rest))
        result[j] = min(1.0, max(-1.0, float(r)))
    return result
