"""How course objects show themselves in Jupyter: charts with a text description (and a
folded data table where the builder gives one), check results.

``Chart`` emits plotly's own MIME bundle (``application/vnd.plotly.v1+json``), which
JupyterLab's plotly extension draws offline. This skips plotly's renderer machinery and its
import of ``nbformat`` (about two seconds on the first chart of a lesson) and never loads
plotly.js from a CDN.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

PLOTLY_MIME = "application/vnd.plotly.v1+json"
DESCRIPTION_KEY = "description"
TABLE_KEY = "table"


def describe(fig: Any) -> str:
    """The one-line text description stored on a figure by its builder."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and isinstance(meta.get(DESCRIPTION_KEY), str):
        return meta[DESCRIPTION_KEY]
    return ""


def table_html(fig: Any) -> str:
    """The figure's data table (if its builder stored one) as a collapsed ``<details>``."""
    meta = fig.layout.meta
    table = meta.get(TABLE_KEY) if isinstance(meta, dict) else None
    if not isinstance(table, dict) or not table.get("rows"):
        return ""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table["columns"])
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{esc(cell)}</th>' if i == 0 else f"<td>{esc(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in table["rows"]
    )
    title = fig.layout.title.text or "the chart"
    caption = table.get("caption") or f"The data in {title}"
    return (
        f'<details class="course-chart-table"><summary>Data table: {esc(title)}</summary>'
        f'<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></details>"
    )


def description_html(fig: Any, description: str) -> str:
    """The chart's one-line text summary, then its folded data table (when it has one)."""
    note = f'<p class="course-chart-description">{html.escape(description)}</p>'
    return note + table_html(fig)


def plotly_bundle(fig: Any) -> dict[str, Any]:
    """The figure as plotly's MIME payload (JSON-safe: numpy arrays become lists)."""
    import plotly.io as pio

    payload = json.loads(pio.to_json(fig, validate=False))
    payload["config"] = {"displaylogo": False, "responsive": True}
    return payload


@dataclass
class Chart:
    """A figure plus its text description, displayed together (description first)."""

    figure: Any
    description: str = ""

    def __post_init__(self) -> None:
        if not self.description:
            self.description = describe(self.figure)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        title = self.figure.layout.title.text or "Chart"
        text = f"{title}. {self.description}".strip()
        return {PLOTLY_MIME: plotly_bundle(self.figure), "text/plain": text}

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(HTML(description_html(self.figure, self.description)))
        display(self._repr_mimebundle_(), raw=True)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of an instant check: pass or fail plus specific feedback."""

    passed: bool
    title: str
    feedback: str
    details: tuple[str, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.passed

    def _repr_html_(self) -> str:
        verdict = "Correct" if self.passed else "Not yet"
        symbol = "&#10003;" if self.passed else "&#10007;"
        colour = "#1b7837" if self.passed else "#b2182b"
        items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        extra = f"<ul>{items}</ul>" if items else ""
        return (
            f'<div role="status" style="border-left:4px solid {colour};padding:4px 10px">'
            f"<strong>{symbol} {verdict}: {html.escape(self.title)}</strong>"
            f"<p>{html.escape(self.feedback)}</p>{extra}</div>"
        )

    def __repr__(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        lines = [f"[{verdict}] {self.title}: {self.feedback}", *(f"  - {d}" for d in self.details)]
        return "\n".join(lines)


def chart_outputs(fig: Any) -> tuple[dict[str, Any], ...]:
    """A chart as ``Output.outputs`` entries: its text description (and folded data table),
    then plotly's bundle.

    Written straight into an Output widget this renders like ``display(Chart(fig))`` and
    also works (and can be tested) outside a running kernel.
    """
    chart = Chart(fig)
    note = description_html(fig, chart.description)
    return (
        {
            "output_type": "display_data",
            "data": {"text/html": note, "text/plain": chart.description},
            "metadata": {},
        },
        {"output_type": "display_data", "data": chart._repr_mimebundle_(), "metadata": {}},
    )
