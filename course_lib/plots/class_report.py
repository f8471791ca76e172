"""Charts for the class report, part one: each assignment's scores and its questions.

Every builder takes objects of :mod:`course_lib.report.model` and returns a finished
plotly figure (title, axis titles, Okabe-Ito palette, one-line description); nothing is
shown. Each has a companion ``*_summary`` giving the one-line text shown beside the chart,
which also works when there is nothing to draw (the builders then raise :class:`NothingToDraw`:
the page shows the sentence alone). A missing statistic is left out of a chart and named
in its summary, never drawn as zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

import plotly.graph_objects as go

from course_lib.plots.theme import OKABE_ITO, STUDENT_COLOUR, finish
from course_lib.report.model import (
    DIFFICULTY_RANGE,
    MIN_DISCRIMINATION,
    AssignmentSummary,
    ItemStat,
)

GRADED = "graded"
FLAGGED_COLOUR = OKABE_ITO["vermillion"]
BAND_SHADE = "#E8F1E8"


class NothingToDraw(ValueError):
    """A chart was asked for with nothing to draw (show its summary sentence alone)."""


def points_text(value: float) -> str:
    """Points as the feedback pages show them: at most 2 decimals, no trailing zeros.

    (The same format as ``course_lib.grading.feedback.points_text``, kept here so the plots
    do not import the grader and its notebook-running dependencies.)
    """
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _students(n: int) -> str:
    return f"{n} student" if n == 1 else f"{n} students"


# --------------------------------------------------------------------------- scores
def score_summary(summary: AssignmentSummary) -> str:
    """One line: the mean total, who scored zero and who did not submit."""
    totals = list(summary.totals.values())
    top = points_text(summary.max_points)
    if totals:
        parts = [f"Mean {points_text(fmean(totals))} of {top} over {_students(len(totals))}"]
        parts.append(f"{_students(len(summary.zero))} scored 0")
    else:
        parts = [f"No graded notebook yet (out of {top})"]
    missing = len(summary.not_submitted)
    parts.append(f"{missing} did not submit" if missing else "everyone submitted")
    return "; ".join(parts) + "."


def count_ticks(fig: go.Figure, largest: int) -> None:
    """Whole-number ticks on a count axis (no "0.5 students"), about five of them."""
    fig.update_yaxes(rangemode="tozero", tick0=0, dtick=max(1, math.ceil(largest / 5)))


def _bin_size(max_points: float) -> float:
    if max_points <= 20:
        return 1.0
    return max_points / 20


def score_figure(summary: AssignmentSummary) -> go.Figure:
    """Histogram of the students' autograded totals, with the points possible marked."""
    totals = list(summary.totals.values())
    if not totals:
        raise NothingToDraw(f"{summary.assignment}: no graded totals to draw")
    size = _bin_size(summary.max_points)
    # Bins centred on whole points: a total of 6 falls in [5.5, 6.5).
    fig = go.Figure(
        go.Histogram(
            x=totals,
            xbins={"start": -size / 2, "end": summary.max_points + size / 2, "size": size},
            marker={"color": STUDENT_COLOUR, "line": {"width": 1, "color": "white"}},
            name="Students",
            hovertemplate="total %{x}: %{y} student(s)<extra></extra>",
        )
    )
    fig.add_vline(
        x=summary.max_points,
        line={"dash": "dash", "color": "#333333", "width": 1.5},
        annotation_text=f"max {points_text(summary.max_points)}",
        annotation_position="top left",
    )
    fig.update_xaxes(range=[-size, summary.max_points + size])
    count_ticks(fig, max(Counter(round(t / size) for t in totals).values()))
    return finish(
        fig,
        title=f"Score distribution: {summary.title}",
        x_title=f"Autograded total (of {points_text(summary.max_points)} points)",
        y_title="Students",
        description=score_summary(summary),
        height=340,
    )


def _status_order(counts: dict[str, int]) -> list[str]:
    return sorted(counts, key=lambda s: (s != GRADED, s))


def status_summary(summary: AssignmentSummary) -> str:
    """One line: notebook rows by status, graded first."""
    counts = summary.status_counts
    total = sum(counts.values())
    if not total:
        return "No notebook rows in grades.csv for this assignment."
    parts = [f"{counts[s]} {s}" for s in _status_order(counts)]
    rows = "notebook row" if total == 1 else "notebook rows"
    return f"{total} {rows}: " + ", ".join(parts) + "."


