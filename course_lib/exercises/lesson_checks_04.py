"""Lesson 04's self-check: scoring cases and measuring agreement."""

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
    Every marker is rated 2 by a trainee and 2 by the expert, except one marker the
    trainee rates 0 and the expert 3. Which measure is hurt most by that single miss?
  options:
    a: Exact agreement, because it counts a 3-point miss the same as a 1-point miss.
    b: Quadratic-weighted kappa, because a miss of 3 points costs 9 times a miss of 1 point.
    c: Band accuracy, because one marker always changes the band.
  answer: b
  explanation: >-
    Quadratic weights grow with the square of the distance, so large misses dominate;
    exact agreement only counts hits, and one marker moves the position by at most 0.2.
  feedback:
    a: Exact agreement does treat all misses alike, which is why one miss costs it little.
    c: One marker at most moves the position by a fifth of a point; the band may well stay.
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
