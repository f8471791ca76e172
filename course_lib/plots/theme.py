"""Shared look for every chart: the Okabe-Ito colour-blind-safe palette and a finishing step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Okabe & Ito (2008) palette, distinguishable with the common forms of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue")]
STUDENT_COLOUR = OKABE_ITO["blue"]
EXPERT_COLOUR = OKABE_ITO["vermillion"]


def data_table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], caption: str = ""
) -> dict[str, Any]:
    """A chart's numbers as a table (JSON-ready), shown folded beside the chart.

    Cells are stored as text so the table reads exactly as the chart labels them.
    """
    if any(len(row) != len(columns) for row in rows):
        raise ValueError("every row of a data table needs one cell per column")
    return {
        "caption": caption,
        "columns": [str(c) for c in columns],
        "rows": [[str(cell) for cell in row] for row in rows],
    }


def finish(
    fig: Any,
    *,
    title: str,
    x_title: str,
    y_title: str,
    description: str,
    height: int = 380,
    table: dict[str, Any] | None = None,
) -> Any:
    """Apply titles, palette, layout and the text description; return the same figure.

    ``table`` (from :func:`data_table`) is the chart's data for students who need the
    numbers or cannot see the chart; it is shown in a collapsed ``<details>`` beside it.
    """
    if not (title and x_title and y_title and description):
        raise ValueError("every chart needs a title, both axis titles and a description")
    meta: dict[str, Any] = {"description": description}
    if table is not None:
        meta["table"] = table
    fig.update_layout(
        title={"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        colorway=PALETTE,
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        font={"size": 13},
        meta=meta,
    )
    return fig
