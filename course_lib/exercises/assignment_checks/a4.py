"""Assignment 4 (what to say): the moments' ids, the public worked example and the checks.

The graded moments' verdicts are instructor-side (``notebooks/course/keys/responses/``);
nothing here reads them. :func:`check_oppositional_choices` and
:func:`check_compliant_choices` test only the shape of a student's dict (one valid option
per moment). :func:`check_worked_example` judges the public worked example, whose verdicts
are in ``assets/`` for everyone to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult

#: The graded moments of each question, in the order the notebook shows them.
A4_OPPOSITIONAL_MOMENTS: tuple[str, ...] = (
    "a4-o1-apps",
    "a4-o2-how-old",
    "a4-o3-no-role-play",
    "a4-o4-words-in-my-mouth",
)
A4_COMPLIANT_MOMENTS: tuple[str, ...] = (
    "a4-c1-both",
    "a4-c2-am-i-better",
    "a4-c3-twice-as-much",
    "a4-c4-ring-the-landlord",
)
#: The moments students answer in their own words (graded by hand).
A4_WRITING_MOMENTS: tuple[str, ...] = (
    "a4-w1-straight-back",
    "a4-w2-your-list",
    "a4-w3-no-psychiatrist",
)


def _option_ids() -> dict[str, list[str]]:
    from course_lib.content.responses import load_assignment_moments

    return {m.id: m.option_ids() for m in load_assignment_moments().moments}


def _normal(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip().strip("()").strip().lower() or None


def _check_choices(value: Any, moments: tuple[str, ...], name: str) -> CheckResult:
    title = f"{name} has one response per moment"
    if not isinstance(value, Mapping):
        return CheckResult(False, title, f"{name} should be a dict, not {type(value).__name__}.")
    options = _option_ids()
    problems = []
    missing = [m for m in moments if m not in value]
    extra = [str(m) for m in value if m not in moments]
    if missing:
        problems.append(f"moments missing: {', '.join(missing)}")
    if extra:
        problems.append(f"not one of this question's moments: {', '.join(extra)}")
    for moment_id in moments:
        if moment_id not in value:
            continue
        choice = _normal(value[moment_id])
        if choice not in options[moment_id]:
            allowed = ", ".join(f"'{o}'" for o in options[moment_id])
            problems.append(f"{moment_id}: {value[moment_id]!r} is not one of {allowed}")
    if problems:
        return CheckResult(
            False, title, "Use the moment ids shown and one option letter each.", tuple(problems)
        )
    return CheckResult(
        True,
        title,
        f"{len(moments)} moments, each with a valid option. Which responses fit best is graded "
        "after you submit.",
    )


def check_oppositional_choices(value: Any) -> CheckResult:
    """A4 question 1: one valid option letter per oppositional moment (shape only)."""
    return _check_choices(value, A4_OPPOSITIONAL_MOMENTS, "oppositional_choice")


def check_compliant_choices(value: Any) -> CheckResult:
    """A4 question 2: one valid option letter per compliant moment (shape only)."""
    return _check_choices(value, A4_COMPLIANT_MOMENTS, "compliant_choice")


def check_worked_example(choice: Any) -> CheckResult:
    """The public worked example: the verdict of the chosen option and feedback on all of them."""
    from course_lib.content.responses import VERDICT_LABELS, load_assignment_moments

    example = load_assignment_moments().worked_example
    title = f"worked example: {example.title}"
    picked = _normal(choice)
    ids = [o.id for o in example.options]
    if picked not in ids:
        return CheckResult(
            False,
            title,
            f"Set example_choice to one of {', '.join(repr(i) for i in ids)}, then run the cell.",
        )
    verdict = example.option(picked).verdict
    details = tuple(
        f"({o.id}) {VERDICT_LABELS[o.verdict]}: {' '.join(o.feedback.split())}"
        for o in example.options
    )
    return CheckResult(
        verdict == "best",
        title,
        f"You chose ({picked}), rated {verdict}. {' '.join(example.takeaway.split())}",
        details,
    )
