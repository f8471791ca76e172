"""Chart for lesson 06: how directive the therapist is, turn by turn, in the worked sessions."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from course_lib.content.sessions import DIRECTIVENESS_LEVELS, WorkedSession
from course_lib.plots.theme import EXPERT_COLOUR, STUDENT_COLOUR, finish

POLE_STYLE = {
    "oppositional": {"color": STUDENT_COLOUR, "dash": "solid", "symbol": "circle"},
    "compliant": {"color": EXPERT_COLOUR, "dash": "dash", "symbol": "square"},
}


def directiveness_series(session: WorkedSession) -> tuple[list[float], list[int]]:
    """Minutes and directiveness ratings of the therapist's turns, in order."""
    turns = session.therapist_turns()
    return [t.minute for t in turns], [int(t.directiveness or 0) for t in turns]


def mean_directiveness(session: WorkedSession) -> float:
    """Mean directiveness of the therapist's turns (the course's 0-3 coding)."""
    _, levels = directiveness_series(session)
    return sum(levels) / len(levels)


def directiveness_chart(sessions: Sequence[WorkedSession]) -> go.Figure:
    """One line per worked session: the therapist's directiveness over the ten minutes."""
    if not sessions:
        raise ValueError("need at least one worked session")
    fig = go.Figure()
    parts = []
    for session in sessions:
        style = POLE_STYLE[session.pole]
        minutes, levels = directiveness_series(session)
        name = f"{session.title} ({session.pole} pole; {style['dash']} line)"
        fig.add_trace(
            go.Scatter(
                x=minutes,
                y=levels,
                mode="lines+markers",
                name=name,
                line={"color": style["color"], "dash": style["dash"], "width": 3},
                marker={"symbol": style["symbol"], "size": 10},
                hovertemplate="minute %{x}<br>directiveness %{y}<extra></extra>",
            )
        )
        parts.append(
            f"{session.title}: mean {mean_directiveness(session):.1f}, "
            f"from {levels[0]} at the start to {levels[-1]} at the end"
        )
    fig.update_yaxes(
        range=[-0.3, 3.3],
        tickvals=list(DIRECTIVENESS_LEVELS),
        ticktext=[f"{k} {v.split(':')[0]}" for k, v in DIRECTIVENESS_LEVELS.items()],
    )
    fig.update_xaxes(range=[-0.3, 10.3], dtick=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.3})
    return finish(
        fig,
        title="How directive the therapist is, turn by turn",
        x_title="Minutes into the session",
        y_title="Directiveness (course coding)",
        description=(
            "Each point is one therapist turn in a worked session, rated on the course's own "
            "0-3 directiveness coding (0 follows, 3 directs), which is a teaching convention, "
            "not a published measure. " + "; ".join(parts) + "."
        ),
        height=420,
    )
