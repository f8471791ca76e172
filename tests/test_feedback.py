"""The feedback page's words and numbers, on rows the pipeline produces (no kernel needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_lib.grading.feedback import feedback_html, points_text, total_sentence
from course_lib.grading.rows import Row
from course_lib.grading.verdict import QuestionResult

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_course" / "source" / "t1" / "t1.ipynb"
TEMPLATE = nbformat.read(MINI, as_version=4)
WRITTEN = "t1_written"


def manual(score: float | None) -> dict[str, Any]:
    return {"cells": {WRITTEN: {"max": 2.0, "score": score}}, "comments": {}}


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.6666666, "2.67"), (1.3333, "1.33"), (3.0, "3"), (1.5, "1.5"), (0.004, "0"), (10, "10")],
)
def test_points_have_at_most_two_decimals(value: float, text: str) -> None:
    assert points_text(value) == text


def test_totals_say_what_is_graded_and_what_is_awaited() -> None:
    row = Row("s", "t1", "t1", "graded", auto_score=7 / 3, auto_max=3.0)
    assert total_sentence(row, 3.0, manual(None)) == (
        "Autograded questions: 2.33 / 3. Written answers: awaiting your instructor (2 points). "
        "Total so far: 2.33 / 5, with 2 points still awaiting your instructor."
    )
    assert total_sentence(row, 3.0, manual(1.25)) == (
        "Autograded questions: 2.33 / 3. Written answers: 1.25 / 2. Total: 3.58 / 5."
    )
    assert total_sentence(row, 3.0, {}) == "Autograded questions: 2.33 / 3. Total: 2.33 / 3."
    one = {"cells": {WRITTEN: {"max": 1.0, "score": None}}, "comments": {}}
    assert total_sentence(row, 3.0, one).endswith("with 1 point still awaiting your instructor.")


def test_a_notebook_timeout_is_not_blamed_on_one_slow_cell() -> None:
    where = "your answer cell under “Question 2 (2 points): doubling”"
    cell = Row("s", "t1", "t1", "timeout", detail=f"{where} ran longer than 30 s", stopped_in=where)
    whole = Row(
        "s",
        "t1",
        "t1",
        "timeout",
        detail=f"the notebook ran longer than 300 s (in {where}); answers collected before",
        stopped_in=where,
    )
    assert f"Grading stopped in {where}, which ran for longer" in _page(cell)
    assert (
        "Your notebook as a whole ran for longer than the time allowed, and grading stopped "
        in (_page(whole))
    )


def test_question_feedback_lists_its_details_and_escapes_them() -> None:
    row = Row(
        "s",
        "t1",
        "t1",
        "graded",
        auto_score=1.0,
        questions=[
            QuestionResult("t1_q1", 1.0, "Correct."),
            QuestionResult("t1_q2", 0.0, "See each case.", ("“<b>A</b>”: ratings: 0.31 of 0.40",)),
        ],
    )
    page = _page(row)
    assert "<ul><li>“&lt;b&gt;A&lt;/b&gt;”: ratings: 0.31 of 0.40</li></ul>" in page
    assert "<td>Question 2 (2 points): doubling</td><td>0 / 2</td>" in page


def _page(row: Row) -> str:
    return " ".join(feedback_html(row, TEMPLATE, manual(None)).split())
