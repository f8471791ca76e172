"""What ``grade`` prints while it runs and at the end: scores to at most 2 decimals."""

from __future__ import annotations

import pytest

from course_lib.grading.cli_commands import _progress
from course_lib.grading.reports import summary_table
from course_lib.grading.rows import Row


def _row(score: float | None) -> Row:
    return Row("amara", "a2_cases", "a2_cases", "graded", auto_score=score, auto_max=9.0)


def test_the_summary_table_rounds_scores_to_two_decimals() -> None:
    table = summary_table([_row(4.786666666), _row(None)])
    assert "4.79/9" in table and "4.7867" not in table and "4.786" not in table
    assert " - " in table.splitlines()[-1]  # not graded: a dash, never 0


def test_progress_lines_round_scores_to_two_decimals(capsys: pytest.CaptureFixture[str]) -> None:
    _progress(3, 14, _row(4.786666666))
    line = capsys.readouterr().err
    assert line.startswith("[3/14] amara a2_cases/a2_cases: graded 4.79/9 (")
    assert "4.7867" not in line
