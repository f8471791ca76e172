"""The case scorer widget, driven without a browser (set ``.value``, call ``.click()``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest

from course_lib.answers import CaseAnswer
from course_lib.content import case_path, load_case, load_rubric
from course_lib.content.cases import Case, CaseKey
from course_lib.content.rubric import Rubric
from course_lib.display import PLOTLY_MIME, describe
from course_lib.scoring.compare import compare_case
from course_lib.widgets import CaseScorer
from course_lib.widgets.controls import ChoiceGroup
from course_lib.widgets.feedback import feedback_html, missing_names

P01, P02 = "p01-marcus-fence", "p02-kezia-timetable"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="module")
def cases(rubric: Rubric) -> list[Case]:
    return [load_case(case_path(cid), rubric) for cid in (P01, P02)]


@pytest.fixture
def save(tmp_path: Path) -> Path:
    return tmp_path / "case_scorer.answers.json"


def _key(case: Case) -> CaseKey:
    assert case.key is not None
    return case.key


def _fill(scorer: CaseScorer, key: CaseKey, *, stance: str | None = None) -> None:
    """Answer every control with the key's answers (optionally a different stance)."""
    for marker_id, control in scorer.rating_controls.items():
        control.value = key.ratings[marker_id].rating
    scorer.band.value = key.band
    scorer.trait_state.value = key.trait_or_state
    scorer.stance.value = stance or key.stance


def _html(output: Any) -> str:
    return "".join(o["data"].get("text/html", "") for o in output.outputs)


