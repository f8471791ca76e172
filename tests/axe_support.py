"""axe-core in a Playwright page: inject the copy that ``axe-playwright-python`` ships, run it
on the course's own content, and report what it finds by rule id.

In JupyterLab the course's content is the notebook's output areas (``.jp-OutputArea-output``);
JupyterLab's own interface is not ours to fix. A standalone page (a feedback page) is checked
whole. The gate is the issue's: no *serious* or *critical* violation, colour contrast (WCAG
2.1 AA) included; lesser findings are printed, not failed.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

BLOCKING = ("serious", "critical")
OUTPUTS = ".jp-OutputArea-output"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def axe_source() -> str:
    """axe-core's ``axe.min.js`` as shipped inside the ``axe_playwright_python`` package."""
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def run_axe(page: Any, include: str | None = OUTPUTS) -> list[dict[str, Any]]:
    """axe-core's violations on ``page``, limited to elements matching ``include`` (the
    whole document when it is empty or ``None``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    context = {"include": [[include]]} if include else None
    result = page.evaluate(
        "([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        [context, TAGS],
    )
    return list(result["violations"])


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The serious and critical violations."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def report(violations: list[dict[str, Any]], where: str) -> str:
    """One line per rule (id, impact, count, help) and up to three of its elements."""
    if not violations:
        return f"axe-core on {where}: no violations"
    lines = [f"axe-core on {where}: {len(violations)} rule(s) violated"]
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    for v in sorted(violations, key=lambda v: (order.get(v.get("impact") or "", 4), v["id"])):
        nodes = v.get("nodes", [])
        lines.append(f"  {v['id']} [{v.get('impact')}] x{len(nodes)}: {v.get('help')}")
        for node in nodes[:3]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"      {target[:120]} :: {summary}")
    return "\n".join(lines)
