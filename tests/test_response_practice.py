"""Lesson 06's response practice, driven without a browser (set ``.value``, call ``.click()``).

The save file (:class:`ResponseStore`), the pure HTML builders and the widget: a choice is
locked before any verdict is shown, feedback covers every option, written answers are
saved, everything comes back on re-run, and a corrupt file is set aside with a message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from course_lib.content.responses import POLES, load_lesson_moments
from course_lib.content.sessions import DIRECTIVENESS_LEVELS, load_session
from course_lib.exercises.responses import MAX_WRITTEN, ResponseStore
from course_lib.widgets import ResponsePractice
from course_lib.widgets import response_practice as rp
from course_lib.widgets.response_html import (
    feedback_html,
    moment_html,
    options_html,
    progress_text,
    session_html,
)

OPP, COMP = load_lesson_moments("oppositional"), load_lesson_moments("compliant")
ALLOWED = {m.id: [o.id for o in m.options] for s in (OPP, COMP) for m in s.moments}


@pytest.fixture
def save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(rp, "_STORES", {})
    return tmp_path / "lesson06.answers.json"


def restart(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a kernel restart does to the shared stores."""
    monkeypatch.setattr(rp, "_STORES", {})


def _walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _all_text(practice: ResponsePractice) -> str:
    parts: list[str] = []
    for w in _walk(practice.widget):
        for name in ("value", "description", "tooltip", "placeholder", "text", "context"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                parts.append(value)
        parts += [json.dumps(o) for o in getattr(w, "_options", ())]
    return "\n".join(parts)


def _first_with_prompt(practice: ResponsePractice) -> str:
    return next(m.id for m in practice.set.moments if m.write_prompt)


# --------------------------------------------------------------------------- the save file


def test_store_locks_a_committed_choice_and_restores_everything(save: Path) -> None:
    store = ResponseStore(save, "lesson06", ALLOWED)
    moment = OPP.moments[0]
    with pytest.raises(ValueError, match="choose a response"):
        store.commit(moment.id)
    store.choose(moment.id, "a")
    store.choose(moment.id, "b")
    store.write(moment.id, "What I would say.")
    store.commit(moment.id)
    with pytest.raises(PermissionError):
        store.choose(moment.id, "c")
    store.write(moment.id, "A better version.")  # writing stays editable
    with pytest.raises(KeyError):
        store.choose("no-such-moment", "a")
    with pytest.raises(ValueError):
        store.choose(moment.id, "e")
    with pytest.raises(ValueError):
        store.write(moment.id, "x" * (MAX_WRITTEN + 1))
    again = ResponseStore(save, "lesson06", ALLOWED)
    assert again.message is None
    answer = again.get(moment.id)
    assert (answer.choice, answer.committed, answer.written) == ("b", True, "A better version.")
    data = json.loads(save.read_text())
    assert data["format"] == "course-lib-responses" and data["kind"] == "lesson06"


def test_store_keeps_entries_for_moments_it_does_not_know(save: Path) -> None:
    ResponseStore(save, "lesson06", {**ALLOWED, "retired": ["a", "b"]}).write("retired", "kept")
    store = ResponseStore(save, "lesson06", ALLOWED)
    store.choose(OPP.moments[0].id, "a")
    assert json.loads(save.read_text())["moments"]["retired"]["written"] == "kept"


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        json.dumps(
            {"format": "course-lib-responses", "version": 1, "kind": "lesson05", "moments": {}}
        ),
        json.dumps(
            {
                "format": "course-lib-responses",
                "version": 1,
                "kind": "lesson06",
                "moments": {"o01-yes-but-walk": {"choice": "z", "committed": True}},
            }
        ),
        json.dumps(
            {
                "format": "course-lib-responses",
                "version": 1,
                "kind": "lesson06",
                "moments": {"o01-yes-but-walk": {"committed": True}},
            }
        ),
    ],
    ids=["not-json", "other-lesson", "unknown-option", "committed-without-choice"],
)
def test_a_corrupt_save_file_is_set_aside_with_a_message(save: Path, content: str) -> None:
    save.write_text(content)
    store = ResponseStore(save, "lesson06", ALLOWED)
    assert store.answers == {} and store.message and "starting fresh" in store.message
    kept = list(save.parent.glob("lesson06.answers.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == content and not save.exists()


# --------------------------------------------------------------------------- pure HTML


def test_feedback_covers_every_option_with_symbol_and_word() -> None:
    moment = COMP.moments[0]
    html = feedback_html(moment, moment.best.id)
    for option in moment.options:
        assert f"({option.id})" in html
    assert html.count("(your choice)") == 1
    assert "✓ Best" in html and "✗ Poor" in html
    assert "rated <strong>best</strong>" in html
    assert "To take away" in html
    assert "No response was chosen" in feedback_html(moment, None)


def test_moment_and_options_html_show_no_verdict_and_escape_text() -> None:
    moment = OPP.moments[0]
    shown = moment_html(moment, 3) + options_html(moment)
    assert "3. " in shown and "&quot;" in shown and '"Yes, but' not in shown
    for word in ("Best", "Acceptable", "Poor", moment.best.feedback[:40]):
        assert word not in shown


def test_progress_counts_verdicts_of_committed_moments() -> None:
    moments = OPP.moments
    best, poor = moments[0], moments[1]
    poor_id = next(o.id for o in poor.options if o.verdict == "poor")
    text = progress_text(moments, {best.id: best.best.id, poor.id: poor_id})
    assert text == f"Committed 2 of {len(moments)} moments: 1 best, 0 acceptable, 1 poor."
    assert progress_text(moments, {}) == f"No moment committed yet ({len(moments)} to practise)."


@pytest.mark.parametrize("pole", POLES)
def test_session_html_shows_every_turn_and_every_annotation(pole: str) -> None:
    from html import escape

    session = load_session(pole)
    html = session_html(session)
    for turn in session.turns:
        assert escape(turn.text.split(".")[0]) in html
        if turn.note:
            assert escape(turn.note) in html
    assert html.count("<strong>Why:</strong>") == len(session.therapist_turns())
    assert "0:00" in html and "10:00" in html and "9:30" in html
    assert DIRECTIVENESS_LEVELS[0].split(":")[0] in html


# --------------------------------------------------------------------------- the widget


def test_the_choice_is_locked_before_any_feedback_appears(
    save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = ResponsePractice("oppositional", path=save)
    moment = practice.moments[practice.moment_id]
    sent: list[tuple[str, Any]] = []
    for name in ("status", "feedback_heading"):
        widget = getattr(practice, name)
        monkeypatch.setattr(widget, "send", lambda msg, *a, n=name, **k: sent.append((n, msg)))
    for option in moment.options:  # no feedback text anywhere before the commit
        assert option.feedback[:50] not in _all_text(practice)
    practice.commit_button.click()  # nothing chosen: a message beside the button, nothing locked
    assert practice.status.kind == "warn" and "Nothing has been locked" in practice.status.text
    assert not practice.groups[moment.id].disabled and sent == []
    poor = next(o for o in moment.options if o.verdict == "poor")
    practice.groups[moment.id].value = poor.id
    practice.commit_button.click()
    assert practice.store.get(moment.id).committed
    assert practice.groups[moment.id].disabled and practice.commit_button.disabled
    assert sent == [("feedback_heading", {"do": "focus"})]
    assert practice.status.kind == "ok" and "locked" in practice.status.text
    assert practice.feedback_heading.text == f"Feedback on every response: {moment.title}"
    from html import escape

    for option in moment.options:
        assert escape(option.feedback) in practice.feedback.value
    practice.groups[moment.id].value = moment.best.id  # too late: put back, with a message
    assert practice.groups[moment.id].value == poor.id
    assert practice.store.get(moment.id).choice == poor.id and practice.status.kind == "warn"
    assert "1 poor" in practice.progress.value


def test_status_sits_beside_the_button_and_controls_are_named(save: Path) -> None:
    practice = ResponsePractice("compliant", path=save)
    row = next(
        w
        for w in _walk(practice.widget)
        if isinstance(w, widgets.HBox) and practice.commit_button in w.children
    )
    assert practice.status in row.children
    assert practice.commit_button.description == "Commit my response"
    assert practice.save_button.description == "Save my written response"
    for moment in practice.set.moments:
        group = practice.groups[moment.id]
        assert group.description == "Choose a response"
        assert group.context == f"moment: {moment.title}"
        assert [label[:3] for label, _ in group.options] == [f"({o.id})" for o in moment.options]
    assert practice.picker.description == "Moment"


def test_switching_moments_shows_each_ones_own_state(save: Path) -> None:
    practice = ResponsePractice("compliant", path=save)
    first, second = practice.set.moments[0], practice.set.moments[1]
    practice.groups[first.id].value = first.best.id
    practice.commit_button.click()
    practice.picker.value = second.id
    assert practice.choice_box.children == (practice.groups[second.id],)
    assert not practice.commit_button.disabled and practice.feedback.value == ""
    assert practice.status.text == "" and practice.feedback_heading.text == ""
    practice.picker.value = first.id
    assert practice.commit_button.disabled and "(your choice)" in practice.feedback.value


def test_written_responses_are_saved_and_the_box_shows_only_with_a_prompt(save: Path) -> None:
    practice = ResponsePractice("oppositional", path=save)
    with_prompt = _first_with_prompt(practice)
    without = next(m.id for m in practice.set.moments if not m.write_prompt)
    practice.picker.value = without
    assert practice.writing_box.layout.display == "none"
    practice.picker.value = with_prompt
    assert practice.writing_box.layout.display is None
    assert "Write your own response first" in practice.prompt.value
    practice.writing.value = "I'd drop the walk and ask what matters most to him."
    assert practice.store.get(with_prompt).written.startswith("I'd drop the walk")
    practice.writing.value = "A second draft."
    practice.save_button.click()
    assert practice.save_status.kind == "ok" and save.name in practice.save_status.text
    assert json.loads(save.read_text())["moments"][with_prompt]["written"] == "A second draft."
    practice.writing.value = "x" * (MAX_WRITTEN + 1)
    assert practice.save_status.kind == "error"
    assert practice.store.get(with_prompt).written == "A second draft."


def test_rerun_and_restart_restore_choices_commits_and_writing(
    save: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = ResponsePractice("oppositional", path=save)
    moment_id = _first_with_prompt(practice)
    practice.picker.value = moment_id
    practice.writing.value = "My own words."
    practice.groups[moment_id].value = "a"
    practice.commit_button.click()
    other = practice.set.moments[-1]
    practice.groups[other.id].value = "b"  # chosen, not committed
    compliant = ResponsePractice("compliant", path=save)  # the other pole: the same store
    assert compliant.store is practice.store
    compliant.groups[compliant.moment_id].value = "a"
    restart(monkeypatch)
    again = ResponsePractice("oppositional", path=save)
    assert again.store is not practice.store and again.store.message is None
    assert again.groups[moment_id].disabled and again.groups[moment_id].value == "a"
    assert not again.groups[other.id].disabled and again.groups[other.id].value == "b"
    again.picker.value = moment_id
    assert again.writing.value == "My own words." and "(your choice)" in again.feedback.value
    assert ResponsePractice("compliant", path=save).groups[compliant.moment_id].value == "a"


def test_a_corrupt_file_gives_a_message_and_a_fresh_start(save: Path) -> None:
    save.write_text('{"format": "course-lib-responses", "moments": {')
    practice = ResponsePractice("compliant", path=save)
    assert practice.notice.kind == "warn" and "could not be read" in practice.notice.text
    assert list(save.parent.glob("lesson06.answers.corrupt-*.json"))
    practice.groups[practice.moment_id].value = "a"
    assert json.loads(save.read_text())["moments"][practice.moment_id]["choice"] == "a"


def test_the_wrong_pole_is_refused(save: Path) -> None:
    with pytest.raises(ValueError, match="compliant pole, not oppositional"):
        ResponsePractice("oppositional", moments=COMP, path=save)
