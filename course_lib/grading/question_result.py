"""The outcome of one autograded question: what the verdict, the CSVs and the feedback share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionResult:
    """The outcome of one autograded question."""

    grade_id: str
    fraction: float
    feedback: str
    details: tuple[str, ...] = ()  # shown as a list under the feedback (e.g. one per case)
