"""Every course widget, walked without a browser: each control is one the course makes
accessible, has an accessible name that says what it is for, and each Check announces its
outcome in a live region in words (never colour alone). The browser tests check the same
controls by keyboard and with axe-core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from course_lib.widgets.controls import BUTTON_CLASS, INPUT_CLASS, ChoiceGroup, LiveMessage, Slider

# ipywidgets controls that draw no accessible name, no single tab stop, or neither; and the
# Accordion, whose headers take no keyboard focus (its folded content needs a mouse).
UNNAMED = (
    widgets.IntSlider,
    widgets.FloatSlider,
    widgets.ToggleButtons,
    widgets.RadioButtons,
    widgets.Accordion,
)


def walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def group_name(group: ChoiceGroup) -> str:
    """The group's accessible name, as choice_group.js builds it."""
    return f"{group.description}, {group.context}" if group.context else group.description


def _practice(folder: Path) -> Any:
    from course_lib.widgets.explorer import PracticeWidget

    return PracticeWidget(folder)


def _explorer(_folder: Path) -> Any:
    from course_lib.widgets.explorer import DeterminantsExplorer

    return DeterminantsExplorer()


def _sorting(folder: Path) -> Any:
    from course_lib.widgets.sorting import SortingWidget

    return SortingWidget(folder=folder)


def _pair(folder: Path) -> Any:
    from course_lib.widgets import TraitStatePair

    return TraitStatePair(path=folder / "pair.json")


def _inventory(folder: Path) -> Any:
    from course_lib.widgets import InventoryForm

    return InventoryForm(path=folder / "inventory.json")


def _scorer(folder: Path) -> Any:
    from course_lib.content import load_cases
    from course_lib.widgets import CaseScorer

    return CaseScorer(load_cases(which="practice")[:2], save_path=folder / "scorer.json")


def _stance(folder: Path) -> Any:
    from course_lib.widgets import StanceExercise

    return StanceExercise(path=folder / "stance.json")


def _responses(folder: Path) -> Any:
    from course_lib.widgets import ResponsePractice

    return ResponsePractice("oppositional", path=folder / "responses.json")


WIDGETS: dict[str, Callable[[Path], Any]] = {
    "practice": _practice,
    "explorer": _explorer,
    "sorting": _sorting,
    "pair": _pair,
    "inventory": _inventory,
    "scorer": _scorer,
    "stance": _stance,
    "responses": _responses,
}


@pytest.mark.parametrize("name", list(WIDGETS))
def test_every_control_has_a_name_that_says_what_it_is_for(name: str, tmp_path: Path) -> None:
    made = WIDGETS[name](tmp_path)
    parts = list(walk(made.widget))
    assert not [type(w).__name__ for w in parts if isinstance(w, UNNAMED)]
    groups = [w for w in parts if isinstance(w, ChoiceGroup)]
    buttons = [w for w in parts if isinstance(w, widgets.Button)]
    assert groups or buttons or [w for w in parts if isinstance(w, Slider)]
    names = [group_name(g) for g in groups]
    assert all(g.description for g in groups), names
    assert len(set(names)) == len(names), f"two groups share an accessible name: {names}"
    labels = [b.description for b in buttons]
    assert all(labels) and len(set(labels)) == len(labels), labels
    for b in buttons:  # a tooltip saying more, and the course's visible focus ring
        assert b.tooltip and BUTTON_CLASS in b._dom_classes, b.description
    for w in parts:
        if isinstance(w, Slider | widgets.Dropdown | widgets.Textarea):
            assert w.description, type(w).__name__
        if isinstance(w, widgets.Dropdown | widgets.Textarea):  # a visible focus ring
            assert INPUT_CLASS in w._dom_classes, w.description


def _statuses(made: Any) -> list[LiveMessage]:
    return [w for w in walk(made.widget) if isinstance(w, LiveMessage)]


def _answer_scorer(scorer: Any) -> None:
    for control in scorer._controls():
        control.value = control.options[0][1]
    scorer.check_button.click()


def _answer_sorting(sorting: Any) -> None:
    for toggle in sorting.toggles.values():
        toggle.value = toggle.options[0][1]
    sorting.check_button.click()


def _answer_pair(pair: Any) -> None:
    for group in pair.choices.values():
        group.value = group.options[0][1]
    pair.check_button.click()


def _answer_stance(stance: Any) -> None:
    for toggle in stance.toggles.values():
        toggle.value = toggle.options[0][1]
    stance.check_button.click()


def _answer_responses(practice: Any) -> None:
    group = practice.groups[practice.moment_id]
    group.value = group.options[0][1]
    practice.commit_button.click()


def _answer_inventory(form: Any) -> None:
    next(iter(form.radios.values())).value = 3
    form.score_button.click()


def _answer_explorer(explorer: Any) -> None:
    explorer.sliders["threat"].value = 0


def _answer_practice(practice: Any) -> None:
    practice.choice.value = practice.choice.options[0][1]


# Each check and the words its announcement must carry (symbols are shown beside words).
CHECKS: dict[str, tuple[Callable[[Any], None], str]] = {
    "scorer": (_answer_scorer, "Checked: your answers are locked"),
    "sorting": (_answer_sorting, "of"),
    "pair": (_answer_pair, "Checked"),
    "stance": (_answer_stance, "checked"),
    "responses": (_answer_responses, "Committed: your choice is locked"),
    "inventory": (_answer_inventory, "Scored."),
    "explorer": (_answer_explorer, "Illustrative strength"),
    "practice": (_answer_practice, "Saved"),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_outcome_of_each_action_is_announced_in_a_live_region(
    name: str, tmp_path: Path
) -> None:
    made = WIDGETS[name](tmp_path)
    before = {id(m): m.serial for m in _statuses(made)}
    act, words = CHECKS[name]
    act(made)
    announced = [m for m in _statuses(made) if m.serial > before[id(m)] and m.text]
    assert announced, f"{name}: nothing announced"
    assert any(words in m.text for m in announced), [m.text for m in announced]


def test_checked_feedback_says_pass_or_fail_in_words_and_symbols(tmp_path: Path) -> None:
    """Verdicts are ✓/✗/≈ plus a word, so no one needs the colours to read them."""
    scorer = _scorer(tmp_path)
    _answer_scorer(scorer)
    html = scorer.feedback.outputs[0]["data"]["text/html"]
    verdicts = (("✓", "matches"), ("✗", "differs"), ("≈", "defensible"))
    assert any(f"{symbol} Band: {word}" in html for symbol, word in verdicts)
    sorting = _sorting(tmp_path)
    _answer_sorting(sorting)
    for result in sorting.feedback.values():
        assert any(
            f"<strong>{label}.</strong>" in result.value
            for label in ("✓ Best fit", "~ Defensible", "✗ Not this one")
        ), result.value
