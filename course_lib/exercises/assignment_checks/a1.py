"""Assignment 1 (scoring the practice inventory): public worked examples and their checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises.assignment_checks._common import (
    as_number,
    call_safely,
    fmt,
    mapping_problems,
    result_of,
    same,
    statistic_check,
)

#: The practice inventory's item ids and facets (public: they are in the inventory file).
ITEM_IDS: tuple[str, ...] = tuple(f"i{n:02d}" for n in range(1, 13))
FACET_IDS: tuple[str, ...] = (
    "restricted_choice",
    "advice_persuasion",
    "rules_pressure",
    "independent_judgement",
)

#: A1 worked example 1: one answer missing (i05), within the missing-answer rule.
A1_EXAMPLE: dict[str, int | None] = {
    "i01": 4, "i02": 3, "i03": 5, "i04": 2, "i05": None, "i06": 2,
    "i07": 1, "i08": 4, "i09": 3, "i10": 5, "i11": 4, "i12": 2,
}  # fmt: skip
#: A1 worked example 2: two answers missing in the same facet (i03 and i07).
A1_EXAMPLE_2: dict[str, int | None] = {
    "i01": 2, "i02": 1, "i03": None, "i04": 3, "i05": 2, "i06": 4,
    "i07": None, "i08": 2, "i09": 5, "i10": 2, "i11": 1, "i12": 4,
}  # fmt: skip

#: The worked examples' answers (public; shown by the checks).
A1_EXAMPLE_REVERSED: dict[str, int | None] = {
    "i01": 4, "i02": 3, "i03": 5, "i04": 2, "i05": None, "i06": 4,
    "i07": 5, "i08": 4, "i09": 3, "i10": 5, "i11": 4, "i12": 4,
}  # fmt: skip
A1_EXAMPLE_2_REVERSED: dict[str, int | None] = {
    "i01": 2, "i02": 1, "i03": None, "i04": 3, "i05": 2, "i06": 2,
    "i07": None, "i08": 2, "i09": 1, "i10": 2, "i11": 1, "i12": 2,
}  # fmt: skip
A1_EXAMPLE_FACETS: dict[str, float | None] = {
    "restricted_choice": 3.5,
    "advice_persuasion": 4.0,
    "rules_pressure": 14 / 3,
    "independent_judgement": 10 / 3,
}
A1_EXAMPLE_2_FACETS: dict[str, float | None] = {
    "restricted_choice": 5 / 3,
    "advice_persuasion": 5 / 3,
    "rules_pressure": None,
    "independent_judgement": 7 / 3,
}
A1_EXAMPLE_TOTAL: float | None = 43 / 11
A1_EXAMPLE_2_TOTAL: float | None = None
#: Public banding examples: total mean -> band.
A1_BAND_EXAMPLES: dict[float, str] = {1.8: "low", 3.0: "mid", 4.6: "high"}
#: A1 worked example for facet means: three respondents' facet scores (the first two are
#: the worked examples' facet scores above) and the mean of each facet across them.
A1_EXAMPLE_3_FACETS: dict[str, float | None] = {
    "restricted_choice": 3.0,
    "advice_persuasion": None,
    "rules_pressure": 2.5,
    "independent_judgement": 4.0,
}
A1_FACET_SCORES_EXAMPLE: tuple[dict[str, float | None], ...] = (
    A1_EXAMPLE_FACETS,
    A1_EXAMPLE_2_FACETS,
    A1_EXAMPLE_3_FACETS,
)
A1_EXAMPLE_FACET_MEANS: dict[str, float | None] = {
    "restricted_choice": 49 / 18,
    "advice_persuasion": 17 / 6,
    "rules_pressure": 43 / 12,
    "independent_judgement": 29 / 9,
}
#: A1 worked example for Cronbach's alpha: six made-up respondents x four items, already
#: reverse keyed and complete, and their alpha.
A1_ALPHA_EXAMPLE: tuple[tuple[int, ...], ...] = (
    (4, 3, 4, 5),
    (2, 2, 3, 2),
    (3, 4, 3, 3),
    (5, 4, 5, 4),
    (1, 2, 1, 2),
    (3, 3, 4, 3),
)
A1_EXAMPLE_ALPHA = 0.9207977207977207

BANDS: tuple[str, ...] = ("low", "mid", "high")


def check_reverse_keyed(function: Callable[[dict], Any]) -> CheckResult:
    """A1: ``reverse_keyed`` on the public worked examples."""
    title = "reverse_keyed on the worked examples"
    problems: list[str] = []
    for name, example, want in (
        ("example 1", A1_EXAMPLE, A1_EXAMPLE_REVERSED),
        ("example 2", A1_EXAMPLE_2, A1_EXAMPLE_2_REVERSED),
    ):
        ok, got = call_safely(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
            continue
        problems += [f"{name}: {p}" for p in mapping_problems(got, want, integers=True)]
    return result_of(
        title,
        problems,
        "Both worked examples come out right.",
        "Return a new dict with every item id: reverse-keyed items (i06, i07, i09, i12) "
        "become 6 - x, the others stay as they are, and a missing answer stays None.",
    )


def check_score_facets(function: Callable[[dict], Any]) -> CheckResult:
    """A1: ``score_facets`` on the public worked examples."""
    problems: list[str] = []
    for name, example, want in (
        ("example 1", A1_EXAMPLE, A1_EXAMPLE_FACETS),
        ("example 2", A1_EXAMPLE_2, A1_EXAMPLE_2_FACETS),
    ):
        ok, got = call_safely(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
            continue
        problems += [f"{name}: {p}" for p in mapping_problems(got, want)]
    return result_of(
        "score_facets on the worked examples",
        problems,
        "Both worked examples come out right.",
        "Each facet score is the mean of its answered items after reverse keying; a facet "
        "with more missing items than the rule allows is None.",
    )


def check_score_total(function: Callable[[dict], Any]) -> CheckResult:
    """A1: ``score_total`` on the public worked examples."""
    problems: list[str] = []
    for name, example, want in (
        ("example 1", A1_EXAMPLE, A1_EXAMPLE_TOTAL),
        ("example 2", A1_EXAMPLE_2, A1_EXAMPLE_2_TOTAL),
    ):
        ok, got = call_safely(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
        elif not same(got, want):
            problems.append(f"{name}: you gave {fmt(got)}, the worked example gives {fmt(want)}")
    return result_of(
        "score_total on the worked examples",
        problems,
        "Both worked examples come out right.",
        "The total is the mean of all answered items after reverse keying, and None when "
        "the rule says the total is not scorable (read both conditions of the rule).",
    )


def check_band_for(function: Callable[[float], Any]) -> CheckResult:
    """A1: ``band_for`` on public example totals (none of them on a boundary)."""
    problems: list[str] = []
    for total, want in A1_BAND_EXAMPLES.items():
        ok, got = call_safely(function, total)
        if not ok:
            problems.append(f"band_for({total}): {got}")
        elif got not in BANDS:
            problems.append(f"band_for({total}) gave {got!r}: use 'low', 'mid' or 'high'")
        elif got != want:
            problems.append(f"band_for({total}) gave {got!r}; the worked example gives {want!r}")
    return result_of(
        "band_for on example totals",
        problems,
        "The example totals land in the right bands. Check your boundaries against the "
        "bands' lower and upper limits yourself: the examples avoid them.",
        "Use the bands in the inventory file: each holds lower <= mean < upper, and the top "
        "band also holds the scale maximum.",
    )


def check_mean_facet_scores(function: Callable[[list], Any]) -> CheckResult:
    """A1: ``mean_facet_scores`` on the public worked example (three respondents)."""
    ok, got = call_safely(function, [dict(scores) for scores in A1_FACET_SCORES_EXAMPLE])
    hint = (
        "For each facet, average the scores that are not None (leave the others out, do not "
        "count them as 0); a facet that nobody has a score for is None."
    )
    title = "mean_facet_scores on the worked example"
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    return result_of(
        title,
        mapping_problems(got, A1_EXAMPLE_FACET_MEANS),
        "The worked example comes out right.",
        hint,
    )


def check_cronbach_alpha(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A1: ``cronbach_alpha`` on the public worked example (six respondents, four items)."""
    return statistic_check(
        function,
        "cronbach_alpha",
        A1_EXAMPLE_ALPHA,
        "Use k / (k - 1) * (1 - sum of the item variances / variance of the total scores), "
        "with sample variances, where the total is each respondent's sum over the items.",
        [list(row) for row in A1_ALPHA_EXAMPLE],
        "the worked example",
    )


