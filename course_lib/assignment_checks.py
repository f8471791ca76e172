"""Formative checks for the three graded assignments, run by students in their own kernel.

Each ``check_...`` returns a :class:`~course_lib.display.CheckResult` and never raises,
whatever the student's code does. None of them contains or computes a graded answer:

* a check of a *function* runs it on the PUBLIC worked example defined here (also shown in
  the notebook) and compares it with that example's answer, written out below as a
  literal. The grader tests the function on different, hidden inputs;
* a check of a *value* (alpha, facet means, stances) only tests its type, shape and
  range; the value itself is judged by the grader after submission.

There is deliberately no scoring or statistics code in this module: it cannot be used as
an oracle for inputs other than the public examples.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from course_lib.display import CheckResult

TOL = 1e-4
GRADED_LATER = "The grader tests it on other inputs after you submit."

# --------------------------------------------------------------------------- public data

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

#: A2: the assignment cases rated in the case scorer (ids only; their keys are not here).
A2_CASES: tuple[str, ...] = (
    "a01-emyr-hill-farm",
    "a02-jiwoo-first-winter",
    "a04-kerem-not-my-idea",
    "a06-ramon-night-shift",
)
A2_ANSWERS_FILE = "a2_cases.answers.json"

#: A2 public data, MADE UP for the exercise: two trainees' 0-3 ratings of the ten rubric
#: markers on two practice cases (rows 1-10 one case, rows 11-20 the other);
#: columns: trainee A, trainee B.
A2_RATINGS: tuple[tuple[int, int], ...] = (
    (2, 2), (0, 1), (1, 1), (3, 3), (0, 0), (0, 0), (1, 1), (0, 0), (0, 1), (0, 0),
    (0, 0), (0, 0), (0, 1), (1, 1), (0, 0), (3, 2), (2, 2), (3, 3), (2, 3), (1, 1),
)  # fmt: skip
A2_EXAMPLE_AGREEMENT = 0.75
A2_EXAMPLE_KAPPA = 0.8940677966101696
A2_EXAMPLE_ICC = 0.8988285410010648

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

#: A3: the assignment cases for the opening-stance question.
A3_STANCE_CASES: tuple[str, ...] = (
    "a03-akosua-list",
    "a04-kerem-not-my-idea",
    "a05-adaeze-terms",
    "a06-ramon-night-shift",
)
STANCES: tuple[str, ...] = ("self_directed", "collaborative", "structured")
BANDS: tuple[str, ...] = ("low", "mid", "high")


# --------------------------------------------------------------------------- helpers


def _number(value: Any) -> float | None:
    """``value`` as a finite float (numpy numbers included), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _same(got: Any, want: float | None) -> bool:
    if want is None:
        return got is None
    number = _number(got)
    return number is not None and abs(number - want) <= TOL


def _fmt(value: Any) -> str:
    number = _number(value)
    return f"{number:.4f}" if number is not None else repr(value)


def _call(function: Any, argument: Any) -> tuple[bool, Any]:
    """Call the student's function on a copy of a public example; never raise."""
    if not callable(function):
        return False, f"expected a function, got {type(function).__name__}"
    try:
        return True, function(copy.deepcopy(argument))
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return False, f"it raised {type(exc).__name__}: {str(exc)[:200]}"


def _mapping_problems(
    got: Any, want: Mapping[str, float | None], integers: bool = False
) -> list[str]:
    if not isinstance(got, Mapping):
        return [f"it returned {type(got).__name__}, not a dict"]
    problems = []
    missing = [k for k in want if k not in got]
    extra = [str(k) for k in got if k not in want]
    if missing:
        problems.append(f"keys missing: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected keys: {', '.join(extra)}")
    for key, value in want.items():
        if key not in got:
            continue
        mine = got[key]
        if (
            integers
            and mine is not None
            and (isinstance(mine, bool) or not isinstance(mine, numbers.Integral))
        ):
            problems.append(f"{key}: {mine!r} should be a whole number (or None)")
        elif not _same(mine, value):
            problems.append(f"{key}: you gave {_fmt(mine)}, the worked example gives {_fmt(value)}")
    return problems


