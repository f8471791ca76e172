"""The illustrative determinants model (bounds, monotonicity, routes) and its explorer widget."""

from __future__ import annotations

import itertools
from dataclasses import asdict

import pytest

from course_lib.theory import (
    DETERMINANTS,
    ILLUSTRATIVE_NOTICE,
    ROUTES,
    Determinants,
    describe,
    likelihood_word,
    likely_routes,
    reactance_strength,
    sensitivity,
    strength_band,
)
from course_lib.widgets.explorer import SCENARIOS, DeterminantsExplorer, explorer_summary_html

KEYS = [info.key for info in DETERMINANTS]
GRID = [0, 3, 7, 10]


def test_the_four_determinants_are_wicklunds() -> None:
    assert KEYS == ["importance", "proportion", "threat", "future"]


def test_strength_is_bounded() -> None:
    for values in itertools.product(range(11), repeat=4):
        assert 0 <= reactance_strength(Determinants(*values)) <= 100 + 1e-9, values


@pytest.mark.parametrize("key", KEYS)
def test_strength_never_falls_when_a_determinant_rises(key: str) -> None:
    for others in itertools.product(GRID, repeat=3):
        base = dict(zip([k for k in KEYS if k != key], others, strict=True))
        values = [reactance_strength(Determinants(**base, **{key: x})) for x in range(11)]
        assert values == sorted(values), (key, base)


@pytest.mark.parametrize("key", KEYS)
def test_strength_strictly_rises_when_the_freedom_matters_and_is_threatened(key: str) -> None:
    base = {"importance": 5, "proportion": 5, "threat": 5, "future": 5}
    low = reactance_strength(Determinants(**{**base, key: 2}))
    high = reactance_strength(Determinants(**{**base, key: 8}))
    assert high > low


def test_extremes() -> None:
    assert reactance_strength(Determinants(10, 10, 10, 10)) == pytest.approx(100)
    assert reactance_strength(Determinants(0, 10, 10, 10)) == 0  # freedom does not matter
    assert reactance_strength(Determinants(10, 10, 0, 10)) == 0  # nothing threatens it


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"importance": 11}, ValueError), ({"threat": -1}, ValueError), ({"future": "high"}, TypeError),
     ({"proportion": True}, TypeError)],
)  # fmt: skip
def test_settings_are_validated(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        Determinants(**kwargs)


@pytest.mark.parametrize(
    ("strength", "band"),
    [(0, "little or none"), (4.9, "little or none"), (5, "mild"), (24.9, "mild"), (25, "moderate"),
     (54.9, "moderate"), (55, "strong"), (100, "strong")],
)  # fmt: skip
def test_strength_band(strength: float, band: str) -> None:
    assert strength_band(strength) == band


def test_strength_band_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        strength_band(101)


def test_routes_bounded_and_more_overt_routes_need_more_reactance() -> None:
    for values in itertools.product(GRID, repeat=4):
        estimates = likely_routes(Determinants(*values))
        assert [e.route.key for e in estimates] == ["subjective", "indirect", "direct"]
        likelihoods = [e.likelihood for e in estimates]
        assert all(0 <= x <= 1 for x in likelihoods)
        assert likelihoods == sorted(likelihoods, reverse=True), values


def test_routes_rise_with_strength() -> None:
    weak = likely_routes(Determinants(2, 1, 2, 1))
    strong = likely_routes(Determinants(10, 10, 10, 10))
    assert all(e.likelihood == 0 for e in weak[1:])
    assert all(e.likelihood == 1 for e in strong)
    assert {r.key for r in ROUTES} == {"direct", "indirect", "subjective"}


@pytest.mark.parametrize(("x", "word"), [(0, "unlikely"), (0.19, "unlikely"), (0.2, "possible"),
                                         (0.69, "possible"), (0.7, "likely"), (1, "likely")])  # fmt: skip
def test_likelihood_words(x: float, word: str) -> None:
    assert likelihood_word(x) == word


def test_sensitivity_varies_one_determinant_only() -> None:
    d = Determinants(6, 4, 8, 2)
    points = sensitivity(d, "threat")
    assert [x for x, _ in points] == [float(i) for i in range(11)]
    assert points[8][1] == pytest.approx(reactance_strength(d))
    assert points[0][1] == 0
    with pytest.raises(KeyError):
        sensitivity(d, "mood")


def test_describe_is_labelled_illustrative() -> None:
    text = describe(Determinants())
    assert text.startswith(ILLUSTRATIVE_NOTICE)
    assert "of 100" in text and "direct" in text


# ---------------------------------------------------------------- explorer widget


def test_explorer_controls_are_labelled() -> None:
    ex = DeterminantsExplorer()
    for slider in ex.sliders.values():
        assert slider.description and slider.tooltip
    assert ex.scenario.description and len(ex.scenario.options) == len(SCENARIOS)
    assert "ILLUSTRATIVE MODEL, NOT DATA" in ex.banner.value


def test_explorer_sliders_drive_summary_and_chart() -> None:
    ex = DeterminantsExplorer()
    ex.sliders["importance"].value = 0
    assert "0 of 100" in ex.summary.value
    assert "Illustrative model, not data" in ex.summary.value
    assert ex.last_figure.layout.title.text.startswith("Illustrative model, not data")
    kinds = [next(iter(o["data"])) for o in ex.chart.outputs]
    assert kinds == ["text/html", "application/vnd.plotly.v1+json"]


def test_explorer_scenario_sets_sliders_and_a_slider_clears_the_scenario() -> None:
    ex = DeterminantsExplorer()
    ex.scenario.value = "many"
    assert ex.determinants == SCENARIOS["many"][1]
    assert "strong" in ex.summary.value
    ex.sliders["future"].value = 0
    assert ex.scenario.value is None
    assert ex.determinants.future == 0


def test_explorer_summary_html_mentions_every_route() -> None:
    html = explorer_summary_html(Determinants(**asdict(SCENARIOS["ban"][1])))
    for word in ("Subjective", "Indirect", "Direct"):
        assert word in html
    assert "%" not in html  # words, not spurious precision
