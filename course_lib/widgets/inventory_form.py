"""The practice inventory as a form: answers saved on every change, restored on re-run, scored.

The widget is a thin view. The logic it calls is pure and tested directly:
:func:`parse_inventory_answers` (the strict reader of the save file),
:class:`InventoryAnswerStore` (atomic saves; a corrupt file is moved aside, never lost) and
:func:`score_report_html` (the report shown after Score). Scoring itself is
:func:`course_lib.scoring.inventory.score_inventory`.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.content.inventory import Inventory
from course_lib.savefile import adopt_legacy, read_json, set_aside, write_json_atomic
from course_lib.scoring.inventory import InventoryScore, score_inventory
from course_lib.widgets.controls import ChoiceGroup, FocusHeading, LiveMessage, button

FORMAT = "course-lib-inventory-answers"
VERSION = 1
DEFAULT_FILE = "lesson03.answers.json"
LEGACY_FILE = "practice_inventory_answers.json"  # the name before every lesson used lessonNN
MAX_FILE_BYTES = 100_000
NOT_CLINICAL = (
    "Practice material: this inventory was written for the course and is not a validated "
    "measure. Your result is not a clinical assessment and has no norms behind it."
)


def parse_inventory_answers(data: Any, inventory: Inventory) -> dict[str, int | None]:
    """Validate a decoded save file; return a response (or ``None``) for every item.

    Raises ``ValueError`` naming the problem: wrong format or version, another inventory,
    an unknown item id, or a response that is not an integer on the scale.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    if data.get("inventory") != inventory.id:
        raise ValueError(f"answers belong to {data.get('inventory')!r}, not {inventory.id!r}")
    raw = data.get("responses")
    if not isinstance(raw, dict):
        raise ValueError("responses must be an object")
    known = [item.id for item in inventory.items]
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"unknown item ids: {', '.join(unknown)}")
    lo, hi = inventory.scale.min, inventory.scale.max
    out: dict[str, int | None] = {}
    for item_id in known:
        value = raw.get(item_id)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi
        ):
            raise ValueError(f"item {item_id}: response must be {lo}-{hi} or null, got {value!r}")
        out[item_id] = value
    return out


