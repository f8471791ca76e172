"""Charts for lessons 00-02: the lesson map, the bread study, the intertwined model, the
illustrative determinants model, the Dowd & Sanders typology and the sorting score."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from course_lib import paths
from course_lib.plots.theme import OKABE_ITO, PALETTE, data_table, finish
from course_lib.theory import (
    DETERMINANTS,
    ILLUSTRATIVE_NOTICE,
    SCALE_MAX,
    Determinants,
    reactance_strength,
    sensitivity,
)

BREAD_SOURCE = "Source: Weiner & Brehm (1966), as reported in Sittenthaler et al. (2015)"
BREAD_CONDITIONS = (
    ("No influence", 24),
    ('Moderate: "please try"', 70),
    ('Strong: "you are going to buy"', 51),
)


def _source_note(fig: go.Figure, text: str, y: float = -0.28) -> None:
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        showarrow=False,
        xanchor="left",
        font={"size": 11},
    )


LESSON_GLOB = "[0-9][0-9]_*.ipynb"
_TITLE_PREFIX = re.compile(r"^(lesson\s*)?\d{1,2}\s*[·:.\-–—]?\s*", re.IGNORECASE)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class LessonInfo:
    """One lesson notebook: its number, title and how many words of prose it holds."""

    number: str
    title: str
    words: int


def read_lesson_index(folder: Path | None = None) -> list[LessonInfo]:
    """Number, title and prose length of every ``NN_*.ipynb`` lesson (unreadable files skipped).

    By default: the course's ``notebooks/lessons`` folder, or the working folder if that
    one holds no lessons (e.g. a released copy of the module).
    """
    if folder is None:
        folder = paths.REPO_DIR / "notebooks" / "lessons"
        if not any(folder.glob(LESSON_GLOB)):
            folder = Path.cwd()
    lessons = []
    for path in sorted(Path(folder).glob(LESSON_GLOB)):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            prose = [
                "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells
                if c.get("cell_type") == "markdown"
            ]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        first = next((line for text in prose for line in text.splitlines() if line.strip()), "")
        title = _TITLE_PREFIX.sub("", first.lstrip("#").strip()) or path.stem
        words = sum(1 for text in prose for t in text.split() if any(ch.isalnum() for ch in t))
        lessons.append(LessonInfo(path.name[:2], title, words))
    return lessons


def lesson_map_chart(lessons: list[LessonInfo]) -> go.Figure:
    """Horizontal bars: each lesson's words of prose (a rough guide to reading time)."""
    fig = go.Figure(
        go.Bar(
            x=[lesson.words for lesson in lessons],
            y=[f"{lesson.number} {_short(lesson.title)}" for lesson in lessons],
            orientation="h",
            text=[f"{lesson.words} words" for lesson in lessons],
            textposition="auto",
            marker_color=OKABE_ITO["blue"],
            hovertemplate="%{y}: %{x} words<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    if lessons:
        longest = max(lessons, key=lambda x: x.words)
        summary = (
            f"{len(lessons)} lessons, from {lessons[0].number} to {lessons[-1].number}; "
            f"the longest read is lesson {longest.number} ({longest.words} words of prose)."
        )
    else:
        summary = "No lesson notebooks were found."
    return finish(
        fig,
        title="The lessons of this module and how much each has to read",
        x_title="Words of prose (a rough guide to reading time)",
        y_title="Lesson",
        description=f"Bar chart of the lesson notebooks. {summary}",
        height=max(260, 60 + 40 * len(lessons)),
    )


def bread_study_chart() -> go.Figure:
    """Weiner & Brehm (1966): share of shoppers who bought the bread under each influence."""
    labels = [c for c, _ in BREAD_CONDITIONS]
    values = [v for _, v in BREAD_CONDITIONS]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            text=[f"{v}%" for v in values],
            textposition="outside",
            marker_color=[OKABE_ITO["sky_blue"], OKABE_ITO["blue"], OKABE_ITO["vermillion"]],
            hovertemplate="%{x}: %{y}% bought the bread<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 100])
    _source_note(fig, BREAD_SOURCE)
    fig.update_layout(margin={"b": 110})
    return finish(
        fig,
        title="The bread study: pressure helps up to a point, then its effect shrinks",
        x_title="How strongly shoppers were urged to buy the bread",
        y_title="Shoppers who bought it (%)",
        description=(
            "Bar chart. With no influence 24% of shoppers bought the bread; after a moderate "
            'request ("please try") 70%; after a strong one ("you are going to buy") 51%, '
            "less than after the moderate request but still about twice the baseline. "
            + BREAD_SOURCE
            + "."
        ),
    )


def intertwined_model_chart() -> go.Figure:
    """Path diagram of Dillard & Shen's (2005) intertwined model of reactance."""
    fig = go.Figure()
    boxes = {
        "threat": (0.2, 3.3, 2.4, 4.5, "Threat to freedom<br>(the message)"),
        "trait": (0.2, 0.9, 2.4, 2.1, "Trait reactance<br>(reactance proneness)"),
        "state": (
            3.6,
            1.4,
            6.6,
            4.0,
            "Reactance<br><b>anger + negative cognitions</b><br>(one intertwined composite)",
        ),
        "attitude": (7.8, 3.3, 9.8, 4.5, "Attitude"),
        "intention": (7.8, 0.9, 9.8, 2.1, "Intention"),
    }
    for x0, y0, x1, y1, text in boxes.values():
        fig.add_shape(
            type="rect",
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            line={"color": OKABE_ITO["blue"], "width": 2},
            fillcolor="rgba(86,180,233,0.15)",
        )
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=text, showarrow=False)
    arrows = [
        ((2.4, 3.9), (3.6, 3.1)),
        ((2.4, 1.5), (3.6, 2.3)),
        ((6.6, 3.1), (7.8, 3.9)),
        ((6.6, 2.3), (7.8, 1.5)),
    ]
    for (x0, y0), (x1, y1) in arrows:
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            text="",
            showarrow=True,
            arrowhead=3,
            arrowwidth=2,
            arrowcolor=OKABE_ITO["black"],
        )
    _source_note(
        fig,
        "Dillard & Shen (2005): flossing study N = 196, drinking study N = 200.<br>"
        "Best fit again in Rains & Turner (2007) and in Rains's (2013) meta-analysis "
        "(K = 20, N = 4,942).",
        y=-0.12,
    )
    fig.update_xaxes(range=[0, 10], visible=False)
    fig.update_yaxes(range=[0.5, 4.9], visible=False)
    return finish(
        fig,
        title="The intertwined model: reactance as anger + negative cognitions",
        x_title="Causal order (left to right)",
        y_title="Model components",
        description=(
            "Diagram. In Dillard and Shen (2005) a threat to freedom and trait reactance affect "
            "attitude and intention through reactance, measured as a composite of anger and "
            "negative cognitions, which fully mediated those effects. Two studies (flossing, "
            "N = 196; drinking, N = 200); the intertwined model fit best again in Rains and "
            "Turner (2007) and in Rains's (2013) meta-analysis of K = 20 studies, N = 4,942."
        ),
        height=360,
    )


