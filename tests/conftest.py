"""Shared fixtures: repository paths, a scratch copy of the assets, and one demo run for the
whole session (grading the sample class takes about a minute: every slow suite that reads
its outputs shares it)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "assets"
LESSONS = REPO / "notebooks" / "lessons"
_DATABASES = itertools.count(1)  # names of the postgres_url fixture's databases


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    """A writable copy of assets/ that a test may corrupt."""
    dest = tmp_path / "assets"
    shutil.copytree(ASSETS, dest)
    return dest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m course_lib demo`` once per session: its folder, stdout in demo-stdout.txt."""
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "demo", "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "reconciliation" in done.stdout
    (out / "demo-stdout.txt").write_text(done.stdout)
    return out


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One throwaway PostgreSQL server for the session (``postgres_support``): its URL."""
    from postgres_support import postgres_server

    with postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> str:
    """A fresh, empty PostgreSQL database for this test, on the session's server."""
    from postgres_support import create_database

    return create_database(postgres_server_url, f"test_{next(_DATABASES)}")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the module (a fresh context per test); skips, or
    fails under ``COURSE_REQUIRE_BROWSER=1``, without it."""
    from browser_support import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh 1400 x 1000 page in that browser, with the browser tests' step timeout."""
    from browser_support import STEP_TIMEOUT_MS

    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    made = context.new_page()
    made.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        yield made
    finally:
        context.close()
