"""The practice app in a real browser: `make app`'s command, a temporary copy of the notebook,
Debian's Chromium driven by playwright.

The page shows no code, a case can be rated and checked, its feedback and chart (with data)
appear, a response can be committed, the save file is written where the page says, nothing is
fetched from any host but the app's own, the console has no error, and Ctrl+C (SIGINT) stops
the server and its kernel.

Skipped when ``/usr/bin/chromium`` or ``playwright`` is missing, unless
``COURSE_REQUIRE_BROWSER=1``, in which case their absence is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, require_browser

from course_lib.app import APP_NOTEBOOK, CASES_FILE, practice_cases

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # first page: kernel start, imports, executing every cell




class App:
    """``python -m course_lib app`` (what ``make app`` runs) serving ``folder``'s copy."""

    def __init__(self, folder: Path, state: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.log_path = state / "voila.log"
        env = dict(os.environ)
        for name in ("config", "data", "runtime", "ipython"):  # nothing from the user's setup
            (state / name).mkdir(parents=True, exist_ok=True)
        env.update(
            JUPYTER_CONFIG_DIR=str(state / "config"),
            JUPYTER_DATA_DIR=str(state / "data"),
            JUPYTER_RUNTIME_DIR=str(state / "runtime"),
            IPYTHONDIR=str(state / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
        )
        notebook = folder / APP_NOTEBOOK.name
        command = [sys.executable, "-m", "course_lib", "app", "--port", str(self.port)]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*command, "--notebook", str(notebook)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until Voilà serves its static files (the page itself would start a kernel)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}voila/static/voila.js", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"the app did not answer within {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> int | None:
        """Ctrl+C, as a user stops it; kill the process group only if that hangs."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    return self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)  # our own session only
                    self.process.wait(timeout=10)
                    return None
            return self.process.returncode
        finally:
            self._log.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    folder = tmp_path / "app"
    folder.mkdir()
    shutil.copy(APP_NOTEBOOK, folder / APP_NOTEBOOK.name)
    server = App(folder, tmp_path / "state")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def page() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def _chart_points(chart: Any) -> int:
    """How many data points the plotly chart holds (plotly keeps them on the element)."""
    return int(
        chart.evaluate(
            "el => (el.data || []).reduce((n, t) => n + Math.max((t.x || []).length,"
            " (t.y || []).length, (t.r || []).length), 0)"
        )
    )


def test_app_rate_check_feedback_chart_offline_then_stop(page: Any, app: App) -> None:
    from playwright.sync_api import expect

    from course_lib.content import load_rubric
    from course_lib.content.responses import load_lesson_moments
    from course_lib.widgets.case_scorer import short_label

    rubric = load_rubric()
    case = practice_cases()[0]  # the scorer opens on the first case
    label = short_label(case)
    moment = load_lesson_moments("oppositional").moments[0]
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    started = time.monotonic()

    page.goto(app.url)
    check = page.get_by_role("button", name="Check my answers")
    expect(check).to_be_visible(timeout=TIMEOUT_MS)
    expect(page).to_have_title("Reactance practice")
    scorer = page.locator(".widget-vbox").filter(has=check).last

    # no code: no input editors or prompts, and none of the notebook's code in the page
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt, .cm-editor").count() == 0
    text = page.inner_text("body")
    for code in ("import", "CaseScorer(", "ResponsePractice(", "saved_where_html"):
        assert code not in text, code
    assert str(app.folder / CASES_FILE) in text, "the page says where the answers are saved"

    # rate every marker, choose band, trait or state and stance, then Check
    for i, marker in enumerate(rubric.markers):
        group = scorer.get_by_role("radiogroup", name=f"{marker.name}, case {label}", exact=True)
        group.locator(".course-choice__face").nth(i % 4).click()
        expect(group.get_by_role("radio").nth(i % 4)).to_be_checked()
    for name in ("Band", "Trait or state", "Opening stance"):
        group = scorer.get_by_role("radiogroup", name=f"{name}, case {label}", exact=True)
        group.locator(".course-choice__face").first.click()
        expect(group.get_by_role("radio", checked=True)).to_have_count(1)
    check.click()
    expect(scorer.get_by_role("heading", name=f"Feedback on {case.title}")).to_be_visible()
    expect(scorer).to_contain_text(case.key.rationale.split(".")[0][:60])
    chart = scorer.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    expect(chart.locator(".main-svg").first).to_be_visible()
    assert _chart_points(chart) > 0, "the feedback chart has data"

    # the answers reached the save file the page named
    save = app.folder / CASES_FILE
    deadline = time.monotonic() + 20
    while not (save.exists() and json.loads(save.read_text())["cases"].get(case.id, {}).get("checked")):
        assert time.monotonic() < deadline, "the checked case never reached the save file"
        time.sleep(0.25)

    # the response practice works too: commit a response, see feedback on every option
    group = page.get_by_role("radiogroup", name=f"Choose a response, moment: {moment.title}")
    group.locator(".course-choice__face").first.click()
    page.get_by_role("button", name="Commit my response").first.click()
    expect(page.get_by_text("Here is the feedback on every response").first).to_be_visible()
    print(f"app page: rated, checked and committed in {time.monotonic() - started:.1f} s")

    # offline: every request went to the app itself, and the console stayed clean
    own = (f"http://127.0.0.1:{app.port}/", f"ws://127.0.0.1:{app.port}/", f"blob:http://127.0.0.1:{app.port}/")
    elsewhere = sorted({u for u in requests if not u.startswith((*own, "data:", "about:"))})
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert not errors, "console errors:\n" + "\n".join(errors)

    # Ctrl+C stops Voilà and shuts its kernel down
    page.close()
    assert app.stop() == 0, app.log()
    assert "Kernel shutdown" in app.log(), app.log()
