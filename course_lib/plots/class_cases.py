"""Charts for the class report, part two: the class's case ratings against the expert key.

Choices against the key (band, trait or state, stance), each marker's mean signed
difference from the key, agreement between students (ICC) and each student's kappa with
the key. As in :mod:`course_lib.plots.class_report`, every builder has a ``*_summary``
companion giving the line shown beside it, raises ``NothingToDraw`` when there is nothing to
draw, and leaves missing statistics out of the chart and names them in the summary.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import median

import plotly.graph_objects as go

from course_lib.plots.class_report import NothingToDraw, count_ticks
from course_lib.plots.theme import EXPERT_COLOUR, STUDENT_COLOUR, finish
from course_lib.report.model import CaseAgreement, ChoiceTable, MarkerStat, StudentKappa

#: White to blue: the share of students choosing an option.
SHARE_SCALE = [[0.0, "#FFFFFF"], [1.0, STUDENT_COLOUR]]
#: Blue (class rates lower than the key) through white to vermillion (higher).
DIVERGING_SCALE = [[0.0, STUDENT_COLOUR], [0.5, "#FFFFFF"], [1.0, EXPERT_COLOUR]]
FIELD_NAMES = {"band": "Band", "trait_or_state": "Trait or state", "stance": "Opening stance"}
NO_VALUE = "—"


def _total(table: ChoiceTable) -> int:
    return sum(table.counts.values())


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%"


def field_name(field: str) -> str:
    """The field of a choice table in words (``trait_or_state`` -> ``Trait or state``)."""
    return FIELD_NAMES.get(field, field.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- choices
def choice_summary(tables: Sequence[ChoiceTable]) -> str:
    """One line: how often the class chose the key, and the case it agreed with least."""
    if not tables:
        return "No cases."
    name = field_name(tables[0].field)
    answered = [t for t in tables if _total(t)]
    if not answered:
        return f"{name}: no answers recorded for any case."
    matched = sum(t.counts.get(t.key, 0) for t in answered)
    total = sum(_total(t) for t in answered)
    majority = sum(
        1 for t in answered if t.counts.get(t.key, 0) == max(t.counts.values(), default=0)
    )
    worst = min(answered, key=lambda t: (t.counts.get(t.key, 0) / _total(t), t.case_id))
    parts = [
        f"{name}: {_percent(matched, total)} of {total} choices matched the key",
        f"the most common choice was the key's in {majority} of {len(answered)} cases",
        f"least agreed: {worst.case_id} "
        f"({_percent(worst.counts.get(worst.key, 0), _total(worst))} chose {worst.key})",
    ]
    blank = [t.case_id for t in tables if not _total(t)]
    if blank:
        parts.append("no answers for " + ", ".join(blank))
    return "; ".join(parts) + "."


def choice_options(tables: Sequence[ChoiceTable]) -> list[str]:
    """Every option of the tables (their own order, then any counted option not listed)."""
    seen: dict[str, None] = {}
    for table in tables:
        for option in (*table.options, *table.counts):
            seen.setdefault(option, None)
    return list(seen)


def _cell_text(table: ChoiceTable, option: str) -> str:
    count = str(table.counts.get(option, 0))
    if option == table.key:
        return f"<b>{count} key</b>"
    if option in table.alternatives:
        return f"{count} partial"
    return count


def choice_figure(
    tables: Sequence[ChoiceTable], *, labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Heatmap, one row per case: how many students chose each option, the key's cell marked.

    ``tables`` are one field (band, trait or state, stance) of one assignment's cases. Colour
    is the share of the row's students; the count is printed in every cell, and the key's
    cell says ``key`` (options the key accepts for partial credit say ``partial``).
    """
    if not any(_total(t) for t in tables):
        raise NothingToDraw("no choices recorded in these tables")
    labels = labels or {}
    options = choice_options(tables)
    rows = [f"{labels.get(t.case_id, t.case_id)} (key: {t.key})" for t in tables]
    shares = [
        [t.counts.get(o, 0) / _total(t) if _total(t) else 0.0 for o in options] for t in tables
    ]
    fig = go.Figure(
        go.Heatmap(
            z=shares,
            x=options,
            y=rows,
            text=[[_cell_text(t, o) for o in options] for t in tables],
            texttemplate="%{text}",
            customdata=[[t.counts.get(o, 0) for o in options] for t in tables],
            colorscale=SHARE_SCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "share"}, "tickformat": ".0%"},
            hovertemplate="%{y}<br>chose %{x}: %{customdata} (%{z:.0%})<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(automargin=True)
    name = field_name(tables[0].field)
    return finish(
        fig,
        title=f"{name}: the class's choices against the key",
        x_title=f"{name} chosen",
        y_title="Case (and the key's answer)",
        description=choice_summary(tables),
        height=200 + 40 * len(tables),
    )


