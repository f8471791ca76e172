"""The opening-stance exercise: pure feedback helpers and the widget without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_lib.content import load_cases, load_rubric
from course_lib.content.cases import Case
from course_lib.content.rubric import Rubric
from course_lib.scoring.stance import (
    StanceResult,
    case_label,
    stance_label,
    stance_result,
    stance_summary,
)
from course_lib.widgets.stance import StanceExercise, case_html, feedback_html


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    practice = load_cases(which="practice")
    by_stance = {}
    for case in practice:
        by_stance.setdefault(case.key.stance, case)
    return [by_stance["self_directed"], by_stance["structured"], by_stance["collaborative"]]


def _result(chosen: str | None, expert: str = "structured") -> StanceResult:
    return StanceResult("p99-x", "Ana: A title", chosen, expert, "Because <reasons> & more.")


# ---------------------------------------------------------------- pure helpers
def test_stance_result_compares_with_the_key(cases: list[Case]) -> None:
    case = cases[0]
    hit = stance_result(case, case.key.stance, case.key)
    assert hit.hit and hit.expert == case.key.stance and hit.rationale == case.key.rationale
    assert hit.label == case_label(case) and hit.label.startswith(case.client.name.split()[0])
    miss = stance_result(case, None, case.key)
    assert not miss.hit and miss.chosen is None


def test_stance_summary_counts_hits_and_open_cases() -> None:
    assert "No case checked yet" in stance_summary([])
    text = stance_summary([_result("structured"), _result("collaborative")], total_cases=5)
    assert "1 of 2 checked cases" in text and "3 case(s) not checked yet" in text
    assert "1 of 1 checked case." in stance_summary([_result("structured")], total_cases=1)


def test_stance_label(rubric: Rubric) -> None:
    assert stance_label("structured", rubric) == "Structured, directive"
    assert stance_label(None, rubric) == "no choice"
    with pytest.raises(KeyError):
        stance_label("paradoxical", rubric)


def test_feedback_uses_words_and_symbols_and_escapes(rubric: Rubric) -> None:
    good = feedback_html(_result("structured"), rubric)
    assert "&#10003; Matches the expert" in good
    assert "&lt;reasons&gt; &amp; more." in good and "<reasons>" not in good
    bad = feedback_html(_result("self_directed"), rubric)
    assert "&#10007; Differs from the expert" in bad
    assert "Your choice: Self-directed, low-directive" in bad
    assert "Expert's choice: Structured, directive" in bad


def test_case_html_shows_the_whole_case(cases: list[Case]) -> None:
    case = cases[0]
    text = case_html(case)
    assert "Practice material" in text and "fictional" in text
    assert case.client.name in text and case.presenting_concern in text
    assert text.count(":</strong>") - 3 == len(case.excerpt)  # Client, concern, referral + turns
    assert "<strong>Therapist:</strong>" in text and "<strong>Client:</strong>" in text


# ---------------------------------------------------------------- the widget
def _exercise(cases, rubric, path: Path) -> StanceExercise:
    return StanceExercise(cases, rubric, path)


def test_controls_have_accessible_names(cases, rubric, tmp_path: Path) -> None:
    ex = _exercise(cases, rubric, tmp_path / "s.json")
    assert list(ex.toggles) == [c.id for c in cases]
    for case in cases:
        toggle = ex.toggles[case.id]
        assert toggle.description == "Opening stance" and case.client.name in toggle.context
        assert len(toggle.options) == 3 and toggle.value is None
        assert [o["hint"] for o in toggle._options] == [s.description for s in rubric.stances]
    assert ex.check_button.description and ex.check_button.tooltip
    assert ex.case_picker.options[0][0].startswith("1. ") and ex.case_picker.description
    assert ex.case_view.children == (ex.panels[cases[0].id],)
    ex.case_picker.value = cases[-1].id  # one case on screen at a time, chosen by keyboard
    assert ex.case_view.children == (ex.panels[cases[-1].id],)
    assert "No case checked yet" in ex.status.text and ex.last_figure is None


def test_choice_is_saved_and_restored(cases, rubric, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    ex = _exercise(cases, rubric, path)
    ex.toggles[cases[0].id].value = "collaborative"
    saved = json.loads(path.read_text())["cases"][cases[0].id]
    assert saved["stance"] == "collaborative" and saved["checked"] is False
    again = _exercise(cases, rubric, path)
    assert again.toggles[cases[0].id].value == "collaborative"
    assert not again.toggles[cases[0].id].disabled


def test_check_locks_answered_cases_and_reveals_the_key(cases, rubric, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    ex = _exercise(cases, rubric, path)
    first, second, third = cases
    ex.toggles[first.id].value = first.key.stance
    wrong = next(s.id for s in rubric.stances if s.id != second.key.stance)
    ex.toggles[second.id].value = wrong
    ex.check_button.click()
    results = ex.results()
    assert [r.case_id for r in results] == [first.id, second.id]
    assert [r.hit for r in results] == [True, False]
    assert "Matches the expert" in ex.feedback[first.id].value
    assert "Differs from the expert" in ex.feedback[second.id].value
    assert ex.feedback[third.id].value == ""  # no key revealed for the unanswered case
    assert ex.toggles[first.id].disabled and not ex.toggles[third.id].disabled
    assert "1 of 2 checked cases" in ex.status.text
    assert "1 case(s) not checked yet" in ex.status.text
    assert ex.last_figure.layout.title.text.endswith("1 of 2 matched")
    data = json.loads(path.read_text())["cases"]
    assert data[first.id]["checked"] and data[second.id]["checked"]


def test_check_with_nothing_new_says_so(cases, rubric, tmp_path: Path) -> None:
    ex = _exercise(cases, rubric, tmp_path / "s.json")
    ex.check_button.click()
    assert "Nothing new to check" in ex.status.text and ex.results() == []
    assert not (tmp_path / "s.json").exists()


def test_checked_choice_cannot_change(cases, rubric, tmp_path: Path) -> None:
    ex = _exercise(cases, rubric, tmp_path / "s.json")
    case = cases[0]
    ex.toggles[case.id].value = "structured"
    ex.check_button.click()
    ex.toggles[case.id].value = "collaborative"
    assert ex.toggles[case.id].value == "structured"
    assert ex.store.get(case.id).stance == "structured"
    assert "locked" in ex.status.text


def test_rerun_restores_checked_feedback_and_chart(cases, rubric, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    ex = _exercise(cases, rubric, path)
    ex.toggles[cases[1].id].value = cases[1].key.stance
    ex.check_button.click()
    again = _exercise(cases, rubric, path)
    assert again.toggles[cases[1].id].disabled
    assert "Matches the expert" in again.feedback[cases[1].id].value
    assert again.last_figure is not None


def test_corrupt_save_file_gives_a_message(cases, rubric, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{oops")
    ex = _exercise(cases, rubric, path)
    assert "could not be read" in ex.status.text and "starting fresh" in ex.status.text


def test_keyless_cases_are_left_out(cases, rubric, tmp_path: Path) -> None:
    keyless = cases[0].model_copy(update={"key": None, "id": "x01"})
    ex = _exercise([keyless, cases[1]], rubric, tmp_path / "s.json")
    assert list(ex.toggles) == [cases[1].id]


def test_displays_as_a_widget(cases, rubric, tmp_path: Path) -> None:
    bundle = _exercise(cases, rubric, tmp_path / "s.json")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_answers_under_the_old_file_name_are_adopted(cases, rubric, tmp_path: Path) -> None:
    from course_lib.widgets.stance import DEFAULT_FILE, LEGACY_FILE

    old = _exercise(cases, rubric, tmp_path / LEGACY_FILE)
    old.toggles[cases[0].id].value = "structured"
    ex = _exercise(cases, rubric, tmp_path / DEFAULT_FILE)
    assert ex.toggles[cases[0].id].value == "structured"
    assert not (tmp_path / LEGACY_FILE).exists()
    assert f"moved from {LEGACY_FILE} to {DEFAULT_FILE}" in ex.status.text


def test_feedback_is_not_one_live_region_per_case(cases, rubric) -> None:
    html = feedback_html(stance_result(cases[0], "structured", cases[0].key), rubric)
    assert "role=" not in html  # the status line beside the button is the one live region


def test_a_defensible_alternative_is_named_not_marked_wrong(cases, rubric) -> None:
    from course_lib.content.cases import Alternative

    case = cases[0]
    other = next(s.id for s in rubric.stances if s.id != case.key.stance)
    alt = Alternative(choice="stance", value=other, credit=0.5, reason="Also fits the mandate.")
    keyed = case.key.model_copy(update={"alternatives": [alt]})
    result = stance_result(case, other, keyed)
    assert not result.hit and result.defensible == "Also fits the mandate."
    html = feedback_html(result, rubric)
    assert "Defensible" in html and "Also fits the mandate." in html and "Differs" not in html
    assert "1 other choice(s) are defensible" in stance_summary([result])
