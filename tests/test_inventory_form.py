"""The practice inventory form: strict save file, saving on change, restoring, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_lib.content import load_inventory
from course_lib.content.inventory import Inventory
from course_lib.scoring.inventory import score_inventory
from course_lib.widgets.inventory_form import (
    FORMAT,
    VERSION,
    InventoryAnswerStore,
    InventoryForm,
    parse_inventory_answers,
    score_report_html,
)


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory()


def _file(inventory: Inventory, responses: dict) -> dict:
    return {"format": FORMAT, "version": VERSION, "inventory": inventory.id, "responses": responses}


# ---------------------------------------------------------------- parse_inventory_answers
def test_parse_fills_every_item(inventory: Inventory) -> None:
    out = parse_inventory_answers(_file(inventory, {"i01": 5, "i02": None}), inventory)
    assert list(out) == [item.id for item in inventory.items]
    assert out["i01"] == 5 and out["i02"] is None and out["i12"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, "not a course-lib-inventory-answers file"),
        ({"version": 2}, "unsupported version"),
        ({"inventory": "another"}, "belong to 'another'"),
        ({"responses": []}, "responses must be an object"),
        ({"responses": {"i99": 3}}, "unknown item ids: i99"),
        ({"responses": {"i01": 6}}, "item i01"),
        ({"responses": {"i01": 0}}, "item i01"),
        ({"responses": {"i01": True}}, "item i01"),
        ({"responses": {"i01": 3.0}}, "item i01"),
        ({"responses": {"i01": "3"}}, "item i01"),
    ],
)
def test_parse_rejects_bad_files(inventory: Inventory, change: dict, message: str) -> None:
    data = _file(inventory, {"i01": 3}) | change
    with pytest.raises(ValueError, match=message):
        parse_inventory_answers(data, inventory)


def test_parse_rejects_non_objects(inventory: Inventory) -> None:
    with pytest.raises(ValueError):
        parse_inventory_answers([1, 2], inventory)


# ---------------------------------------------------------------- InventoryAnswerStore
def test_store_saves_and_restores(inventory: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    store = InventoryAnswerStore(inventory, path)
    assert store.message is None and not path.exists()
    store.set("i03", 2)
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["inventory"] == inventory.id
    assert data["responses"]["i03"] == 2
    again = InventoryAnswerStore(inventory, path)
    assert again.responses["i03"] == 2 and again.message is None
    again.set("i03", None)
    assert InventoryAnswerStore(inventory, path).responses["i03"] is None
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]  # no temp files left


@pytest.mark.parametrize(("item", "value"), [("i99", 3), ("i01", 7), ("i01", True)])
def test_store_rejects_bad_values(inventory: Inventory, tmp_path: Path, item, value) -> None:
    store = InventoryAnswerStore(inventory, tmp_path / "a.json")
    with pytest.raises(ValueError):
        store.set(item, value)


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "x"}), "\udcff"])
def test_corrupt_file_is_moved_aside(inventory: Inventory, tmp_path: Path, content) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    store = InventoryAnswerStore(inventory, path)
    assert store.message is not None and "starting fresh" in store.message
    assert all(v is None for v in store.responses.values())
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].name in store.message
    assert not path.exists()


# ---------------------------------------------------------------- score_report_html
def test_report_for_a_complete_score(inventory: Inventory) -> None:
    score = score_inventory({item.id: 4 for item in inventory.items}, inventory)
    report = score_report_html(score, inventory)
    assert "not a validated measure" in report and "not a clinical assessment" in report
    assert "Total (mean of answered items)" in report
    band = next(b for b in inventory.bands if b.id == score.band)
    assert band.label in report
    for facet in inventory.facets:
        assert facet.name in report


def test_report_for_an_unscorable_score(inventory: Inventory) -> None:
    score = score_inventory({"i01": 3, "i05": 3}, inventory)
    report = score_report_html(score, inventory)
    assert "Total: not scorable." in report and "No band is given" in report
    assert report.count("not scorable</td>") == 3  # three facets without enough answers


# ---------------------------------------------------------------- the widget
def test_every_control_has_an_accessible_name(inventory: Inventory, tmp_path: Path) -> None:
    form = InventoryForm(inventory, tmp_path / "a.json")
    assert len(form.radios) == len(inventory.items)
    for number, item in enumerate(inventory.items, start=1):
        radio = form.radios[item.id]
        assert radio.description == f"Item {number}" and radio.context == item.text
        assert radio.options[0] == ("1 Strongly disagree", 1) and radio.value is None
        assert form.clear_buttons[item.id].tooltip
    assert form.score_button.description and form.score_button.tooltip


def test_choosing_saves_clearing_blanks_and_rerun_restores(
    inventory: Inventory, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    form = InventoryForm(inventory, path)
    form.radios["i01"].value = 5
    form.radios["i02"].value = 2
    assert json.loads(path.read_text())["responses"]["i02"] == 2
    assert "2 of 12 items answered" in form.status.text
    form.clear_buttons["i02"].click()
    assert form.radios["i02"].value is None
    assert json.loads(path.read_text())["responses"]["i02"] is None
    again = InventoryForm(inventory, path)
    assert again.radios["i01"].value == 5 and again.radios["i02"].value is None
    assert "1 of 12 items answered" in again.status.text


def test_score_button_shows_report_and_profile(inventory: Inventory, tmp_path: Path) -> None:
    form = InventoryForm(inventory, tmp_path / "a.json")
    for item in inventory.items:
        form.radios[item.id].value = 3
    form.clear_buttons["i01"].click()
    form.score_button.click()
    assert form.score is not None and form.score.status == "prorated"
    assert "Prorated" in form.report.value
    assert form.last_figure is not None
    assert "practice material" in form.last_figure.layout.title.text


def test_corrupt_file_message_reaches_the_student(inventory: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("]")
    form = InventoryForm(inventory, path)
    assert "could not be read" in form.status.text and "starting fresh" in form.status.text


def test_widget_displays_as_a_widget(inventory: Inventory, tmp_path: Path) -> None:
    form = InventoryForm(inventory, tmp_path / "a.json")
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_answers_under_the_old_file_name_are_adopted(inventory: Inventory, tmp_path: Path) -> None:
    from course_lib.widgets.inventory_form import DEFAULT_FILE, LEGACY_FILE

    old = InventoryForm(inventory, tmp_path / LEGACY_FILE)
    old.radios["i03"].value = 4
    form = InventoryForm(inventory, tmp_path / DEFAULT_FILE)
    assert form.radios["i03"].value == 4 and not (tmp_path / LEGACY_FILE).exists()
    assert f"moved from {LEGACY_FILE} to {DEFAULT_FILE}" in form.status.text


def test_each_leave_blank_button_names_its_item(tmp_path: Path) -> None:
    """A screen reader lists buttons by name: twelve identical "Leave blank" told nothing."""
    form = InventoryForm(path=tmp_path / "answers.json")
    names = [b.description for b in form.clear_buttons.values()]
    assert names == [f"Leave item {n} blank" for n in range(1, len(names) + 1)]
