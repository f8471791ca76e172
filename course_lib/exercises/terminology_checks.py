"""Checks on the terms (lesson 02): how each source speaks of reactance and resistance, as a
trait or a state, and the lesson's self-check.

Each ``check_...`` returns a :class:`course_lib.display.CheckResult` whose feedback names
the likely error without giving the answer away; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, quiz_from_yaml

TERMINOLOGY = quiz_from_yaml(
    """
id: terminology
title: Who uses which words?
intro: 'Match each source to the way it talks about reactance or resistance: `''a''`, `''b''`, `''c''`
  or `''d''` (each option is used once).'
options:
  a: a situational state aroused by a threat to a freedom
  b: a personality characteristic running from defiance to compliance
  c: '''trait-like resistance'' and ''resistance/reactance level'''
  d: drops 'resistance' for sustain talk and discord
questions:
- id: brehm
  prompt: Brehm (1966), the original theory
  answer: a
  explanation: Brehm's reactance is a state aroused by a threat to a freedom.
  feedback:
    b: The trait reading came later, from clinicians.
- id: norcross
  prompt: The Networker post (by Rich Simon) introducing Norcross's clip
  answer: b
  explanation: >-
    The post's own wording calls reactance a personality characteristic with two poles.
    That is the post describing the clip; what Norcross says in the clip was not available.
  feedback:
    a: The post describes a lasting characteristic, not a passing state.
- id: beutler_sts
  prompt: Beutler's Systematic Treatment Selection (STS) work
  answer: c
  explanation: STS speaks of trait-like resistance and of resistance/reactance level.
  feedback:
    d: Beutler keeps the word 'resistance' alongside 'reactance'.
- id: mi3
  prompt: Miller & Rollnick (2013), the third edition of motivational interviewing
  answer: d
  explanation: The third edition splits the old umbrella term into sustain talk and discord.
  feedback:
    c: MI's third edition stopped using 'resistance' as an umbrella term.
"""
)

SELF_CHECK_02 = quiz_from_yaml(
    """
id: self_check_02
title: Lesson 02 self-check
intro: Answer each question with the key of one option, e.g. `'b'`.
questions:
- id: q1
  prompt: 'Beutler, Moleiro & Talebi (2002) describe reactance as:'
  options:
    a: unrelated to resistance.
    b: a special class of resistance.
    c: the opposite of resistance.
  answer: b
  explanation: >-
    They treat reactance as one kind of resistance: the kind that shows as opposition and
    refusal to cooperate.
  feedback:
    a: They place reactance inside the wider idea of resistance.
    c: Both describe opposition; one is a kind of the other.
- id: q2
  prompt: Why do Beutler et al. (2011) prefer the word 'reactance' to 'resistance'?
  options:
    a: It admits that the therapy environment, therapist included, contributes.
    b: It is easier to measure with a questionnaire.
    c: It is the original psychoanalytic term.
  answer: a
  explanation: >-
    The label 'resistant' puts the whole problem inside the patient; 'reactance' leaves room
    for the part the therapist and the setting play.
  feedback:
    b: Their argument is about where the problem lies, not about measurement.
    c: '''Resistance'' is the term with psychoanalytic roots.'
- id: q3
  prompt: 'In motivational interviewing''s third edition, discord is:'
  options:
    a: the client's own case for the status quo.
    b: strain in the client-clinician relationship, which both help to create.
    c: a stable personality trait of the client.
  answer: b
  explanation: Discord is relational; sustain talk is the client's own case for the status quo.
  feedback:
    a: That describes sustain talk.
    c: Discord belongs to the relationship, not to the client alone.
- id: q4
  prompt: In Dowd & Sanders's (1994) typology, which client is expected to be most difficult?
  options:
    a: Low reactance, symptom ego-dystonic.
    b: High reactance, symptom ego-syntonic.
    c: High reactance, symptom ego-dystonic.
  answer: b
  explanation: High reactance plus a symptom that fits the self-image is the hardest quadrant.
  feedback:
    a: That is the least difficult quadrant.
    c: That quadrant is moderately difficult.
- id: q5
  prompt: 'Shen & Dillard (2005) define trait reactance as:'
  options:
    a: reactance proneness.
    b: sustain talk.
    c: an ego-syntonic symptom.
  answer: a
  explanation: Trait reactance is a person's proneness to reactance.
  feedback:
    b: Sustain talk is the client's own case for the status quo, an MI term.
    c: Ego-syntonic describes a symptom, not a disposition to reactance.
"""
)


def check_terminology(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 02: match each source to the way it talks about reactance or resistance."""
    return check_quiz(TERMINOLOGY, answers)


def check_self_check_02(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 02 self-check."""
    return check_quiz(SELF_CHECK_02, answers)
