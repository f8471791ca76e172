"""Lesson widgets: the determinants explorer (lesson 01) and the saved practice choice
(lesson 00). Thin views: the model lives in :mod:`course_lib.theory`, the save file in
:class:`course_lib.exercises.ChoiceStore`, and the HTML comes from pure functions here.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.display import chart_outputs
from course_lib.exercises import ChoiceStore
from course_lib.savefile import adopt_legacy
from course_lib.theory import (
    DETERMINANTS,
    DISCLAIMER,
    ILLUSTRATIVE_NOTICE,
    Determinants,
    describe,
    likelihood_word,
    likely_routes,
    reactance_strength,
    strength_band,
)
from course_lib.widgets.controls import ChoiceGroup, LiveMessage, Slider, button

SLIDER_LABEL_WIDTH = "130px"


# ---------------------------------------------------------------- lesson 01 explorer

SCENARIOS: dict[str, tuple[str, Determinants]] = {
    "gentle": (
        "A gentle suggestion about something minor",
        Determinants(importance=2, proportion=1, threat=2, future=1),
    ),
    "ban": (
        "A forceful ban on something that matters",
        Determinants(importance=9, proportion=3, threat=9, future=2),
    ),
    "many": (
        "A forceful ban that signals more to come",
        Determinants(importance=9, proportion=7, threat=9, future=9),
    ),
}


def explorer_summary_html(d: Determinants) -> str:
    """The explorer's read-out: the illustrative strength and the likely routes, in words."""
    strength = reactance_strength(d)
    rows = "".join(
        f"<li><strong>{escape(e.route.label)}</strong> ({escape(e.route.description)}): "
        f"<em>{likelihood_word(e.likelihood)}</em></li>"
        for e in likely_routes(d)
    )
    return (
        f"<div><p><strong>{ILLUSTRATIVE_NOTICE}.</strong> Illustrative strength: "
        f"<strong>{strength:.0f} of 100</strong> ({strength_band(strength)}).</p>"
        f"<p>Restoration routes under the made-up route rule:</p><ul>{rows}</ul></div>"
    )


class DeterminantsExplorer:
    """Sliders for Wicklund's four determinants driving an illustrative, made-up model."""

    def __init__(self, initial: Determinants | None = None) -> None:
        from course_lib.plots.theory import determinants_chart

        self._chart_builder = determinants_chart
        start = initial or Determinants()
        self.banner = widgets.HTML(
            f'<div role="note" style="border:2px dashed #E69F00;padding:4px 8px">'
            f"<strong>⚠ {ILLUSTRATIVE_NOTICE.upper()}</strong><br>{escape(DISCLAIMER)}</div>"
        )
        self.sliders = {
            info.key: Slider(
                value=int(getattr(start, info.key)),
                min=0,
                max=10,
                description=info.label,
                tooltip=info.explanation,
                label_width=SLIDER_LABEL_WIDTH,
            )
            for info in DETERMINANTS
        }
        self.scenario = ChoiceGroup(
            [(label, key) for key, (label, _) in SCENARIOS.items()],
            description="Try a scenario",
            label_width="8em",
        )
        self.summary = widgets.HTML()
        # The read-out is redrawn whole, so a role="status" inside it would be a new region
        # each time (rarely announced); this persistent one announces each new outcome.
        self.announce = LiveMessage(screen_reader_only=True)
        self.chart = widgets.Output()
        self.last_figure: Any = None
        self._setting = False
        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")
        self.scenario.observe(self._on_scenario, names="value")
        self.widget = widgets.VBox(
            [
                self.banner,
                self.scenario,
                *self.sliders.values(),
                self.summary,
                self.announce,
                self.chart,
            ]
        )
        self.refresh()

    @property
    def determinants(self) -> Determinants:
        """The current slider settings."""
        return Determinants(**{key: s.value for key, s in self.sliders.items()})

    def set(self, d: Determinants) -> None:
        """Move the sliders to ``d`` and redraw once."""
        self._setting = True
        try:
            for key, slider in self.sliders.items():
                slider.value = int(getattr(d, key))
        finally:
            self._setting = False
        self.refresh()

    def _on_slider(self, change: dict[str, Any]) -> None:
        if not self._setting:
            self.scenario.value = None
            self.refresh()

    def _on_scenario(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self.set(SCENARIOS[change["new"]][1])

    def refresh(self) -> None:
        """Recompute the read-out and the chart from the sliders."""
        d = self.determinants
        self.summary.value = explorer_summary_html(d)
        self.announce.show(describe(d))
        self.last_figure = self._chart_builder(d)
        self.chart.outputs = chart_outputs(self.last_figure)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


# ---------------------------------------------------------------- lesson 00 practice widget

PRACTICE_FILE = "lesson00.answers.json"
LEGACY_PRACTICE_FILE = "how_to_use_answers.json"  # the name before every lesson used lessonNN
PRACTICE_KIND = "lesson-00-practice"
PRACTICE_OPTIONS = (
    ("new", "New to notebooks"),
    ("some", "Used them a little"),
    ("often", "Use them often"),
)


def practice_status(store: ChoiceStore, event: str) -> tuple[str, str]:
    """The practice widget's status line for ``event`` (start, saved or cleared), and its kind."""
    name = store.path.name
    value = store.get("familiarity")
    label = dict(PRACTICE_OPTIONS).get(value or "", "")
    moved = f"{store.notice} " if store.notice else ""
    if event == "saved":
        return f"Saved “{label}” to {name}.", "ok"
    if event == "cleared":
        return f"Answer cleared; {name} updated.", "ok"
    if store.message:
        return store.message, "warn"
    if value is not None:
        return f"{moved}Restored your earlier answer “{label}” from {name}.", "info"
    return f"Not answered yet. Your choice will be saved to {name} in this folder.", "info"


class PracticeWidget:
    """Lesson 00: one question whose answer is saved on every change and restored on re-run."""

    def __init__(self, folder: Path | str = ".") -> None:
        keys = tuple(k for k, _ in PRACTICE_OPTIONS)
        path = Path(folder) / PRACTICE_FILE
        moved = adopt_legacy(path, LEGACY_PRACTICE_FILE)
        self.store = ChoiceStore(path, kind=PRACTICE_KIND, allowed={"familiarity": keys})
        self.store.notice = moved
        self.choice = ChoiceGroup(
            [(label, key) for key, label in PRACTICE_OPTIONS],
            self.store.get("familiarity"),
            description="How familiar are you with Jupyter notebooks?",
            orientation="vertical",
        )
        self.clear = button(
            description="Clear my answer", tooltip="Remove the saved answer", icon="eraser"
        )
        self.status = LiveMessage()
        self.status.show(*practice_status(self.store, "start"))
        self._setting = False
        self.choice.observe(self._on_choice, names="value")
        self.clear.on_click(self._on_clear)
        self.widget = widgets.VBox(
            [
                self.choice,
                widgets.HBox([self.clear, self.status], layout=widgets.Layout(align_items="center")),
            ]
        )

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._setting:
            return
        self.store.set("familiarity", change["new"])
        self.status.show(*practice_status(self.store, "saved"))

    def _on_clear(self, _button: Any = None) -> None:
        self._setting = True
        try:
            self.choice.value = None
        finally:
            self._setting = False
        self.store.set("familiarity", None)
        self.status.show(*practice_status(self.store, "cleared"))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
