"""Charts for the matching evidence and the opening-stance exercise.

Every builder returns a finished ``go.Figure`` (never shown here); display it with
``course_lib.display.Chart(fig)``. Meaning is carried by words and symbols as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from course_lib.evidence import EffectSummary, overlap_curves, summarize_effect
from course_lib.plots.theme import EXPERT_COLOUR, OKABE_ITO, STUDENT_COLOUR, finish

if TYPE_CHECKING:
    from course_lib.content.rubric import Rubric
    from course_lib.scoring.stance import StanceResult


def effect_sizes_chart(summaries: Sequence[EffectSummary]) -> go.Figure:
    """Bars: the probability (derived from d) that a matched patient does better, vs 50%."""
    if not summaries:
        raise ValueError("need at least one effect summary")
    fig = go.Figure(
        go.Bar(
            x=[s.label for s in summaries],
            y=[s.probability * 100 for s in summaries],
            text=[f"{s.percent} derived (d = {s.d:.2f}, r = {s.r:.2f})" for s in summaries],
            textposition="outside",
            marker={"color": OKABE_ITO["blue"]},
            showlegend=False,
        )
    )
    fig.add_hline(y=50, line_dash="dash", line_color="black")
    # The label sits in the right margin: over a bar, dark text on dark blue was unreadable.
    fig.add_annotation(
        x=1,
        xref="paper",
        xanchor="left",
        xshift=8,
        y=50,
        yref="y",
        text="50%: matching would<br>make no difference",
        showarrow=False,
        align="left",
    )
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    listing = "; ".join(
        f"{s.label}: d = {s.d:.2f}, derived r = {s.r:.2f} and {s.percent}" for s in summaries
    )
    finish(
        fig,
        title="How often a matched patient does better than a mismatched one (derived)",
        x_title="Meta-analysis",
        y_title="Probability of a better outcome (%, derived)",
        description=(
            "Each bar converts a meta-analysis's d into the probability that a randomly "
            "chosen patient whose treatment matched their reactance level outscores one "
            f"whose treatment did not (Phi of d over root 2). The reviews report d; the "
            f"percentages are computed from it here. {listing}."
        ),
    )
    fig.update_layout(margin={"r": 170})
    return fig


def overlap_chart(d: float, label: str = "") -> go.Figure:
    """Two idealised outcome distributions (mismatched vs matched) separated by ``d``."""
    x, mismatched, matched = overlap_curves(d)
    effect = summarize_effect(d, label)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=mismatched,
            name="Mismatched treatment (dashed)",
            line={"color": EXPERT_COLOUR, "dash": "dash", "width": 3},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=matched,
            name="Matched treatment (solid)",
            line={"color": STUDENT_COLOUR, "width": 3},
        )
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    source = f": {label}" if label else ""
    return finish(
        fig,
        title=f"What d = {d:.2f} looks like{source}",
        x_title="Outcome, in standard deviations (higher is better)",
        y_title="Share of patients (density)",
        description=(
            f"Two normal curves with equal spread, their means {d:.2f} standard deviations "
            f"apart. They overlap a great deal, yet a matched patient does better than a "
            f"mismatched one {effect.percent} of the time (r = {effect.r:.2f}; both derived "
            "from d). An idealised picture: real outcomes need not be normal."
        ),
    )


def stance_hits_chart(results: Sequence[StanceResult], rubric: Rubric) -> go.Figure:
    """Dot plot per checked case: the student's stance (circle) and the expert's (cross)."""
    if not results:
        raise ValueError("need at least one checked case")
    order = [s.id for s in rubric.stances]
    labels = {s.id: s.label for s in rubric.stances}
    rows = [r.label.split(":")[0] for r in results]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[labels[r.expert] for r in results],
            y=rows,
            mode="markers",
            name="Expert's stance (cross)",
            marker={
                "symbol": "x-thin-open",
                "size": 22,
                "color": EXPERT_COLOUR,
                "line": {"width": 3},
            },
        )
    )
    chosen = [r for r in results if r.chosen is not None]
    fig.add_trace(
        go.Scatter(
            x=[labels[r.chosen] for r in chosen if r.chosen is not None],
            y=[r.label.split(":")[0] for r in chosen],
            mode="markers+text",
            name="Your stance (circle)",
            marker={
                "symbol": "circle-open",
                "size": 16,
                "color": STUDENT_COLOUR,
                "line": {"width": 3},
            },
            text=["✓ match" if r.hit else "✗ differs" for r in chosen],
            textposition="middle right",
        )
    )
    fig.update_xaxes(
        categoryorder="array", categoryarray=[labels[i] for i in order], range=[-0.5, 2.9]
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows)
    fig.update_layout(legend={"orientation": "h", "y": -0.3})
    hits = sum(r.hit for r in results)
    detail = "; ".join(
        f"{row}: {'match' if r.hit else 'differs'} (you {labels.get(r.chosen or '', 'none')}, "
        f"expert {labels[r.expert]})"
        for row, r in zip(rows, results, strict=True)
    )
    return finish(
        fig,
        title=f"Your opening stances against the expert's: {hits} of {len(results)} matched",
        x_title="Opening stance",
        y_title="Practice case (client)",
        description=f"A circle on a cross means your stance matched the expert's. {detail}.",
        height=max(320, 140 + 36 * len(results)),
    )
