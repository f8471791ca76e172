"""Response practice: pick a moment, commit to one response, then see feedback on every option.

A thin view over pure pieces: the moments come from :mod:`course_lib.content.responses`,
answers persist through :class:`course_lib.exercises.responses.ResponseStore` (saved on
every change, restored on re-run) and the HTML comes from
:mod:`course_lib.widgets.response_html`. Committing locks the choice *before* any verdict
is shown, as in the case scorer. Moments with a writing prompt also have a text box whose
answer is saved (and stays editable).

Both poles' widgets in lesson 06 share one save file, so they share one store
(:func:`lesson_store`): two stores on one file would overwrite each other's answers.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from course_lib.content.responses import POLES, LessonMoments, Moment, load_lesson_moments
from course_lib.exercises.responses import ResponseStore
from course_lib.widgets.controls import (
    INPUT_CLASS,
    ChoiceGroup,
    FocusHeading,
    LiveMessage,
    button,
)
from course_lib.widgets.response_html import feedback_html, moment_html, progress_text

DEFAULT_FILE = "lesson06.answers.json"
KIND = "lesson06"
_STORES: dict[Path, ResponseStore] = {}


def lesson_store(path: Path | str = DEFAULT_FILE) -> ResponseStore:
    """The one store for lesson 06's save file at ``path`` (both poles' moments)."""
    resolved = Path(path).resolve()
    store = _STORES.get(resolved)
    if store is None:
        allowed = {
            m.id: [o.id for o in m.options]
            for pole in POLES
            for m in load_lesson_moments(pole).moments
        }
        store = _STORES[resolved] = ResponseStore(path, KIND, allowed)
    return store


def choice_label(moment: Moment, option_id: str) -> str:
    """An option as the radio button shows it: ``(a) "..."``."""
    return f"({option_id}) {moment.option(option_id).text}"


class ResponsePractice:
    """Practise what to say at one pole (display it as a cell's result)."""

    def __init__(
        self,
        pole: str,
        moments: LessonMoments | None = None,
        path: Path | str = DEFAULT_FILE,
        store: ResponseStore | None = None,
    ) -> None:
        self.set = moments if moments is not None else load_lesson_moments(pole)
        if self.set.pole != pole:
            raise ValueError(f"these moments are for the {self.set.pole} pole, not {pole}")
        self.pole = pole
        self.moments = {m.id: m for m in self.set.moments}
        self.store = store if store is not None else lesson_store(path)
        unknown = [mid for mid in self.moments if mid not in self.store.allowed]
        if unknown:
            raise ValueError(f"the save file does not cover moments {', '.join(unknown)}")
        self._build()
        if self.store.message:
            self.notice.show(self.store.message, "warn")
        self._show(self.moment_id)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.notice = LiveMessage()
        self.picker = widgets.Dropdown(
            options=[
                (f"{i}. {m.title} ({m.kind_label})", m.id)
                for i, m in enumerate(self.set.moments, 1)
            ],
            description="Moment",
            tooltip="Choose the moment to practise",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.moment_view = widgets.HTML()
        self.groups: dict[str, ChoiceGroup] = {}
        for moment in self.set.moments:
            saved = self.store.get(moment.id)
            group = ChoiceGroup(
                [(choice_label(moment, o.id), o.id) for o in moment.options],
                saved.choice,
                description="Choose a response",
                context=f"moment: {moment.title}",
                orientation="vertical",
                disabled=saved.committed,
            )
            group.observe(self._chosen(moment.id), names="value")
            self.groups[moment.id] = group
        self.choice_box = widgets.Box()
        self.commit_button = button(
            description="Commit my response",
            tooltip="Lock your choice for this moment, then see feedback on every response",
            icon="check",
            button_style="primary",
            layout=widgets.Layout(width="auto", flex="0 0 auto"),
        )
        self.commit_button.on_click(self._on_commit)
        self.status = LiveMessage(layout=widgets.Layout(margin="0 0 0 12px", flex="1 1 auto"))
        self.feedback_heading = FocusHeading()
        self.feedback = widgets.HTML()
        self.prompt = widgets.HTML()
        self.writing = widgets.Textarea(
            description="Your own response",
            placeholder="Write what you would say, in your own words.",
            continuous_update=False,
            layout=widgets.Layout(width="95%", height="7em"),
            style={"description_width": "initial"},
        )
        for field in (self.picker, self.writing):
            field.add_class(INPUT_CLASS)
        self.writing.observe(lambda change: self._save_writing(quiet=True), names="value")
        self.save_button = button(
            description="Save my written response",
            tooltip=f"Save what you wrote to {self.store.path.name}",
            icon="save",
            layout=widgets.Layout(width="auto", flex="0 0 auto"),
        )
        self.save_button.on_click(lambda _b: self._save_writing(quiet=False))
        self.save_status = LiveMessage(layout=widgets.Layout(margin="0 0 0 12px"))
        row = widgets.Layout(align_items="center")
        self.writing_box = widgets.VBox(
            [
                self.prompt,
                self.writing,
                widgets.HBox([self.save_button, self.save_status], layout=row),
            ]
        )
        self.progress = widgets.HTML()
        intro = widgets.HTML(
            f"<p><em>{escape(self.set.notice)} Committing locks your choice before any "
            f"feedback is shown. Your choices and writing are saved to "
            f"{escape(self.store.path.name)} on every change.</em></p>"
        )
        self.widget = widgets.VBox(
            [
                self.notice,
                intro,
                self.picker,
                self.moment_view,
                self.writing_box,
                self.choice_box,
                widgets.HBox([self.commit_button, self.status], layout=row),
                self.feedback_heading,
                self.feedback,
                self.progress,
            ]
        )
        self.picker.observe(lambda change: self._show(change["new"]), names="value")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ state
    @property
    def moment_id(self) -> str:
        """The id of the moment on screen."""
        return self.picker.value

    def committed(self) -> dict[str, str]:
        """Moment id -> the committed option, for this pole's committed moments."""
        out = {}
        for mid in self.moments:
            answer = self.store.get(mid)
            if answer.committed and answer.choice is not None:
                out[mid] = answer.choice
        return out

    def _show(self, moment_id: str) -> None:
        moment = self.moments[moment_id]
        answer = self.store.get(moment_id)
        number = list(self.moments).index(moment_id) + 1
        self.moment_view.value = moment_html(moment, number)
        self.choice_box.children = (self.groups[moment_id],)
        self.commit_button.disabled = answer.committed
        if moment.write_prompt:
            self.prompt.value = (
                f"<p><strong>Write your own response first.</strong> "
                f"{escape(moment.write_prompt)}</p>"
            )
            self.writing.value = answer.written
            self.writing_box.layout.display = None
        else:
            self.writing_box.layout.display = "none"
        self.save_status.show("")
        if answer.committed:
            self.status.show("This moment is committed: your choice is locked.", "ok")
            self._show_feedback(moment_id)
        else:
            self.status.show("")
            self.feedback_heading.text = ""
            self.feedback.value = ""
        self.progress.value = f"<p>{escape(progress_text(self.set.moments, self.committed()))}</p>"

    def _chosen(self, moment_id: str) -> Any:
        def handler(change: dict[str, Any]) -> None:
            try:
                self.store.choose(moment_id, change["new"])
            except PermissionError:
                self.groups[moment_id].value = self.store.get(moment_id).choice
                self.status.show(
                    "This moment is committed; its choice can no longer change.", "warn"
                )
            except OSError as exc:
                self.status.show(f"Your choice could not be saved ({exc}).", "error")

        return handler

    def _on_commit(self, _button: Any = None) -> None:
        moment_id = self.moment_id
        answer = self.store.get(moment_id)
        if answer.committed:
            self.status.show("This moment is already committed.", "info")
            return
        if answer.choice is None:
            self.status.show("Choose a response first. Nothing has been locked.", "warn")
            return
        try:
            self.store.commit(moment_id)
        except OSError as exc:
            self.status.show(
                f"Your choice could not be saved, so nothing was locked ({exc}).", "error"
            )
            return
        self.groups[moment_id].disabled = True
        self.commit_button.disabled = True
        self.status.show(
            "Committed: your choice is locked. Feedback on every response is below.", "ok"
        )
        self._show_feedback(moment_id)
        self.progress.value = f"<p>{escape(progress_text(self.set.moments, self.committed()))}</p>"
        self.feedback_heading.focus()

    def _show_feedback(self, moment_id: str) -> None:
        moment = self.moments[moment_id]
        self.feedback_heading.text = f"Feedback on every response: {moment.title}"
        self.feedback.value = feedback_html(moment, self.store.get(moment_id).choice)

    def _save_writing(self, quiet: bool) -> None:
        moment_id = self.moment_id
        text = self.writing.value
        if not self.moments[moment_id].write_prompt:
            return
        if quiet and text == self.store.get(moment_id).written:
            return
        try:
            self.store.write(moment_id, text)
        except (ValueError, OSError) as exc:
            self.save_status.show(f"Your response could not be saved ({exc}).", "error")
            return
        self.save_status.show(f"Saved to {self.store.path.name}.", "ok")
