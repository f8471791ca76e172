"""The case scorer: rate a vignette on the marker rubric, commit, then compare with the expert.

A thin view over pure pieces: answers persist through :class:`course_lib.answers.AnswerStore`
(saved on every change, restored on re-run), the comparison is
:func:`course_lib.scoring.compare.compare_case`, the feedback is
:func:`course_lib.widgets.feedback.feedback_html` and the charts come from
:mod:`course_lib.plots.cases`. Checking a case locks it *before* anything is revealed.

In ``assignment_mode`` the scorer holds no keys at all: Check only locks the answers and
confirms they are saved for grading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from course_lib.answers import AnswerStore, CaseAnswer
from course_lib.content.rubric import LEVELS
from course_lib.display import chart_outputs
from course_lib.widgets.controls import (
    INPUT_CLASS,
    ChoiceGroup,
    FocusHeading,
    LiveMessage,
    button,
)
from course_lib.widgets.feedback import (
    TRAIT_STATE_LABELS,
    case_html,
    feedback_html,
    marker_note_html,
    missing_names,
    rating_echo_html,
    summary_html,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from course_lib.content.cases import Case, CaseKey
    from course_lib.content.rubric import Rubric
    from course_lib.scoring.compare import CaseComparison

DEFAULT_SAVE = "case_scorer.answers.json"


def html_output(html: str, text: str = "") -> dict[str, Any]:
    """One display_data output for an Output widget's ``outputs``."""
    return {
        "output_type": "display_data",
        "data": {"text/html": html, "text/plain": text or "HTML"},
        "metadata": {},
    }


def short_label(case: Case) -> str:
    """A compact case label for chart axes, e.g. ``p01 Marcus``."""
    return f"{case.id.split('-')[0]} {case.client.name.split()[0]}"


