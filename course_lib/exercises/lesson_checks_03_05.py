"""Instant checks for lessons 03 (the two faces, assessment) and 05 (where to start).

Each ``check_...`` function returns a :class:`course_lib.display.CheckResult` with feedback
that names the likely error. Nothing here prints. Only facts the course's reference sheet
confirms are graded; unconfirmed points are graded only as "unconfirmed".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, quiz_from_yaml
from course_lib.stats.effects import d_to_r, probability_of_superiority

NOT_ANSWERED = "not answered yet: replace None with your answer"


# ------------------------------------------------------------------------ lesson 03
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


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_reverse_key(value: object) -> CheckResult:
    """Check the scored value of an answer of 2 on a reverse-keyed item of a 1-5 scale."""
    title = "Reverse-keying an answer of 2 (Disagree)"
    if value is None:
        return CheckResult(False, title, NOT_ANSWERED)
    if not _is_number(value) or float(value) != int(value):  # type: ignore[arg-type]
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


# ------------------------------------------------------------------------ lesson 05
def check_effect_conversion(
    r: object = None, probability: object = None, d: float = 0.79
) -> CheckResult:
    """Check a hand conversion of ``d`` into r and the probability of superiority."""
    title = f"Converting d = {d:.2f} into r and a probability"
    want_r, want_p = d_to_r(d), probability_of_superiority(d)
    details, ok_count = [], 0
    if r is None:
        details.append(f"r: {NOT_ANSWERED}")
    elif not _is_number(r):
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
    elif not _is_number(probability):
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
