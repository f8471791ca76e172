"""Refuse nbgrader's own autograde and feedback in a folder graded by ``course_lib grade``.

Why refuse: OUT is an nbgrader course folder so that formgrader can show submissions for
manual grading, but its grades come from the course's pipeline (a sandbox per submission,
answers judged outside the student's kernel). Stock ``nbgrader autograde`` would run
student code unsandboxed and score it by its own rules (a check cell's "[FAIL]" text output
counts as full credit), and ``generate_feedback`` would replace the course's feedback pages.

Why a patch and not a config option: nbgrader runs nothing configurable early enough. With
``force`` (formgrader always passes it) ``BaseConverter.init_destination`` deletes
``autograded/<student>/<assignment>`` (or ``feedback/...``) before any pre-convert hook or
preprocessor runs, and ``Autograde.init_assignment`` writes to the gradebook. So the
folder's ``nbgrader_config.py`` calls ``install``, which wraps ``Autograde.start`` and
``GenerateFeedback.start``: for a registered folder they log a message naming the course's
command and raise ``NbGraderException`` before reading or writing anything; for any other
folder they run unchanged. Every nbgrader entry point to these converters goes through
``start``: ``nbgrader autograde``, ``nbgrader generate_feedback`` (and its old name
``feedback``), and ``NbGraderAPI.autograde`` / ``generate_feedback``, which formgrader's
Autograde and Generate Feedback buttons call.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from nbgrader.converters import Autograde, GenerateFeedback, NbGraderException

GRADE_COMMAND = "python -m course_lib grade SUBMISSIONS --out {root}"
MESSAGES = {
    Autograde: (
        "nbgrader autograde is switched off in {root}: this folder is graded by the course's "
        "own pipeline, which runs each submission in a sandbox and judges answers outside the "
        "student's kernel (nbgrader's autograder would run student code unsandboxed and "
        "score it differently). To grade or re-grade, run: " + GRADE_COMMAND
    ),
    GenerateFeedback: (
        "nbgrader generate_feedback is switched off in {root}: the feedback pages in "
        "feedback/ are written by the course's own pipeline, with the manual grades from "
        "formgrader. To update them after manual grading, run: " + GRADE_COMMAND
    ),
}
EXPORT_PLUGIN = "course_lib.grading.nbgrader_export.CourseExportPlugin"

_guarded_roots: set[str] = set()
_patched: set[type] = set()


def is_guarded(root: str) -> bool:
    """True if ``root`` is a course folder whose config installed the guard."""
    return os.path.realpath(root) in _guarded_roots


def _refusing(original: Callable[[Any], None], message: str) -> Callable[[Any], None]:
    @functools.wraps(original)
    def start(self: Any) -> None:
        root = self.coursedir.root if self.coursedir is not None else os.getcwd()
        if is_guarded(root):
            text = message.format(root=root)
            self.log.error(text)
            raise NbGraderException(text)
        original(self)

    return start


def install(config: Any, root: str) -> None:
    """Guard the course folder ``root`` (called by its ``nbgrader_config.py``; idempotent)
    and select the course's export plugin in ``config``."""
    _guarded_roots.add(os.path.realpath(root))
    for cls, message in MESSAGES.items():
        if cls not in _patched:
            cls.start = _refusing(cls.start, message)
            _patched.add(cls)
    config.ExportApp.plugin_class = EXPORT_PLUGIN
