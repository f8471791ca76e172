"""One real-browser test: lesson 04's case scorer in JupyterLab, driven by Chromium.

Runs lesson 04 (a temporary copy) with Run All, rates the first practice case with the
expert's own ratings, presses Check, and asserts that the feedback and a plotly chart render
inside the widget and that ``lesson04.answers.json`` records the case as checked.

Skipped when ``/usr/bin/chromium`` or ``playwright`` is missing, unless
``COURSE_REQUIRE_BROWSER=1``, in which case their absence is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, TRACKER_PLUGIN, LabServer, start_lab
from conftest import LESSONS

pytestmark = pytest.mark.browser

NOTEBOOK = "04_scoring_sample_cases.ipynb"
SAVE_FILE = "lesson04.answers.json"
RUN_ALL_TIMEOUT_MS = 120_000  # first Run All: kernel start, imports, first plotly bundle
STEP_TIMEOUT_MS = 60_000
IDLE = re.compile(r"\| Idle")


def _require_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed"
    if reason is None:
        return
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"real-browser test skipped: {reason}")


@pytest.fixture
def lab(tmp_path: Path, request: pytest.FixtureRequest) -> LabServer:
    """JupyterLab serving a temporary folder holding a copy of lesson 04."""
    _require_browser()
    root = tmp_path / "work"
    root.mkdir()
    shutil.copy(LESSONS / NOTEBOOK, root / NOTEBOOK)
    server = start_lab(root, tmp_path / "state")
    request.addfinalizer(server.stop)
    server.wait_ready()
    return server


@contextmanager
def _step(name: str, shoot: Callable[[str], str]) -> Iterator[None]:
    """Name the failing step and attach a screenshot path to any failure inside it."""
    try:
        yield
    except Exception as exc:  # Playwright timeouts and assertion errors alike
        path = shoot(name)
        raise AssertionError(f"step '{name}' failed: {exc}\nscreenshot: {path}") from exc


def _wait_kernel_idle(lab: LabServer, notebook: str, timeout: float = 60.0) -> None:
    """Wait until the server has a session for ``notebook`` whose kernel is idle."""
    deadline = time.monotonic() + timeout
    sessions: object = []
    while time.monotonic() < deadline:
        sessions = lab.get_json("api/sessions")
        for session in sessions if isinstance(sessions, list) else []:
            kernel = session.get("kernel") or {}
            if session.get("path") == notebook and kernel.get("execution_state") == "idle":
                return
        time.sleep(0.3)
    raise AssertionError(f"no idle kernel for {notebook} after {timeout:.0f} s: {sessions}")


def _saved_case(path: Path, case_id: str, timeout: float = 20.0) -> dict[str, object]:
    """Poll the save file until the case is marked checked (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    last: dict[str, object] = {}
    while time.monotonic() < deadline:
        try:
            last = json.loads(path.read_text(encoding="utf-8"))["cases"][case_id]
            if last.get("checked") is True:
                return last
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    return last


def test_case_scorer_in_jupyterlab(lab: LabServer, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from course_lib.content import load_case_key, load_cases, load_rubric

    rubric = load_rubric()
    case = load_cases(which="practice")[0]  # the scorer opens on the first case
    key = load_case_key(case, rubric=rubric)
    band_label = next(b.label for b in rubric.placement.bands if b.id == key.band)
    stance_label = next(s.label for s in rubric.stances if s.id == key.stance)
    trait_word = "Trait:" if key.trait_or_state == "trait" else "State:"

    settings = lab.get_json(f"lab/api/settings/{TRACKER_PLUGIN}")
    assert settings["settings"]["windowingMode"] == "none", settings  # type: ignore[index]

    shots: list[str] = []
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT_MS)

            def shoot(name: str) -> str:
                path = tmp_path / f"failure-{len(shots)}-{name.replace(' ', '-')}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception as exc:  # the page may be gone; report, don't mask the failure
                    return f"<screenshot failed: {exc}>"
                shots.append(str(path))
                return str(path)

            with _step("open notebook and wait for an idle kernel", shoot):
                page.goto(lab.url(f"lab/tree/{NOTEBOOK}"), wait_until="domcontentloaded")
                panel = page.locator(".jp-NotebookPanel").first
                expect(panel).to_be_visible(timeout=STEP_TIMEOUT_MS)
                _wait_kernel_idle(lab, NOTEBOOK)
                expect(page.locator(".jp-StatusBar-TextItem", has_text=IDLE)).to_be_visible()

            with _step("Run All from the Run menu", shoot):
                page.locator(".lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
                page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()

            with _step("wait for the case scorer widget", shoot):
                check = page.get_by_role("button", name="Check my answers")
                expect(check).to_be_visible(timeout=RUN_ALL_TIMEOUT_MS)
                scorer = page.locator(".widget-vbox").filter(has=check).last
                groups = scorer.locator(".widget-toggle-buttons")
                expect(groups).to_have_count(len(rubric.markers), timeout=STEP_TIMEOUT_MS)
                # the last cell has run, so every widget view is live
                last_prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").last
                expect(last_prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=RUN_ALL_TIMEOUT_MS)
                expect(page.locator(".jp-StatusBar-TextItem", has_text=IDLE)).to_be_visible()

            with _step("rate every marker", shoot):
                for i, marker in enumerate(rubric.markers):
                    group = groups.nth(i)
                    expect(group).to_contain_text(marker.name)
                    button = group.locator("button.widget-toggle-button").nth(
                        key.ratings[marker.id].rating
                    )
                    button.click()
                    expect(button).to_have_class(re.compile(r"mod-active"))

            with _step("choose band, trait or state, stance", shoot):
                for text in (band_label, trait_word, stance_label):
                    scorer.locator(".widget-radio-box label", has_text=text).first.click()
                    expect(
                        scorer.locator(".widget-radio-box label", has_text=text).first.locator(
                            "input"
                        )
                    ).to_be_checked()

            with _step("press Check and see the feedback", shoot):
                check.click()
                output = scorer.locator(".widget-output").first
                expect(output).to_contain_text("Expert", timeout=STEP_TIMEOUT_MS)
                expect(output).to_contain_text(key.rationale.split(".")[0][:60])
                expect(output.locator(".js-plotly-plot").first).to_be_visible(
                    timeout=STEP_TIMEOUT_MS
                )
                expect(check).to_be_disabled()

            with _step("answers saved with the case checked", shoot):
                saved = _saved_case(lab.root / SAVE_FILE, case.id)
                assert saved.get("checked") is True, f"{SAVE_FILE}: {saved}"
                assert saved.get("band") == key.band, saved
                ratings = saved.get("ratings")
                assert ratings == {m: r.rating for m, r in key.ratings.items()}, ratings
        finally:
            browser.close()
    elapsed = time.monotonic() - started
    assert elapsed < 300, f"the browser run took {elapsed:.0f} s"
