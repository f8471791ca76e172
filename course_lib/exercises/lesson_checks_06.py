"""Lesson 06's self-check: what to say at each pole, repair and ethics.

No question is graded on paradoxical interventions: the reference sheet asks that the 2018
recommendations be checked first, and they could not be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, quiz_from_yaml

SELF_CHECK_06 = quiz_from_yaml(
    """id: l06-self-check
title: What to say at each pole
intro: Answer each question with the letter of one option.
questions:
- id: q1
  prompt: >-
    A client who guards his autonomy answers your unrequested suggestion with "yes, but".
    Which next step fits the matching evidence best?
  options:
    a: Restate the suggestion, this time with the evidence for it.
    b: Agree with what is true in the objection and let him choose what to talk about.
    c: Point out that he often answers suggestions with "yes, but".
  answer: b
  explanation: >-
    Highly reactant clients do better with a reflective, nondirective stance than a
    directive, authoritative one (Beutler, Edwards & Someah, 2018). Dropping the suggestion
    and handing back the agenda ends the contest.
  feedback:
    a: A firmer push raises the threat to the freedom he is defending; expect more opposition.
    c: Naming his pattern takes the knowing position and places the problem in him alone.
- id: q2
  prompt: What does the matching evidence say about clients low in reactance?
  options:
    a: >-
      They did better with directive, structured treatment; the 2018 review found this
      direction weaker than the one for highly reactant clients.
    b: They do better with nondirective treatment, like every other client.
    c: They do better with directive treatment, by as much as reactant clients gain from a nondirective one.
  answer: a
  explanation: >-
    Beutler et al. (2011) found that patients low in trait-like resistance responded better
    to directive treatment; Beutler, Edwards & Someah (2018) found the reverse effect too,
    to a lesser degree.
  feedback:
    b: The matching research is about fit; at this pole it favours direction and structure.
    c: The 2018 review found the effect at this pole weaker, not equal.
- id: q3
  prompt: Which idea in this lesson is the course's own reasoning rather than a research finding?
  options:
    a: Highly reactant clients do better with a reflective, nondirective stance.
    b: Structure for compliant clients should hand choices back to them over time.
    c: The 2011 task force rated adapting to reactance level demonstrably effective.
  answer: b
  explanation: >-
    The meta-analyses compared directive with nondirective treatment; they did not test a
    sequence that hands structure back. The lesson labels that as the course's reasoning
    about dependency risk.
  feedback:
    a: That is the 2018 meta-analytic finding (Beutler, Edwards & Someah, 2018).
    c: That rating is published (Norcross & Wampold, 2011).
- id: q4
  prompt: In the third edition of motivational interviewing, what is discord?
  options:
    a: The client's own arguments for keeping things as they are.
    b: Tension in the client-clinician relationship, to which both people contribute.
    c: A lasting trait of oppositional clients.
  answer: b
  explanation: >-
    Miller and Rollnick (2013) split the old idea of resistance into sustain talk (inside the
    client) and discord (in the relationship); discord asks you to look at your own part.
  feedback:
    a: That is sustain talk, the other half of the split.
    c: Discord belongs to the relationship in the moment, not to the client's personality.
- id: q5
  prompt: >-
    A client who has argued with most of your suggestions declines to have a session
    recorded for your supervision, as the consent form allows. What is the best reading?
  options:
    a: More evidence of high trait reactance, worth exploring with him.
    b: A choice that is his right, to be accepted plainly and not treated as a symptom.
    c: Discord that the therapist caused, which needs a repair.
  answer: b
  explanation: >-
    Reactance concerns threats to freedoms a person holds; using a freedom the consent form
    gives him is not a symptom. Mitchell's table of contents warns that some client
    dynamics are mislabelled as resistance.
  feedback:
    a: Pushing back on many things does not make every refusal a sign of reactance.
    c: Nothing in the request was a rupture; he simply said no to an optional thing.
- id: q6
  prompt: >-
    A client attends under a court order, and the court receives attendance records only.
    What should the therapist say early in the first session?
  options:
    a: Exactly what is reported and to whom, and what in the sessions is the client's choice.
    b: That everything said in the room is confidential, to build trust quickly.
    c: That the court expects them to engage, so they had better make use of the time.
  answer: a
  explanation: >-
    Being exact about what is not up to the client and generous with what is respects
    informed consent and gives the client freedoms to use other than opposing the
    therapist.
  feedback:
    b: Attendance is reported, so this is not true; a mandated client needs the exact limits.
    c: Borrowing the court's authority adds a threat to the few freedoms the client has left.
"""
)


def check_self_check_06(answers: Mapping[str, Any]) -> CheckResult:
    """Check the lesson 06 self-check answers (letters), with feedback per question."""
    return check_quiz(SELF_CHECK_06, answers)
