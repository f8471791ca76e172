"""Charts for assessment: the rubric's two poles and a practice-inventory profile.

Every builder returns a finished ``go.Figure`` (never shown here); display it with
``course_lib.display.Chart(fig)``. Meaning is carried by words and symbols as well as colour.
"""

from __future__ import annotations

import plotly.graph_objects as go

from course_lib.content.inventory import Inventory
from course_lib.content.rubric import LEVELS, Rubric
from course_lib.plots.theme import EXPERT_COLOUR, STUDENT_COLOUR, finish
from course_lib.scoring.inventory import InventoryScore

POLE_NAMES = {
    "oppositional": "Oppositional (defiant) pole",
    "compliant": "Compliant (dependent) pole",
}
POLE_COLOURS = {"oppositional": EXPERT_COLOUR, "compliant": STUDENT_COLOUR}
POLE_PATTERNS = {"oppositional": "/", "compliant": "."}


def marker_shift(rubric: Rubric, pole: str) -> float:
    """How far one marker rated at the top level moves the spectrum position.

    A pole mean moves by ``3 / n`` and the position is that mean divided by 3, so the shift
    is ``1 / n`` (0.2 when a pole has five markers).
    """
    n = sum(1 for m in rubric.markers if m.pole == pole)
    if n == 0:
        raise ValueError(f"the rubric has no {pole} markers")
    return max(LEVELS) / n / max(LEVELS)


def markers_overview(rubric: Rubric) -> go.Figure:
    """Diverging bars: each marker, the pole it points to and its largest effect on position."""
    fig = go.Figure()
    for pole, sign in (("compliant", -1.0), ("oppositional", 1.0)):
        markers = [m for m in rubric.markers if m.pole == pole]
        shift = marker_shift(rubric, pole)
        fig.add_trace(
            go.Bar(
                name=POLE_NAMES[pole],
                y=[f"{m.name} ({m.evidence})" for m in markers],
                x=[sign * shift] * len(markers),
                orientation="h",
                marker={"color": POLE_COLOURS[pole], "pattern": {"shape": POLE_PATTERNS[pole]}},
                text=["◀ compliant" if sign < 0 else "oppositional ▶"] * len(markers),
                textposition="outside",
                cliponaxis=False,
                hovertext=[m.description for m in markers],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(range=[-0.4, 0.4], zeroline=True, zerolinewidth=2, zerolinecolor="black")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    n_opp = sum(1 for m in rubric.markers if m.pole == "oppositional")
    n_comp = len(rubric.markers) - n_opp
    return finish(
        fig,
        title="The practice rubric's markers and the pole each one points to",
        x_title="Largest shift in spectrum position from one marker rated 3 (of -1 to +1)",
        y_title="Marker (where the evidence comes from)",
        description=(
            f"{n_opp} markers point to the oppositional pole (bars to the right, hatched) and "
            f"{n_comp} to the compliant pole (bars to the left, dotted). Each marker rated 3 "
            f"moves the position by {marker_shift(rubric, 'oppositional'):.2f} towards "
            f"its pole. 'session' markers are seen in the room, 'history' markers in the "
            f"client's account of their life. Course practice material, not a validated tool."
        ),
        height=460,
    )


def facet_profile(score: InventoryScore, inventory: Inventory) -> go.Figure:
    """A respondent's facet means and total on the 1-5 scale, with the teaching band edges."""
    scale = inventory.scale
    names, values, texts, hover = [], [], [], []
    for facet in inventory.facets:
        fs = score.facets[facet.id]
        names.append(facet.name)
        if fs.scorable and fs.mean is not None:
            values.append(fs.mean - scale.min)
            note = f" (prorated: {fs.missing} blank)" if fs.missing else ""
            texts.append(f"{fs.mean:.2f}{note}")
        else:
            values.append(0.0)
            texts.append(f"not scorable ({fs.missing} blank)")
        hover.append(facet.description)
    band_label = next((b.label for b in inventory.bands if b.id == score.band), None)
    names.append("Total (mean of all items)")
    if score.total is not None:
        values.append(score.total - scale.min)
        texts.append(f"{score.total:.2f}: {band_label}")
    else:
        values.append(0.0)
        texts.append("not scorable")
    hover.append(score.message)
    n = len(inventory.facets)
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            base=[scale.min] * len(values),
            orientation="h",
            marker={
                "color": [STUDENT_COLOUR] * n + [EXPERT_COLOUR],
                "pattern": {"shape": [""] * n + ["/"]},
            },
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    for band in sorted(inventory.bands, key=lambda b: b.lower)[1:]:
        fig.add_vline(x=band.lower, line_dash="dash", line_color="#595959")
        # Labels above the plot area: inside it they overlapped the bars and each other.
        fig.add_annotation(
            x=band.lower,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=f"band edge {band.lower:g}",
            showarrow=False,
            font={"size": 11},
        )
    # Values in a column right of the scale: beside the bars they ran into the band edges.
    for name, text in zip(names, texts, strict=True):
        fig.add_annotation(
            name="value",
            x=scale.max + 0.15,
            y=name,
            xanchor="left",
            text=text,
            showarrow=False,
        )
    fig.add_annotation(
        x=scale.max + 0.15,
        y=1,
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        text="<b>Score</b>",
        showarrow=False,
    )
    fig.update_xaxes(
        range=[scale.min, scale.max + 2.2], tickvals=list(range(scale.min, scale.max + 1))
    )
    fig.update_yaxes(autorange="reversed")
    parts = [f"{name} {text}" for name, text in zip(names, texts, strict=True)]
    finish(
        fig,
        title="Practice inventory profile (practice material, not a clinical assessment)",
        x_title=f"Mean item score ({scale.min} = {scale.labels[scale.min]}, "
        f"{scale.max} = {scale.labels[scale.max]}; reverse-keyed items flipped)",
        y_title="Facet",
        description=(
            "Higher means lean towards reactant reactions. "
            + "; ".join(parts)
            + f". Status: {score.status.replace('_', ' ')}. The band edges are teaching "
            "conventions, not validated cut-offs; there are no norms."
        ),
        height=420,
    )
    fig.update_layout(margin={"t": 95})
    return fig
