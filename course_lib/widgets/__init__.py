"""Interactive widgets for the lessons (ipywidgets), each a thin view over pure functions.

Submodules load on first use, so ``import course_lib.widgets`` stays cheap:
``from course_lib.widgets import CaseScorer``. The pure builders live in the submodules
(e.g. ``course_lib.widgets.feedback.feedback_html`` for the case scorer).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CaseScorer": "course_lib.widgets.case_scorer",
    "InventoryForm": "course_lib.widgets.inventory_form",
    "ResponsePractice": "course_lib.widgets.response_practice",
    "StanceExercise": "course_lib.widgets.stance",
    "TraitStatePair": "course_lib.widgets.trait_state_pair",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
