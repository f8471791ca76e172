"""Chart builders for lessons 03 and 05: finished figures with titles, axes and descriptions."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from course_lib import evidence
from course_lib.content import load_inventory, load_rubric
from course_lib.content.rubric import Rubric
from course_lib.display import describe
from course_lib.plots import evidence as pe
from course_lib.plots import measures as pm
from course_lib.scoring.inventory import score_inventory
from course_lib.scoring.stance import StanceResult


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


def _finished(fig: go.Figure) -> str:
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    text = describe(fig)
    assert text
    return text


# ---------------------------------------------------------------- measures
def test_marker_shift_is_one_over_markers_per_pole(rubric: Rubric) -> None:
    assert pm.marker_shift(rubric, "oppositional") == pytest.approx(0.2)
    assert pm.marker_shift(rubric, "compliant") == pytest.approx(0.2)
    with pytest.raises(ValueError):
        pm.marker_shift(rubric, "neither")


def test_markers_overview(rubric: Rubric) -> None:
    fig = pm.markers_overview(rubric)
    text = _finished(fig)
    assert "not a validated tool" in text and "0.20" in text
    compliant, oppositional = fig.data
    assert compliant.name.startswith("Compliant") and oppositional.name.startswith("Oppositional")
    assert all(x < 0 for x in compliant.x) and all(x > 0 for x in oppositional.x)
    assert len(compliant.y) + len(oppositional.y) == len(rubric.markers)
    assert compliant.marker.pattern.shape != oppositional.marker.pattern.shape


def test_facet_profile_complete_and_unscorable() -> None:
    inventory = load_inventory()
    full = score_inventory({item.id: 4 for item in inventory.items}, inventory)
    fig = pm.facet_profile(full, inventory)
    text = _finished(fig)
    assert "not a clinical assessment" in fig.layout.title.text
    bar = fig.data[0]
    assert len(bar.y) == len(inventory.facets) + 1
    assert bar.y[-1].startswith("Total")
    assert all(b == inventory.scale.min for b in bar.base)
    assert "Status: complete" in text and "no norms" in text
    sparse = score_inventory({"i01": 5, "i05": 5}, inventory)
    fig2 = pm.facet_profile(sparse, inventory)
    values = [a for a in fig2.layout.annotations if a.name == "value"]
    texts = [a.text for a in values]
    assert texts[0] == "5.00 (prorated: 1 blank)"
    assert texts[1].startswith("not scorable") and texts[-1] == "not scorable"
    assert "Status: not scorable" in describe(fig2)


def test_facet_profile_labels_never_sit_on_the_bars_or_the_band_edges() -> None:
    """Issue 8: band-edge labels overlapped the bars, values ran into the edge lines."""
    inventory = load_inventory()
    fig = pm.facet_profile(score_inventory({i.id: 4 for i in inventory.items}, inventory), inventory)
    top = max(b.upper for b in inventory.bands)
    edges = [a for a in fig.layout.annotations if a.text.startswith("band edge")]
    assert len(edges) == len(inventory.bands) - 1
    assert all(a.yref == "paper" and a.y >= 1 and a.yanchor == "bottom" for a in edges)
    values = [a for a in fig.layout.annotations if a.name == "value"]
    assert len(values) == len(inventory.facets) + 1
    assert all(a.x > top and a.xanchor == "left" for a in values)  # right of every bar and edge
    assert fig.layout.xaxis.range[1] > top + 1.5  # room for the value column


def test_the_effect_chart_keeps_its_50_percent_label_off_the_bars() -> None:
    fig = pe.effect_sizes_chart(evidence.effect_table())
    (label,) = [a for a in fig.layout.annotations if "50%" in a.text]
    assert label.xref == "paper" and label.x >= 1 and label.xanchor == "left"
    assert fig.layout.margin.r >= 150  # the margin the label sits in


# ---------------------------------------------------------------- evidence
def test_effect_sizes_chart() -> None:
    fig = pe.effect_sizes_chart(evidence.effect_table())
    text = _finished(fig)
    assert "72%" in text and "71%" in text
    assert [round(y) for y in fig.data[0].y] == [72, 71]
    # the reviews report d; the percentages are computed here and say so
    assert "derived" in fig.layout.title.text and all("derived" in t for t in fig.data[0].text)
    with pytest.raises(ValueError):
        pe.effect_sizes_chart([])


def test_overlap_chart() -> None:
    fig = pe.overlap_chart(0.82, "Beutler et al. (2011)")
    text = _finished(fig)
    assert "0.82" in fig.layout.title.text and "Beutler" in fig.layout.title.text
    assert "72%" in text and "idealised" in text and "derived" in text
    mismatched, matched = fig.data
    assert mismatched.line.dash == "dash" and matched.line.dash is None


def test_stance_hits_chart(rubric: Rubric) -> None:
    results = [
        StanceResult("p1", "Ana: t", "structured", "structured", "r"),
        StanceResult("p2", "Ben: t", "collaborative", "self_directed", "r"),
        StanceResult("p3", "Cy: t", None, "structured", "r"),
    ]
    fig = pe.stance_hits_chart(results, rubric)
    text = _finished(fig)
    assert fig.layout.title.text.endswith("1 of 3 matched")
    expert, chosen = fig.data
    assert list(expert.y) == ["Ana", "Ben", "Cy"]
    assert list(chosen.y) == ["Ana", "Ben"]  # no circle for an unanswered case
    assert list(chosen.text) == ["✓ match", "✗ differs"]
    assert "Ben: differs" in text and "Cy: differs (you none" in text
    with pytest.raises(ValueError):
        pe.stance_hits_chart([], rubric)
