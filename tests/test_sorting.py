"""Lesson 02 sorting exercise: the statements schema, the save file, scoring and the widget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from course_lib.content.errors import ContentError
from course_lib.content.exercises import (
    CATEGORIES,
    SORTING_FILE,
    load_sorting_statements,
    sorting_path,
)
from course_lib.exercises import ChoiceStore, demonstrate_corrupt_file, parse_choices
from course_lib.exercises.sorting import (
    LEGACY_SAVE_FILE,
    SAVE_FILE,
    feedback_text,
    open_store,
    score_sorting,
    verdict_for,
)
from course_lib.widgets.sorting import CATEGORY_TIPS, SortingWidget, missing_text, result_html


@pytest.fixture(scope="module")
def sorting():
    return load_sorting_statements()


def _rewrite(assets: Path, edit) -> Path:
    path = assets / SORTING_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- schema


def test_the_shipped_statements_are_valid(sorting) -> None:
    assert 10 <= len(sorting.statements) <= 14
    assert sorting.practice_material is True
    used = {s.answer for s in sorting.statements}
    assert used == set(CATEGORIES)
    for s in sorting.statements:
        assert s.explanation
        if s.also_defensible:
            assert s.caveat


def test_default_path_is_under_assets() -> None:
    assert sorting_path().parts[-2:] == ("exercises", "sorting_statements.yaml")


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d["statements"][2].update(answer="resistance"), "statements[2].answer", "Input should be"),
        (lambda d: d["statements"][0].pop("context"), "statements[0].context", "Field required"),
        (lambda d: d["statements"][0]["feedback"].update(sustain_talk="x"), "statements[0]", "must not have an entry for the answer"),
        (lambda d: d["statements"][4].pop("caveat"), "statements[4]", "needs a caveat"),
        (lambda d: d["statements"][1].update(id=d["statements"][0]["id"]), "<document>", "unique"),
        (lambda d: d.update(statements=d["statements"][:9]), "statements", "at least 10"),
        (lambda d: d["statements"][0].update(colour="red"), "statements[0].colour", "Extra inputs"),
        (lambda d: [s.update(answer="discord", feedback={}) for s in d["statements"] if s["answer"] == "sustain_talk"],
         "<document>", "sustain_talk has 0"),
    ],
)  # fmt: skip
def test_bad_statements_file_names_file_and_field(assets_copy: Path, edit, field, words) -> None:
    path = _rewrite(assets_copy, edit)
    with pytest.raises(ContentError) as info:
        load_sorting_statements(assets_copy)
    problems = info.value.problems
    assert any(p.file == path and p.field == field and words in p.problem for p in problems), [
        str(p) for p in problems
    ]
    assert str(path) in str(info.value)


def test_malformed_yaml_and_missing_file(assets_copy: Path) -> None:
    path = assets_copy / SORTING_FILE
    path.write_text("statements: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match="malformed YAML"):
        load_sorting_statements(assets_copy)
    path.unlink()
    with pytest.raises(ContentError, match="cannot be read"):
        load_sorting_statements(assets_copy)


# ---------------------------------------------------------------- save file


def test_store_saves_on_every_change_and_restores(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = ChoiceStore(path, "k", {"q1": ("x", "y"), "q2": ("x", "y")})
    store.set("q1", "y")
    assert json.loads(path.read_text())["choices"] == {"q1": "y", "q2": None}
    again = ChoiceStore(path, "k", {"q1": ("x", "y"), "q2": ("x", "y")})
    assert again.get("q1") == "y" and again.restored == 1 and again.missing() == ["q2"]
    assert again.message is None


def test_store_refuses_bad_values_and_locks_after_check(tmp_path: Path) -> None:
    store = ChoiceStore(tmp_path / "a.json", "k", {"q1": ("x", "y")})
    with pytest.raises(ValueError):
        store.set("q1", "z")
    with pytest.raises(KeyError):
        store.set("q9", "x")
    store.set("q1", "x")
    store.mark_checked()
    with pytest.raises(PermissionError):
        store.set("q1", "y")
    store.reset()
    assert store.choices == {} and not store.checked


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"format": "other"}',
     '{"format": "course-lib-choices", "version": 1, "kind": "k", "choices": {"q1": "z"}}',
     '{"format": "course-lib-choices", "version": 1, "kind": "other", "choices": {}}',
     '{"format": "course-lib-choices", "version": 2, "kind": "k", "choices": {}}'],
)  # fmt: skip
def test_corrupt_file_is_moved_aside_with_a_message(tmp_path: Path, content: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")
    store = ChoiceStore(path, "k", {"q1": ("x", "y")})
    assert store.choices == {} and store.message and "starting fresh" in store.message
    kept = list(tmp_path.glob("a.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    assert not path.exists()


def test_choices_for_removed_questions_are_dropped() -> None:
    data = {"format": "course-lib-choices", "version": 1, "kind": "k",
            "choices": {"old": "x", "q1": "y"}, "checked": False}  # fmt: skip
    assert parse_choices(data, "k", {"q1": ("x", "y")}) == ({"q1": "y"}, False)


def test_demonstrate_corrupt_file(tmp_path: Path) -> None:
    message = demonstrate_corrupt_file(tmp_path)
    assert "demo_answers.json" in message and "starting fresh" in message
    assert list(tmp_path.glob("demo_answers.corrupt-*.json"))


# ---------------------------------------------------------------- scoring


def test_verdicts_and_points(sorting) -> None:
    s05 = sorting.statement("s05-whose-side")
    assert verdict_for(s05, "discord") == "correct"
    assert verdict_for(s05, "state_reactance") == "defensible"
    assert verdict_for(s05, "sustain_talk") == "wrong"
    assert verdict_for(s05, None) == "unanswered"
    choices = {s.id: s.answer for s in sorting.statements}
    perfect = score_sorting(sorting, choices)
    assert perfect.points == perfect.max_points == len(sorting.statements)
    choices["s05-whose-side"] = "state_reactance"
    choices["s01-smoking-break"] = "discord"
    del choices["s02-shopping"]
    score = score_sorting(sorting, choices)
    assert score.points == len(sorting.statements) - 2.5
    assert score.counts() == {"correct": len(sorting.statements) - 3, "defensible": 1,
                              "wrong": 1, "unanswered": 1}  # fmt: skip
    table = score.by_category()
    assert table["sustain_talk"] == {"correct": 1, "defensible": 0, "wrong": 1, "unanswered": 1}
    assert table["discord"]["defensible"] == 1
    assert "defensible" in score.summary()


def test_feedback_is_specific(sorting) -> None:
    s01 = sorting.statement("s01-smoking-break")
    wrong = feedback_text(s01, "discord")
    assert wrong.startswith("You chose Discord; the best fit is Sustain talk.")
    assert s01.feedback["discord"] in wrong and s01.explanation in wrong
    right = feedback_text(s01, "sustain_talk")
    assert right.startswith("Sustain talk is the best fit.")
    s12 = sorting.statement("s12-breathing-exercise")
    defensible = feedback_text(s12, "discord")
    assert "defensible" in defensible and "Where the sources differ" in defensible
    assert s12.caveat in feedback_text(s12, "state_reactance")


# ---------------------------------------------------------------- widget (no browser)


def _answer_all(widget: SortingWidget, sorting, wrong: str | None = None) -> None:
    for s in sorting.statements:
        widget.toggles[s.id].value = s.answer if s.id != wrong else "discord"


def test_widget_controls_are_labelled(sorting, tmp_path: Path) -> None:
    w = SortingWidget(sorting, tmp_path)
    for toggle in w.toggles.values():
        assert toggle.description.startswith("Statement ")
        assert [o["hint"] for o in toggle._options] == [CATEGORY_TIPS[c] for c in CATEGORIES]
    for button in (w.check_button, w.again_button):
        assert button.description and button.tooltip


def test_widget_saves_checks_and_restores(sorting, tmp_path: Path) -> None:
    w = SortingWidget(sorting, tmp_path)
    first = sorting.statements[0].id
    w.toggles[first].value = "discord"
    saved = json.loads((tmp_path / SAVE_FILE).read_text())
    assert saved["choices"][first] == "discord"
    w.check_button.click()
    assert "Still to sort: 2, 3" in w.status.text
    assert not (tmp_path / SAVE_FILE).read_text().count('"checked": true')
    _answer_all(w, sorting, wrong=first)
    w.check_button.click()
    assert all(t.disabled for t in w.toggles.values())
    assert "✗ Not this one" in w.feedback[first].value
    assert "✓ Best fit" in w.feedback[sorting.statements[1].id].value
    assert w.last_figure is not None and len(w.chart.outputs) == 2
    again = SortingWidget(sorting, tmp_path)
    assert "Restored your checked answers" in again.status.text
    assert again.toggles[first].value == "discord" and again.toggles[first].disabled
    again.again_button.click()
    assert all(t.value is None and not t.disabled for t in again.toggles.values())
    assert again.chart.outputs == () and again.feedback[first].value == ""
    assert json.loads((tmp_path / SAVE_FILE).read_text())["checked"] is False


def test_widget_restores_unchecked_answers(sorting, tmp_path: Path) -> None:
    store = open_store(sorting, tmp_path)
    store.set(sorting.statements[3].id, "trait_reactance")
    w = SortingWidget(sorting, tmp_path)
    assert w.toggles[sorting.statements[3].id].value == "trait_reactance"
    assert "Restored 1 answers" in w.status.text


def test_widget_survives_a_corrupt_save_file(sorting, tmp_path: Path) -> None:
    (tmp_path / SAVE_FILE).write_text("garbage", encoding="utf-8")
    w = SortingWidget(sorting, tmp_path)
    assert "could not be read" in w.status.text and "starting fresh" in w.status.text
    assert all(t.value is None for t in w.toggles.values())


def test_widget_adopts_answers_saved_under_the_old_file_name(sorting, tmp_path: Path) -> None:
    """Save files were renamed to lessonNN.answers.json; earlier answers must not be lost."""
    old = open_store(sorting, tmp_path)
    old.set(sorting.statements[2].id, "discord")
    (tmp_path / SAVE_FILE).rename(tmp_path / LEGACY_SAVE_FILE)
    w = SortingWidget(sorting, tmp_path)
    assert w.toggles[sorting.statements[2].id].value == "discord"
    assert not (tmp_path / LEGACY_SAVE_FILE).exists() and (tmp_path / SAVE_FILE).exists()
    assert f"moved from {LEGACY_SAVE_FILE} to {SAVE_FILE}" in w.status.text


def test_html_builders_escape_and_carry_words(sorting) -> None:
    result = score_sorting(sorting, {}).results[0]
    html = result_html(result)
    assert "? Not answered" in html and "<script" not in html
    assert "role=" not in html  # one live region (the status line), not one per statement
    assert missing_text([1, 4]) == "Sort every statement before checking. Still to sort: 1, 4."