def status_figure(summary: AssignmentSummary) -> go.Figure:
    """Bars: how many notebook rows ended with each status (graded, timeout, missing, ...)."""
    counts = summary.status_counts
    if not sum(counts.values()):
        raise NothingToDraw(f"{summary.assignment}: no statuses to draw")
    order = _status_order(counts)
    fig = go.Figure(
        go.Bar(
            x=order,
            y=[counts[s] for s in order],
            text=[str(counts[s]) for s in order],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [STUDENT_COLOUR if s == GRADED else OKABE_ITO["orange"] for s in order],
                "pattern": {"shape": ["" if s == GRADED else "/" for s in order]},
            },
            hovertemplate="%{x}: %{y}<extra></extra>",
            showlegend=False,
        )
    )
    count_ticks(fig, max(counts.values()))
    return finish(
        fig,
        title=f"Completion and status: {summary.title}",
        x_title="Status of the notebook",
        y_title="Notebook rows",
        description=status_summary(summary),
        height=320,
    )


# --------------------------------------------------------------------------- questions
def _plotted(items: Sequence[ItemStat]) -> list[ItemStat]:
    return [i for i in items if i.difficulty is not None and i.discrimination is not None]


def item_summary(items: Sequence[ItemStat]) -> str:
    """One line: how many questions, which are flagged and which have no statistics."""
    if not items:
        return "No autograded questions."
    flagged = [f"{i.grade_id} ({i.flag})" for i in items if i.flag]
    left_out = [
        f"{i.grade_id}" + (f" ({i.note})" if i.note else "")
        for i in items
        if i not in _plotted(items)
    ]
    parts = [f"{len(items)} question" + ("" if len(items) == 1 else "s")]
    parts.append(f"{len(flagged)} flagged" + (": " + ", ".join(flagged) if flagged else ""))
    if left_out:
        parts.append("left out, no statistic: " + "; ".join(left_out))
    return "; ".join(parts) + "."


def item_figure(items: Sequence[ItemStat], *, title: str) -> go.Figure:
    """Difficulty against discrimination, one point per question; flagged ones labelled.

    The acceptable region is shaded (difficulty between the two limits) and the minimum
    discrimination drawn as a dashed line; flagged questions are drawn as labelled crosses,
    the others as circles, so the flag does not depend on colour.
    """
    plotted = _plotted(items)
    if not plotted:
        raise NothingToDraw("no question has both a difficulty and a discrimination")
    low, high = DIFFICULTY_RANGE
    values = [i.discrimination for i in plotted if i.discrimination is not None]
    y_low = min(-0.1, min(values) - 0.1)
    fig = go.Figure(
        layout={
            "shapes": [
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": low,
                    "x1": high,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": BAND_SHADE,
                    "layer": "below",
                    "line": {"width": 0},
                },
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": MIN_DISCRIMINATION,
                    "y1": MIN_DISCRIMINATION,
                    "line": {"dash": "dash", "color": "#555555", "width": 1.5},
                },
            ],
            "annotations": [
                {
                    "x": (low + high) / 2,
                    "y": 1,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": f"difficulty {low:g}-{high:g}",
                    "showarrow": False,
                    "font": {"size": 11},
                },
                {
                    "x": 0,
                    "xanchor": "left",
                    "y": MIN_DISCRIMINATION,
                    "yanchor": "bottom",
                    "text": f"discrimination {MIN_DISCRIMINATION:g}",
                    "showarrow": False,
                    "font": {"size": 11},
                },
            ],
        }
    )
    groups = (
        ("Not flagged", [i for i in plotted if not i.flag], STUDENT_COLOUR, "circle", False),
        ("Flagged", [i for i in plotted if i.flag], FLAGGED_COLOUR, "x", True),
    )
    for name, chosen, colour, symbol, labelled in groups:
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[i.difficulty for i in chosen],
                y=[i.discrimination for i in chosen],
                mode="markers+text" if labelled else "markers",
                name=f"{name} ({len(chosen)})",
                marker={"size": 12, "symbol": symbol, "color": colour, "line": {"width": 1}},
                text=[i.grade_id for i in chosen] if labelled else None,
                textposition="top center",
                customdata=[[i.title, i.grade_id, i.flag or "not flagged", i.n] for i in chosen],
                hovertemplate=(
                    "%{customdata[0]} (%{customdata[1]})<br>difficulty %{x:.2f}, "
                    "discrimination %{y:.2f}<br>%{customdata[2]}; n = %{customdata[3]}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(range=[-0.05, 1.05])
    fig.update_yaxes(range=[y_low, 1.05], zeroline=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return finish(
        fig,
        title=title,
        x_title="Difficulty (mean proportion of points: 1 = everyone full marks)",
        y_title="Discrimination (corrected item-total r)",
        description=item_summary(items),
        height=420,
    )
