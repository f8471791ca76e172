"""Lesson 02 sorting exercise: sort client statements into four categories, then check.

A thin view: scoring and feedback come from :mod:`course_lib.exercises.sorting`, the
save file is a :class:`course_lib.exercises.ChoiceStore` (saved on every change,
restored on re-run). Checking locks the answers and shows per-statement feedback plus a
score chart; "Start again" clears them.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.content.exercises import (
    CATEGORIES,
    CATEGORY_LABELS,
    SortingSet,
    SortingStatement,
    load_sorting_statements,
)
from course_lib.display import chart_outputs
from course_lib.exercises.sorting import (
    VERDICT_LABELS,
    SortingScore,
    StatementResult,
    open_store,
    score_sorting,
)
from course_lib.widgets.controls import ChoiceGroup, LiveMessage, button

CATEGORY_TIPS = {
    "trait_reactance": "A lasting tendency, across settings and time, to experience "
    "influence as a threat to freedom (reactance proneness).",
    "state_reactance": "A reaction, here and now, to a specific threat to a freedom, "
    "pushing to restore it.",
    "sustain_talk": "The client's own arguments for keeping things as they are "
    "(ambivalence inside the client).",
    "discord": "Strain in the client-clinician relationship, which both help to create.",
}


def statement_html(number: int, statement: SortingStatement) -> str:
    """One statement as the student reads it: number, text and context."""
    return (
        f"<div style='margin-top:10px'><p style='margin:2px 0'><strong>{number}.</strong> "
        f"{escape(statement.text)}</p><p style='margin:2px 0;font-size:90%'>"
        f"<em>Context:</em> {escape(statement.context)}</p></div>"
    )


def result_html(result: StatementResult) -> str:
    """Feedback for one checked statement: a symbol and word first, never colour alone.

    Plain text, not a live region: the summary line announces the check once; thirteen
    regions announcing at the same moment would talk over each other.
    """
    return (
        f'<div style="border-left:4px solid #767676;padding:2px 8px;margin-bottom:6px">'
        f"<strong>{escape(VERDICT_LABELS[result.verdict])}.</strong> "
        f"{escape(result.feedback)}</div>"
    )


def missing_text(missing_numbers: list[int]) -> str:
    """The message when some statements are still unsorted."""
    listed = ", ".join(str(n) for n in missing_numbers)
    return f"Sort every statement before checking. Still to sort: {listed}."


def definitions_html() -> str:
    """The four categories with one-line definitions, shown above the statements."""
    items = "".join(
        f"<li><strong>{CATEGORY_LABELS[c]}</strong>: {escape(CATEGORY_TIPS[c])}</li>"
        for c in CATEGORIES
    )
    return f"<ul>{items}</ul>"


class SortingWidget:
    """Sort each statement (one choice group each); "Check my answers" gives feedback and a chart."""

    def __init__(self, sorting: SortingSet | None = None, folder: Path | str = ".") -> None:
        self.sorting = sorting if sorting is not None else load_sorting_statements()
        self.store = open_store(self.sorting, folder)
        self.toggles: dict[str, ChoiceGroup] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = [
            widgets.HTML(
                f"<p><em>{escape(self.sorting.notice)}</em></p>{definitions_html()}",
            )
        ]
        self._setting = False
        for number, s in enumerate(self.sorting.statements, start=1):
            toggle = ChoiceGroup(
                [(CATEGORY_LABELS[c], c) for c in CATEGORIES],
                self.store.get(s.id),
                description=f"Statement {number}",
                hints=[CATEGORY_TIPS[c] for c in CATEGORIES],
                label_width="8em",
            )
            toggle.observe(lambda change, sid=s.id: self._on_choice(sid, change), names="value")
            self.toggles[s.id] = toggle
            self.feedback[s.id] = widgets.HTML()
            rows += [widgets.HTML(statement_html(number, s)), toggle, self.feedback[s.id]]
        self.check_button = button(
            description="Check my answers",
            tooltip="Lock your answers and show feedback for every statement",
            icon="check",
        )
        self.again_button = button(
            description="Start again", tooltip="Clear every answer and sort afresh", icon="undo"
        )
        self.check_button.on_click(self.check)
        self.again_button.on_click(self.start_again)
        self.status = LiveMessage()
        self.chart = widgets.Output()
        self.last_figure: Any = None
        self.widget = widgets.VBox(
            [
                *rows,
                widgets.HBox(
                    [self.check_button, self.again_button, self.status],
                    layout=widgets.Layout(align_items="center"),
                ),
                self.chart,
            ]
        )
        if self.store.checked and self.store.missing():
            self.store.checked = False  # the statements changed since the check: unlock
            self.store.save()
        if self.store.checked:
            self._show_results("Restored your checked answers.")
        else:
            self._set_status(*self._start_message())

    def _start_message(self) -> tuple[str, str]:
        name = self.store.path.name
        moved = f"{self.store.notice} " if self.store.notice else ""
        if self.store.message:
            return self.store.message, "warn"
        if self.store.restored:
            return f"{moved}Restored {self.store.restored} answers from {name}.", "info"
        return f"{moved}Your answers are saved to {name} in this folder as you go.", "info"

    def _set_status(self, text: str, kind: str = "info") -> None:
        self.status.show(text, kind)

    def _on_choice(self, statement_id: str, change: dict[str, Any]) -> None:
        if self._setting:
            return
        self.store.set(statement_id, change["new"])
        done = len(self.sorting.statements) - len(self.store.missing())
        self._set_status(f"Saved. {done} of {len(self.sorting.statements)} sorted.", "ok")

    def score(self) -> SortingScore:
        """The current answers, scored."""
        return score_sorting(self.sorting, self.store.choices)

    def check(self, _button: Any = None) -> SortingScore | None:
        """Lock the answers and show feedback; refuse (with a message) while any is unsorted."""
        missing = self.store.missing()
        if missing:
            ids = self.sorting.ids()
            self._set_status(missing_text([ids.index(m) + 1 for m in missing]), "warn")
            return None
        self.store.mark_checked()
        return self._show_results()

    def _show_results(self, note: str = "") -> SortingScore:
        from course_lib.plots.theory import sorting_score_chart

        score = self.score()
        for toggle in self.toggles.values():
            toggle.disabled = True
        for result in score.results:
            self.feedback[result.statement_id].value = result_html(result)
        self._set_status(f"{note} {score.summary()}".strip(), "ok")
        self.last_figure = sorting_score_chart(score.by_category())
        self.chart.outputs = chart_outputs(self.last_figure)
        return score

    def start_again(self, _button: Any = None) -> None:
        """Clear every answer, the feedback and the chart, and unlock."""
        self.store.reset()
        self._setting = True
        try:
            for toggle in self.toggles.values():
                toggle.disabled = False
                toggle.value = None
        finally:
            self._setting = False
        for html in self.feedback.values():
            html.value = ""
        self.chart.outputs = ()
        self.last_figure = None
        self._set_status("Cleared. Sort the statements again.", "ok")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