def check_facet_means(value: Any) -> CheckResult:
    """A1: ``facet_means`` has one mean per facet, each on the 1-5 scale (value not checked)."""
    title = "facet_means has the right shape"
    if not isinstance(value, Mapping):
        return CheckResult(
            False, title, f"facet_means should be a dict, not {type(value).__name__}."
        )
    problems = []
    if set(value) != set(FACET_IDS):
        problems.append(f"keys should be exactly: {', '.join(FACET_IDS)}")
    for key, mean in value.items():
        number = as_number(mean)
        if number is None or not 1 <= number <= 5:
            problems.append(f"{key}: {mean!r} is not a mean on the 1-5 scale")
    if problems:
        return CheckResult(False, title, "One mean per facet, as numbers.", tuple(problems))
    return CheckResult(
        True, title, "Four facet means on the 1-5 scale. The values are graded after you submit."
    )


def check_alpha(value: Any) -> CheckResult:
    """A1: ``alpha`` is a number in (0, 1] (the value itself is not checked)."""
    title = "alpha is a plausible number"
    number = as_number(value)
    if number is None:
        return CheckResult(False, title, f"alpha should be a single number, not {value!r}.")
    if number > 1:
        return CheckResult(
            False, title, "Cronbach's alpha cannot exceed 1. Check the item and total variances."
        )
    if number <= 0:
        return CheckResult(
            False,
            title,
            "An alpha at or below 0 means the items do not hang together at all. Did you "
            "reverse-key the four reverse-keyed items and keep only complete rows?",
        )
    return CheckResult(
        True,
        title,
        "alpha is a number between 0 and 1. This check does not know the right value: the "
        "value is graded after you submit.",
    )
