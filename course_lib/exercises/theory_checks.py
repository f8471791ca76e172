"""Checks on Brehm's theory (lesson 01): the bread study's figures, the determinants of
reactance and the routes to restoring a freedom.

Each ``check_...`` returns a :class:`course_lib.display.CheckResult` whose feedback names
the likely error without giving the answer away; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, quiz_from_yaml

DETERMINANT_EXAMPLES = quiz_from_yaml(
    """
id: determinant_examples
title: Which determinant does each example turn up?
intro: 'Match each example to one determinant (Wicklund, 1974): `''importance''`, `''proportion''`,
  `''threat''` (strength of the threat) or `''future''` (implications for future threats).'
options:
  importance: importance of the threatened freedom
  proportion: proportion of freedoms threatened
  threat: strength of the threat
  future: implications for future threats
questions:
- id: e1
  prompt: A ban covers not one evening activity but nearly everything the person does in their free
    time.
  answer: proportion
  explanation: 'How much of the person''s freedom is affected: the proportion threatened.'
  feedback:
    threat: The ban need not be delivered forcefully; what changed is how much it covers.
    importance: Nothing is said about how much any one activity matters.
- id: e2
  prompt: The instruction comes as an explicit, forceful demand instead of a gentle suggestion.
  answer: threat
  explanation: 'The same freedom, pressed harder: the strength of the threat.'
  feedback:
    importance: The freedom itself is unchanged; the way it is pressed on is what differs.
    future: Nothing suggests more demands will follow.
- id: e3
  prompt: The restricted activity is the thing the person looks forward to most all week.
  answer: importance
  explanation: 'How much the freedom matters to the person: its importance.'
  feedback:
    proportion: Only one activity is restricted; what is high is how much it matters.
    threat: Nothing is said about how the restriction was delivered.
- id: e4
  prompt: The restriction comes with a hint that more rules are on the way.
  answer: future
  explanation: 'What the threat signals about threats to come: implications for the future.'
  feedback:
    proportion: The present restriction may be small; the hint is about what comes next.
    threat: The wording may be mild; what matters is the signal of more to come.
"""
)

RESTORATION_ROUTES = quiz_from_yaml(
    """
id: restoration_routes
title: Direct, indirect or subjective restoration?
intro: 'Classify each example: `''direct''`, `''indirect''` or `''subjective''`.'
options:
  direct: doing the forbidden behaviour itself
  indirect: a related behaviour, attacking the source, or enjoying others doing it
  subjective: changing how the options look
questions:
- id: r1
  prompt: Told not to buy the sweets, he buys them anyway.
  answer: direct
  explanation: 'He does exactly what was forbidden: direct restoration.'
  feedback:
    indirect: He does not do something related; he does the forbidden thing.
- id: r2
  prompt: Told she may not have the blue mug, she decides it was the nicest one all along.
  answer: subjective
  explanation: 'Nothing is done; the lost option simply looks better: subjective restoration.'
  feedback:
    direct: She does not get or use the mug; only her view of it changes.
- id: r3
  prompt: Barred from the concert himself, he takes real pleasure in watching his friends set off for it.
  answer: indirect
  explanation: 'Satisfaction from watching others do the forbidden thing: indirect restoration.'
  feedback:
    direct: He does not go himself; others do.
- id: r4
  prompt: After her manager bans phones at work, she tells everyone how petty the manager is.
  answer: indirect
  explanation: 'Running down the source of the threat: indirect restoration.'
  feedback:
    direct: She does not use her phone; she attacks the person who banned it.
    subjective: She is not revaluing the phone; she is derogating the source.
"""
)

SELF_CHECK_01 = quiz_from_yaml(
    """
