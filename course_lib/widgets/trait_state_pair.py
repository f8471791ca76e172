"""Lesson 03's contrasting pair: the same deference in the room, read as trait or state.

The student decides, for each case of the pair, whether the pattern is a trait or a state,
then presses Check: both answers are locked first, then each case shows the key's answer
(a defensible alternative earns its note) and the key's rationale. Answers are saved on
every change (:class:`course_lib.answers.AnswerStore`) and restored on re-run. The verdict
text is a pure function (:func:`verdict_html`), tested directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.answers import AnswerStore
from course_lib.content.cases import Case, CaseKey
from course_lib.widgets.controls import ChoiceGroup, FocusHeading, LiveMessage, button
from course_lib.widgets.feedback import TRAIT_STATE_LABELS, case_html

DEFAULT_FILE = "lesson03.pair.answers.json"


def verdict_html(case: Case, key: CaseKey, chosen: str | None) -> str:
    """The key's trait/state answer against the student's, in words, with the rationale."""
    expert = TRAIT_STATE_LABELS[key.trait_or_state]
    alternative = key.alternative("trait_or_state", chosen)
    if chosen == key.trait_or_state:
        head = f"✓ {case.client.name}: matches. You and the expert chose {expert}."
    elif alternative is not None:
        head = (
            f"≈ {case.client.name}: defensible. You chose {TRAIT_STATE_LABELS[chosen]}; "
            f"the expert chose {expert}. {alternative.reason}"
        )
    else:
        yours = TRAIT_STATE_LABELS.get(chosen or "", "no answer")
        head = f"✗ {case.client.name}: differs. You chose {yours}; the expert chose {expert}."
    return (
        f"<div style='border-left:4px solid #767676;padding:2px 8px;margin:6px 0'>"
        f"<p><strong>{escape(head)}</strong></p>"
        f"<p><em>The expert's reasoning:</em> {escape(key.rationale)}</p></div>"
    )


class TraitStatePair:
    """Decide trait or state for each case of a pair, then Check (display it as a cell's result)."""

    def __init__(self, cases: Sequence[Case] | None = None, path: Path | str = DEFAULT_FILE):
        from course_lib.content import load_cases

        chosen = list(cases) if cases is not None else load_cases(which="practice", lesson=3)
        self.cases = [c for c in chosen if c.key is not None]
        if len(self.cases) < 2:
            raise ValueError("a contrasting pair needs two practice cases with keys")
        self.store = AnswerStore(path)
        options = [(label, value) for value, label in TRAIT_STATE_LABELS.items()]
        self.choices: dict[str, ChoiceGroup] = {}
        self.verdicts: dict[str, widgets.HTML] = {}
        panels: list[widgets.Widget] = []
        for number, case in enumerate(self.cases, start=1):
            saved = self.store.get(case.id)
            group = ChoiceGroup(
                options,
                saved.trait_or_state,
                description="Trait or state",
                context=f"for {case.client.name}",
                orientation="vertical",
                disabled=saved.checked,
            )
            group.observe(self._saver(case.id), names="value")
            self.choices[case.id] = group
            self.verdicts[case.id] = widgets.HTML("")
            panels += [
                widgets.HTML(f"<h3>Case {number} of {len(self.cases)}</h3>{case_html(case)}"),
                group,
            ]
        self.check_button = button(
            "Check my answers",
            "Lock both answers, then show the expert's reading of each case",
            icon="check",
            button_style="primary",
            layout=widgets.Layout(width="max-content"),
        )
        self.check_button.on_click(self.check)
        self.status = LiveMessage()
        self.heading = FocusHeading()
        self.widget = widgets.VBox(
            [
                *panels,
                widgets.HBox(
                    [self.check_button, self.status], layout=widgets.Layout(align_items="center")
                ),
                self.heading,
                *self.verdicts.values(),
            ]
        )
        if self.store.message:
            self.status.show(self.store.message, "warn")
        if all(self.store.get(c.id).checked for c in self.cases):
            self._reveal()

    def _saver(self, case_id: str) -> Any:
        def save(change: dict[str, Any]) -> None:
            try:
                self.store.set_choice(case_id, "trait_or_state", change["new"])
            except PermissionError:
                self.choices[case_id].value = self.store.get(case_id).trait_or_state
                self.status.show("These answers are checked and locked.", "warn")
            except OSError as exc:
                self.status.show(f"Your answer could not be saved ({exc}).", "error")

        return save

    def check(self, _button: Any = None) -> bool:
        """Lock both answers and reveal the keys; refuse, saying why, while one is missing."""
        missing = [c.client.name for c in self.cases if self.store.get(c.id).trait_or_state is None]
        if missing:
            self.status.show(f"Not checked yet: decide for {', '.join(missing)} first.", "warn")
            return False
        for case in self.cases:
            if not self.store.get(case.id).checked:
                self.store.lock(case.id)
        self._reveal()
        self.heading.focus()
        return True

    def _reveal(self) -> None:
        for case in self.cases:
            self.choices[case.id].disabled = True
            assert case.key is not None
            chosen = self.store.get(case.id).trait_or_state
            self.verdicts[case.id].value = verdict_html(case, case.key, chosen)
        self.check_button.disabled = True
        self.heading.text = "The expert's reading of the pair"
        self.status.show("Checked: your answers are locked; the expert's reading is below.", "ok")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
