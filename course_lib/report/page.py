"""The class report as one self-contained HTML page (``OUT/report/index.html``).

plotly.js is inlined once in the page's head (no CDN, no network: the page opens from disk
and from the Jupyter file browser), then each chart is a ``<div>`` with its one-line summary
beside it. A chart with nothing to draw is replaced by its summary alone, so a class with
missing submissions, one student or a question without variance never shows ``NaN``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from course_lib.grading.feedback import STYLE as FEEDBACK_STYLE
from course_lib.plots import class_cases as cases
from course_lib.plots import class_report as scores
from course_lib.plots.class_report import NothingToDraw
from course_lib.report import tables
from course_lib.report.model import AssignmentSummary, ClassReport

esc = html.escape
CHOICE_FIELDS = ("band", "trait_or_state", "stance")
STYLE = FEEDBACK_STYLE.replace("max-width:52em", "max-width:80em") + (
    "figure.chart{display:flex;flex-wrap:wrap;align-items:center;gap:1em;margin:1em 0;"
    "border-top:1px solid #ddd;padding-top:.5em}"
    "figure.chart .plot{flex:1 1 40em;min-width:0}"
    "figure.chart figcaption{flex:0 1 20em}"
    "p.no-chart,p.no-script{border-left:4px solid #E69F00;padding-left:.6em}"
    "details{margin:.6em 0}summary{cursor:pointer;font-weight:bold}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "dt{font-weight:bold}dd{margin:0 0 .6em 1.5em}"
)
#: Shown where scripts do not run, e.g. JupyterLab's HTML viewer before "Trust HTML".
NO_SCRIPT = (
    "<noscript><p class='no-script'>The charts need JavaScript, which is off here. In "
    "JupyterLab, press <strong>Trust HTML</strong> in the viewer's toolbar, or right-click "
    "the file and choose <em>Open in New Browser Tab</em>. The sentences and tables below "
    "say what each chart shows.</p></noscript>"
)
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
INTRO = (
    "<p>What grade wrote for this class, summarised for the instructor. Each chart has its "
    "main finding in a sentence beside it; a statistic that could not be computed is shown "
    "as — with the reason.</p><dl>"
    "<dt>Difficulty</dt><dd>The mean proportion of a question's points the class earned: 1 "
    "means everyone had full marks, 0 that nobody scored. Questions outside 0.2–0.95 are "
    "flagged: when nearly everyone or nearly nobody succeeds, the question says little about "
    "who understood.</dd>"
    "<dt>Discrimination</dt><dd>Whether students who did well on the rest of the assignment "
    "also did well on this question: the correlation between the question's score and the "
    "assignment total without that question (a corrected point-biserial). Below 0.2 is "
    "flagged: check the question's wording and its key.</dd>"
    "<dt>Mean signed difference</dt><dd>For each marker of a case, the class's mean rating "
    "minus the key's. Negative (blue) means the class rates the marker lower than the expert "
    "did, positive (vermillion) higher.</dd>"
    "<dt>ICC(A,1)</dt><dd>How closely the students agree with each other when rating the same "
    "case, across its markers. It counts a student who rates everything a point higher as "
    "disagreeing (absolute agreement). 1 means every student gave each marker the same "
    "rating; near 0, the ratings depend as much on who rated as on the marker.</dd>"
    "<dt>Quadratic-weighted kappa</dt><dd>One student's agreement with the expert key over "
    "the markers they rated, corrected for the agreement expected by chance; a rating one "
    "point off counts much less against them than one three points off. 1 is perfect "
    "agreement, 0 is chance level, below 0 worse than chance.</dd></dl>"
)


class _Charts:
    """Numbers the chart divs of one page (stable ids, so the page is reproducible)."""

    def __init__(self) -> None:
        self.count = 0

    def chart(self, build: Callable[[], go.Figure], summary: str) -> str:
        """The chart with its summary beside it, or the summary alone if nothing to draw."""
        try:
            fig = build()
        except NothingToDraw:
            return f"<p class='no-chart'>{esc(summary)}</p>"
        self.count += 1
        div = fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{self.count}",
            config=PLOT_CONFIG,
        )
        return (
            f"<figure class='chart'><div class='plot'>{div}</div>"
            f"<figcaption>{esc(summary)}</figcaption></figure>"
        )


def default_marker_names() -> dict[str, str]:
    """Marker id -> name, from the course rubric (the report's model holds ids only)."""
    from course_lib.content import load_rubric

    return {m.id: m.name for m in load_rubric().markers}


def _assignment_section(
    report: ClassReport, summary: AssignmentSummary, charts: _Charts, names: Mapping[str, str]
) -> str:
    aid = summary.assignment
    parts = [f"<section id='{esc(aid, quote=True)}'><h2>{esc(summary.title)} ({esc(aid)})</h2>"]
    if summary.note:
        parts.append(f"<p><strong>Note:</strong> {esc(summary.note)}</p>")
    parts.append("<h3>Scores and completion</h3>")
    parts.append(charts.chart(lambda: scores.score_figure(summary), scores.score_summary(summary)))
    parts.append(
        charts.chart(lambda: scores.status_figure(summary), scores.status_summary(summary))
    )
    parts.append(tables.students_table(summary))

    items = [i for i in report.items if i.assignment == aid]
    if items:
        parts.append("<h3>Autograded questions</h3>")
        title = f"Difficulty and discrimination: {summary.title}"
        parts.append(
            charts.chart(lambda: scores.item_figure(items, title=title), scores.item_summary(items))
        )
        parts.append(tables.items_tables(items))

    markers = [m for m in report.markers if m.assignment == aid]
    choices = [c for c in report.choices if c.assignment == aid]
    if markers or choices:
        parts.append("<h3>Cases: the class against the key</h3>")
    if markers:
        parts.append(
            charts.chart(
                lambda: cases.marker_figure(markers, labels=names),
                cases.marker_summary(markers, names),
            )
        )
    for field in (*CHOICE_FIELDS, *sorted({c.field for c in choices} - set(CHOICE_FIELDS))):
        chosen = [c for c in choices if c.field == field]
        if not chosen:
            continue
        parts.append(
            charts.chart(
                lambda chosen=chosen: cases.choice_figure(chosen), cases.choice_summary(chosen)
            )
        )
        parts.append(tables.choices_table(chosen) + tables.confusion_table(chosen))

    agreement = [a for a in report.agreement if a.assignment == aid]
    kappas = [k for k in report.kappas if k.assignment == aid]
    if agreement or kappas:
        parts.append("<h3>The class as raters</h3>")
    if agreement:
        parts.append(
            charts.chart(lambda: cases.icc_figure(agreement), cases.icc_summary(agreement))
        )
        parts.append(tables.agreement_table(agreement))
    if kappas:
        parts.append(charts.chart(lambda: cases.kappa_figure(kappas), cases.kappa_summary(kappas)))
        parts.append(tables.kappas_table(kappas))
    parts.append("</section>")
    return "\n".join(parts)


def page_html(report: ClassReport, *, marker_names: Mapping[str, str] | None = None) -> str:
    """The whole page as a string (``marker_names``: id -> name; the rubric's by default)."""
    names = default_marker_names() if marker_names is None else marker_names
    charts = _Charts()
    body = [_assignment_section(report, s, charts, names) for s in report.assignments]
    toc = "".join(
        f"<li><a href='#{esc(s.assignment, quote=True)}'>{esc(s.title)}</a></li>"
        for s in report.assignments
    )
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Class report: {esc(report.out)}</title><style>{STYLE}</style>",
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body><main>",
        f"<h1>Class report</h1><p>From the grading output in <code>{esc(report.out)}</code>.</p>",
        NO_SCRIPT,
        INTRO,
        f"<nav><h2>Assignments</h2><ul>{toc}</ul></nav>" if toc else "",
        *body,
        "<section id='notes'><h2>Notes</h2>",
        f"<ul>{notes}</ul>" if notes else "<p>No notes.</p>",
        "</section></main></body></html>",
    ]
    if not report.assignments:
        parts.insert(-3, "<p>No assignment was graded in this folder.</p>")
    return "\n".join(parts)


def write_page(
    report: ClassReport, path: Path, *, marker_names: Mapping[str, str] | None = None
) -> Path:
    """Write the report's page to ``path`` (folders made as needed); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_html(report, marker_names=marker_names), encoding="utf-8")
    return path
