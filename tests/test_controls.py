"""The course's accessible controls, driven without a browser (the browser tests draw them)."""

from __future__ import annotations

from typing import Any

import pytest
import traitlets

from course_lib.widgets.controls import ChoiceGroup, FocusHeading, LiveMessage


def test_choice_group_holds_options_value_and_names() -> None:
    group = ChoiceGroup(
        [("Low", "low"), ("High", "high")],
        description="Band",
        context="case p01 Marcus",
        hints=["the compliant pole", "the oppositional pole"],
    )
    assert group.options == [("Low", "low"), ("High", "high")]
    assert group.value is None and group.label is None and not group.disabled
    assert [o["hint"] for o in group._options] == ["the compliant pole", "the oppositional pole"]
    group.value = "high"
    assert group.label == "High"
    state = group.get_state()
    assert state["value"] == "high" and state["description"] == "Band"
    assert state["context"] == "case p01 Marcus"
    assert "_esm" in state and "radiogroup" in state["_esm"]


def test_choice_group_refuses_values_that_are_not_options() -> None:
    group = ChoiceGroup([("0", 0), ("1", 1)], value=1)
    with pytest.raises(traitlets.TraitError, match="not one of"):
        group.value = 7
    assert group.value == 1
    with pytest.raises(ValueError, match="unique"):
        ChoiceGroup([("a", 1), ("b", 1)])
    with pytest.raises(TypeError, match="str or int"):
        ChoiceGroup([("yes", True)])


def test_choice_group_reports_changes_like_an_ipywidgets_control() -> None:
    group = ChoiceGroup([("0", 0), ("1", 1), ("2", 2)])
    seen: list[Any] = []
    group.observe(lambda change: seen.append(change["new"]), names="value")
    group.value = 2
    group.value = None
    assert seen == [2, None]


def test_a_value_from_the_browser_arrives_through_the_synced_state() -> None:
    """What the front end sends when a radio is chosen (``model.set('value', ...)``)."""
    group = ChoiceGroup([("0", 0), ("3", 3)])
    group.set_state({"value": 3})
    assert group.value == 3


def test_live_message_announces_even_the_same_text_twice() -> None:
    message = LiveMessage()
    message.show("Saved.", "ok")
    first = message.serial
    message.show("Saved.", "ok")
    assert message.serial == first + 1 and message.text == "Saved." and message.kind == "ok"
    with pytest.raises(ValueError, match="kind"):
        message.show("x", "loud")


def test_focus_heading_and_live_message_take_focus_on_request(monkeypatch: Any) -> None:
    heading, message = FocusHeading(text="Feedback"), LiveMessage()
    sent: list[Any] = []
    for widget in (heading, message):
        monkeypatch.setattr(widget, "send", lambda msg, *a, **k: sent.append(msg))
        widget.focus()
    assert sent == [{"do": "focus"}, {"do": "focus"}]  # the browser tests check where it lands


def test_course_buttons_carry_the_focus_ring_class() -> None:
    from course_lib.widgets.controls import BUTTON_CLASS, STATIC, button

    made = button("Check my answers", "Lock and compare")
    assert BUTTON_CLASS in made._dom_classes and made.tooltip == "Lock and compare"
    css = (STATIC / "controls.css").read_text(encoding="utf-8")
    assert f".{BUTTON_CLASS}:focus-visible" in css


def test_slider_is_a_labelled_native_range_input() -> None:
    """Not ipywidgets' IntSlider, whose handle has no accessible name (axe: aria-input-field-name)."""
    from course_lib.widgets.controls import STATIC, Slider

    slider = Slider(description="Importance", tooltip="How much it matters", min=0, max=10, value=4)
    state = slider.get_state()
    assert state["description"] == "Importance" and state["tooltip"] == "How much it matters"
    assert 'type = "range"' in state["_esm"] and "label.htmlFor = id" in state["_esm"]
    seen: list[int] = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    slider.set_state({"value": 7})  # what the browser sends when the student lets go
    slider.value = 99  # clamped to the range
    assert seen == [7, 10]
    css = (STATIC / "controls.css").read_text(encoding="utf-8")
    assert 'input[type="range"]:focus-visible' in css  # a visible focus ring
