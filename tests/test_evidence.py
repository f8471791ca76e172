"""The evidence data match the reference sheet; derived figures come from stats.effects."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import evidence
from course_lib.stats.effects import d_to_r, probability_of_superiority


def test_meta_analyses_hold_the_sheet_figures() -> None:
    first, second = evidence.META_ANALYSES
    assert (first.k, first.n, first.d) == (12, 1102, 0.82)
    assert (second.k, second.n, second.d) == (13, 1208, 0.79)
    assert second.authors_call_it == "large"
    assert first.authors_call_it is None
    assert "doi:10.1002/jclp.20753" in first.citation
    assert "doi:10.1002/jclp.22682" in second.citation


def test_summarize_effect_uses_the_stats_functions() -> None:
    eff = evidence.summarize_effect(0.82, "x")
    assert eff.label == "x"
    assert eff.r == pytest.approx(d_to_r(0.82))
    assert eff.probability == pytest.approx(probability_of_superiority(0.82))
    assert eff.r == pytest.approx(0.82 / math.sqrt(0.82**2 + 4))


def test_effect_table_rounds_to_the_sheet_values() -> None:
    e2011, e2018 = evidence.effect_table()
    assert round(e2011.r, 2) == 0.38 and e2011.percent == "72%"
    assert round(e2018.r, 2) == 0.37 and e2018.percent == "71%"


def test_summarize_effect_rejects_non_numbers() -> None:
    with pytest.raises(ValueError):
        evidence.summarize_effect(float("nan"))


def test_meta_analysis_lookup() -> None:
    assert evidence.meta_analysis("beutler2018").d == 0.79
    with pytest.raises(KeyError, match="beutler2011"):
        evidence.meta_analysis("nope")


def test_ratings_mark_2018_as_unverified() -> None:
    r2011, r2018 = evidence.RATINGS
    assert r2011.verified and r2011.rating == "demonstrably effective"
    assert "doi:10.1002/jclp.20764" in r2011.citation
    assert not r2018.verified and r2018.rating is None
    assert "unconfirmed" in r2018.note


def test_landmark_studies_are_cited() -> None:
    labels = [s.label for s in evidence.LANDMARK_STUDIES]
    assert labels == ["Beutler et al. (1991)", "Shoham-Salomon, Avner & Neeman (1989)"]
    assert "59(2), 333-340" in evidence.LANDMARK_STUDIES[0].citation
    assert "63 patients" in evidence.LANDMARK_STUDIES[0].summary


def test_overlap_curves_peak_at_zero_and_d() -> None:
    x, mismatched, matched = evidence.overlap_curves(0.8, points=801)
    assert x.shape == mismatched.shape == matched.shape == (801,)
    assert x[int(np.argmax(mismatched))] == pytest.approx(0.0, abs=0.01)
    assert x[int(np.argmax(matched))] == pytest.approx(0.8, abs=0.01)
    assert mismatched.max() == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-3)
    assert x[0] == pytest.approx(-3.5) and x[-1] == pytest.approx(4.3)


def test_overlap_curves_handle_negative_d_and_reject_bad_input() -> None:
    x, _, _ = evidence.overlap_curves(-1.0)
    assert x[0] == pytest.approx(-4.5) and x[-1] == pytest.approx(3.5)
    with pytest.raises(ValueError):
        evidence.overlap_curves(float("inf"))
    with pytest.raises(ValueError):
        evidence.overlap_curves(True)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        evidence.overlap_curves(0.5, points=2)


def test_markdown_table_lists_both_meta_analyses() -> None:
    table = evidence.meta_analysis_markdown()
    lines = table.splitlines()
    assert len(lines) == 4
    assert "| 12 | 1,102 | 0.82 | 0.38 | 72% |" in lines[2]
    assert "| 13 | 1,208 | 0.79 | 0.37 | 71% |" in lines[3]


def test_studies_markdown_lists_each_study_with_its_citation() -> None:
    text = evidence.studies_markdown()
    assert text.count("\n- ") == len(evidence.LANDMARK_STUDIES) - 1
    for study in evidence.LANDMARK_STUDIES:
        assert study.label in text and study.citation in text
