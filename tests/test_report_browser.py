"""The class report's page in a real Chromium, opened from disk: every chart drawn with data.

Skipped without ``/usr/bin/chromium`` or ``playwright`` unless ``COURSE_REQUIRE_BROWSER=1``.
The check itself, :func:`report_browser_support.assert_report_renders`, also runs on the
demo's real report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_support import report, run_axe
from report_browser_support import assert_report_renders, chromium_page, require_browser
from report_examples import class_report

from course_lib.report.page import write_page

pytestmark = pytest.mark.browser


def test_hand_built_report_renders_every_chart_without_errors(tmp_path: Path) -> None:
    require_browser()
    path = write_page(class_report(), tmp_path / "report" / "index.html")
    with chromium_page() as page:
        charts = assert_report_renders(page, path, screenshot=tmp_path / "report.png")
    assert [c["id"] for c in charts] == [f"chart-{n}" for n in range(1, 12)]
    # The same check fails on a page whose script breaks (so it can fail at all).
    broken = path.with_name("broken.html")
    text = path.read_text(encoding="utf-8")
    broken.write_text(text.replace("</body>", "<script>null.boom()</script></body>"), "utf-8")
    with chromium_page() as page, pytest.raises(AssertionError, match="page error"):
        assert_report_renders(page, broken)


@pytest.mark.slow
def test_the_demos_report_renders_every_chart_in_chromium(demo_run: Path, tmp_path: Path) -> None:
    """What `make demo` leaves to open: its page, from disk, every chart drawn with data, and
no serious or critical accessibility violation (axe-core, WCAG 2.1 AA contrast included)."""
    require_browser()
    path = demo_run / "course" / "report" / "index.html"
    printed = (demo_run / "demo-stdout.txt").read_text()
    assert f"Class report: {path.resolve()} " in printed
    with chromium_page() as page:
        charts = assert_report_renders(page, path, screenshot=tmp_path / "demo-report.png")
        violations = run_axe(page, include=None)  # the whole page is the course's own
    found = report(violations, "the demo's class report")
    print(found)
    assert not violations, found  # none at all, as on the feedback pages
    # Per assignment a score and a status chart; per the case assignments choices, marker
    # differences, ICC and kappas; one difficulty-discrimination chart per assignment.
    assert len(charts) >= 4 * 3 + 4
    print(f"the demo's report: {len(charts)} charts rendered; screenshot {tmp_path}")
