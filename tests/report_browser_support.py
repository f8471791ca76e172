"""Check a written class report page in a real Chromium: every chart drawn, nothing broken.

:func:`assert_report_renders` takes a playwright page and the path of an ``index.html``, so
it runs on a hand-built report in the tests and on the demo's real report alike::

    with chromium_page() as page:
        assert_report_renders(page, Path("demo-out/course/report/index.html"))

Chromium is Debian's ``/usr/bin/chromium`` driven by the ``playwright`` package (never
``playwright install``), with the network blocked: the page must work from disk alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_support import CHROMIUM, CHROMIUM_ARGS, require_browser  # noqa: F401 (re-exported)

#: Per chart: its trace count, traces with points, and whether plotly drew its SVG.
CHART_STATE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
  id: el.id,
  traces: (el.data || []).length,
  withPoints: (el.data || []).filter(t =>
    ['x', 'y', 'z'].some(k => Array.isArray(t[k]) && t[k].length > 0)).length,
  svg: el.querySelector('svg.main-svg') !== null,
  drawn: el.querySelectorAll('.barlayer .point, .scatterlayer .point, .heatmaplayer image')
    .length,
}))"""




@contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A page in headless Debian Chromium, every request outside ``file://`` refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            yield page
        finally:
            browser.close()


def assert_report_renders(page: Any, path: Path, *, screenshot: Path | None = None) -> list[dict]:
    """Open ``path`` via ``file://``; fail on any console error, page error or network
    request, or any chart without data or without its drawn SVG. Returns each chart's state.
    """
    errors: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))

    def refuse(route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    page.route("**/*", refuse)
    page.goto(path.resolve().as_uri(), wait_until="load")
    expected = page.evaluate("() => document.querySelectorAll('figure.chart .plot > div').length")
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n",
        arg=expected,
        timeout=30_000,
    )
    charts = page.evaluate(CHART_STATE)
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    assert not errors, errors
    assert not requests, f"the page asked the network for {requests}"
    assert expected > 0 and len(charts) == expected, (expected, charts)
    bad = [c for c in charts if not (c["traces"] and c["withPoints"] and c["svg"] and c["drawn"])]
    assert not bad, f"charts not rendered with data: {bad}"
    return charts
