"""The orientation, theory and terminology checks (lessons 00-02: pass and fail with the right
feedback) and the lesson 00 practice widget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_lib.display import CheckResult
from course_lib.exercises import Quiz, check_quiz, normalise_choice, quiz_from_yaml
from course_lib.exercises import orientation_checks as orientation
from course_lib.exercises import terminology_checks as terminology
from course_lib.exercises import theory_checks as theory
from course_lib.widgets.explorer import PRACTICE_FILE, PracticeWidget

QUIZZES = {
    orientation.check_self_check_00: orientation.SELF_CHECK_00,
    theory.check_determinant_examples: theory.DETERMINANT_EXAMPLES,
    theory.check_restoration_routes: theory.RESTORATION_ROUTES,
    theory.check_self_check_01: theory.SELF_CHECK_01,
    terminology.check_terminology: terminology.TERMINOLOGY,
    terminology.check_self_check_02: terminology.SELF_CHECK_02,
}


def _key(quiz: Quiz) -> dict[str, str]:
    return {q.id: q.answer for q in quiz.questions}


@pytest.mark.parametrize("check", list(QUIZZES), ids=lambda f: f.__name__)
def test_quiz_checks_pass_with_the_key(check) -> None:
    result = check(_key(QUIZZES[check]))
    assert isinstance(result, CheckResult) and result.passed
    assert all(d.startswith("✓") for d in result.details)


@pytest.mark.parametrize("check", list(QUIZZES), ids=lambda f: f.__name__)
def test_quiz_checks_fail_on_every_wrong_option_with_its_feedback(check) -> None:
    quiz = QUIZZES[check]
    for q in quiz.questions:
        for key, _ in q.options:
            if key == q.answer:
                continue
            result = check({**_key(quiz), q.id: key})
            assert not result.passed
            assert f"{len(quiz.questions) - 1} of {len(quiz.questions)} correct" in result.feedback
            wrong = [d for d in result.details if d.startswith("✗")]
            assert len(wrong) == 1 and wrong[0].startswith(f"✗ {q.id}: not {key}.")
            if key in q.feedback:
                assert q.feedback[key] in wrong[0]
            assert q.option_text(q.answer) not in wrong[0]  # the answer is not given away


@pytest.mark.parametrize("check", list(QUIZZES), ids=lambda f: f.__name__)
def test_quiz_checks_handle_blank_and_junk(check) -> None:
    blank = check(QUIZZES[check].blank())
    assert not blank.passed and "Nothing answered yet" in blank.feedback
    junk = check({q.id: "zz" for q in QUIZZES[check].questions})
    assert not junk.passed and "is not one of the options" in junk.details[0]
    assert not check(["b"]).passed  # not a dict


def test_quiz_is_forgiving_about_case_brackets_and_unknown_ids() -> None:
    answers = {q.id: f" ({q.answer.upper()}) " for q in terminology.SELF_CHECK_02.questions}
    result = terminology.check_self_check_02({**answers, "q99": "a"})
    assert result.passed and "Ignored unknown question ids: q99." in result.details
    assert normalise_choice("  ") is None and normalise_choice(None) is None


def test_quiz_markdown_lists_every_option() -> None:
    text = theory.SELF_CHECK_01._repr_markdown_()
    for q in theory.SELF_CHECK_01.questions:
        assert f"**{q.id}**" in text
        for key, option in q.options:
            assert f"`{key}`: {option}" in text


def test_quiz_from_yaml_rejects_inconsistent_quizzes() -> None:
    with pytest.raises(ValueError, match="not in options"):
        quiz_from_yaml("id: x\ntitle: t\nintro: i\nquestions:\n- {id: q, prompt: p, "
                       "options: {a: A}, answer: b, explanation: e}")  # fmt: skip
    with pytest.raises(ValueError, match="not in options"):
        quiz_from_yaml("id: x\ntitle: t\nintro: i\nquestions:\n- {id: q, prompt: p, "
                       "options: {a: A, b: B}, answer: a, explanation: e, feedback: {a: f}}")  # fmt: skip
    with pytest.raises(ValueError, match="repeat"):
        quiz_from_yaml("id: x\ntitle: t\nintro: i\noptions: {a: A, b: B}\nquestions:\n"
                       "- {id: q, prompt: p, answer: a, explanation: e}\n"
                       "- {id: q, prompt: p, answer: a, explanation: e}")  # fmt: skip


def test_check_quiz_reports_a_single_question() -> None:
    quiz = quiz_from_yaml("id: x\ntitle: T\nintro: i\nquestions:\n- {id: q, prompt: p, "
                          "options: {a: A, b: B}, answer: a, explanation: Because.}")  # fmt: skip
    assert check_quiz(quiz, {"q": "a"}).details == ("✓ q: correct. Because.",)
    assert "Look again" in check_quiz(quiz, {"q": "b"}).details[0]


# ---------------------------------------------------------------- lesson 00


@pytest.mark.parametrize("answer", ["Shift+Enter", "shift + enter", "SHIFT-ENTER", "shift return"])
def test_run_shortcut_passes(answer: str) -> None:
    assert orientation.check_run_shortcut(answer).passed


@pytest.mark.parametrize(
    ("answer", "words"),
    [("Ctrl+Enter", "keeps you on it"), ("control + enter", "keeps you on it"),
     ("Cmd-Enter", "keeps you on it"), ("Alt+Enter", "inserts a new empty cell"),
     ("Enter", "opens the cell for editing"), ("F5", "Not that one"), ("", "Type your answer"),
     (None, "Type your answer")],
)  # fmt: skip
def test_run_shortcut_fails_with_a_specific_hint(answer, words: str) -> None:
    result = orientation.check_run_shortcut(answer)
    assert not result.passed and words in result.feedback


def test_practice_widget_saves_restores_and_clears(tmp_path: Path) -> None:
    w = PracticeWidget(tmp_path)
    assert w.choice.description and w.clear.tooltip
    assert "Not answered yet" in w.status.text
    w.choice.value = "often"
    assert json.loads((tmp_path / PRACTICE_FILE).read_text())["choices"] == {"familiarity": "often"}
    assert "Saved" in w.status.text
    again = PracticeWidget(tmp_path)
    assert again.choice.value == "often" and "Restored your earlier answer" in again.status.text
    again.clear.click()
    assert again.choice.value is None and "cleared" in again.status.text
    assert PracticeWidget(tmp_path).choice.value is None


def test_practice_widget_adopts_the_old_save_file(tmp_path: Path) -> None:
    from course_lib.widgets.explorer import LEGACY_PRACTICE_FILE

    PracticeWidget(tmp_path).choice.value = "some"
    (tmp_path / PRACTICE_FILE).rename(tmp_path / LEGACY_PRACTICE_FILE)
    w = PracticeWidget(tmp_path)
    assert w.choice.value == "some" and not (tmp_path / LEGACY_PRACTICE_FILE).exists()
    assert f"moved from {LEGACY_PRACTICE_FILE} to {PRACTICE_FILE}" in w.status.text


def test_practice_widget_corrupt_file(tmp_path: Path) -> None:
    (tmp_path / PRACTICE_FILE).write_text("{", encoding="utf-8")
    w = PracticeWidget(tmp_path)
    assert "could not be read" in w.status.text and w.choice.value is None


# ---------------------------------------------------------------- lesson 01


def test_bread_study_passes() -> None:
    result = theory.check_bread_study(24, 70, 51)
    # the strong demand's effect shrank; it did not reverse (51% is twice the 24% baseline)
    assert result.passed and "shrank" in result.feedback and "twice" in result.feedback
    assert "backfire" not in result.feedback
    assert theory.check_bread_study("24", 70.0, 51).passed


@pytest.mark.parametrize(
    ("args", "words"),
    [((None, None, None), "Replace each None"), ((24, 51, 70), "swapped"),
     ((24, 70, 50), "strong"), ((20, 70, 51), "no influence"), ((0.24, 0.7, 0.51), "not proportions"),
     (("24%", 70, 51), "as a number")],
)  # fmt: skip
def test_bread_study_fails_with_specific_feedback(args, words: str) -> None:
    result = theory.check_bread_study(*args)
    assert not result.passed and words in result.feedback
