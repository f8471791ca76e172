"""The class report's charts: each one finished, drawing exactly the model's numbers.

The reports are hand-built in ``report_examples``; a statistic that is ``None`` must be left
out of its chart and named in the summary, and a chart with nothing to draw refuses.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from report_examples import HOSTILE, class_report, empty_report, single_report

from course_lib.display import describe
from course_lib.plots import class_cases as cases
from course_lib.plots import class_report as scores
from course_lib.plots.class_report import NothingToDraw
from course_lib.plots.theme import PALETTE
from course_lib.report.model import DIFFICULTY_RANGE, MIN_DISCRIMINATION

REPORT = class_report()
A1, A2 = REPORT.assignments
NAMES = {"counters_suggestions": "Counters suggestions", "avoids_disagreement": "Keeps quiet"}


def _finished(fig: go.Figure, summary: str) -> None:
    """Title, both axis titles, the palette, and the summary as the figure's description."""
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert list(fig.layout.colorway) == PALETTE
    assert describe(fig) == summary
    assert "nan" not in summary.lower() and "None" not in summary


def _field(field: str, report=REPORT, assignment: str = "a2") -> list:
    return [c for c in report.choices if c.field == field and c.assignment == assignment]


def test_score_figure_draws_every_total_and_marks_the_points_possible() -> None:
    fig = scores.score_figure(A1)
    summary = scores.score_summary(A1)
    _finished(fig, summary)
    assert summary == "Mean 4.88 of 9 over 4 students; 1 student scored 0; 1 did not submit."
    (hist,) = fig.data
    assert sorted(hist.x) == sorted(A1.totals.values())
    assert [s.x0 for s in fig.layout.shapes] == [9.0]  # the max_points line
    assert fig.layout.yaxis.dtick == 1  # whole students
    assert HOSTILE not in fig.to_json()  # totals only: no student id on the chart


def test_score_figure_refuses_an_assignment_nobody_submitted() -> None:
    (nobody,) = empty_report().assignments
    with pytest.raises(NothingToDraw):
        scores.score_figure(nobody)
    assert scores.score_summary(nobody) == "No graded notebook yet (out of 12); 3 did not submit."


def test_status_figure_counts_notebook_rows_graded_first() -> None:
    fig = scores.status_figure(A1)
    _finished(fig, scores.status_summary(A1))
    (bars,) = fig.data
    assert list(bars.x) == ["graded", "missing-notebook", "timeout"]
    assert list(bars.y) == [3, 1, 1]
    assert scores.status_summary(A1) == "5 notebook rows: 3 graded, 1 missing-notebook, 1 timeout."


def test_item_figure_plots_difficulty_against_discrimination_flagged_by_symbol() -> None:
    items = [i for i in REPORT.items if i.assignment == "a1"]
    fig = scores.item_figure(items, title="Questions")
    _finished(fig, scores.item_summary(items))
    plain, flagged = fig.data
    assert (list(plain.x), list(plain.y)) == ([0.9], [0.55])
    assert (list(flagged.x), list(flagged.y)) == ([0.25, 0.97], [0.12, 0.3])
    assert list(flagged.text) == ["q2_spot", "q3_easy"]  # flagged points are labelled
    assert plain.marker.symbol != flagged.marker.symbol
    rect, line = fig.layout.shapes
    assert (rect.x0, rect.x1) == DIFFICULTY_RANGE
    assert line.y0 == line.y1 == MIN_DISCRIMINATION
    summary = scores.item_summary(items)
    assert "2 flagged: q2_spot (low discrimination), q3_easy (too easy)" in summary
    assert "q4_same (no variance: every student scored the same)" in summary
    assert "q5_none (no student has a score for it)" in summary


def test_item_figure_refuses_when_no_question_has_both_statistics() -> None:
    items = single_report().items
    with pytest.raises(NothingToDraw):
        scores.item_figure(items, title="Questions")
    assert "left out, no statistic: q1 (one student" in scores.item_summary(items)


