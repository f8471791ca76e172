"""Course content as validated data: the marker rubric, the cases, the practice inventory.

``load_rubric()``, ``load_cases()`` and ``load_inventory()`` read from ``assets/``;
``load_case_key()`` reads an instructor-side key. Each raises :class:`ContentError`
naming the file, field and problem.
"""

from course_lib.content.catalog import (
    case_path,
    load_case,
    load_case_key,
    load_cases,
    load_inventory,
    load_rubric,
)
from course_lib.content.errors import ContentError, Problem

__all__ = [
    "ContentError",
    "Problem",
    "case_path",
    "load_case",
    "load_case_key",
    "load_cases",
    "load_inventory",
    "load_rubric",
]