id: self_check_01
title: Lesson 01 self-check
intro: Answer each question with the key of one option, e.g. `'b'`.
questions:
- id: q1
  prompt: 'Reactance theory describes a motivation to:'
  options:
    a: gain as many new freedoms as possible.
    b: restore a freedom that has been threatened or removed.
    c: comply with whoever holds authority.
  answer: b
  explanation: 'Reactance is reactive, not proactive: it re-establishes a threatened freedom.'
  feedback:
    a: The theory is about re-establishing freedoms one had, not acquiring new ones.
    c: >-
      Going along with authority is not the motive the theory describes; reactance is the push
      to win a threatened freedom back. (Ready compliance returns in lesson 03 as the low end
      of the reactance dimension, where that push is weak.)
- id: q2
  prompt: 'In Dillard & Shen''s (2005) intertwined model, reactance is best measured as:'
  options:
    a: anger alone.
    b: negative cognitions alone.
    c: a composite of anger and negative cognitions.
    d: 'nothing: reactance cannot be measured.'
  answer: c
  explanation: Anger and negative cognitions together, intertwined, fully mediated the effects.
  feedback:
    a: Anger is half of it; the model that fit best combines it with cognition.
    b: Cognitions are half of it; the model that fit best combines them with anger.
    d: That was Brehm's claim, and Dillard & Shen's results contradicted it.
- id: q3
  prompt: Which of these is NOT one of Rosenberg & Siegel's (2018) five waves?
  options:
    a: Measurement
    b: Neuroscience
    c: Communication research
    d: Clinical psychology
  answer: b
  explanation: 'The waves: theory, clinical psychology, communication, measurement, return to motivation.'
  feedback:
    a: That one is among the five waves.
    c: That one is among the five waves.
    d: That one is among the five waves.
- id: q4
  prompt: 'In the bread study, the strong demand (''you are going to buy''):'
  options:
    a: led more shoppers to buy than the moderate request did.
    b: led fewer to buy than the moderate request, though more than no influence.
    c: stopped everyone from buying.
  answer: b
  explanation: 51% against 70% for the polite request and 24% with no influence.
  feedback:
    a: 'Look at the chart again: which bar is taller?'
    c: About half of the shoppers still bought the bread.
"""
)


BREAD_PERCENTAGES = {"no_influence": 24, "moderate": 70, "strong": 51}


def check_bread_study(no_influence: Any, moderate: Any, strong: Any) -> CheckResult:
    """Lesson 01: the three percentages of Weiner & Brehm's (1966) bread study."""
    title = "The bread study"
    given = {"no_influence": no_influence, "moderate": moderate, "strong": strong}
    if all(v is None for v in given.values()):
        return CheckResult(False, title, "Replace each None with a percentage read off the chart.")
    try:
        values = {k: None if v is None else float(v) for k, v in given.items()}
    except (TypeError, ValueError):
        return CheckResult(False, title, "Give each answer as a number, e.g. 35 (not '35%').")
    if any(v is not None and 0 < v < 1 for v in values.values()):
        return CheckResult(False, title, "Give percentages, not proportions: 35, not 0.35.")
    expected = BREAD_PERCENTAGES
    if values == {k: float(v) for k, v in expected.items()}:
        return CheckResult(
            True,
            title,
            "24%, 70% and 51%: a moderate request nearly tripled buying; a strong demand "
            "gave back much of that gain, though 51% is still about twice the 24% baseline. "
            "Pressure helped up to a point; pushed harder, its effect shrank.",
        )
    if values["moderate"] == expected["strong"] and values["strong"] == expected["moderate"]:
        return CheckResult(
            False,
            title,
            "You swapped the two influence conditions. Which request produced more buying: "
            "the polite one or the forceful one?",
        )
    wrong = [k.replace("_", " ") for k, v in values.items() if v != expected[k]]
    return CheckResult(
        False, title, f"Check the value for: {', '.join(wrong)}. Read it off the bar labels."
    )


def check_determinant_examples(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 01: match each example to the determinant of reactance it varies."""
    return check_quiz(DETERMINANT_EXAMPLES, answers)


def check_restoration_routes(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 01: classify each example as direct, indirect or subjective restoration."""
    return check_quiz(RESTORATION_ROUTES, answers)


def check_self_check_01(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 01 self-check."""
    return check_quiz(SELF_CHECK_01, answers)
