"""Lesson 04's self-check: right answers pass, a wrong one fails with that question's feedback."""

from __future__ import annotations

from course_lib.exercises.case_scoring_checks import SELF_CHECK_04, check_self_check_04


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


def test_the_kappa_figures_quoted_in_q2_are_what_the_course_computes() -> None:
    """q2 teaches that the collapse is a prevalence effect; its numbers must be right."""
    from course_lib.stats.agreement import cohen_kappa, percent_agreement

    q2 = next(q for q in SELF_CHECK_04.questions if q.id == "q2")

    def kappa(trainee: list[int], expert: list[int]) -> float:
        return cohen_kappa(trainee, expert, weights="quadratic", categories=range(4))

    flat_trainee, flat_expert = [2] * 9 + [0], [2] * 9 + [3]
    assert percent_agreement(flat_trainee, flat_expert) == 0.9 and "90%" in q2.prompt
    assert f"{kappa(flat_trainee, flat_expert):.2f}" in q2.prompt  # -0.67
    # the same 3-point miss among spread-out ratings stays well above zero
    spread = [0, 1, 2, 3, 0, 1, 2, 3, 2]
    assert f"{kappa(spread + [0], spread + [3]):.2f}" == "0.65" and "0.65" in q2.explanation
    # a smaller miss on the flat ratings does even worse: it is not the squared weight
    smaller = kappa([2] * 9 + [1], flat_expert)
    assert smaller < kappa(flat_trainee, flat_expert)
    assert f"{smaller:.2f}" in q2.explanation  # -0.82
    assert q2.answer == "b" and "prevalence" in q2.explanation
