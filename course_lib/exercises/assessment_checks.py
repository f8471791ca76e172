"""Checks on the two faces and their assessment (lesson 03): sorting behaviour to the
defiance or compliance pole, how reactance is measured, and reverse keying.

Each ``check_...`` returns a :class:`course_lib.display.CheckResult` whose feedback names
the likely error without giving the answer away; nothing here prints.
Only facts the course's reference sheet confirms are graded; unconfirmed points are
graded only as "unconfirmed".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import NOT_ANSWERED, check_quiz, is_number, quiz_from_yaml

POLE_SORT = quiz_from_yaml(
    """
id: l03-poles
title: Which pole does each behaviour show?
intro: >-
  Six short descriptions of client behaviour, written for the course (fictional). For each,
  answer 'o' if it shows the oppositional (defiant) pole or 'c' if it shows the compliant
  (dependent) pole.
options:
  o: oppositional (defiant) pole
  c: compliant (dependent) pole
questions:
- id: a
  prompt: >-
    Before the therapist has finished describing a breathing exercise, the client says it
    will not work for them.
  answer: o
  explanation: Rejecting a suggestion before it is fully stated is the marker 'Counters suggestions'.
  feedback:
    c: Nothing is handed over here. What happens to the suggestion, and how fast?
- id: b
  prompt: >-
    The client asks the therapist to pick which of two problems to work on first, because
    "you know best".
  answer: c
  explanation: Handing the decision to the therapist is the marker 'Asks to be told what to do'.
  feedback:
    o: Asking is not the same as pushing back. Who ends up deciding here?
- id: c
  prompt: >-
    The client agrees to a homework plan, then agrees just as quickly to a second plan that
    contradicts the first.
  answer: c
  explanation: >-
    Agreeing with contradictory suggestions is the marker 'Agrees readily': nothing is
    refused, yet nothing is weighed either.
  feedback:
    o: Nothing is refused. What does agreeing to two plans that cannot both happen suggest?
- id: d
  prompt: >-
    The client says the clinic only asks about drinking so that it can report them to their
    employer.
  answer: o
  explanation: Suspecting a hidden agenda is the marker 'Questions the therapist's motives'.
  feedback:
    c: Look at what the client assumes about why they are being asked.
- id: e
  prompt: >-
    The client apologises twice for not doing the worksheet properly and asks whether the
    therapist is disappointed.
  answer: c
  explanation: >-
    Checking for approval is the marker 'Seeks reassurance and approval'; an unfinished
    task on its own is not defiance.
  feedback:
    o: >-
      An unfinished task can belong to either pole. What is the client worried about
      here, and what do they ask for?
- id: f
  prompt: >-
    The client describes leaving three jobs after managers told them how to organise their
    day.
  answer: o
  explanation: A pattern across settings of opposing people in authority is the oppositional history marker.
  feedback:
    c: What did the client do each time someone in charge told them how to work?
"""
)

MEASURES_QUIZ = quiz_from_yaml(
    """
id: l03-measures
title: How reactance is measured
intro: Answer each question with the letter of one option.
questions:
- id: q1
  prompt: How many items did the Therapeutic Reactance Scale (TRS) keep?
  options:
    a: '112'
    b: '28'
    c: '11'
  answer: b
  explanation: >-
    28 items were kept from a pool of 112, each correlating at least .30 with the total.
    These development figures come from the 1984 conference paper (ERIC ED255782); the
    published scale is Dowd, Milne & Wise (1991).
  feedback:
    a: 112 is the size of the pool the items were chosen from, not the number kept.
    c: 11 is the length of a different scale, the refined Hong scale (Hong & Faedda, 1996).
- id: q2
  prompt: How many factors did the TRS's developers report?
  options:
    a: one
    b: two
    c: four
  answer: b
  explanation: Two factors, Behavioral Reactance and Verbal Reactance.
  feedback:
    a: The developers named more than one factor.
    c: >-
      Four factors came from later re-analyses (Buboltz et al., 2002; Inman et al., 2019).
      What did the original report?
- id: q3
  prompt: What supports reporting one total score on the Hong scale (HPRS)?
  options:
    a: Hong & Page (1989) found a single factor.
    b: Shen & Dillard (2005) found four first-order factors under one second-order factor.
    c: All its items are worded in the same direction.
  answer: b
  explanation: >-
    Four first-order factors that share a single second-order factor make one total score
    defensible (Shen & Dillard, 2005). Brown, Finney & France (2011) point the same way: a
    bifactor model with one general factor fitted best.
  feedback:
    a: Hong & Page's exploratory analysis found four factors, not one.
    c: >-
      How items are worded is no evidence that they measure one thing. If anything, it can
      work against a single score: items worded in opposite directions often form a
      method factor of their own. What kind of analysis would show that the items share one
      underlying factor?
- id: q4
  prompt: Which score marks a person as "highly reactant" on the TRS or the HPRS?
  options:
    a: A score above a published, norm-based cut-off.
    b: The scale's midpoint.
    c: None; no validated cut-offs or norms were found, and studies usually split samples.
  answer: c
  explanation: >-
    No validated cut-offs or published norms were found; studies usually split their
    sample into high and low reactance.
  feedback:
    a: Look again at what the lesson says about norms and cut-offs.
    b: A midpoint is a convention, not a validated threshold.
- id: q5
  prompt: Which of these is a clinician's rating rather than a self-report?
  options:
    a: The Therapeutic Reactance Scale.
    b: The Hong Psychological Reactance Scale.
    c: The Therapist Rating of Reactance used by Morgan (1986).
  answer: c
  explanation: >-
    In Morgan's study the clinician-rated TRR predicted outcome where the self-reported TRS
    did not.
  feedback:
    a: The TRS is filled in by the client.
    b: The HPRS is filled in by the respondent.
"""
)


def check_pole_sort(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 03: sort six behaviours into the oppositional ('o') or compliant ('c') pole."""
    return check_quiz(POLE_SORT, answers)


def check_measures(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 03 self-check: five questions on how reactance is measured."""
    return check_quiz(MEASURES_QUIZ, answers)


def check_reverse_key(value: object) -> CheckResult:
    """Check the scored value of an answer of 2 on a reverse-keyed item of a 1-5 scale."""
    title = "Reverse-keying an answer of 2 (Disagree)"
    if value is None:
        return CheckResult(False, title, NOT_ANSWERED)
    if not is_number(value) or float(value) != int(value):  # type: ignore[arg-type]
        return CheckResult(False, title, f"Give a whole number from 1 to 5 (got {value!r}).")
    n = int(value)  # type: ignore[call-overload]
    if n == 4:
        return CheckResult(
            True, title, "Right: on a 1-5 scale the flip is 6 - x, so 2 counts as 4."
        )
    if n == 2:
        feedback = (
            "That is the raw answer, unflipped. Disagreeing with a reverse-keyed statement "
            "points towards more reactance, so it must count high: 6 - 2 = 4."
        )
    elif n == 3:
        feedback = "Only the midpoint 3 stays 3 when flipped; 2 becomes 6 - 2 = 4."
    else:
        feedback = f"{n} is not the flip of 2. On a 1-5 scale the flip is 6 - x (5 <-> 1, 4 <-> 2)."
    return CheckResult(False, title, feedback)
