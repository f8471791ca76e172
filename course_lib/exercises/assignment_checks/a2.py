"""Assignment 2 (scoring cases, agreement): public ratings and their checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises.assignment_checks._common import statistic_check

#: The cases each student rates are their own (``course_lib.variants``: the variant's a2
#: cases); none of them is one of the same student's A3 cases.
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


RATERS = "the two trainees' ratings"


def _table() -> list[list[int]]:
    return [list(row) for row in A2_RATINGS]


def check_percent_agreement(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``percent_agreement`` on the public ratings."""
    return statistic_check(
        function,
        "percent_agreement",
        A2_EXAMPLE_AGREEMENT,
        "Return the proportion (0-1, not a percentage) of rows where both ratings are equal.",
        _table(),
        RATERS,
    )


def check_quadratic_kappa(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``quadratic_kappa`` on the public ratings."""
    return statistic_check(
        function,
        "quadratic_kappa",
        A2_EXAMPLE_KAPPA,
        "Use all four categories 0-3 (even unused ones), weights (i - j)**2, and expected "
        "counts from the two raters' marginal totals.",
        _table(),
        RATERS,
    )


def check_icc_a1(function: Callable[[list[list[int]]], Any]) -> CheckResult:
    """A2: ``icc_a1`` on the public ratings."""
    return statistic_check(
        function,
        "icc_a1",
        A2_EXAMPLE_ICC,
        "Use the two-way ANOVA mean squares for rows (targets), columns (raters) and error, "
        "and the absolute-agreement formula (it includes the raters' mean square).",
        _table(),
        RATERS,
    )


def saved_ratings_summary(path: str | Path, case_ids: Sequence[str]) -> CheckResult:
    """A2: what the case scorer has saved for grading of the student's ``case_ids``
    (completeness only, no keys)."""
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