class InventoryAnswerStore:
    """One person's inventory responses, saved to ``path`` on every change."""

    def __init__(self, inventory: Inventory, path: Path | str = DEFAULT_FILE):
        self.inventory = inventory
        self.path = Path(path)
        self.message: str | None = None
        self.notice = adopt_legacy(self.path, LEGACY_FILE) if self.path.name == DEFAULT_FILE else None
        self.responses: dict[str, int | None] = {item.id: None for item in inventory.items}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = read_json(self.path, MAX_FILE_BYTES)
            self.responses = parse_inventory_answers(data, self.inventory)
        except (ValueError, OSError) as exc:
            self.message = set_aside(self.path, exc)

    def set(self, item_id: str, value: int | None) -> None:
        """Record one response (``None`` clears it) and save at once."""
        if item_id not in self.responses:
            raise ValueError(f"unknown item {item_id!r}")
        lo, hi = self.inventory.scale.min, self.inventory.scale.max
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi
        ):
            raise ValueError(f"a response must be {lo}-{hi} or None (got {value!r})")
        self.responses[item_id] = value
        self.save()

    def to_json(self) -> dict[str, Any]:
        """The save file as JSON-ready data."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "inventory": self.inventory.id,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "responses": dict(self.responses),
        }

    def save(self) -> None:
        """Write atomically (temp file, then rename): a crash never leaves half a file."""
        write_json_atomic(self.path, self.to_json())


def score_report_html(score: InventoryScore, inventory: Inventory) -> str:
    """The score as an HTML report: notice, status message, facet table, total and band."""
    esc = html.escape
    rows = []
    for facet in inventory.facets:
        fs = score.facets[facet.id]
        value = f"{fs.mean:.2f}" if fs.scorable and fs.mean is not None else "not scorable"
        rows.append(
            f"<tr><td>{esc(facet.name)}</td><td>{value}</td>"
            f"<td>{fs.answered}</td><td>{fs.missing}</td></tr>"
        )
    if score.total is not None and score.band is not None:
        band = next(b for b in inventory.bands if b.id == score.band)
        total = (
            f"<p><strong>Total (mean of answered items): {score.total:.2f}</strong>, "
            f"{esc(band.label)}. {esc(band.description)}</p>"
        )
    else:
        total = "<p><strong>Total: not scorable.</strong> No band is given.</p>"
    return (
        f"<div><p><em>{esc(NOT_CLINICAL)}</em></p>"
        f"<p>{esc(score.message)}</p>"
        "<table><thead><tr><th>Facet</th><th>Mean (1-5)</th><th>Answered</th>"
        "<th>Blank</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f"{total}</div>"
    )


class InventoryForm:
    """The practice inventory as a form with a Score button (display it as a cell's result)."""

    def __init__(self, inventory: Inventory | None = None, path: Path | str = DEFAULT_FILE):
        if inventory is None:
            from course_lib.content import load_inventory

            inventory = load_inventory()
        self.inventory = inventory
        self.store = InventoryAnswerStore(inventory, path)
        scale = inventory.scale
        options = [(f"{k} {scale.labels[k]}", k) for k in range(scale.min, scale.max + 1)]
        self.radios: dict[str, ChoiceGroup] = {}
        self.clear_buttons: dict[str, widgets.Button] = {}
        rows: list[widgets.Widget] = []
        for number, item in enumerate(inventory.items, start=1):
            radio = ChoiceGroup(
                options,
                self.store.responses[item.id],
                description=f"Item {number}",
                context=item.text,
                label_width="5em",
            )
            clear = button(
                description=f"Leave item {number} blank",
                tooltip=f"Clear your answer to item {number}",
                layout=widgets.Layout(width="auto"),
            )
            radio.observe(self._saver(item.id), names="value")
            clear.on_click(self._clearer(item.id))
            self.radios[item.id] = radio
            self.clear_buttons[item.id] = clear
            label = widgets.HTML(f"<p><strong>{number}.</strong> {html.escape(item.text)}</p>")
            rows.append(widgets.VBox([label, widgets.HBox([radio, clear])]))
        self.score_button = button(
            description="Score my answers",
            tooltip="Score the inventory with its documented rule and show your profile",
            button_style="primary",
            icon="calculator",
            layout=widgets.Layout(width="max-content"),
        )
        self.score_button.on_click(self._on_score)
        self.status = LiveMessage()
        self.report_heading = FocusHeading()
        self.report = widgets.HTML("")
        self.chart_out = widgets.Output()
        self.score: InventoryScore | None = None
        self.last_figure: Any = None
        header = widgets.HTML(
            f"<h4>{html.escape(inventory.title)}</h4>"
            f"<p><em>{html.escape(inventory.notice)}</em></p>"
            f"<p>{html.escape(inventory.instructions)}</p>"
        )
        self.widget = widgets.VBox(
            [
                header,
                *rows,
                widgets.HBox(
                    [self.score_button, self.status], layout=widgets.Layout(align_items="center")
                ),
                self.report_heading,
                self.report,
                self.chart_out,
            ]
        )
        self._show_status(first=True)

    def _show_status(self, first: bool = False) -> None:
        answered = sum(v is not None for v in self.store.responses.values())
        text = (
            f"{answered} of {len(self.store.responses)} items answered; "
            f"answers are saved to {self.store.path.name} on every change."
        )
        if first and (self.store.message or self.store.notice):
            text = f"{self.store.message or self.store.notice} {text}"
        self.status.show(text, "warn" if first and self.store.message else "info")

    def _saver(self, item_id: str) -> Any:
        def save(change: dict[str, Any]) -> None:
            self.store.set(item_id, change["new"])
            self._show_status()

        return save

    def _clearer(self, item_id: str) -> Any:
        def clear(_button: widgets.Button) -> None:
            self.radios[item_id].value = None

        return clear

    def _on_score(self, _button: widgets.Button | None = None) -> InventoryScore:
        from IPython.display import display

        from course_lib.display import Chart
        from course_lib.plots.measures import facet_profile

        self.score = score_inventory(self.store.responses, self.inventory)
        self.report_heading.text = "Your practice inventory profile"
        self.report.value = score_report_html(self.score, self.inventory)
        self.status.show(f"Scored. {self.score.message} Your profile is below.", "ok")
        self.last_figure = facet_profile(self.score, self.inventory)
        self.chart_out.clear_output()
        with self.chart_out:
            display(Chart(self.last_figure))
        self.report_heading.focus()
        return self.score

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
