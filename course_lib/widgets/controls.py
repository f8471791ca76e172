"""Accessible controls for the course's widgets: a choice group, a live message, a heading.

They replace ipywidgets' ``ToggleButtons`` and ``RadioButtons`` for every choice a student
makes, for two reasons found in JupyterLab:

* ``ToggleButtons`` apply ``disabled`` only when their buttons are rebuilt, which happens
  only when the option labels change. A group first drawn locked (a checked case) stayed
  locked after the Python side unlocked it for the next case, so after a kernel restart no
  other case could be rated.
* Neither gives a group an accessible name, one tab stop with arrow keys inside it, or a
  visible focus ring.

:class:`ChoiceGroup` is a ``fieldset`` of native radio inputs (one tab stop, arrow keys,
checked state announced), named by its legend plus an optional screen-reader context (for
example the case), and re-renders ``disabled``, ``value`` and ``options`` whenever they
change. :class:`LiveMessage` is a persistent ``role="status"`` region (a symbol and a word,
never colour alone) that can take keyboard focus; :class:`FocusHeading` is a heading that
focus can be moved to when new content appears below it. Each is an ``anywidget`` view;
its JavaScript and CSS live in ``course_lib/widgets/static/``. :class:`Slider` is a
labelled native range input, in place of ipywidgets' unnamed ``IntSlider`` handle.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

STATIC = Path(__file__).parent / "static"
KINDS = ("info", "warn", "ok", "error")
BUTTON_CLASS = "course-button"  # controls.css gives it a 3 px focus ring
INPUT_CLASS = "course-input"  # the same ring for ipywidgets' Dropdown and Textarea


def button(description: str, tooltip: str, **kwargs: Any) -> widgets.Button:
    """An ipywidgets ``Button`` with the course's visible focus ring (its name is its text)."""
    made = widgets.Button(description=description, tooltip=tooltip, **kwargs)
    made.add_class(BUTTON_CLASS)
    return made


def _option_dicts(options: Sequence[Any], hints: Sequence[str] | None) -> list[dict[str, Any]]:
    """``[(label, value), ...]`` (or bare values) as the JSON the view draws."""
    out = []
    for i, option in enumerate(options):
        label, value = option if isinstance(option, tuple | list) else (str(option), option)
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise TypeError(f"option values must be str or int (got {value!r})")
        hint = hints[i] if hints is not None and i < len(hints) else ""
        out.append({"label": str(label), "value": value, "hint": hint})
    values = [o["value"] for o in out]
    if len(set(values)) != len(values):
        raise ValueError(f"option values must be unique (got {values})")
    return out


class ChoiceGroup(anywidget.AnyWidget):
    """One choice from a few options, as a named group of radio inputs.

    ``options`` are ``(label, value)`` pairs (values ``str`` or ``int``), ``value`` is the
    chosen value or ``None``; ``description`` is the visible group name and ``context`` is
    added for screen readers only (``"case p01"``). ``hints`` become each option's tooltip
    and accessible description. Observe ``value`` as with any ipywidgets control.
    """

    _esm = STATIC / "choice_group.js"
    _css = STATIC / "controls.css"

    description = traitlets.Unicode("").tag(sync=True)
    context = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    orientation = traitlets.Enum(["horizontal", "vertical"], "horizontal").tag(sync=True)
    label_width = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Union(
        [traitlets.Unicode(), traitlets.Int()], default_value=None, allow_none=True
    ).tag(sync=True)
    _options = traitlets.List(traitlets.Dict()).tag(sync=True)

    def __init__(
        self,
        options: Sequence[Any],
        value: str | int | None = None,
        *,
        hints: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(_options=_option_dicts(options, hints), **kwargs)
        self.value = value

    @property
    def options(self) -> list[tuple[str, str | int]]:
        """The ``(label, value)`` pairs, in order."""
        return [(o["label"], o["value"]) for o in self._options]

    @property
    def label(self) -> str | None:
        """The label of the chosen option (``None`` when nothing is chosen)."""
        return next((o["label"] for o in self._options if o["value"] == self.value), None)

    @traitlets.validate("value")
    def _valid_value(self, proposal: dict[str, Any]) -> Any:
        value = proposal["value"]
        if value is not None and value not in [o["value"] for o in self._options]:
            raise traitlets.TraitError(f"{value!r} is not one of this group's options")
        return value


class Slider(anywidget.AnyWidget):
    """An integer slider drawn as a labelled native range input.

    ipywidgets' ``IntSlider`` draws a handle with ``role="slider"`` but no accessible name
    (axe-core: ``aria-input-field-name``); a ``<label>`` tied to an ``<input type="range">``
    has one, and the browser gives it the arrow, Page, Home and End keys. The value reaches
    Python when the student lets go (as ``continuous_update=False``).
    """

    _esm = STATIC / "slider.js"
    _css = STATIC / "controls.css"

    description = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    label_width = traitlets.Unicode("").tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(10).tag(sync=True)
    step = traitlets.Int(1, min=1).tag(sync=True)
    value = traitlets.Int(0).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("value")
    def _clamp(self, proposal: dict[str, Any]) -> int:
        return max(self.min, min(self.max, int(proposal["value"])))


class LiveMessage(anywidget.AnyWidget):
    """A status line read out by screen readers when it changes; it can take focus.

    Call :meth:`show` (the same text twice is announced twice); ``kind`` is one of
    ``info``, ``warn``, ``ok`` or ``error`` and is shown as a symbol and a word.
    """

    _esm = STATIC / "live_message.js"
    _css = STATIC / "controls.css"

    text = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Enum(list(KINDS), "info").tag(sync=True)
    serial = traitlets.Int(0).tag(sync=True)
    #: Announce without showing (for a read-out that is already on screen in full).
    screen_reader_only = traitlets.Bool(False).tag(sync=True)

    def show(self, text: str, kind: str = "info") -> None:
        """Show (and announce) ``text``; an empty text clears the line."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        with self.hold_sync():
            self.text = text
            self.kind = kind
            self.serial += 1


class FocusHeading(anywidget.AnyWidget):
    """A heading over content that appears later; ``focus()`` moves keyboard focus to it.

    It is hidden while ``text`` is empty.
    """

    _esm = STATIC / "focus_heading.js"
    _css = STATIC / "controls.css"

    text = traitlets.Unicode("").tag(sync=True)
    level = traitlets.Int(4, min=2, max=6).tag(sync=True)
