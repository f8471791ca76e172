"""Every lesson in a real browser, and axe-core on what the course draws there.

Each lesson (but 04) is opened in JupyterLab and run with Run All; then there must be no
error output, at least one widget and one chart with data, one widget interaction must
change what is shown, and axe-core must find no serious or critical violation in the
notebook's output areas (colour contrast included). Lesson 04 gets the same checks in
``test_browser_keyboard.py``, where a student does the whole case scoring by keyboard (one
Run All per lesson). A feedback page written by the grading code is checked with axe-core
from ``file://``. Violations are printed by rule id; a failing step names its screenshot.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from axe_support import blocking, report, run_axe
from browser_support import NotebookDriver
from conftest import LESSONS
from test_browser import RUN_ALL_TIMEOUT_MS, _serve

pytestmark = pytest.mark.browser

KEYBOARD_LESSON = "04_scoring_sample_cases.ipynb"  # see test_browser_keyboard.py
# One interaction per lesson: ("radio", group name pattern, option index), ("button", name)
# or ("select", label): focus the drop-down and press the down arrow.
INTERACTIONS: dict[str, tuple[Any, ...]] = {
    "00_how_to_use": ("radio", r"^How familiar are you with Jupyter notebooks\?$", 1),
    "01_what_reactance_is": ("radio", r"^Try a scenario$", 1),
    "02_trait_state_resistance": ("radio", r"^Statement 1$", 0),
    "03_two_faces_and_assessment": ("radio", r"^Item 1, ", 2),
    "05_where_to_start": ("select", "Case"),  # by keyboard: its cases were once mouse-only
    "06_what_to_say": ("button", "Commit my response"),
}
LESSON_FILES = sorted(p.name for p in LESSONS.glob("*.ipynb") if p.name != KEYBOARD_LESSON)
WIDGET_VIEW = ".jp-OutputArea-output .jupyter-widgets"
CHARTS_WITH_DATA = """() => Array.from(document.querySelectorAll(
    '.jp-OutputArea-output.js-plotly-plot, .jp-OutputArea-output .js-plotly-plot'))
  .filter(el => Array.isArray(el.data) && el.data.some(t =>
    ['x', 'y', 'z', 'values'].some(k => t[k] && t[k].length > 0))).length"""




def test_every_lesson_has_an_interaction() -> None:
    """A new lesson must say which widget interaction its browser test performs."""
    assert sorted(INTERACTIONS) == [Path(name).stem for name in LESSON_FILES]


def wait_for_charts(page: Any, timeout: float = 30.0) -> int:
    """How many charts with data are drawn, waiting up to ``timeout`` for the first."""
    deadline = time.monotonic() + timeout
    count = page.evaluate(CHARTS_WITH_DATA)
    while count == 0 and time.monotonic() < deadline:
        time.sleep(0.25)
        count = page.evaluate(CHARTS_WITH_DATA)
    return count


def assert_no_blocking_violations(
    page: Any, where: str, include: str | None = None
) -> list[dict[str, Any]]:
    """Run axe-core, print every violation by rule id, fail on a serious or critical one;
    return them all."""
    violations = run_axe(page, include) if include is not None else run_axe(page)
    print(report(violations, where))
    serious = blocking(violations)
    assert not serious, report(serious, where)
    return violations


def interact(page: Any, spec: tuple[Any, ...]) -> Any:
    """Perform the lesson's interaction; return the output area it should change."""
    from playwright.sync_api import expect

    if spec[0] == "radio":
        group = page.get_by_role("radiogroup", name=re.compile(spec[1])).first
        output = page.locator(".jp-OutputArea-output").filter(has=group).last
        before = output.inner_text()
        group.locator(".course-choice__face").nth(spec[2]).click()
        expect(group.get_by_role("radio").nth(spec[2])).to_be_checked()
    elif spec[0] == "select":
        target = page.get_by_label(spec[1], exact=True).first
        output = page.locator(".jp-OutputArea-output").filter(has=target).last
        before = output.inner_text()
        target.focus()
        page.keyboard.press("ArrowDown")
    else:
        target = page.get_by_role("button", name=spec[1]).first
        output = page.locator(".jp-OutputArea-output").filter(has=target).last
        before = output.inner_text()
        target.click()
    expect(output).not_to_have_text(before)
    return output


@pytest.mark.slow
@pytest.mark.parametrize("notebook", LESSON_FILES)
def test_lesson_runs_in_jupyterlab_with_widgets_charts_and_no_axe_violations(
    notebook: str, page: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    lab = _serve(tmp_path, request, {notebook: LESSONS / notebook})
    nb = NotebookDriver(page, lab, notebook, tmp_path / "screenshots")
    with nb.step("open and Run All"):
        nb.open()
        nb.run_all()
        nb.wait_all_ran(RUN_ALL_TIMEOUT_MS)
    with nb.step("no error output"):
        assert nb.errors() == [], nb.errors()
    with nb.step("at least one widget and one chart with data"):
        expect(page.locator(WIDGET_VIEW).first).to_be_visible()
        assert page.locator(f"{WIDGET_VIEW} :is(.course-choice, button)").count() > 0
        assert wait_for_charts(page) > 0, "no plotly chart with data in the outputs"
    with nb.step("axe-core: no serious or critical violation in the outputs"):
        assert_no_blocking_violations(page, f"{notebook} after Run All")
    with nb.step("one widget interaction changes what is shown"):
        interact(page, INTERACTIONS[Path(notebook).stem])


@pytest.mark.parametrize("status", ["graded", "timeout"])
def test_a_feedback_page_has_no_serious_axe_violations(
    status: str, page: Any, tmp_path: Path
) -> None:
    """The grading code's feedback page, opened from disk as a student opens it: being all
    the course's own, it must pass every axe-core rule, not only the serious ones."""
    import nbformat

    from course_lib.grading.feedback import feedback_html
    from course_lib.grading.rows import Row
    from course_lib.grading.verdict import QuestionResult

    source = Path(__file__).parent / "fixtures" / "mini_course" / "source" / "t1" / "t1.ipynb"
    template = nbformat.read(source, as_version=4)
    row = Row(
        "amara",
        "t1",
        "t1",
        status,
        auto_score=1.0,
        questions=[
            QuestionResult("t1_q1", 1.0, "Correct."),
            QuestionResult("t1_q2", 0.0, "See each case.", ("Case A: ratings 0.31 of 0.40",)),
        ],
    )
    manual = {"cells": {"t1_written": {"max": 2.0, "score": None}}, "comments": {}}
    path = tmp_path / "feedback" / "t1.html"
    path.parent.mkdir()
    path.write_text(feedback_html(row, template, manual), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator("h1").inner_text().startswith("Feedback")
    where = f"feedback page ({status})"
    violations = assert_no_blocking_violations(page, where, include="")
    assert violations == [], report(violations, where)  # the whole page is ours: nothing at all