_LINE_STYLES = (("solid", "circle"), ("dash", "square"), ("dot", "diamond"), ("dashdot", "x"))


def determinants_chart(d: Determinants) -> go.Figure:
    """Illustrative model: strength as each determinant varies, the others held at ``d``."""
    fig = go.Figure()
    current = reactance_strength(d)
    for i, (info, (dash, symbol)) in enumerate(zip(DETERMINANTS, _LINE_STYLES, strict=True)):
        points = sensitivity(d, info.key)
        fig.add_trace(
            go.Scatter(
                x=[x for x, _ in points],
                y=[y for _, y in points],
                mode="lines",
                name=f"varying {info.label.lower()}",
                line={"dash": dash, "width": 2, "color": PALETTE[i]},
                hovertemplate=f"{info.label} %{{x:.0f}}: strength %{{y:.0f}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[getattr(d, info.key)],
                y=[current],
                mode="markers",
                marker={"symbol": symbol, "size": 11, "color": PALETTE[i]},
                name=f"current {info.label.lower()}",
                showlegend=False,
                hovertemplate=f"Current {info.label.lower()} %{{x:.0f}}<extra></extra>",
            )
        )
    fig.update_xaxes(range=[-0.3, SCALE_MAX + 0.3], dtick=1)
    fig.update_yaxes(range=[0, 105])
    fig.add_annotation(
        text=f"<b>{ILLUSTRATIVE_NOTICE.upper()}</b>",
        xref="paper",
        yref="paper",
        x=0.01,
        y=0.98,
        showarrow=False,
        xanchor="left",
        bgcolor="rgba(240,228,66,0.35)",
    )
    return finish(
        fig,
        title=f"{ILLUSTRATIVE_NOTICE}: strength as each determinant varies",
        x_title="Setting of the determinant that varies (0-10)",
        y_title="Illustrative strength (0-100, made up)",
        description=(
            f"{ILLUSTRATIVE_NOTICE}. Four lines, one per determinant, each varied from 0 to 10 "
            f"while the others stay at their current settings; the markers show the current "
            f"setting, where the made-up strength is {current:.0f} of 100. The formula is "
            "invented for teaching, not fitted to any data."
        ),
    )