def _result(title: str, problems: list[str], ok: str, hint: str) -> CheckResult:
    if problems:
        return CheckResult(False, title, hint, tuple(problems[:8]))
    return CheckResult(True, title, f"{ok} {GRADED_LATER}")


# --------------------------------------------------------------------------- A1


def check_reverse_keyed(function: Callable[[dict], Any]) -> CheckResult:
    """A1: ``reverse_keyed`` on the public worked examples."""
    title = "reverse_keyed on the worked examples"
    problems: list[str] = []
    for name, example, want in (
        ("example 1", A1_EXAMPLE, A1_EXAMPLE_REVERSED),
        ("example 2", A1_EXAMPLE_2, A1_EXAMPLE_2_REVERSED),
    ):
        ok, got = _call(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
            continue
        problems += [f"{name}: {p}" for p in _mapping_problems(got, want, integers=True)]
    return _result(
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
        ok, got = _call(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
            continue
        problems += [f"{name}: {p}" for p in _mapping_problems(got, want)]
    return _result(
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
        ok, got = _call(function, example)
        if not ok:
            problems.append(f"{name}: {got}")
        elif not _same(got, want):
            problems.append(f"{name}: you gave {_fmt(got)}, the worked example gives {_fmt(want)}")
    return _result(
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
        ok, got = _call(function, total)
        if not ok:
            problems.append(f"band_for({total}): {got}")
        elif got not in BANDS:
            problems.append(f"band_for({total}) gave {got!r}: use 'low', 'mid' or 'high'")
        elif got != want:
            problems.append(f"band_for({total}) gave {got!r}; the worked example gives {want!r}")
    return _result(
        "band_for on example totals",
        problems,
        "The example totals land in the right bands. Check your boundaries against the "
        "bands' lower and upper limits yourself: the examples avoid them.",
        "Use the bands in the inventory file: each holds lower <= mean < upper, and the top "
        "band also holds the scale maximum.",
    )


def check_mean_facet_scores(function: Callable[[list], Any]) -> CheckResult:
    """A1: ``mean_facet_scores`` on the public worked example (three respondents)."""
    ok, got = _call(function, [dict(scores) for scores in A1_FACET_SCORES_EXAMPLE])
    hint = (
        "For each facet, average the scores that are not None (leave the others out, do not "
        "count them as 0); a facet that nobody has a score for is None."
    )
    title = "mean_facet_scores on the worked example"
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    return _result(
        title,
        _mapping_problems(got, A1_EXAMPLE_FACET_MEANS),
        "The worked example comes out right.",
        hint,
    )


def check_cronbach_alpha(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A1: ``cronbach_alpha`` on the public worked example (six respondents, four items)."""
    return _check_statistic(
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
        number = _number(mean)
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
    number = _number(value)
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


# --------------------------------------------------------------------------- A2


def _table() -> list[list[int]]:
    return [list(row) for row in A2_RATINGS]


def _check_statistic(
    function: Callable[[list[list[int]]], Any],
    name: str,
    want: float,
    hint: str,
    table: list[list[int]] | None = None,
    about: str = "the two trainees' ratings",
) -> CheckResult:
    title = f"{name} on {about}"
    ok, got = _call(function, _table() if table is None else table)
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    if _number(got) is None:
        return CheckResult(False, title, f"{name} should return a single number, not {got!r}.")
    if not _same(got, want):
        return CheckResult(
            False, title, hint, (f"you gave {_fmt(got)}; the worked example gives {_fmt(want)}",)
        )
    return CheckResult(True, title, f"{_fmt(got)}, as in the worked example. {GRADED_LATER}")


def check_percent_agreement(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``percent_agreement`` on the public ratings."""
    return _check_statistic(
        function,
        "percent_agreement",
        A2_EXAMPLE_AGREEMENT,
        "Return the proportion (0-1, not a percentage) of rows where both ratings are equal.",
    )


def check_quadratic_kappa(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``quadratic_kappa`` on the public ratings."""
    return _check_statistic(
        function,
        "quadratic_kappa",
        A2_EXAMPLE_KAPPA,
        "Use all four categories 0-3 (even unused ones), weights (i - j)**2, and expected "
        "counts from the two raters' marginal totals.",
    )


def check_icc_a1(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``icc_a1`` on the public ratings."""
    return _check_statistic(
        function,
        "icc_a1",
        A2_EXAMPLE_ICC,
        "Use the two-way ANOVA mean squares for rows (targets), columns (raters) and error, "
        "and the absolute-agreement formula (it includes the raters' mean square).",
    )


def saved_ratings_summary(
    path: str | Path = A2_ANSWERS_FILE, case_ids: Sequence[str] = A2_CASES
) -> CheckResult:
    """A2: what the case scorer has saved for grading (completeness only, no keys)."""
    from course_lib.answers import read_answers
    from course_lib.content import load_rubric

    title = "Your saved case ratings"
    path = Path(path)
    if not path.is_file():
        return CheckResult(
            False,
            title,
            f"Nothing saved yet: {path.name} does not exist. Rate the cases in the scorer "
            "above; every change is saved at once.",
        )
    try:
        answers = read_answers(path)
        markers = load_rubric().marker_ids()
    except Exception as exc:  # noqa: BLE001 - report, never raise
        return CheckResult(False, title, f"{path.name} could not be read: {exc}")
    details, complete = [], 0
    for case_id in case_ids:
        answer = answers.get(case_id)
        if answer is None:
            details.append(f"{case_id}: not started")
            continue
        gaps = answer.missing(markers)
        rated = len(markers) - sum(1 for g in gaps if g in markers)
        choices = [g for g in gaps if g not in markers]
        state = "checked (locked)" if answer.checked else "not checked yet"
        note = f"{case_id}: {rated} of {len(markers)} markers rated"
        note += (
            f"; still to choose: {', '.join(choices)}"
            if choices
            else "; band, trait/state and stance chosen"
        )
        details.append(f"{note}; {state}")
        complete += not gaps and answer.checked
    if complete == len(case_ids):
        return CheckResult(
            True,
            title,
            f"All {len(case_ids)} cases are complete and checked in {path.name}. Submit this "
            "file with the notebook.",
            tuple(details),
        )
    return CheckResult(
        False,
        title,
        f"{complete} of {len(case_ids)} cases complete and checked. What is saved in "
        f"{path.name} when you submit is what is graded.",
        tuple(details),
    )


# --------------------------------------------------------------------------- A3


def _check_conversion(
    function: Callable[[float], Any], name: str, want: Mapping[float, float], hint: str
) -> CheckResult:
    title = f"{name} on the two meta-analytic d values"
    problems = []
    for d, value in want.items():
        ok, got = _call(function, d)
        if not ok:
            problems.append(f"{name}({d}): {got}")
        elif not _same(got, value):
            problems.append(f"{name}({d}) gave {_fmt(got)}; it should be {_fmt(value)}")
    return _result(title, problems, "Both match the reference sheet's values.", hint)


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
    ok, got = _call(function, [dict(s) for s in A3_ILLUSTRATIVE_STUDIES])
    title = "pool_fixed on the illustrative studies"
    hint = (
        "Weights are 1 / variance; the estimate is the weighted mean of d; se = sqrt(1 / sum "
        "of weights); the 95% interval is estimate -/+ 1.96 se."
    )
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    return _result(
        title,
        _mapping_problems(got, A3_EXAMPLE_POOLED),
        "The illustrative dataset pools as in the worked example.",
        hint,
    )


def check_opening_stances(value: Any) -> CheckResult:
    """A3: one valid stance id per case (the choices themselves are graded later)."""
    title = "opening_stance has one stance per case"
    if not isinstance(value, Mapping):
        return CheckResult(
            False, title, f"opening_stance should be a dict, not {type(value).__name__}."
        )
    problems = []
    missing = [c for c in A3_STANCE_CASES if c not in value]
    extra = [str(c) for c in value if c not in A3_STANCE_CASES]
    if missing:
        problems.append(f"cases missing: {', '.join(missing)}")
    if extra:
        problems.append(f"not one of the four cases: {', '.join(extra)}")
    for case_id, stance in value.items():
        if stance not in STANCES:
            problems.append(f"{case_id}: {stance!r} is not one of {', '.join(STANCES)}")
    if problems:
        return CheckResult(
            False, title, "Use the four case ids and the three stance ids.", tuple(problems)
        )
    return CheckResult(
        True,
        title,
        "Four cases, each with a valid stance. Whether they fit the cases is graded after you submit.",
    )
