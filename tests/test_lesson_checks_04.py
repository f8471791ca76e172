"""Lesson 04's self-check: right answers pass, a wrong one fails with that question's feedback."""

from __future__ import annotations

from course_lib.exercises.lesson_checks_04 import SELF_CHECK_04, check_self_check_04


def test_right_answers_pass() -> None:
    answers = {q.id: q.answer for q in SELF_CHECK_04.questions}
    assert len(answers) >= 3
    assert check_self_check_04(answers).passed


def test_a_wrong_answer_fails_and_names_the_question() -> None:
    first = SELF_CHECK_04.questions[0]
    wrong = next(key for key, _ in first.options if key != first.answer)
    answers = {q.id: q.answer for q in SELF_CHECK_04.questions} | {first.id: wrong}
    result = check_self_check_04(answers)
    assert not result.passed
    assert first.id in repr(result) or first.prompt[:20] in repr(result)


def test_unanswered_questions_do_not_pass() -> None:
    assert not check_self_check_04({q.id: None for q in SELF_CHECK_04.questions}).passed
