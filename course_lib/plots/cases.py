"""Charts for the case exercises: spectrum positions, marker-by-marker ratings, agreement.

Every builder returns a finished plotly figure (title, axis titles, Okabe-Ito palette and a
text description); nothing is shown. Series are told apart by marker symbol and legend text
as well as colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from course_lib.plots.theme import (
    EXPERT_COLOUR,
    OKABE_ITO,
    PALETTE,
    STUDENT_COLOUR,
    data_table,
    finish,
)

if TYPE_CHECKING:
    from course_lib.content.rubric import Rubric
    from course_lib.scoring.compare import AgreementSummary, CaseComparison
    from course_lib.scoring.placement import Placement

THIRD = 1 / 3
# (id, short label, lower, upper): the rubric's bands when no rubric is passed.
DEFAULT_BANDS = (
    ("low", "Low reactance<br>(compliant pole)", -1.0, -THIRD),
    ("mid", "Mid-range", -THIRD, THIRD),
    ("high", "High reactance<br>(defiant pole)", THIRD, 1.0),
)
BAND_SHADES = {"low": "#DCEBF5", "mid": "#F2F2F2", "high": "#FBE3D6"}
SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")
RATER_STYLE = {"student": (STUDENT_COLOUR, "circle"), "expert": (EXPERT_COLOUR, "diamond")}


def _bands(rubric: Rubric | None) -> list[tuple[str, str, float, float]]:
    if rubric is None:
        return list(DEFAULT_BANDS)
    out = []
    for band in sorted(rubric.placement.bands, key=lambda b: b.lower):
        label = band.label.replace(" (", "<br>(", 1)
        out.append((band.id, label, band.lower, band.upper))
    return out


def _style(label: str, index: int) -> tuple[str, str]:
    """Colour and symbol for a series: 'You'/'Expert' get the fixed student/expert style."""
    lowered = label.lower()
    if lowered.startswith(("you", "student")):
        return RATER_STYLE["student"]
    if lowered.startswith("expert"):
        return RATER_STYLE["expert"]
    return PALETTE[index % len(PALETTE)], SYMBOLS[index % len(SYMBOLS)]


def spectrum_figure(
    placements: Sequence[tuple[str, Placement]],
    *,
    rubric: Rubric | None = None,
    title: str = "Where the ratings place the case",
) -> go.Figure:
    """Points on the defiance-compliance axis (-1..+1), one row per label, bands shaded."""
    if not placements:
        raise ValueError("spectrum_figure needs at least one (label, placement) pair")
    bands = _bands(rubric)
    # Shapes and annotations go in at once: add_vrect/add_vline re-validate every shape
    # on each call, which made the chart several times slower to redraw.
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": lower,
            "x1": upper,
            "y0": 0,
            "y1": 1,
            "fillcolor": BAND_SHADES[band_id],
            "layer": "below",
            "line": {"width": 0},
        }
        for band_id, _, lower, upper in bands
    ]
    shapes += [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": bound,
            "x1": bound,
            "y0": 0,
            "y1": 1,
            "line": {"dash": "dot", "color": "#777777", "width": 1},
        }
        for bound in sorted({b[3] for b in bands[:-1]})
    ]
    annotations = [
        {
            "x": (lower + upper) / 2,
            "y": 1.0,
            "yref": "paper",
            "yanchor": "bottom",
            "text": label,
            "showarrow": False,
            "font": {"size": 11, "color": "#333333"},
        }
        for _, label, lower, upper in bands
    ]
    fig = go.Figure(layout={"shapes": shapes, "annotations": annotations})
    rows = [label for label, _ in placements]
    for i, (label, placed) in enumerate(placements):
        colour, symbol = _style(label, i)
        fig.add_trace(
            go.Scatter(
                x=[placed.position],
                y=[label],
                mode="markers+text",
                name=f"{label}: {placed.position:+.2f} ({placed.band} band)",
                marker={"size": 16, "symbol": symbol, "color": colour, "line": {"width": 1}},
                text=[f"{placed.position:+.2f}"],
                textposition="top center",
                customdata=[[placed.oppositional_mean, placed.compliant_mean, placed.band]],
                hovertemplate=(
                    "%{y}: position %{x:+.2f}<br>oppositional mean %{customdata[0]:.1f}, "
                    "compliant mean %{customdata[1]:.1f}<br>%{customdata[2]} band<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(
        range=[-1.05, 1.05],
        tickvals=[-1, -THIRD, 0, THIRD, 1],
        ticktext=["-1<br>compliant", "-1/3", "0", "+1/3", "+1<br>defiant"],
        zeroline=False,
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(rows)),
        range=[-0.6, len(rows) - 0.4],
    )
    parts = [f"{label} {placed.position:+.2f} ({placed.band} band)" for label, placed in placements]
    description = (
        "Positions on the defiance-compliance spectrum, from -1 (compliant pole) to +1 "
        "(defiant pole); bands: low at or below -1/3, high at or above +1/3. "
        + "; ".join(parts)
        + "."
    )
    table = data_table(
        ["Rater", "Position", "Oppositional mean", "Compliant mean", "Band"],
        [
            [label, f"{p.position:+.2f}", f"{p.oppositional_mean:.1f}", f"{p.compliant_mean:.1f}",
             p.band]
            for label, p in placements
        ],
    )
    finish(
        fig,
        title=title,
        x_title="Spectrum position (oppositional mean - compliant mean) / 3",
        y_title="Rater",
        description=description,
        height=290 + 50 * len(placements),
        table=table,
    )
    fig.update_layout(
        margin={"t": 110, "b": 130},
        # legend below the axis title: ~90 px under a plot area of 50 + 50 n px
        legend={"orientation": "h", "x": 0, "y": -90 / (50 + 50 * len(placements))},
    )
    return fig


def _difference_words(diff: int | None) -> str:
    if diff is None:
        return "not rated"
    if diff == 0:
        return "same"
    return f"{diff:+d}"


def marker_comparison_figure(
    comparison: CaseComparison,
    *,
    rubric: Rubric | None = None,
    title: str | None = None,
) -> go.Figure:
    """Your rating and the expert's for each marker (dot plot on the 0-3 scale)."""
    markers = list(comparison.markers)
    poles: Mapping[str, str] = {}
    if rubric is not None:
        poles = {m.id: m.pole for m in rubric.markers}

    def row(m_id: str, name: str) -> str:
        pole = poles.get(m_id)
        return f"{name} ({pole})" if pole else name

    rows = [row(m.marker_id, m.name) for m in markers]
    fig = go.Figure()
    for m, y in zip(markers, rows, strict=True):
        if m.student is not None and m.student != m.expert:
            fig.add_trace(
                go.Scatter(
                    x=[m.student, m.expert],
                    y=[y, y],
                    mode="lines",
                    line={"color": "#999999", "width": 2},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    rated = [(m, y) for m, y in zip(markers, rows, strict=True) if m.student is not None]
    # The expert's filled diamond is drawn first and your open ring on top, larger, so
    # both stay visible where the ratings agree.
    series = (
        ("Expert", list(zip(markers, rows, strict=True)), lambda m: m.expert),
        ("You", rated, lambda m: m.student),
    )
    styles = {
        "Expert": {"size": 11, "symbol": "diamond", "color": EXPERT_COLOUR, "line": {"width": 1}},
        "You": {
            "size": 20,
            "symbol": "circle-open",
            "color": STUDENT_COLOUR,
            "line": {"width": 3, "color": STUDENT_COLOUR},
        },
    }
    for name, items, value in series:
        fig.add_trace(
            go.Scatter(
                x=[value(m) for m, _ in items],
                y=[y for _, y in items],
                mode="markers",
                name=name,
                marker=styles[name],
                customdata=[[_difference_words(m.difference)] for m, _ in items],
                hovertemplate=f"{name}: %{{x}}<br>%{{y}}<br>difference %{{customdata[0]}}"
                "<extra></extra>",
            )
        )
    fig.update_xaxes(range=[-0.3, 3.3], tickvals=[0, 1, 2, 3], dtick=1)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(rows)))
    same = sum(1 for m in markers if m.difference == 0)
    off_one = sum(1 for m in markers if m.difference is not None and abs(m.difference) == 1)
    off_more = sum(1 for m in markers if m.difference is not None and abs(m.difference) >= 2)
    unrated = sum(1 for m in markers if m.student is None)
    description = (
        f"Your rating (open rings) and the expert's (filled diamonds) for {len(markers)} markers on the "
        f"0-3 scale: {same} match exactly, {off_one} differ by one point, {off_more} by two "
        f"or more"
    )
    description += f", {unrated} not rated." if unrated else "."
    finish(
        fig,
        title=title or f"Your ratings and the expert's: {comparison.case_id}",
        x_title="Rating (0 = absent, 3 = strong)",
        y_title="Marker",
        description=description,
        height=160 + 32 * len(markers),
        table=data_table(
            ["Marker", "You", "Expert", "Difference"],
            [
                [y, "not rated" if m.student is None else m.student, m.expert,
                 _difference_words(m.difference)]
                for m, y in zip(markers, rows, strict=True)
            ],
        ),
    )
    fig.update_layout(margin={"l": 20}, legend={"traceorder": "reversed"})
    return fig


