"""Pure statistics for the course: reliability, rater agreement and effect sizes.

Every function takes plain numbers (lists, NumPy arrays or DataFrames), returns plain
floats, arrays or a frozen dataclass, and raises ``ValueError`` on degenerate input.
Only NumPy and the standard library are imported.
"""

from __future__ import annotations

from course_lib.stats.agreement import cohen_kappa, icc_a1, percent_agreement
from course_lib.stats.effects import (
    FixedEffect,
    d_to_r,
    fixed_effect,
    probability_of_superiority,
)
from course_lib.stats.reliability import corrected_item_total, cronbach_alpha

__all__ = [
    "FixedEffect",
    "cohen_kappa",
    "corrected_item_total",
    "cronbach_alpha",
    "d_to_r",
    "fixed_effect",
    "icc_a1",
    "percent_agreement",
    "probability_of_superiority",
]
