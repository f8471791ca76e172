"""Case charts: each builder returns a finished figure with the right points."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from course_lib.answers import CaseAnswer
from course_lib.content import case_path, load_case, load_rubric
from course_lib.content.rubric import Rubric
from course_lib.display import PLOTLY_MIME, Chart, describe
from course_lib.plots.cases import (
    agreement_summary_figure,
    marker_comparison_figure,
    spectrum_figure,
)
from course_lib.scoring.compare import CaseComparison, compare_case, summarize
from course_lib.scoring.placement import Placement, place


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


def _comparison(rubric: Rubric, case_id: str, shift: int = 0, **choices: str) -> CaseComparison:
    """Compare a made-up answer with a case key: each rating moved by ``shift`` (clamped)."""
    key = load_case(case_path(case_id), rubric).key
    assert key is not None
    ratings: dict[str, int | None] = {
        m: min(3, max(0, r.rating + shift)) for m, r in key.ratings.items()
    }
    fields = {"band": key.band, "trait_or_state": key.trait_or_state, "stance": key.stance}
    fields.update(choices)
    return compare_case(case_id, CaseAnswer(ratings=ratings, **fields), key, rubric)


def _assert_finished(fig: go.Figure) -> None:
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert describe(fig)
    bundle = Chart(fig)._repr_mimebundle_()
    json.dumps(bundle[PLOTLY_MIME])  # serialisable as plotly's MIME payload


def test_spectrum_figure_places_each_point_on_its_own_labelled_row(rubric: Rubric) -> None:
    you = Placement(2.0, 1.0, 1 / 3, "high")
    expert = Placement(0.4, 1.6, -0.4, "low")
    fig = spectrum_figure([("You", you), ("Expert", expert)], rubric=rubric)
    _assert_finished(fig)
    points = [t for t in fig.data if t.type == "scatter"]
    assert [(t.x[0], t.y[0]) for t in points] == [(1 / 3, "You"), (-0.4, "Expert")]
    assert len({t.marker.symbol for t in points}) == 2  # told apart by symbol, not colour only
    assert [t.name for t in points] == ["You: +0.33 (high band)", "Expert: -0.40 (low band)"]
    assert tuple(fig.layout.xaxis.range) == (-1.05, 1.05)
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert sorted((s.x0, s.x1) for s in shaded) == [
        (-1, -1 / 3),
        (-1 / 3, 1 / 3),
        (1 / 3, 1),
    ]
    labels = " ".join(a.text for a in fig.layout.annotations)
    assert "Low reactance" in labels and "Mid-range" in labels and "High reactance" in labels
    text = describe(fig)
    assert "You +0.33 (high band)" in text and "Expert -0.40 (low band)" in text


def test_spectrum_figure_takes_any_labels_and_needs_at_least_one(rubric: Rubric) -> None:
    points = [(name, Placement(1.0, 1.0, 0.0, "mid")) for name in ("A", "B", "C", "D")]
    fig = spectrum_figure(points)
    _assert_finished(fig)
    assert len({t.marker.symbol for t in fig.data}) == 4
    with pytest.raises(ValueError, match="at least one"):
        spectrum_figure([])


def test_spectrum_figure_with_a_real_placement(rubric: Rubric) -> None:
    comparison = _comparison(rubric, "p01-marcus-fence")
    expected = place({m.marker_id: m.expert for m in comparison.markers}, rubric)
    fig = spectrum_figure([("Expert", comparison.expert)], rubric=rubric, title="Marcus")
    assert fig.layout.title.text == "Marcus"
    assert fig.data[0].x[0] == pytest.approx(expected.position)


def test_marker_comparison_figure_has_both_raters_for_every_marker(rubric: Rubric) -> None:
    comparison = _comparison(rubric, "p01-marcus-fence", shift=1)
    fig = marker_comparison_figure(comparison, rubric=rubric)
    _assert_finished(fig)
    you = next(t for t in fig.data if t.name == "You")
    expert = next(t for t in fig.data if t.name == "Expert")
    assert list(you.x) == [m.student for m in comparison.markers]
    assert list(expert.x) == [m.expert for m in comparison.markers]
    assert you.marker.symbol != expert.marker.symbol
    assert len(expert.y) == len(rubric.markers)
    assert "Counters suggestions (oppositional)" in expert.y
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 2, 3]
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == sum(1 for m in comparison.markers if m.difference)
    same = comparison.exact_matches
    assert f"{same} match exactly" in describe(fig)


def test_marker_comparison_figure_leaves_unrated_markers_out(rubric: Rubric) -> None:
    key = load_case(case_path("p01-marcus-fence"), rubric).key
    assert key is not None
    ratings: dict[str, int | None] = {m: r.rating for m, r in key.ratings.items()}
    ratings["counters_suggestions"] = None
    comparison = compare_case("p01-marcus-fence", CaseAnswer(ratings=ratings), key, rubric)
    fig = marker_comparison_figure(comparison)
    you = next(t for t in fig.data if t.name == "You")
    assert len(you.x) == len(rubric.markers) - 1
    assert "Counters suggestions" not in you.y
    assert "1 not rated" in describe(fig)
    assert "p01-marcus-fence" in fig.layout.title.text


def test_agreement_summary_figure_shows_kappa_and_band_verdict_per_case(rubric: Rubric) -> None:
    hit = _comparison(rubric, "p01-marcus-fence", shift=0)
    miss = _comparison(rubric, "p02-kezia-timetable", shift=1, band="mid")
    assert hit.band_hit and not miss.band_hit
    fig = agreement_summary_figure([hit, miss], labels={"p01-marcus-fence": "p01 Marcus"})
    _assert_finished(fig)
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    matched, missed = bars["Band matched (✓)"], bars["Band missed (✗)"]
    assert list(matched.x) == ["p01 Marcus"] and list(matched.y) == [hit.weighted_kappa]
    assert list(missed.x) == ["p02-kezia-timetable"]
    assert list(missed.y) == [pytest.approx(miss.weighted_kappa)]
    assert matched.text[0].endswith("✓") and missed.text[0].endswith("✗")
    assert missed.marker.pattern.shape == "/"  # not colour alone
    pooled = next(t for t in fig.data if t.type == "scatter")
    assert pooled.y[0] == pytest.approx(summarize([hit, miss]).weighted_kappa)
    text = describe(fig)
    assert "p01 Marcus: weighted kappa 1.00, band matched" in text
    assert "band missed" in text


def test_agreement_summary_figure_accepts_a_precomputed_summary_and_undefined_kappa(
    rubric: Rubric,
) -> None:
    key = load_case(case_path("p01-marcus-fence"), rubric).key
    assert key is not None
    flat: dict[str, int | None] = {m: 0 for m in key.ratings}
    # both raters give every marker 0: chance agreement is total, so kappa is undefined
    flat_key = key.model_copy(
        update={"ratings": {m: r.model_copy(update={"rating": 0}) for m, r in key.ratings.items()}}
    )
    undefined = compare_case("flat", CaseAnswer(ratings=flat), flat_key, rubric)
    assert undefined.weighted_kappa is None
    summary = summarize([undefined])
    fig = agreement_summary_figure([undefined], summary)
    _assert_finished(fig)
    bar = next(t for t in fig.data if t.type == "bar" and len(t.x))
    assert list(bar.y) == [0] and bar.text[0].startswith("n/a")
    assert "weighted kappa undefined" in describe(fig)


def test_agreement_summary_figure_with_no_cases_still_describes_itself() -> None:
    fig = agreement_summary_figure([])
    _assert_finished(fig)
    assert "No case checked yet" in describe(fig)


def test_the_case_charts_carry_a_folded_data_table_of_their_numbers(rubric: Rubric) -> None:
    """Students who cannot see the chart (or need the numbers) get them in a table."""
    from course_lib.display import chart_outputs, table_html

    key = load_case(case_path("p01-marcus-fence"), rubric).key
    assert key is not None
    ratings: dict[str, int | None] = {m: r.rating for m, r in key.ratings.items()}
    ratings["counters_suggestions"] = None
    comparison = compare_case("p01-marcus-fence", CaseAnswer(ratings=ratings), key, rubric)
    html = table_html(marker_comparison_figure(comparison, rubric=rubric))
    assert html.startswith("<details") and "<summary>Data table: " in html
    assert '<th scope="col">You</th><th scope="col">Expert</th>' in html
    unrated = next(m for m in comparison.markers if m.marker_id == "counters_suggestions")
    assert (
        f'<th scope="row">Counters suggestions (oppositional)</th><td>not rated</td>'
        f"<td>{unrated.expert}</td><td>not rated</td>"
    ) in html
    assert html.count("<tr>") == len(rubric.markers) + 1  # header + one row per marker

    placed = place({m: r.rating for m, r in key.ratings.items()}, rubric)
    spectrum = table_html(spectrum_figure([("Expert", placed)], rubric=rubric))
    assert f"<td>{placed.position:+.2f}</td>" in spectrum and f"<td>{placed.band}</td>" in spectrum

    summary = table_html(agreement_summary_figure([_comparison(rubric, "p01-marcus-fence")]))
    assert "✓ matched" in summary  # the verdict in words and symbol, not by bar colour
    # Shown after the one-line description, in the same output as the description.
    outputs = chart_outputs(marker_comparison_figure(comparison, rubric=rubric))
    assert outputs[0]["data"]["text/html"].endswith(html)


def test_a_chart_without_a_table_shows_only_its_description(rubric: Rubric) -> None:
    from course_lib.display import table_html
    from course_lib.plots.theme import data_table

    fig = go.Figure()
    fig.update_layout(title={"text": "t"}, meta={"description": "d"})
    assert table_html(fig) == ""
    with pytest.raises(ValueError, match="one cell per column"):
        data_table(["a", "b"], [["only one"]])
