"""The assessment checks (lesson 03) and matching checks (lesson 05): pass/fail and feedback
that names the likely error."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from course_lib.display import CheckResult
from course_lib.exercises import assessment_checks, matching_checks

RIGHT_SORT = {"a": "o", "b": "c", "c": "c", "d": "o", "e": "c", "f": "o"}
RIGHT_MEASURES = {"q1": "b", "q2": "b", "q3": "b", "q4": "c", "q5": "c"}
RIGHT_EVIDENCE = {"q1": "a", "q2": "c", "q3": "b", "q4": "b"}


@pytest.mark.parametrize(
    ("quiz", "right"),
    [
        (assessment_checks.POLE_SORT, RIGHT_SORT),
        (assessment_checks.MEASURES_QUIZ, RIGHT_MEASURES),
        (matching_checks.EVIDENCE_QUIZ, RIGHT_EVIDENCE),
    ],
)
def test_quiz_keys_and_feedback_cover_every_wrong_option(quiz, right) -> None:
    assert {q.id: q.answer for q in quiz.questions} == right
    for q in quiz.questions:
        wrong = {k for k, _ in q.options} - {q.answer}
        assert set(q.feedback) == wrong, q.id  # every wrong option has its own hint
        assert q.explanation


# ---------------------------------------------------------------- lesson 03
def test_pole_sort_passes_and_shows_as_markdown() -> None:
    result = assessment_checks.check_pole_sort(dict(RIGHT_SORT, a=" O "))
    assert isinstance(result, CheckResult) and result.passed
    text = assessment_checks.POLE_SORT._repr_markdown_()
    assert "breathing exercise" in text and "`o`" in text


def test_pole_sort_hint_does_not_give_the_marker_away() -> None:
    answers = dict(RIGHT_SORT, e="o", c="maybe")
    answers.pop("f")
    result = assessment_checks.check_pole_sort(answers)
    assert not result.passed and "3 of 6 correct" in result.feedback
    details = "\n".join(result.details)
    assert "An unfinished task can belong to either pole" in details
    assert "Seeks reassurance" not in details  # the explanation only shows once correct
    assert "'maybe' is not one of the options" in details
    assert "f: not answered yet" in details


def test_check_measures() -> None:
    assert assessment_checks.check_measures(RIGHT_MEASURES).passed
    result = assessment_checks.check_measures(dict(RIGHT_MEASURES, q1="a", q2="c"))
    assert not result.passed and "3 of 5 correct" in result.feedback
    details = "\n".join(result.details)
    assert "pool the items were chosen from" in details
    assert "later re-analyses" in details
    q1, q3 = assessment_checks.MEASURES_QUIZ.questions[0], assessment_checks.MEASURES_QUIZ.questions[2]
    assert "1984" in q1.explanation  # the 112 -> 28 figures come from the 1984 paper
    # wording direction is no evidence for one score; mixed wording can add a method factor
    assert "method factor" in q3.feedback["c"] and "says nothing" not in q3.feedback["c"]
    assert "second-order" in q3.explanation and "bifactor" in q3.explanation
    blank = assessment_checks.check_measures(assessment_checks.MEASURES_QUIZ.blank())
    assert not blank.passed and "Nothing answered yet" in blank.feedback


@pytest.mark.parametrize(
    ("value", "passed", "phrase"),
    [
        (4, True, "6 - x"),
        (2, False, "unflipped"),
        (3, False, "midpoint"),
        (5, False, "not the flip of 2"),
        (None, False, "not answered yet"),
        ("4", False, "whole number"),
        (4.5, False, "whole number"),
        (True, False, "whole number"),
    ],
)
def test_check_reverse_key(value, passed: bool, phrase: str) -> None:
    result = assessment_checks.check_reverse_key(value)
    assert result.passed is passed and phrase in result.feedback


# ---------------------------------------------------------------- lesson 05
D = 0.79
R = D / math.sqrt(D**2 + 4)
P = NormalDist().cdf(D / math.sqrt(2))


def test_effect_conversion_passes() -> None:
    result = matching_checks.check_effect_conversion(r=R, probability=P)
    assert result.passed and "r = 0.37" in result.feedback and "71%" in result.feedback
    assert matching_checks.check_effect_conversion(r=0.37, probability=0.71).passed  # rounded is fine


@pytest.mark.parametrize(
    ("r", "p", "phrase"),
    [
        (D / 2, P, "that is d / 2"),
        (D, P, "that is d itself"),
        (0.9, P, "not quite; compute d / sqrt"),
        ("x", P, "give a number"),
        (R, P * 100, "that is a percentage"),
        (R, NormalDist().cdf(D), "that is Phi(d)"),
        (R, 0.5 + R / 2, "0.5 + r / 2"),
        (R, 0.2, "not quite; compute Phi"),
        (R, None, "probability: not answered yet"),
        (None, P, "r: not answered yet"),
    ],
)
def test_effect_conversion_names_the_error(r, p, phrase: str) -> None:
    result = matching_checks.check_effect_conversion(r=r, probability=p)
    assert not result.passed
    assert any(phrase in d for d in result.details), result.details


def test_effect_conversion_for_another_d() -> None:
    d = 0.82
    assert matching_checks.check_effect_conversion(
        r=d / math.sqrt(d**2 + 4), probability=NormalDist().cdf(d / math.sqrt(2)), d=d
    ).passed


@pytest.mark.parametrize(
    ("high", "low", "passed", "phrase"),
    [
        ("self_directed", "structured", True, "reflective, nondirective"),
        ("Self-directed", "STRUCTURED", True, "Beutler"),
        ("structured", "self_directed", False, "Reversed"),
        ("collaborative", "structured", False, "middle option"),
        ("self_directed", "self_directed", False, "opposite stances"),
        ("paradox", "structured", False, "stance ids"),
        (None, "structured", False, "not answered yet"),
    ],
)
def test_check_matching(high, low, passed: bool, phrase: str) -> None:
    result = matching_checks.check_matching(high, low)
    assert result.passed is passed and phrase in result.feedback


def test_check_evidence() -> None:
    assert matching_checks.check_evidence(RIGHT_EVIDENCE).passed
    result = matching_checks.check_evidence(dict(RIGHT_EVIDENCE, q2="a", q3="a"))
    assert not result.passed and "2 of 4 correct" in result.feedback
    details = "\n".join(result.details)
    assert "could not confirm it" in details and "not a percentage of patients" in details


def test_the_evidence_quiz_grades_nothing_about_paradox() -> None:
    """The sheet marks the 2018 recommendations on paradox unconfirmed: never graded."""
    for q in matching_checks.EVIDENCE_QUIZ.questions:
        text = " ".join([q.prompt, q.explanation, *dict(q.options).values(), *q.feedback.values()])
        assert "paradox" not in text.lower(), q.id


def test_the_derived_probability_is_labelled_derived() -> None:
    q3 = next(q for q in matching_checks.EVIDENCE_QUIZ.questions if "71%" in q.option_text(q.answer))
    assert "derived" in q3.explanation
