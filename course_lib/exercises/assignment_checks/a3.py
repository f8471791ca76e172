"""Assignment 3 (where to start): public effect sizes, illustrative studies and their checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises.assignment_checks._common import (
    call_safely,
    fmt,
    mapping_problems,
    result_of,
    same,
)

#: A3: the two meta-analytic effects (reference sheet, section 3).
META_ANALYSES: dict[str, float] = {
    "Beutler et al. (2011): k = 12, N = 1,102": 0.82,
    "Beutler et al. (2018): k = 13, N = 1,208": 0.79,
}
A3_EXAMPLE_R: dict[float, float] = {0.82: 0.3793532811354438, 0.79: 0.3673782850838043}
A3_EXAMPLE_SUPERIORITY: dict[float, float] = {0.82: 0.7189845450777197, 0.79: 0.7117875302452032}

#: A3 illustrative dataset: MADE-UP studies for practising the calculation. They are NOT
#: the studies of either meta-analysis.
A3_ILLUSTRATIVE_STUDIES: tuple[dict[str, Any], ...] = (
    {"study": "Illustrative study 1 (made up)", "d": 0.95, "variance": 0.090},
    {"study": "Illustrative study 2 (made up)", "d": 0.60, "variance": 0.045},
    {"study": "Illustrative study 3 (made up)", "d": 1.10, "variance": 0.120},
    {"study": "Illustrative study 4 (made up)", "d": 0.45, "variance": 0.060},
    {"study": "Illustrative study 5 (made up)", "d": 0.80, "variance": 0.030},
)
A3_EXAMPLE_POOLED: dict[str, float] = {
    "estimate": 0.7333333333333335,
    "se": 0.1044465935734187,
    "ci_low": 0.5286217716215402,
    "ci_high": 0.9380448950451268,
}
POOLED_KEYS: tuple[str, ...] = ("estimate", "se", "ci_low", "ci_high")

STANCES: tuple[str, ...] = ("self_directed", "collaborative", "structured")


def _check_conversion(
    function: Callable[[float], Any], name: str, want: Mapping[float, float], hint: str
) -> CheckResult:
    title = f"{name} on the two meta-analytic d values"
    problems = []
    for d, value in want.items():
        ok, got = call_safely(function, d)
        if not ok:
            problems.append(f"{name}({d}): {got}")
        elif not same(got, value):
            problems.append(f"{name}({d}) gave {fmt(got)}; it should be {fmt(value)}")
    return result_of(title, problems, "Both match the reference sheet's values.", hint)


def check_d_to_r(function: Callable[[float], Any]) -> CheckResult:
    """A3: ``d_to_r`` on d = .82 and .79 (the sheet gives r = .38 and .37)."""
    return _check_conversion(
        function, "d_to_r", A3_EXAMPLE_R, "For two equal-sized groups, r = d / sqrt(d**2 + 4)."
    )


def check_probability_of_superiority(function: Callable[[float], Any]) -> CheckResult:
    """A3: ``probability_of_superiority`` on d = .82 and .79 (the sheet: 72% and 71%)."""
    return _check_conversion(
        function,
        "probability_of_superiority",
        A3_EXAMPLE_SUPERIORITY,
        "Use the standard normal CDF at d / sqrt(2), as a proportion (0-1), e.g. with "
        "statistics.NormalDist().cdf.",
    )


def check_pool_fixed(function: Callable[[list[dict]], Any]) -> CheckResult:
    """A3: ``pool_fixed`` on the public illustrative (made-up) dataset."""
    ok, got = call_safely(function, [dict(s) for s in A3_ILLUSTRATIVE_STUDIES])
    title = "pool_fixed on the illustrative studies"
    hint = (
        "Weights are 1 / variance; the estimate is the weighted mean of d; se = sqrt(1 / sum "
        "of weights); the 95% interval is estimate -/+ 1.96 se."
    )
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    return result_of(
        title,
        mapping_problems(got, A3_EXAMPLE_POOLED),
        "The illustrative dataset pools as in the worked example.",
        hint,
    )


def check_opening_stances(value: Any, case_ids: Sequence[str]) -> CheckResult:
    """A3: one valid stance id per case of the student's ``case_ids`` (the choices
    themselves are graded later)."""
    title = "opening_stance has one stance per case"
    if not isinstance(value, Mapping):
        return CheckResult(
            False, title, f"opening_stance should be a dict, not {type(value).__name__}."
        )
    problems = []
    missing = [c for c in case_ids if c not in value]
    extra = [str(c) for c in value if c not in case_ids]
    if missing:
        problems.append(f"cases missing: {', '.join(missing)}")
    if extra:
        problems.append(f"not one of your {len(case_ids)} cases: {', '.join(extra)}")
    for case_id, stance in value.items():
        if stance not in STANCES:
            problems.append(f"{case_id}: {stance!r} is not one of {', '.join(STANCES)}")
    if problems:
        return CheckResult(
            False, title, "Use your case ids and the three stance ids.", tuple(problems)
        )
    return CheckResult(
        True,
        title,
        f"Your {len(case_ids)} cases, each with a valid stance. Whether they fit the cases is "
        "graded after you submit.",
    )