def _walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _all_text(scorer: CaseScorer) -> str:
    """Every string a student could see or inspect in the widget tree."""
    parts: list[str] = []
    for w in _walk(scorer.widget):
        for name in ("value", "description", "tooltip", "placeholder", "text", "context"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                parts.append(value)
        parts += [str(t) for t in getattr(w, "tooltips", ())]
        parts += [str(label) for label in getattr(w, "_options_labels", ())]
        parts += [json.dumps(o) for o in getattr(w, "_options", ())]
        if isinstance(w, widgets.Output):
            parts.append(json.dumps(w.outputs))
    return "\n".join(parts)


def test_controls_are_labelled_and_start_empty(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    assert scorer.case_picker.value == P01
    assert [v for _, v in scorer.case_picker.options] == [P01, P02]
    assert list(scorer.rating_controls) == rubric.marker_ids()
    for marker in rubric.markers:
        control = scorer.rating_controls[marker.id]
        assert isinstance(control, ChoiceGroup)
        assert control.description == marker.name
        assert control.context == "case p01 Marcus"  # the group's accessible name says which case
        assert control.value is None
        hints = [o["hint"] for o in control._options]
        assert hints == [f"{lvl}: {marker.levels[lvl]}" for lvl in range(4)]
    for control in (scorer.band, scorer.trait_state, scorer.stance):
        assert isinstance(control, ChoiceGroup)
        assert control.description and control.value is None
    assert [label for label, _ in scorer.stance.options] == [s.label for s in rubric.stances]
    assert scorer.check_button.description and scorer.check_button.tooltip
    assert "Marcus" in scorer.vignette.value and "Therapist:" in scorer.vignette.value
    assert scorer.status.text == "" and scorer.notice.text == ""
    assert not save.exists()
    bundle = scorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_every_change_is_saved_at_once(cases: list[Case], rubric: Rubric, save: Path) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    assert "not rated yet" in scorer.rating_echoes["counters_suggestions"].value
    scorer.rating_controls["counters_suggestions"].value = 3
    echo = scorer.rating_echoes["counters_suggestions"].value
    assert "<strong>3</strong>" in echo and "Rejects nearly every suggestion" in echo
    scorer.band.value = "high"
    scorer.stance.value = "collaborative"
    saved = json.loads(save.read_text(encoding="utf-8"))["cases"][P01]
    assert saved["ratings"] == {"counters_suggestions": 3}
    assert saved["band"] == "high" and saved["stance"] == "collaborative"
    assert saved["trait_or_state"] is None and saved["checked"] is False
    scorer.rating_controls["counters_suggestions"].value = 1
    saved = json.loads(save.read_text(encoding="utf-8"))["cases"][P01]
    assert saved["ratings"] == {"counters_suggestions": 1}


def test_check_with_gaps_lists_them_and_locks_nothing(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    key = _key(cases[0])
    _fill(scorer, key)
    scorer.rating_controls["seeks_approval"].value = None
    scorer.stance.value = None
    scorer.check_button.click()
    message = scorer.status.text
    assert scorer.status.kind == "warn"
    assert "Not checked yet" in message
    assert "Seeks reassurance and approval" in message and "opening stance" in message
    assert "Nothing has been locked" in message
    assert scorer.store.get(P01).checked is False
    assert json.loads(save.read_text(encoding="utf-8"))["cases"][P01]["checked"] is False
    assert not any(c.disabled for c in scorer.rating_controls.values())
    assert not scorer.check_button.disabled
    assert scorer.feedback.outputs == ()
    assert key.rationale not in _all_text(scorer)


def test_check_complete_locks_then_shows_feedback_and_charts(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    key = _key(cases[0])
    _fill(scorer, key, stance="structured")
    scorer.rating_controls["counters_suggestions"].value = 1  # expert says 3
    scorer.check_button.click()
    assert json.loads(save.read_text(encoding="utf-8"))["cases"][P01]["checked"] is True
    assert all(c.disabled for c in scorer.rating_controls.values())
    assert scorer.band.disabled and scorer.trait_state.disabled and scorer.stance.disabled
    assert scorer.check_button.disabled
    assert "locked" in scorer.status.text
    assert scorer.feedback_heading.text == f"Feedback on {cases[0].title}"
    feedback = _html(scorer.feedback)
    assert key.ratings["counters_suggestions"].cue.replace("'", "&#x27;") in feedback
    assert "-2 (you rated lower)" in feedback
    assert "✓ Band: matches." in feedback
    assert "✗ Opening stance: differs." in feedback
    assert "Structured, directive" in feedback  # the student's choice, in words
    assert "Your ratings: position" in feedback and "Expert's ratings: position" in feedback
    assert key.rationale[:60].replace("'", "&#x27;") in feedback
    plotted = [o for o in scorer.feedback.outputs if PLOTLY_MIME in o["data"]]
    assert len(plotted) == 2
    for name in ("spectrum", "markers", "agreement"):
        fig = scorer.figures[name]
        assert isinstance(fig, go.Figure) and describe(fig)
    assert describe(scorer.figures["spectrum"]) in feedback + json.dumps(scorer.feedback.outputs)
    assert [t.y[0] for t in scorer.figures["spectrum"].data if t.type == "scatter"] == [
        "You",
        "Expert",
    ]
    summary = _html(scorer.summary)
    assert "Cases checked: 1 (10 marker ratings)" in summary
    assert "Band correct: 100%" in summary and "Opening stance correct: 0%" in summary
    assert any(PLOTLY_MIME in o["data"] for o in scorer.summary.outputs)


def test_a_locked_case_cannot_be_changed_even_programmatically(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    key = _key(cases[0])
    _fill(scorer, key)
    scorer.check_button.click()
    before = save.read_text(encoding="utf-8")
    scorer.rating_controls["counters_suggestions"].value = 0
    assert scorer.rating_controls["counters_suggestions"].value == 3  # put back
    assert "can no longer change" in scorer.status.text
    scorer.check_button.click()
    assert json.loads(save.read_text(encoding="utf-8"))["cases"] == json.loads(before)["cases"]


def test_switching_cases_keeps_each_case_separate(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)
    _fill(scorer, _key(cases[0]))
    scorer.check_button.click()
    scorer.case_picker.value = P02
    assert all(c.value is None and not c.disabled for c in scorer.rating_controls.values())
    assert "Kezia" in scorer.vignette.value
    assert scorer.feedback.outputs == () and not scorer.check_button.disabled
    scorer.rating_controls["seeks_direction"].value = 2
    scorer.case_picker.value = P01
    assert (
        scorer.rating_controls["seeks_direction"].value
        == _key(cases[0]).ratings["seeks_direction"].rating
    )
    assert scorer.check_button.disabled and _html(scorer.feedback)
    assert scorer.store.get(P02).ratings == {"seeks_direction": 2}


def test_recreating_the_widget_restores_answers_lock_and_feedback(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    """The "restart the kernel and re-run the cell" promise."""
    first = CaseScorer(cases, rubric, save_path=save)
    key = _key(cases[0])
    _fill(first, key)
    first.check_button.click()
    first.case_picker.value = P02
    first.rating_controls["agrees_readily"].value = 1
    first.trait_state.value = "state"
    del first

    again = CaseScorer(cases, rubric, save_path=save)
    assert "checked" in again.status.text and again.notice.text == ""
    for marker_id, control in again.rating_controls.items():
        assert control.value == key.ratings[marker_id].rating
        assert control.disabled
        rating = key.ratings[marker_id].rating
        assert f"<strong>{rating}</strong>" in again.rating_echoes[marker_id].value
    assert (again.band.value, again.trait_state.value, again.stance.value) == (
        key.band,
        key.trait_or_state,
        key.stance,
    )
    assert again.check_button.disabled
    assert "✓ Band: matches." in _html(again.feedback)
    assert "Cases checked: 1" in _html(again.summary)
    again.case_picker.value = P02
    assert again.rating_controls["agrees_readily"].value == 1
    assert again.trait_state.value == "state"
    assert not again.rating_controls["agrees_readily"].disabled


def test_a_corrupt_save_file_gives_a_message_and_a_fresh_start(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    save.write_text('{"format": "course-lib-answers", "cases": {', encoding="utf-8")
    scorer = CaseScorer(cases, rubric, save_path=save)
    assert "could not be read" in scorer.notice.text and scorer.notice.kind == "warn"
    assert "starting fresh" in scorer.notice.text
    assert all(c.value is None for c in scorer.rating_controls.values())
    kept = list(save.parent.glob("case_scorer.answers.corrupt-*.json"))
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8").startswith('{"format"')
    assert kept[0].name in scorer.notice.text
    scorer.rating_controls["seeks_direction"].value = 1
    assert json.loads(save.read_text(encoding="utf-8"))["cases"][P01]["ratings"] == {
        "seeks_direction": 1
    }


def test_a_failed_save_is_reported_not_raised(
    cases: list[Case], rubric: Rubric, save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save)

    def refuse() -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(scorer.store, "save", refuse)
    scorer.rating_controls["seeks_direction"].value = 2
    assert "could not be saved" in scorer.status.text and scorer.status.kind == "error"
    assert "read-only file system" in scorer.status.text
    assert scorer.store.get(P01).ratings == {}


def test_assignment_mode_locks_and_reveals_nothing(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save, assignment_mode=True)
    key = _key(cases[0])
    _fill(scorer, key)
    scorer.check_button.click()
    assert "Saved for grading" in scorer.status.text
    assert scorer.store.get(P01).checked is True
    assert all(c.disabled for c in scorer.rating_controls.values())
    assert scorer.feedback.outputs == () and scorer.summary.outputs == ()
    assert scorer.figures == {} and scorer.comparisons() == []
    text = _all_text(scorer)
    assert key.rationale not in text
    for rated in key.ratings.values():
        if rated.rating == 0:  # notes on absence are not in the vignette: must never show
            assert rated.cue not in text
    assert "Expert" not in text and "expert&#x27;s key" not in text
    again = CaseScorer(cases, rubric, save_path=save, assignment_mode=True)
    assert "Saved for grading" in again.status.text and again.feedback.outputs == ()
    with pytest.raises(RuntimeError):
        again.comparison(P01)


def test_assignment_mode_refuses_keys_and_practice_mode_requires_them(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    with pytest.raises(ValueError, match="never holds answer keys"):
        CaseScorer(cases, rubric, save_path=save, keys={P01: _key(cases[0])}, assignment_mode=True)
    graded = cases[0].model_copy(update={"id": "a99-test", "set": "assignment", "key": None})
    with pytest.raises(ValueError, match="assignment_mode=True"):
        CaseScorer([graded], rubric, save_path=save)
    scorer = CaseScorer([graded], rubric, save_path=save, assignment_mode=True)
    assert scorer.case_id == "a99-test"
    with pytest.raises(ValueError, match="at least one case"):
        CaseScorer([], rubric, save_path=save)


def test_explicit_keys_override_the_inline_ones(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    custom = _key(cases[0]).model_copy(update={"rationale": "A <b>custom</b> rationale."})
    scorer = CaseScorer(cases, rubric, save_path=save, keys={P01: custom})
    _fill(scorer, custom)
    scorer.check_button.click()
    assert "A &lt;b&gt;custom&lt;/b&gt; rationale." in _html(scorer.feedback)  # escaped


def test_feedback_html_is_pure_and_names_gaps_and_band_slips(
    cases: list[Case], rubric: Rubric
) -> None:
    key = _key(cases[0])
    ratings: dict[str, int | None] = {m: r.rating for m, r in key.ratings.items()}
    ratings["agrees_readily"] = None
    answer = CaseAnswer(ratings=ratings, band="mid", trait_or_state="state", stance=key.stance)
    comparison = compare_case(P01, answer, key, rubric)
    html = feedback_html(comparison, rubric, answer)
    assert "✗ not rated" in html
    assert "✗ Band: differs." in html and "✗ Trait or state: differs." in html
    assert "✓ Opening stance: matches." in html
    assert "Your ratings: position" not in html  # incomplete ratings have no placement
    full = CaseAnswer(
        ratings={m: r.rating for m, r in key.ratings.items()},
        band="mid",
        trait_or_state=key.trait_or_state,
        stance=key.stance,
    )
    html = feedback_html(compare_case(P01, full, key, rubric), rubric, full)
    assert "your own ratings fall in the high band, but you chose the mid band" in html
    assert missing_names(CaseAnswer(ratings={}, band="low"), rubric)[-2:] == [
        "trait or state",
        "opening stance",
    ]


def test_messages_sit_beside_the_check_button_and_focus_follows_the_check(
    cases: list[Case], rubric: Rubric, save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: the status line was ~2,400 px above the button; focus fell to the page body."""
    scorer = CaseScorer(cases, rubric, save_path=save)
    row = next(
        w for w in _walk(scorer.widget) if isinstance(w, widgets.HBox)
        and scorer.check_button in w.children
    )
    assert scorer.status in row.children
    sent: list[tuple[str, Any]] = []
    for name in ("status", "feedback_heading"):
        widget = getattr(scorer, name)
        monkeypatch.setattr(widget, "send", lambda msg, *a, n=name, **k: sent.append((n, msg)))
    scorer.check_button.click()  # nothing answered: the message appears, focus stays put
    assert "Not checked yet" in scorer.status.text and sent == []
    _fill(scorer, _key(cases[0]))
    scorer.check_button.click()
    assert sent == [("feedback_heading", {"do": "focus"})]
    assert scorer.feedback_heading.text and scorer.feedback.outputs


def test_assignment_mode_moves_focus_to_the_saved_message(
    cases: list[Case], rubric: Rubric, save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scorer = CaseScorer(cases, rubric, save_path=save, assignment_mode=True)
    sent: list[Any] = []
    monkeypatch.setattr(scorer.status, "send", lambda msg, *a, **k: sent.append(msg))
    _fill(scorer, _key(cases[0]))
    scorer.check_button.click()
    assert sent == [{"do": "focus"}] and "Saved for grading" in scorer.status.text
    assert scorer.feedback_heading.text == ""


def test_switching_to_an_unchecked_case_unlocks_every_control(
    cases: list[Case], rubric: Rubric, save: Path
) -> None:
    """The model side of the lesson 04 blocker: a fresh scorer opening on a checked case."""
    first = CaseScorer(cases, rubric, save_path=save)
    _fill(first, _key(cases[0]))
    first.check_button.click()
    again = CaseScorer(cases, rubric, save_path=save)  # what Restart and Run All builds
    assert all(c.disabled for c in again._controls()) and again.check_button.disabled
    again.case_picker.value = P02
    assert not any(c.disabled for c in again._controls()) and not again.check_button.disabled
    assert all(c.context == "case p02 Kezia" for c in again._controls())
    again.rating_controls["seeks_direction"].value = 2
    assert again.store.get(P02).ratings == {"seeks_direction": 2}
