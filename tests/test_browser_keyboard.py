"""A student does lesson 04's case scoring with the keyboard alone, in Chromium.

After the page has loaded there is no click: Run All from the command palette, arrow keys to
the cell below the scorer, Shift+Tab into the scorer, Tab between the groups, arrow keys and
Space inside each group, Enter on Check, Tab to the feedback's data table and Enter to open
it. The save file must then hold exactly those answers. The same visit gives lesson 04 the
checks every lesson gets in ``test_browser_lessons.py``: no error output, a widget, a chart
with data, an interaction that changed what is shown, and no serious or critical axe-core
violation in the outputs (now including the feedback and its charts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from browser_support import NotebookDriver
from conftest import LESSONS
from test_browser import RUN_ALL_TIMEOUT_MS, _saved, _serve
from test_browser_lessons import WIDGET_VIEW, assert_no_blocking_violations, wait_for_charts

pytestmark = pytest.mark.browser

LESSON04 = "04_scoring_sample_cases.ipynb"
MAX_TABS = 80  # a bound on any walk from one control to the next
FOCUSED = """() => { const e = document.activeElement; if (!e) return {};
  return {tag: e.tagName, type: e.type || '', name: e.getAttribute('aria-label') || '',
          text: (e.textContent || '').trim().slice(0, 80), checked: !!e.checked,
          inScorer: !!e.closest('.jp-OutputArea-output')}; }"""

POSITION = """() => { const e = document.activeElement;
  return Array.from(e.closest('fieldset').querySelectorAll('input')).indexOf(e); }"""
ACTIVE_CELL = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))
  .findIndex(c => c.classList.contains('jp-mod-active'))"""




def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def press_until(page: Any, key: str, wanted: Any, what: str) -> dict[str, Any]:
    """Press ``key`` until the focused element satisfies ``wanted``; fail naming the trail."""
    trail = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            return now
        trail.append(now.get("name") or f"{now.get('tag')} {now.get('text', '')[:30]}")
    raise AssertionError(f"{key} x{MAX_TABS} never reached {what}; passed: {trail[:10]} ... {trail[-6:]}")


def choose(page: Any, group: str, index: int, key: str) -> None:
    """Tab into the unanswered ``group`` (its first option), then choose option ``index``:
    Space chooses the focused option, an arrow key moves and chooses in one step."""
    press_until(page, "Tab", lambda f: f.get("name", "").endswith(f", {group}"), group)
    assert page.evaluate(POSITION) == 0, f"Tab into {group} did not land on its first option"
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press(key)
    now = focused(page)
    assert now["checked"] and now["name"].endswith(f", {group}"), now
    assert page.evaluate(POSITION) == index, now


def scorer_cell_index(notebook: Path) -> tuple[int, int]:
    """The index of the cell that shows the scorer, and the number of cells."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    index = next(i for i, c in enumerate(cells) if "CaseScorer(" in "".join(c["source"]))
    return index, len(cells)


@pytest.mark.slow
def test_lesson04_case_scoring_with_the_keyboard_alone(
    page: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    from course_lib.content import load_cases, load_rubric
    from course_lib.widgets.case_scorer import short_label
    from course_lib.widgets.feedback import TRAIT_STATE_LABELS

    rubric = load_rubric()
    case = load_cases(which="practice")[0]  # the scorer opens on the first case
    label = f"case {short_label(case)}"
    ratings = {m.id: (i + 1) % 4 for i, m in enumerate(rubric.markers)}  # 0 to 3, each used
    bands = [b.id for b in sorted(rubric.placement.bands, key=lambda b: b.lower)]
    choices = {"band": "mid", "trait_or_state": "state", "stance": "collaborative"}
    indexes = {
        "Band": bands.index(choices["band"]),
        "Trait or state": list(TRAIT_STATE_LABELS).index(choices["trait_or_state"]),
        "Opening stance": [s.id for s in rubric.stances].index(choices["stance"]),
    }
    lab = _serve(tmp_path, request, {LESSON04: LESSONS / LESSON04})
    nb = NotebookDriver(page, lab, LESSON04, tmp_path / "screenshots")
    scorer_at, n_cells = scorer_cell_index(LESSONS / LESSON04)

    with nb.step("open the lesson (the last use of anything but the keyboard)"):
        nb.open()
    with nb.step("Run All from the command palette, by keyboard"):
        page.keyboard.press("Control+Shift+c")
        page.keyboard.type("Run All Cells")
        active = page.locator(".lm-CommandPalette-item.lm-mod-active .lm-CommandPalette-itemLabel")
        expect(active).to_have_text("Run All Cells")
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Check my answers")).to_be_visible(
            timeout=RUN_ALL_TIMEOUT_MS
        )
        nb.wait_all_ran(RUN_ALL_TIMEOUT_MS)
        assert nb.errors() == [], nb.errors()
        expect(page.locator(WIDGET_VIEW).first).to_be_visible()
    with nb.step("arrow keys to the cell below the scorer, Shift+Tab into the scorer"):
        page.keyboard.press("Escape")  # command mode
        for _ in range(n_cells):
            active = page.evaluate(ACTIVE_CELL)
            if active == scorer_at + 1:
                break
            page.keyboard.press("ArrowUp" if active > scorer_at + 1 else "ArrowDown")
        assert page.evaluate(ACTIVE_CELL) == scorer_at + 1
        press_until(page, "Shift+Tab", lambda f: f.get("tag") == "SELECT", "the Case picker")
        assert page.evaluate("() => document.activeElement.labels[0].textContent") == "Case"
    with nb.step("rate every marker with Tab, the arrow keys and Space"):
        for i, marker in enumerate(rubric.markers):
            choose(page, f"{marker.name}, {label}", ratings[marker.id], "ArrowRight")
            if i == 0:  # the focus is visible: a 3 px ring around the chosen option
                ring = page.evaluate(
                    "() => getComputedStyle(document.activeElement.nextElementSibling)"
                    ".outlineWidth"
                )
                assert ring == "3px", ring
    with nb.step("set band, trait or state, and stance"):
        for group, index in indexes.items():
            choose(page, f"{group}, {label}", index, "ArrowDown")
    with nb.step("Tab to Check and press Enter: focus moves to the feedback"):
        press_until(
            page, "Tab", lambda f: f.get("text") == "Check my answers", "the Check button"
        )
        page.keyboard.press("Enter")
        heading = page.get_by_role("heading", name=f"Feedback on {case.title}")
        expect(heading).to_be_visible()
        expect(heading).to_be_focused()
        status = page.get_by_role("status").filter(has_text="Checked: your answers are locked")
        expect(status.first).to_be_visible()
    with nb.step("Tab to the marker chart's data table and open it with Enter"):
        summary = press_until(
            page,
            "Tab",
            lambda f: f.get("tag") == "SUMMARY" and "Your ratings and the expert" in f["text"],
            "the data table of the marker chart",
        )
        page.keyboard.press("Enter")
        table = page.locator("details[open] table").filter(has_text="Expert").first
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() == len(rubric.markers), summary
    with nb.step("the save file holds exactly the keyboard's answers"):
        saved = _saved(lab.root / "lesson04.answers.json", case.id)
        assert saved.get("checked") is True, saved
        assert saved.get("ratings") == ratings, saved
        assert {k: saved.get(k) for k in choices} == choices, saved
    with nb.step("the feedback's charts have data; axe-core finds nothing serious"):
        assert wait_for_charts(page) >= 2
        assert_no_blocking_violations(page, f"{LESSON04} after a keyboard-only Check")
