"""Checks on scoring cases and measuring agreement (lesson 04's self-check).

The kappa figures quoted in q2 are pinned to :func:`course_lib.stats.agreement.cohen_kappa`
by ``tests/test_case_scoring_checks.py``, so the feedback cannot drift from the statistic.
"""

from __future__ import annotations

from collections.abc import Mapping

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, quiz_from_yaml

SELF_CHECK_04 = quiz_from_yaml(
    """id: l04-self-check
title: Scoring cases and measuring agreement
intro: Answer each question with the letter of one option.
questions:
- id: q1
  prompt: >-
    A client's five oppositional markers average 2.4 and the five compliant markers
    average 0.6. Where does the rubric's rule place them?
  options:
    a: position +0.60, high band
    b: position +1.80, high band
    c: position +0.20, mid band
  answer: a
  explanation: (2.4 - 0.6) / 3 = 0.60, which is at or above +1/3, so the high band.
  feedback:
    b: That is the difference of the means before dividing by 3, the top of the 0-3 scale.
    c: Subtract the compliant mean from the oppositional mean, then divide by 3.
- id: q2
  prompt: >-
    A trainee and the expert both rate nine of the ten markers 2; on the tenth the trainee
    says 0 and the expert 3. Exact agreement is 90%, yet quadratic-weighted kappa is about
    -0.67. What mainly explains the collapse?
  options:
    a: The size of the miss, because a miss of 3 points costs 9 times a miss of 1 point.
    b: >-
      Both raters used almost only one level, so the agreement expected by chance is
      already nearly all the agreement there is, and one miss outweighs it.
    c: Kappa always comes out lower than exact agreement.
  answer: b
  explanation: >-
    It is mostly a prevalence effect. With nine ratings of ten at 2, chance alone predicts
    almost all the agreement, so a single miss pushes kappa below zero. The same 3-point
    miss among ratings spread over 0-3 leaves kappa near 0.65, and a smaller miss here
    (trainee 1, expert 3) would push it lower still, to about -0.82.
  feedback:
    a: >-
      The squared weight adds to the cost, but the same miss among ratings spread across
      0-3 leaves kappa well above zero. What is unusual about these ratings?
    c: >-
      Not always: weighted kappa can be high when ratings spread across the scale and
      misses are small. Look at how these ratings are distributed.
- id: q3
  prompt: A case lands at position +0.05, in the mid band. What can you conclude?
  options:
    a: The client shows few markers of either pole.
    b: Nothing about the size of the markers yet; look at the two pole means.
    c: The client is a state, not a trait, case.
  answer: b
  explanation: >-
    Strong markers on both sides cancel out as well as weak ones do, and the rule cannot
    tell trait from state; the rubric lists both limits.
  feedback:
    a: Strong markers at both poles can cancel out to the same position.
    c: Trait or state is a separate judgement from history and context, not from the position.
- id: q4
  prompt: Which statement about this course's marker rubric is accurate?
  options:
    a: Its cut-offs at plus and minus one third are validated thresholds.
    b: It reproduces the Therapist Rating of Reactance used by Morgan (1986).
    c: It is practice material with no published norms or reliability data.
  answer: c
  explanation: The rubric's own notice and limits say so.
  feedback:
    a: The rubric calls the cut-offs teaching conventions; no validated cut-offs were found.
    b: The rubric names that clinician rating as related work and says it does not reproduce it.
"""
)


def check_self_check_04(answers: Mapping[str, str | None]) -> CheckResult:
    """Check the lesson 04 self-check answers (letters), with feedback per question."""
    return check_quiz(SELF_CHECK_04, answers)
