"""Errors raised for bad content files: each names the file, the field and the problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in one content file."""

    file: Path
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.problem}"


class ContentError(ValueError):
    """A content file is malformed or invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: Path, field: str, problem: str) -> ContentError:
        """Build an error holding one problem."""
        return cls([Problem(Path(file), field, problem)])
