"""The class report's page: self-contained, every chart with its summary, nothing unescaped,
and a missing statistic shown as its reason (never NaN or None).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs
from report_examples import HOSTILE, class_report, empty_report, single_report

from course_lib.plots import class_cases as cases
from course_lib.plots import class_report as scores
from course_lib.report.model import ClassReport
from course_lib.report.page import page_html, write_page

PLOTLY_JS = get_plotlyjs()
NAMES = {"counters_suggestions": "Counters suggestions", "avoids_disagreement": "Keeps quiet"}
CHART_DIV = re.compile(r"<div id=\"(chart-\d+)\" class=\"plotly-graph-div\"")


@pytest.fixture(scope="module")
def page() -> str:
    return page_html(class_report(), marker_names=NAMES)


def _without_plotly(text: str) -> str:
    assert text.count(PLOTLY_JS) == 1, "plotly.js must be inlined exactly once"
    return text.replace(PLOTLY_JS, "")


def _captions(text: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", text)]


def _no_chart(text: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<p class='no-chart'>(.*?)</p>", text)]


def _assert_clean(text: str) -> None:
    rest = _without_plotly(text)
    assert not re.search(r"<script[^>]*\bsrc\s*=", rest), "no script may load from elsewhere"
    assert "cdn" not in rest.lower()
    found = re.findall(r".{30}\b(?:NaN|nan|None)\b.{30}", rest)
    assert not found, found
    assert rest.startswith("<!DOCTYPE html><html lang='en'>")
    assert "<title>Class report: " in rest


def test_page_inlines_plotly_once_and_loads_nothing_from_the_network(page: str) -> None:
    _assert_clean(page)
    assert page.index(PLOTLY_JS) < page.index("chart-1")  # loaded before the first chart
    # JupyterLab's HTML viewer runs no script until trusted: the page says what to do.
    assert "<noscript>" in page and "Trust HTML" in page


def test_every_chart_is_present_beside_its_summary(page: str) -> None:
    report = class_report()
    a1, a2 = report.assignments
    items = [i for i in report.items if i.assignment == "a1"]
    band, trait, stance = (
        [c for c in report.choices if c.field == f] for f in ("band", "trait_or_state", "stance")
    )
    expected = [
        scores.score_summary(a1),
        scores.status_summary(a1),
        scores.item_summary(items),
        scores.score_summary(a2),
        scores.status_summary(a2),
        cases.marker_summary(report.markers, NAMES),
        cases.choice_summary(band),
        cases.choice_summary(trait),
        cases.choice_summary(stance),
        cases.icc_summary(report.agreement),
        cases.kappa_summary(report.kappas),
    ]
    assert _captions(page) == expected
    assert CHART_DIV.findall(page) == [f"chart-{n}" for n in range(1, len(expected) + 1)]
    assert _no_chart(page) == []
    # Each chart's div and its caption sit in the same <figure>.
    figures = re.findall(r"<figure class='chart'>(.*?)</figure>", page, flags=re.S)
    assert len(figures) == len(expected)
    assert all(CHART_DIV.search(f) and "<figcaption>" in f for f in figures)


def test_untrusted_ids_and_titles_are_escaped(page: str) -> None:
    assert HOSTILE not in page
    assert html.escape(HOSTILE) in page
    assert "<friends>" not in _without_plotly(page)
    assert "Assignment 1: spotting reactance &amp; &lt;friends&gt;" in page
    assert "infrastructure-error &amp; &lt;more&gt;" in page  # the report's notes


def test_tables_show_missing_statistics_as_a_dash_with_the_reason(page: str) -> None:
    assert "<td>a03</td><td>Akosua&#x27;s list</td><td>1</td><td>—</td>" in page
    assert "only one student rated every marker" in page
    assert "<td>—</td><td></td><td>no variance: every student scored the same</td>" in page
    assert "Flagged questions" in page and "<td>low discrimination</td>" in page
    assert "<strong>3 (key)</strong>" in page and "1 (partial credit)" in page
    # Band confusion table: a01's key is high (0, 1, 3 chosen), a03's low (1, 2, 1).
    assert "<td>high</td><td>1</td><td>0</td><td>1</td><td><strong>3</strong></td>" in page
    assert "<td>low</td><td>1</td><td><strong>1</strong></td><td>2</td><td>1</td>" in page
    # Lists of students fold away: at 300 students they would bury the charts.
    for label in ("Students who scored zero (1) or did not submit (1)", "lowest first"):
        assert re.search(rf"<details><summary>[^<]*{re.escape(label)}", page), label


def test_an_assignment_nobody_submitted_shows_sentences_not_empty_charts() -> None:
    report = empty_report()
    page = page_html(report, marker_names=NAMES)
    _assert_clean(page)
    (a2,) = report.assignments
    assert CHART_DIV.findall(page) == ["chart-1"]  # only the status counts can be drawn
    assert _captions(page) == [scores.status_summary(a2)]
    assert _no_chart(page) == [
        scores.score_summary(a2),
        scores.item_summary(report.items),
        cases.marker_summary(report.markers, NAMES),
        cases.choice_summary(report.choices),
        cases.icc_summary(report.agreement),
    ]
    assert "nobody submitted this assignment" in page


def test_a_single_student_and_an_empty_report() -> None:
    page = page_html(single_report(), marker_names={})
    _assert_clean(page)
    assert len(CHART_DIV.findall(page)) == 5  # scores, status, markers, band, kappa
    assert "one rater: ICC needs two" in page
    assert "seeks_direction" in page  # a marker without a name shows its id
    empty = page_html(ClassReport("/tmp/out", (), (), (), (), (), ()), marker_names={})
    _assert_clean(empty)
    assert "No assignment was graded in this folder." in empty
    assert not CHART_DIV.findall(empty)


def test_write_page_makes_its_folder_and_names_markers_from_the_rubric(tmp_path: Path) -> None:
    path = write_page(class_report(), tmp_path / "report" / "index.html")
    assert path == tmp_path / "report" / "index.html"
    text = path.read_text(encoding="utf-8")
    _assert_clean(text)
    assert "Counters suggestions" in text and "Keeps disagreement hidden" in text
