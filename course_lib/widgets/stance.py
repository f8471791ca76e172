"""Opening-stance decisions on the practice cases: choose, commit, then see the expert's call.

The student picks self-directed, collaborative or structured for each practice case; choices
are saved on every change (:class:`course_lib.answers.AnswerStore`) and restored on re-run.
Check commits (locks) every answered case and reveals the expert's stance and rationale
from the practice key, with a chart of hits. The comparison with the key is pure and lives in
:mod:`course_lib.scoring.stance` (the chart's builder reads it too); :func:`feedback_html`
is tested directly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.answers import AnswerStore
from course_lib.content.cases import Case
from course_lib.content.rubric import Rubric
from course_lib.savefile import adopt_legacy
from course_lib.scoring.stance import (
    StanceResult,
    case_label,
    stance_label,
    stance_result,
    stance_summary,
)
from course_lib.widgets.controls import INPUT_CLASS, ChoiceGroup, LiveMessage, button
from course_lib.widgets.feedback import case_html

DEFAULT_FILE = "lesson05.answers.json"
LEGACY_FILE = "stance_answers.json"  # the name before every lesson used lessonNN


def feedback_html(result: StanceResult, rubric: Rubric) -> str:
    """Feedback for one checked case: verdict in words and symbol, both stances, rationale."""
    esc = html.escape
    if result.hit:
        verdict = "&#10003; Matches the expert"
    elif result.defensible:
        verdict = "&#8776; Defensible: the key lists your choice as an alternative"
    else:
        verdict = "&#10007; Differs from the expert"
    why = f" {esc(result.defensible)}" if result.defensible else ""
    return (
        f"<div><p><strong>{verdict}.</strong> "
        f"Your choice: {esc(stance_label(result.chosen, rubric))}. "
        f"Expert's choice: {esc(stance_label(result.expert, rubric))}.{why}</p>"
        f"<p><em>Expert's rationale:</em> {esc(result.rationale)}</p></div>"
    )


class StanceExercise:
    """Choose an opening stance per practice case, then Check (display it as a cell's result)."""

    def __init__(
        self,
        cases: Sequence[Case] | None = None,
        rubric: Rubric | None = None,
        path: Path | str = DEFAULT_FILE,
    ):
        from course_lib.content import load_cases, load_rubric

        self.rubric = rubric or load_rubric()
        self.cases = (
            list(cases) if cases is not None else load_cases(which="practice", lesson=5)
        )
        self.keys = {c.id: c.key for c in self.cases if c.key is not None}
        self.cases = [c for c in self.cases if c.id in self.keys]
        moved = adopt_legacy(Path(path), LEGACY_FILE) if Path(path).name == DEFAULT_FILE else None
        self.store = AnswerStore(path)
        options = [(s.label, s.id) for s in self.rubric.stances]
        tips = [s.description for s in self.rubric.stances]
        self.toggles: dict[str, ChoiceGroup] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        panels = []
        for case in self.cases:
            saved = self.store.get(case.id)
            toggle = ChoiceGroup(
                options,
                saved.stance if saved.stance in {v for _, v in options} else None,
                description="Opening stance",
                context=f"for {case.client.name}",
                hints=tips,
                disabled=saved.checked,
            )
            toggle.observe(self._saver(case.id), names="value")
            self.toggles[case.id] = toggle
            self.feedback[case.id] = widgets.HTML("")
            panels.append(
                widgets.VBox([widgets.HTML(case_html(case)), toggle, self.feedback[case.id]])
            )
        # One case at a time, chosen from a drop-down: ipywidgets' Accordion headers take no
        # keyboard focus, so its folded cases could not be opened without a mouse.
        self.panels = dict(zip((c.id for c in self.cases), panels, strict=True))
        self.case_picker = widgets.Dropdown(
            options=[(f"{i}. {case_label(c)}", c.id) for i, c in enumerate(self.cases, 1)],
            description="Case",
            tooltip="Choose the case to read and decide",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.case_picker.add_class(INPUT_CLASS)
        self.case_view = widgets.Box([panels[0]] if panels else [])
        self.case_picker.observe(
            lambda change: setattr(self.case_view, "children", [self.panels[change["new"]]]),
            names="value",
        )
        self.check_button = button(
            description="Check my choices",
            tooltip="Commit every answered case and show the expert's stance and rationale",
            button_style="primary",
            icon="check",
            layout=widgets.Layout(width="max-content"),
        )
        self.check_button.on_click(self._on_check)
        self.status = LiveMessage()
        self.chart_out = widgets.Output()
        self.last_figure: Any = None
        intro = widgets.HTML(
            "<p><em>Practice cases written for the course (fictional people). Checking a "
            "case commits your choice: it is locked before the expert's answer is shown. "
            f"Choices are saved to {html.escape(self.store.path.name)} on every change."
            "</em></p>"
        )
        self.widget = widgets.VBox(
            [
                intro,
                self.case_picker,
                self.case_view,
                widgets.HBox(
                    [self.check_button, self.status], layout=widgets.Layout(align_items="center")
                ),
                self.chart_out,
            ]
        )
        self._refresh(self.store.message or moved, "warn" if self.store.message else "info")

    def _saver(self, case_id: str) -> Any:
        def save(change: dict[str, Any]) -> None:
            try:
                self.store.set_choice(case_id, "stance", change["new"])
            except PermissionError:
                self.toggles[case_id].value = self.store.get(case_id).stance
                self._refresh("That case is already checked; its choice is locked.", "warn")

        return save

    def results(self) -> list[StanceResult]:
        """Results for every checked case, in case order."""
        return [
            stance_result(c, self.store.get(c.id).stance, self.keys[c.id])
            for c in self.cases
            if self.store.get(c.id).checked
        ]

    def _on_check(self, _button: widgets.Button | None = None) -> list[StanceResult]:
        newly = 0
        for case in self.cases:
            answer = self.store.get(case.id)
            if not answer.checked and answer.stance is not None:
                self.store.lock(case.id)
                newly += 1
        note = None if newly else "Nothing new to check: choose a stance for a case first."
        self._refresh(note, "warn" if note else "ok")
        return self.results()

    def _refresh(self, note: str | None = None, kind: str = "info") -> None:
        from IPython.display import display

        from course_lib.display import Chart
        from course_lib.plots.evidence import stance_hits_chart

        results = self.results()
        for result in results:
            self.toggles[result.case_id].disabled = True
            self.feedback[result.case_id].value = feedback_html(result, self.rubric)
        text = stance_summary(results, len(self.cases))
        if note:
            text = f"{note} {text}"
        self.status.show(text, kind)
        self.chart_out.clear_output()
        self.last_figure = stance_hits_chart(results, self.rubric) if results else None
        if self.last_figure is not None:
            with self.chart_out:
                display(Chart(self.last_figure))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
