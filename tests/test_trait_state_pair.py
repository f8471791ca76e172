"""Lesson 03's trait-or-state pair widget, driven without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ASSETS

from course_lib.content.cases import Alternative
from course_lib.content.catalog import load_case
from course_lib.widgets.trait_state_pair import TraitStatePair, verdict_html

TRAIT, STATE = "p01-marcus-fence", "p12-daniel-mandate"  # any two practice cases with keys


@pytest.fixture
def cases():
    return [load_case(ASSETS / "cases" / f"{cid}.yaml") for cid in (TRAIT, STATE)]


def test_check_waits_for_both_answers_then_locks_and_reveals(cases, tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    pair = TraitStatePair(cases, path)
    first, second = cases
    pair.choices[first.id].value = first.key.trait_or_state
    assert pair.check() is False and "decide for" in pair.status.text
    assert pair.verdicts[first.id].value == "" and not pair.choices[first.id].disabled
    wrong = "trait" if second.key.trait_or_state == "state" else "state"
    pair.choices[second.id].value = wrong
    assert pair.check() is True
    saved = json.loads(path.read_text(encoding="utf-8"))["cases"]
    assert saved[first.id]["checked"] and saved[second.id]["trait_or_state"] == wrong
    assert "✓" in pair.verdicts[first.id].value and "✗" in pair.verdicts[second.id].value
    assert all(c.disabled for c in pair.choices.values()) and pair.check_button.disabled
    pair.choices[second.id].value = second.key.trait_or_state  # locked: put back
    assert pair.choices[second.id].value == wrong and "locked" in pair.status.text


def test_rerun_restores_the_checked_pair(cases, tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    pair = TraitStatePair(cases, path)
    for case in cases:
        pair.choices[case.id].value = case.key.trait_or_state
    pair.check()
    again = TraitStatePair(cases, path)
    assert all(v.value for v in again.verdicts.values()) and again.check_button.disabled
    assert again.heading.text


def test_verdict_names_an_alternative_and_the_rationale(cases) -> None:
    case = cases[1]
    other = "trait" if case.key.trait_or_state == "state" else "state"
    alternative = Alternative(
        choice="trait_or_state", value=other, credit=0.5, reason="Both fit here."
    )
    key = case.key.model_copy(update={"alternatives": [alternative]})
    html = verdict_html(case, key, other)
    assert "≈" in html and "defensible" in html and "Both fit here." in html
    assert case.key.rationale[:40].replace("'", "&#x27;") in html