def test_choice_figure_counts_each_option_and_marks_the_key() -> None:
    tables = _field("band")
    fig = cases.choice_figure(tables)
    _finished(fig, cases.choice_summary(tables))
    (heat,) = fig.data
    assert list(heat.x) == ["low", "mid", "high"]
    assert [list(r) for r in heat.customdata] == [[0, 1, 3], [1, 2, 1]]
    assert [list(r) for r in heat.z] == [[0, 0.25, 0.75], [0.25, 0.5, 0.25]]
    assert [list(r) for r in heat.text] == [
        ["0", "1 partial", "<b>3 key</b>"],
        ["<b>1 key</b>", "2", "1"],
    ]
    assert cases.choice_summary(tables) == (
        "Band: 50% of 8 choices matched the key; the most common choice was the key's in 1 of "
        "2 cases; least agreed: a03 (25% chose low)."
    )


def test_choice_figure_with_a_case_nobody_answered_and_with_none_at_all() -> None:
    tables = _field("trait_or_state")
    fig = cases.choice_figure(tables)
    assert [list(r) for r in fig.data[0].z] == [[0.75, 0.25], [0.0, 0.0]]
    assert cases.choice_summary(tables).endswith("no answers for a03.")
    empty = _field("band", empty_report())
    with pytest.raises(NothingToDraw):
        cases.choice_figure(empty)
    assert cases.choice_summary(empty) == "Band: no answers recorded for any case."


def test_marker_figure_is_centred_on_zero_with_the_differences_as_text() -> None:
    markers = REPORT.markers
    fig = cases.marker_figure(markers, labels=NAMES)
    _finished(fig, cases.marker_summary(markers, NAMES))
    (heat,) = fig.data
    assert list(heat.y) == ["a01", "a03"]
    assert list(heat.x) == ["Counters suggestions", "Keeps quiet"]
    assert [list(r) for r in heat.z] == [[0.25, -1.5], [0.75, None]]
    assert [list(r) for r in heat.text] == [["+0.25", "-1.50"], ["+0.75", "—"]]
    assert heat.zmid == 0 and heat.zmin == -heat.zmax
    summary = cases.marker_summary(markers, NAMES)
    assert summary.startswith(
        "Largest misjudgements: the class under-rates Keeps quiet in a01 by 1.50 "
        "(key 3, class mean 1.50); the class over-rates Counters suggestions in a03 by 0.75"
    )
    assert summary.endswith("1 marker(s) not rated by anyone.")
    with pytest.raises(NothingToDraw):
        cases.marker_figure(empty_report().markers)


def test_icc_figure_leaves_out_cases_without_an_icc_and_names_them() -> None:
    fig = cases.icc_figure(REPORT.agreement)
    _finished(fig, cases.icc_summary(REPORT.agreement))
    (bars,) = fig.data
    assert (list(bars.x), list(bars.y)) == (["a01"], [0.62])
    assert cases.icc_summary(REPORT.agreement) == (
        "ICC(A,1) 0.62 for a01 (4 raters); not computed for a03 "
        "(only one student rated every marker)."
    )
    with pytest.raises(NothingToDraw):
        cases.icc_figure(single_report().agreement)


def test_kappa_figure_draws_each_students_kappa_and_the_median() -> None:
    fig = cases.kappa_figure(REPORT.kappas)
    _finished(fig, cases.kappa_summary(REPORT.kappas))
    (hist,) = fig.data
    assert sorted(hist.x) == [0.35, 0.81]
    assert fig.layout.shapes[0].x0 == pytest.approx(0.58)
    assert cases.kappa_summary(REPORT.kappas) == (
        "Median kappa with the key 0.58 over 2 students (from 0.35 to 0.81); no kappa for 1 "
        "student: every rating the same (1)."
    )
    one = single_report().kappas
    assert list(cases.kappa_figure(one).data[0].x) == [0.5]
    with pytest.raises(NothingToDraw):
        cases.kappa_figure(())


@pytest.mark.parametrize("value", [0.0, -0.001, 2.6666, 4.875, 9.0, 0.5, 123.456, -1.005])
def test_points_are_written_as_on_the_feedback_pages(value: float) -> None:
    from course_lib.grading.feedback import points_text

    assert scores.points_text(value) == points_text(value)
