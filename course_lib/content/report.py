"""What validation found for one kind of content, and how one file is counted in it.

Shared by :mod:`course_lib.content.validate` and the checks it delegates to (responses,
notebooks), which is why it sits below them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.content.errors import ContentError, Problem


@dataclass
class KindReport:
    """What validation found for one kind of content."""

    kind: str
    checked: int = 0
    valid: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``cases: 20 checked, 20 valid``."""
        bad = self.checked - self.valid
        tail = f", {bad} with problems" if bad else ""
        return f"{self.kind}: {self.checked} checked, {self.valid} valid{tail}"

def check_one(report: KindReport, path: Path, fn: Callable[[], object]) -> object | None:
    """Count one file in ``report``: ``fn()`` loads it; its problems are kept, never raised."""
    report.checked += 1
    try:
        result = fn()
    except ContentError as exc:
        report.problems.extend(exc.problems)
        return None
    report.valid += 1
    return result
