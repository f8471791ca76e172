"""Checks on using the module (lesson 00): running a cell, where widget work is saved, what
the course material is.

Each ``check_...`` returns a :class:`course_lib.display.CheckResult` whose feedback names
the likely error without giving the answer away; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.display import CheckResult
from course_lib.exercises import check_quiz, normalise_choice, quiz_from_yaml

_SHORTCUT_HINTS = {
    "ctrl+enter": "Ctrl+Enter runs the cell but keeps you on it. Which one also moves on?",
    "cmd+enter": "Cmd+Enter runs the cell but keeps you on it. Which one also moves on?",
    "alt+enter": "Alt+Enter runs the cell and inserts a new empty cell below it. The question "
    "asks for the one that moves to the next existing cell.",
    "enter": "In command mode, Enter opens the cell for editing; it does not run it.",
}


def _shortcut(text: str) -> str:
    """``'Control - Return'`` -> ``'ctrl+enter'``."""
    text = text.replace("control", "ctrl").replace("command", "cmd").replace("return", "enter")
    return "+".join(text.replace("+", " ").replace("-", " ").split())


def check_run_shortcut(answer: Any) -> CheckResult:
    """Lesson 00: the key combination that runs a cell and moves to the next one."""
    title = "Running a cell"
    text = normalise_choice(answer)
    if text is None:
        return CheckResult(False, title, "Type your answer between the quotes, e.g. 'Ctrl+X'.")
    keys = _shortcut(text)
    if keys == "shift+enter":
        return CheckResult(True, title, "Shift+Enter runs the cell and moves to the next one.")
    hint = _SHORTCUT_HINTS.get(keys)
    return CheckResult(
        False, title, hint or "Not that one. Look at the table of shortcuts above and try again."
    )


SELF_CHECK_00 = quiz_from_yaml(
    """
id: self_check_00
title: Lesson 00 self-check
intro: Answer each question with the key of one option, e.g. `'b'`.
questions:
- id: q1
  prompt: Where is the work you enter in a widget saved?
  options:
    a: Inside the notebook file, with the cell outputs.
    b: In a small JSON file in the same folder as the notebook.
    c: On a course server, sent automatically.
  answer: b
  explanation: Each exercise writes a small JSON file next to the notebook on every change.
  feedback:
    a: 'Widget choices are not kept in the outputs: that is why clearing outputs or restarting the
      kernel does not lose them.'
    c: 'Nothing is sent anywhere: the module works offline and the file stays in your folder.'
- id: q2
  prompt: A save file gets damaged. What happens when you run the exercise's cell again?
  options:
    a: An error traceback appears and you must repair the file by hand.
    b: The file is renamed and kept, you see a message, and you start fresh.
    c: The file is silently deleted.
  answer: b
  explanation: The damaged file is moved aside with '.corrupt-' and a timestamp in its name.
  feedback:
    a: The module never shows a traceback for a bad save file.
    c: 'Nothing is deleted: the damaged file is kept so that nothing is lost for good.'
- id: q3
  prompt: 'The client cases and the marker rubric in this module are:'
  options:
    a: validated clinical assessment tools with published norms.
    b: practice material written for the course.
    c: transcripts of real therapy sessions.
  answer: b
  explanation: Every case is invented, and the rubric is a teaching scaffold, not a validated test.
  feedback:
    a: The rubric has no norms or reliability data; the lesson says so plainly.
    c: No real client appears anywhere in the module.
"""
)


def check_self_check_00(answers: Mapping[str, Any]) -> CheckResult:
    """Lesson 00 self-check."""
    return check_quiz(SELF_CHECK_00, answers)