def dowd_sanders_chart() -> go.Figure:
    """Dowd & Sanders (1994): reactance level x symptom fit, ranked by treatment difficulty."""
    words = [
        ["Least difficult", "Moderately difficult"],
        ["Moderately difficult", "Most difficult"],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=[[1, 2], [2, 3]],
            x=["Symptom ego-dystonic", "Symptom ego-syntonic"],
            y=["Low reactance", "High reactance"],
            text=words,
            texttemplate="%{text}",
            textfont={"size": 15},
            colorscale=[[0, "#FFFFFF"], [0.5, "#F5D37A"], [1, OKABE_ITO["orange"]]],
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    _source_note(fig, "Source: Dowd & Sanders (1994), Canadian Journal of Counselling, 28(1).")
    fig.update_layout(margin={"b": 100})
    return finish(
        fig,
        title="Dowd & Sanders (1994): reactance x symptom fit, by difficulty",
        x_title="Does the symptom fit the client's self-image?",
        y_title="Client's reactance level",
        description=(
            "Two-by-two table. Low reactance with an ego-dystonic symptom: least difficult. "
            "Low reactance with an ego-syntonic symptom, or high reactance with an ego-dystonic "
            "one: moderately difficult. High reactance with an ego-syntonic symptom: most "
            "difficult. Source: Dowd & Sanders (1994)."
        ),
        height=340,
    )


def sorting_score_chart(by_category: dict[str, dict[str, int]]) -> go.Figure:
    """Stacked bars: for each category (the best fit), how the statements were sorted."""
    from course_lib.content.exercises import CATEGORY_LABELS
    from course_lib.exercises.sorting import VERDICT_LABELS

    colours = {
        "correct": OKABE_ITO["blue"],
        "defensible": OKABE_ITO["sky_blue"],
        "wrong": OKABE_ITO["vermillion"],
        "unanswered": "#BBBBBB",
    }
    categories = list(by_category)
    fig = go.Figure()
    for verdict, name in VERDICT_LABELS.items():
        counts = [by_category[c].get(verdict, 0) for c in categories]
        fig.add_trace(
            go.Bar(
                y=[CATEGORY_LABELS[c] for c in categories],
                x=counts,
                name=name,
                orientation="h",
                marker_color=colours[verdict],
                text=[f"{name.split()[0]} {n}" if n else "" for n in counts],
                textposition="inside",
                hovertemplate=f"%{{y}}: %{{x}} {name.lower()}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack", legend={"orientation": "h", "y": -0.3, "traceorder": "normal"}
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1)
    parts = []
    for c in categories:
        row = by_category[c]
        total = sum(row.values())
        parts.append(
            f"{CATEGORY_LABELS[c]}: {row.get('correct', 0)} of {total} best fit, "
            f"{row.get('defensible', 0)} defensible"
        )
    return finish(
        fig,
        title="Your sorting, by the best-fit category of each statement",
        x_title="Number of statements",
        y_title="Best-fit category",
        description="Stacked bar chart. " + "; ".join(parts) + ".",
        height=340,
        table=data_table(
            ["Best-fit category", *VERDICT_LABELS.values()],
            [
                [CATEGORY_LABELS[c], *(by_category[c].get(v, 0) for v in VERDICT_LABELS)]
                for c in categories
            ],
        ),
    )