class CaseScorer:
    """Rate practice cases on the marker rubric, then check them against the expert key."""

    def __init__(
        self,
        cases: Sequence[Case],
        rubric: Rubric | None = None,
        save_path: Path | str = DEFAULT_SAVE,
        keys: Mapping[str, CaseKey] | None = None,
        *,
        assignment_mode: bool = False,
    ) -> None:
        from course_lib.content import load_case_key, load_rubric

        if not cases:
            raise ValueError("CaseScorer needs at least one case")
        self.rubric = rubric if rubric is not None else load_rubric()
        self.cases: dict[str, Case] = {c.id: c for c in cases}
        self.assignment_mode = assignment_mode
        self._keys: dict[str, CaseKey] = {}
        if assignment_mode:
            if keys:
                raise ValueError("assignment mode never holds answer keys; do not pass keys")
        else:
            self._keys = dict(keys or {})
            for case in cases:
                if case.id not in self._keys and case.key is not None:
                    self._keys[case.id] = load_case_key(case, rubric=self.rubric)
            lacking = [cid for cid in self.cases if cid not in self._keys]
            if lacking:
                raise ValueError(
                    f"no key for case(s) {', '.join(lacking)}: pass keys=..., or use "
                    "assignment_mode=True for graded cases"
                )
        self.store = AnswerStore(save_path)
        self.figures: dict[str, go.Figure] = {}
        self._loading = False
        self._build()
        if self.store.message:
            self.notice.show(self.store.message, "warn")
        self._show_case(self.case_id)
        self._refresh_summary()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.notice = LiveMessage()
        self.case_picker = widgets.Dropdown(
            options=[(f"{c.title} ({c.id})", c.id) for c in self.cases.values()],
            description="Case",
            tooltip="Choose the case to rate",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.case_picker.add_class(INPUT_CLASS)
        self.vignette = widgets.HTML(value="")
        self.rating_controls: dict[str, ChoiceGroup] = {}
        self.rating_echoes: dict[str, widgets.HTML] = {}
        rating_rows: list[widgets.Widget] = []
        pole = None
        for marker in self.rubric.markers:
            if marker.pole != pole:
                pole = marker.pole
                rating_rows.append(widgets.HTML(f"<h4>{escape(pole.capitalize())} markers</h4>"))
            control = ChoiceGroup(
                [(str(level), level) for level in LEVELS],
                description=marker.name,
                hints=[f"{level}: {marker.levels[level]}" for level in LEVELS],
                label_width="17em",
            )
            echo = widgets.HTML(rating_echo_html(marker, None))
            self.rating_echoes[marker.id] = echo
            control.observe(self._rating_changed(marker.id), names="value")
            control.observe(
                lambda change, m=marker, e=echo: setattr(
                    e, "value", rating_echo_html(m, change["new"])
                ),
                names="value",
            )
            self.rating_controls[marker.id] = control
            rating_rows += [control, echo, widgets.HTML(marker_note_html(marker))]
        bands = sorted(self.rubric.placement.bands, key=lambda b: b.lower)
        self.band = self._choices("Band", [(b.label, b.id) for b in bands])
        self.trait_state = self._choices(
            "Trait or state", [(label, value) for value, label in TRAIT_STATE_LABELS.items()]
        )
        self.stance = self._choices("Opening stance", [(s.label, s.id) for s in self.rubric.stances])
        for name, control in (
            ("band", self.band),
            ("trait_or_state", self.trait_state),
            ("stance", self.stance),
        ):
            control.observe(self._choice_changed(name), names="value")
        stance_notes = "".join(
            f"<li><strong>{escape(s.label)}</strong>: {escape(s.description)}</li>"
            for s in self.rubric.stances
        )
        self.check_button = button(
            description="Check my answers",
            tooltip=(
                "Lock this case's answers and save them for grading"
                if self.assignment_mode
                else "Lock this case's answers and compare them with the expert's"
            ),
            icon="check",
            button_style="primary",
            layout=widgets.Layout(width="auto", flex="0 0 auto"),
        )
        self.check_button.on_click(self._on_check)
        self.status = LiveMessage(layout=widgets.Layout(margin="0 0 0 12px", flex="1 1 auto"))
        self.feedback_heading = FocusHeading()
        self.feedback = widgets.Output()
        self.summary = widgets.Output()
        self.widget = widgets.VBox(
            [
                self.notice,
                self.case_picker,
                self.vignette,
                widgets.HTML("<h4>Rate each marker (0 = absent, 3 = strong)</h4>"),
                *rating_rows,
                widgets.HTML("<h4>Your judgement</h4>"),
                self.band,
                self.trait_state,
                self.stance,
                widgets.HTML(f"<ul style='font-size:90%'>{stance_notes}</ul>"),
                widgets.HBox(
                    [self.check_button, self.status],
                    layout=widgets.Layout(align_items="center"),
                ),
                self.feedback_heading,
                self.feedback,
                self.summary,
            ]
        )
        self.case_picker.observe(lambda change: self._show_case(change["new"]), names="value")

    @staticmethod
    def _choices(description: str, options: list[tuple[str, str]]) -> ChoiceGroup:
        return ChoiceGroup(options, description=description, orientation="vertical")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ state
    @property
    def case_id(self) -> str:
        """The id of the case on screen."""
        return self.case_picker.value

    def _controls(self) -> list[ChoiceGroup]:
        return [*self.rating_controls.values(), self.band, self.trait_state, self.stance]

    def _set_status(self, text: str, kind: str = "info") -> None:
        """The message beside the Check button (announced to screen readers)."""
        self.status.show(text, kind)

    def _set_locked(self, locked: bool) -> None:
        for control in self._controls():
            control.disabled = locked
        self.check_button.disabled = locked

    def _show_case(self, case_id: str) -> None:
        answer = self.store.get(case_id)
        self._loading = True
        try:
            for marker_id, control in self.rating_controls.items():
                control.value = answer.ratings.get(marker_id)
            for control, value in (
                (self.band, answer.band),
                (self.trait_state, answer.trait_or_state),
                (self.stance, answer.stance),
            ):
                control.value = value if value in {v for _, v in control.options} else None
        finally:
            self._loading = False
        case = self.cases[case_id]
        self.vignette.value = case_html(case)
        for control in self._controls():
            control.context = f"case {short_label(case)}"
        self._set_locked(answer.checked)
        self.feedback.outputs = ()
        self.feedback_heading.text = ""
        if not answer.checked:
            self._set_status("")
        elif self.assignment_mode:
            self._set_status(self._saved_for_grading(), "ok")
        else:
            self._set_status("This case is checked: your answers are locked.", "ok")
            self._show_feedback(case_id)

    def _saved_for_grading(self) -> str:
        return (
            f"Saved for grading: your answers for this case are locked in {self.store.path.name}. "
            "Feedback comes with your graded assignment."
        )

    def _save(self, action: Any) -> None:
        if self._loading:
            return
        try:
            action()
        except PermissionError:
            self._show_case(self.case_id)  # a checked case: put the saved answers back
            self._set_status("This case is checked; its answers can no longer change.", "warn")
        except OSError as exc:
            self._set_status(f"Your answer could not be saved ({exc}).", "error")
        else:
            if self.status.text:
                self._set_status("")

    def _rating_changed(self, marker_id: str) -> Any:
        def handler(change: dict[str, Any]) -> None:
            self._save(lambda: self.store.set_rating(self.case_id, marker_id, change["new"]))

        return handler

    def _choice_changed(self, name: str) -> Any:
        def handler(change: dict[str, Any]) -> None:
            self._save(lambda: self.store.set_choice(self.case_id, name, change["new"]))

        return handler

    # ------------------------------------------------------------------ checking
    def _on_check(self, _button: Any = None) -> None:
        case_id = self.case_id
        answer = self.store.get(case_id)
        if answer.checked:
            self._set_status("This case is already checked.", "info")
            return
        gaps = missing_names(answer, self.rubric)
        if gaps:
            self._set_status(
                f"Not checked yet. Please answer these first: {', '.join(gaps)}. "
                "Nothing has been locked.",
                "warn",
            )
            return
        try:
            self.store.lock(case_id)
        except OSError as exc:
            self._set_status(
                f"Your answers could not be saved, so nothing was locked ({exc}).", "error"
            )
            return
        self._set_locked(True)
        if self.assignment_mode:
            self._set_status(self._saved_for_grading(), "ok")
            self.status.focus()  # the button is now disabled: keep the student's place
            return
        self._set_status("Checked: your answers are locked. The expert's key is shown below.", "ok")
        self._show_feedback(case_id)
        self._refresh_summary()
        self.feedback_heading.focus()

    def comparison(self, case_id: str) -> CaseComparison:
        """Compare the saved answers for one case with its key (practice mode only)."""
        if self.assignment_mode:
            raise RuntimeError("assignment mode holds no keys")
        from course_lib.scoring.compare import compare_case  # practice only: graded runs lack it

        return compare_case(case_id, self.store.get(case_id), self._keys[case_id], self.rubric)

    def comparisons(self) -> list[CaseComparison]:
        """Comparisons for every checked case, in case order (empty in assignment mode)."""
        if self.assignment_mode:
            return []
        return [self.comparison(cid) for cid in self.cases if self.store.get(cid).checked]

    def _show_feedback(self, case_id: str) -> None:
        from course_lib.plots.cases import marker_comparison_figure, spectrum_figure

        comparison = self.comparison(case_id)
        answer: CaseAnswer = self.store.get(case_id)
        case = self.cases[case_id]
        placements = [("Expert", comparison.expert)]
        if comparison.student is not None:
            placements.insert(0, ("You", comparison.student))
        self.figures["spectrum"] = spectrum_figure(
            placements, rubric=self.rubric, title=f"Where the ratings place {case.client.name}"
        )
        self.figures["markers"] = marker_comparison_figure(
            comparison, rubric=self.rubric, title=f"Your ratings and the expert's: {case.title}"
        )
        self.feedback_heading.text = f"Feedback on {case.title}"
        self.feedback.outputs = (
            html_output(feedback_html(comparison, self.rubric, answer), "Feedback"),
            *chart_outputs(self.figures["spectrum"]),
            *chart_outputs(self.figures["markers"]),
        )

    def _refresh_summary(self) -> None:
        if self.assignment_mode:
            self.summary.outputs = ()
            return
        # Practice mode only: a graded run has no course_lib.scoring (see grading.withheld).
        from course_lib.plots.cases import agreement_summary_figure
        from course_lib.scoring.compare import summarize

        comparisons = self.comparisons()
        summary = summarize(comparisons)
        outputs = [html_output(summary_html(summary), "Running summary")]
        if comparisons:
            labels = {cid: short_label(case) for cid, case in self.cases.items()}
            self.figures["agreement"] = agreement_summary_figure(
                comparisons, summary, labels=labels
            )
            outputs += chart_outputs(self.figures["agreement"])
        self.summary.outputs = tuple(outputs)