# --------------------------------------------------------------------------- markers
def _signed(value: float) -> str:
    return f"{value:+.2f}"


def marker_summary(markers: Sequence[MarkerStat], labels: Mapping[str, str] | None = None) -> str:
    """One line: the three largest mean signed differences from the key, in words."""
    labels = labels or {}
    known = [m for m in markers if m.mean_signed_diff is not None]
    if not known:
        return "No marker was rated by the class."
    worst = sorted(known, key=lambda m: (-abs(m.mean_signed_diff or 0.0), m.case_id, m.marker))
    parts = []
    for m in worst[:3]:
        diff = m.mean_signed_diff or 0.0
        if diff == 0:
            break
        verb = "over-rates" if diff > 0 else "under-rates"
        mean = f"{m.class_mean:.2f}" if m.class_mean is not None else NO_VALUE
        parts.append(
            f"the class {verb} {labels.get(m.marker, m.marker)} in {m.case_id} by "
            f"{abs(diff):.2f} (key {m.key_rating}, class mean {mean})"
        )
    text = "Largest misjudgements: " + "; ".join(parts) if parts else "The class matched the key"
    missing = len(markers) - len(known)
    if missing:
        text += f"; {missing} marker(s) not rated by anyone"
    return text + "."


def marker_figure(
    markers: Sequence[MarkerStat], *, labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Heatmap case x marker of the class mean minus the key, centred on zero.

    Vermillion cells: the class rates the marker higher than the key; blue: lower. The
    signed difference is printed in every cell (``—`` where nobody rated it).
    """
    if not any(m.mean_signed_diff is not None for m in markers):
        raise NothingToDraw("no marker has a mean signed difference")
    labels = labels or {}
    cases = list(dict.fromkeys(m.case_id for m in markers))
    names = list(dict.fromkeys(m.marker for m in markers))
    by = {(m.case_id, m.marker): m for m in markers}
    z: list[list[float | None]] = []
    text, hover = [], []
    for case in cases:
        row_z, row_text, row_hover = [], [], []
        for name in names:
            m = by.get((case, name))
            diff = m.mean_signed_diff if m else None
            row_z.append(diff)
            row_text.append(_signed(diff) if diff is not None else NO_VALUE)
            if m is None:
                row_hover.append("not in this case")
            else:
                mean = f"{m.class_mean:.2f}" if m.class_mean is not None else NO_VALUE
                row_hover.append(f"key {m.key_rating}, class mean {mean}, n = {m.n}")
        z.append(row_z)
        text.append(row_text)
        hover.append(row_hover)
    largest = max(abs(d) for row in z for d in row if d is not None)
    bound = min(3.0, max(1.0, largest))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[labels.get(n, n) for n in names],
            y=cases,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            colorscale=DIVERGING_SCALE,
            zmid=0,
            zmin=-bound,
            zmax=bound,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            colorbar={"title": {"text": "class - key"}},
            hovertemplate="%{y}, %{x}: %{text}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickangle=-35, automargin=True)
    return finish(
        fig,
        title="Each marker: the class's mean rating minus the key (blue under-rates)",
        x_title="Marker",
        y_title="Case",
        description=marker_summary(markers, labels),
        height=320 + 36 * len(cases),
    )


# --------------------------------------------------------------------------- raters
def _notes(pairs: Sequence[tuple[str, str]]) -> str:
    """``a05 (reason); a07 (reason)`` for the missing statistics."""
    return "; ".join(f"{name} ({note})" if note else name for name, note in pairs)


def icc_summary(agreement: Sequence[CaseAgreement]) -> str:
    """One line: the range of ICC(A,1) across cases and the cases without one."""
    if not agreement:
        return "No case rated."
    known = [a for a in agreement if a.icc is not None]
    parts = []
    if known:
        low = min(known, key=lambda a: (a.icc, a.case_id))
        high = max(known, key=lambda a: (a.icc, a.case_id))
        if len(known) == 1:
            parts.append(f"ICC(A,1) {low.icc:.2f} for {low.case_id} ({low.raters} raters)")
        else:
            parts.append(
                f"ICC(A,1) from {low.icc:.2f} ({low.case_id}) to {high.icc:.2f} "
                f"({high.case_id}) across {len(known)} cases"
            )
    missing = [(a.case_id, a.note) for a in agreement if a.icc is None]
    if missing:
        parts.append("not computed for " + _notes(missing))
    return "; ".join(parts) + "."


def icc_figure(
    agreement: Sequence[CaseAgreement], *, labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Bars: agreement between students on each case, ICC(A,1); cases without one left out."""
    known = [a for a in agreement if a.icc is not None]
    if not known:
        raise NothingToDraw("no case has an ICC")
    labels = labels or {}
    values = [a.icc for a in known if a.icc is not None]
    fig = go.Figure(
        go.Bar(
            x=[labels.get(a.case_id, a.case_id) for a in known],
            y=values,
            text=[f"{v:.2f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=[a.raters for a in known],
            marker={"color": STUDENT_COLOUR},
            hovertemplate="%{x}: ICC(A,1) %{y:.2f}, %{customdata} raters<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(range=[min(-0.1, min(values) - 0.15), 1.1], zeroline=True)
    if len(known) < 4:  # keep bars slim when only a few cases have an ICC
        pad = (4 - len(known)) / 2
        fig.update_xaxes(range=[-0.5 - pad, len(known) - 0.5 + pad])
    return finish(
        fig,
        title="Agreement between students on each case (ICC(A,1))",
        x_title="Case",
        y_title="ICC(A,1) across students and markers",
        description=icc_summary(agreement),
        height=340,
    )


def kappa_summary(kappas: Sequence[StudentKappa]) -> str:
    """One line: the median kappa with the key, its range, and students without one."""
    if not kappas:
        return "No student rated a case."
    values = [k.kappa for k in kappas if k.kappa is not None]
    parts = []
    if values:
        parts.append(
            f"Median kappa with the key {median(values):.2f} over {len(values)} student"
            f"{'' if len(values) == 1 else 's'} (from {min(values):.2f} to {max(values):.2f})"
        )
    reasons = Counter(k.note or "no reason given" for k in kappas if k.kappa is None)
    if reasons:
        missing = sum(reasons.values())
        why = "; ".join(f"{note} ({n})" for note, n in sorted(reasons.items()))
        parts.append(f"no kappa for {missing} student{'' if missing == 1 else 's'}: {why}")
    return "; ".join(parts) + "."


def kappa_figure(kappas: Sequence[StudentKappa]) -> go.Figure:
    """Histogram of the students' quadratic-weighted kappas with the key, median marked."""
    values = [k.kappa for k in kappas if k.kappa is not None]
    if not values:
        raise NothingToDraw("no student has a kappa")
    middle = median(values)
    fig = go.Figure(
        go.Histogram(
            x=values,
            xbins={"start": -1.0, "end": 1.0001, "size": 0.1},
            marker={"color": STUDENT_COLOUR, "line": {"width": 1, "color": "white"}},
            name="Students",
            hovertemplate="kappa %{x}: %{y} student(s)<extra></extra>",
        )
    )
    fig.add_vline(
        x=middle,
        line={"dash": "dash", "color": "#333333", "width": 1.5},
        annotation_text=f"median {middle:.2f}",
        annotation_position="top left",
    )
    fig.update_xaxes(range=[min(-0.05, min(values) - 0.1), 1.05])
    count_ticks(fig, max(Counter(math.floor(v * 10 + 1e-9) for v in values).values()))
    return finish(
        fig,
        title="Each student's agreement with the key (quadratic-weighted kappa)",
        x_title="Weighted kappa with the key (1 = perfect, 0 = chance)",
        y_title="Students",
        description=kappa_summary(kappas),
        height=340,
    )