def agreement_summary_figure(
    comparisons: Sequence[CaseComparison],
    summary: AgreementSummary | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "Agreement with the expert, case by case",
) -> go.Figure:
    """Per-case weighted kappa as bars, labelled with the band verdict; pooled kappa as a line."""
    if summary is None:
        from course_lib.scoring.compare import summarize

        summary = summarize(comparisons)
    labels = labels or {}
    fig = go.Figure()
    groups = (
        ("Band matched (✓)", True, OKABE_ITO["blue"], ""),
        ("Band missed (✗)", False, OKABE_ITO["orange"], "/"),
    )
    for name, hit, colour, pattern in groups:
        chosen = [c for c in comparisons if c.band_hit is hit]
        fig.add_trace(
            go.Bar(
                x=[labels.get(c.case_id, c.case_id) for c in chosen],
                y=[c.weighted_kappa if c.weighted_kappa is not None else 0 for c in chosen],
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[
                    (f"{c.weighted_kappa:.2f}" if c.weighted_kappa is not None else "n/a")
                    + (" ✓" if hit else " ✗")
                    for c in chosen
                ],
                textposition="outside",
                constraintext="none",
                cliponaxis=False,
                width=0.6,
                hovertemplate="%{x}: weighted kappa %{text}<br>" + name + "<extra></extra>",
            )
        )
    order = [labels.get(c.case_id, c.case_id) for c in comparisons]
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    if 0 < len(order) < 4:  # keep bars slim when only a few cases are checked
        pad = (4 - len(order)) / 2
        fig.update_xaxes(range=[-0.5 - pad, len(order) - 0.5 + pad])
    values = [c.weighted_kappa for c in comparisons if c.weighted_kappa is not None]
    low = min([0.0, *values])
    fig.update_yaxes(range=[min(-0.1, low - 0.15), 1.15], zeroline=True)
    if summary.weighted_kappa is not None and order:
        fig.add_trace(
            go.Scatter(
                x=order,
                y=[summary.weighted_kappa] * len(order),
                mode="lines" if len(order) > 1 else "markers",
                marker={
                    "symbol": "line-ew",
                    "size": 40,
                    "line": {"color": "#333333", "width": 2},
                },
                name=f"All cases pooled: κw {summary.weighted_kappa:.2f}",
                line={"dash": "dash", "color": "#333333", "width": 1.5},
                hoverinfo="name",
            )
        )
    fig.update_layout(barmode="overlay")
    parts = []
    for c in comparisons:
        kappa = f"{c.weighted_kappa:.2f}" if c.weighted_kappa is not None else "undefined"
        verdict = "band matched" if c.band_hit else "band missed"
        parts.append(f"{labels.get(c.case_id, c.case_id)}: weighted kappa {kappa}, {verdict}")
    pooled = (
        f"pooled weighted kappa {summary.weighted_kappa:.2f}"
        if summary.weighted_kappa is not None
        else "pooled weighted kappa undefined"
    )
    description = (
        f"Agreement with the expert's marker ratings for {len(comparisons)} checked case(s) "
        f"(quadratic-weighted kappa: 1 is perfect agreement, 0 is chance level); {pooled}. "
        + ("; ".join(parts) + "." if parts else "No case checked yet.")
    )
    return finish(
        fig,
        title=title,
        x_title="Case",
        y_title="Weighted kappa with the expert",
        description=description,
        table=data_table(
            ["Case", "Weighted kappa", "Band"],
            [
                [
                    labels.get(c.case_id, c.case_id),
                    "undefined" if c.weighted_kappa is None else f"{c.weighted_kappa:.2f}",
                    "✓ matched" if c.band_hit else "✗ missed",
                ]
                for c in comparisons
            ],
        ),
    )
