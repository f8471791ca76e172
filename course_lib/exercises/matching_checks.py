"""Checks on where to start (lesson 05): matching directiveness to reactance, converting the
meta-analytic effect size, and what the evidence does and does not show.

Each ``check_...`` returns a :class:`course_lib.display.CheckResult` whose feedback names
the likely error without giving the answer away; nothing here prints.
Only facts the course's reference sheet confirms are graded; unconfirmed points are
graded only as "unconfirmed".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import NOT_ANSWERED, check_quiz, is_number, quiz_from_yaml
from course_lib.stats.effects import d_to_r, probability_of_superiority


def check_effect_conversion(
    r: object = None, probability: object = None, d: float = 0.79
) -> CheckResult:
    """Check a hand conversion of ``d`` into r and the probability of superiority."""
    title = f"Converting d = {d:.2f} into r and a probability"
    want_r, want_p = d_to_r(d), probability_of_superiority(d)
    details, ok_count = [], 0
    if r is None:
        details.append(f"r: {NOT_ANSWERED}")
    elif not is_number(r):
        details.append(f"r: give a number (got {r!r})")
    elif abs(float(r) - want_r) <= 0.005:  # type: ignore[arg-type]
        ok_count += 1
        details.append(f"r: correct, {want_r:.3f}")
    elif abs(float(r) - d / 2) <= 0.005:  # type: ignore[arg-type]
        details.append("r: that is d / 2; the formula is d / sqrt(d**2 + 4)")
    elif abs(float(r) - d) <= 0.005:  # type: ignore[arg-type]
        details.append("r: that is d itself; convert it with d / sqrt(d**2 + 4)")
    else:
        details.append(f"r: not quite; compute d / sqrt(d**2 + 4) with d = {d}")
    if probability is None:
        details.append(f"probability: {NOT_ANSWERED}")
    elif not is_number(probability):
        details.append(f"probability: give a number (got {probability!r})")
    else:
        p = float(probability)  # type: ignore[arg-type]
        if abs(p - want_p) <= 0.005:
            ok_count += 1
            details.append(f"probability: correct, {want_p:.3f}")
        elif abs(p - want_p * 100) <= 0.5:
            details.append("probability: that is a percentage; give a proportion from 0 to 1")
        elif abs(p - probability_of_superiority(d * math.sqrt(2))) <= 0.005:
            details.append("probability: that is Phi(d); divide d by sqrt(2) first")
        elif abs(p - (0.5 + want_r / 2)) <= 0.005:
            details.append(
                "probability: that is 0.5 + r / 2, a different conversion; use Phi(d / sqrt(2))"
            )
        else:
            details.append("probability: not quite; compute Phi(d / sqrt(2)) (NormalDist().cdf)")
    passed = ok_count == 2
    feedback = (
        f"Both right: r = {want_r:.2f} and a matched patient does better "
        f"{round(want_p * 100)}% of the time."
        if passed
        else "Not both right yet; see the notes below."
    )
    return CheckResult(passed, title, feedback, tuple(details))


STANCE_WORDS = {
    "self_directed": "self_directed",
    "self-directed": "self_directed",
    "self directed": "self_directed",
    "collaborative": "collaborative",
    "structured": "structured",
}


def check_matching(high_reactance: object = None, low_reactance: object = None) -> CheckResult:
    """Check the matching principle: which opening stance for each end of the spectrum."""
    title = "Matching directiveness to reactance level"
    given = {
        "high_reactance": STANCE_WORDS.get(str(high_reactance).strip().lower())
        if high_reactance is not None
        else None,
        "low_reactance": STANCE_WORDS.get(str(low_reactance).strip().lower())
        if low_reactance is not None
        else None,
    }
    if high_reactance is None or low_reactance is None:
        return CheckResult(False, title, "Give a stance for both: " + NOT_ANSWERED)
    if None in given.values():
        return CheckResult(
            False, title, "Use the stance ids: 'self_directed', 'collaborative' or 'structured'."
        )
    if given == {"high_reactance": "self_directed", "low_reactance": "structured"}:
        return CheckResult(
            True,
            title,
            "Right: highly reactant patients did better with a reflective, nondirective stance, "
            "and patients low in reactance with directive treatment (Beutler et al., 2011, "
            "2018); in the 2018 review that second effect was the weaker one.",
        )
    if given == {"high_reactance": "structured", "low_reactance": "self_directed"}:
        return CheckResult(
            False,
            title,
            "Reversed. Directive, structured work suits compliant, low-reactance patients; "
            "highly reactant patients did better with a nondirective, self-directed stance.",
        )
    if "collaborative" in given.values():
        return CheckResult(
            False,
            title,
            "Collaborative is the course's own middle option for mid-range and situational "
            "cases, a teaching convention rather than a finding. The meta-analyses contrast "
            "directive and nondirective treatment at the two ends.",
        )
    return CheckResult(
        False,
        title,
        "The two ends call for opposite stances: nondirective for high reactance, "
        "directive for low.",
    )


# No question here grades the place of paradoxical techniques: the reference sheet marks the
# 2018 review's recommendations on paradox unconfirmed, so lesson 05 asks about paradox only
# as an ungraded reflection.
EVIDENCE_QUIZ = quiz_from_yaml(
    """
id: l05-evidence
title: What is established, and what is not
intro: Answer each question with the letter of one option.
questions:
- id: q1
  prompt: How did the 2011 task force rate adapting therapy to reactance level?
  options:
    a: demonstrably effective
    b: probably effective
    c: insufficient research
  answer: a
  explanation: Demonstrably effective (Norcross & Wampold, 2011).
  feedback:
    b: '"Probably effective" went to other elements that round, such as coping style.'
    c: '"Insufficient research" went to other elements that round, such as attachment style.'
- id: q2
  prompt: What can the course say about the 2018 task force's rating of reactance level?
  options:
    a: It was confirmed as demonstrably effective again.
    b: It was downgraded to probably effective.
    c: The rating table could not be checked, so the course cannot confirm it.
  answer: c
  explanation: The 2018 rating is unconfirmed in the course's sources; the lesson says so.
  feedback:
    a: That may be so, but the course's sources could not confirm it.
    b: Nothing in the course's sources says so.
- id: q3
  prompt: Which is the best plain-words reading of d = .79 from the 2018 meta-analysis?
  options:
    a: 79% of matched patients improve.
    b: A matched patient does better than a mismatched one about 71% of the time.
    c: Matching explains 79% of the differences in outcome.
  answer: b
  explanation: >-
    Phi(.79 / sqrt 2) is about .71. The 71% is derived from d with that formula; the review
    itself reports d.
  feedback:
    a: d is a difference in standard deviations, not a percentage of patients.
    c: d is not a share of variance; its r equivalent is about .37.
- id: q4
  prompt: A client needs a style far outside your repertoire. What does the guidance suggest?
  options:
    a: Adopt it anyway; a good therapist can be anything a client needs.
    b: Recognise that therapists are not infinitely flexible and consider referring.
    c: Keep your usual style; the client will adapt.
  answer: b
  explanation: Therapists are not infinitely flexible; referral is a legitimate choice.
  feedback:
    a: The workshop summary says the opposite about therapists' flexibility.
    c: That ignores the matching evidence the lesson reviewed.
"""
)


def check_evidence(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 05 self-check: what is established about matching, and what is not."""
    return check_quiz(EVIDENCE_QUIZ, answers)
