"""Lesson 06's self-check and its chart of the worked sessions' directiveness."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from course_lib.content.sessions import load_session
from course_lib.display import PLOTLY_MIME, Chart, describe
from course_lib.exercises.lesson_checks_06 import SELF_CHECK_06, check_self_check_06
from course_lib.plots.responses import directiveness_chart, directiveness_series

RIGHT = {q.id: q.answer for q in SELF_CHECK_06.questions}


def test_right_answers_pass() -> None:
    result = check_self_check_06(RIGHT)
    assert result.passed and result.feedback.startswith(f"{len(RIGHT)} of {len(RIGHT)}")


@pytest.mark.parametrize("question", [q.id for q in SELF_CHECK_06.questions])
def test_each_wrong_answer_fails_with_its_own_feedback(question: str) -> None:
    q = next(q for q in SELF_CHECK_06.questions if q.id == question)
    for wrong, _text in q.options:
        if wrong == q.answer:
            continue
        result = check_self_check_06({**RIGHT, question: wrong})
        assert not result.passed
        line = next(d for d in result.details if d.startswith(f"✗ {question}"))
        assert q.feedback[wrong] in line


def test_nothing_answered_does_not_pass() -> None:
    assert not check_self_check_06(SELF_CHECK_06.blank())


def test_no_self_check_question_is_about_paradox() -> None:
    text = " ".join(q.prompt + " ".join(t for _, t in q.options) for q in SELF_CHECK_06.questions)
    assert "paradox" not in text.lower()


def test_directiveness_chart_plots_every_therapist_turn_of_both_sessions() -> None:
    sessions = [load_session("oppositional"), load_session("compliant")]
    fig = directiveness_chart(sessions)
    assert isinstance(fig, go.Figure) and len(fig.data) == 2
    for trace, session in zip(fig.data, sessions, strict=True):
        minutes, levels = directiveness_series(session)
        assert list(trace.x) == minutes and list(trace.y) == levels
        assert session.pole in trace.name
    assert fig.data[0].line.dash != fig.data[1].line.dash  # not told apart by colour alone
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2, 3]
    text = describe(fig)
    assert "teaching convention" in text and "Callum" in text and "Wendy" in text
    bundle = Chart(fig)._repr_mimebundle_()
    assert PLOTLY_MIME in bundle and fig.layout.xaxis.title.text
    with pytest.raises(ValueError):
        directiveness_chart([])
