"""Instructor-side grading specs (``notebooks/course/keys/<assignment>.yaml``).

A spec says, for each autograded grade cell (by ``grade_id``), how the student's answer is
obtained and how it is judged:

* ``capture``: a Python expression evaluated in the student's kernel right after that
  cell (e.g. ``alpha``). With ``hidden`` inputs, ``capture`` names a function of the
  student's that the grader calls once per hidden input (the hidden tests).
* ``answers_file``: the answer is read by the grader itself from a save file the student
  submitted (the case scorer's answers), never through the kernel.

The expected answer is either a literal ``expected`` value or computed here, in the
grading process, by a named ``reference`` function in :mod:`course_lib.grading.references`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from course_lib.content.base import Identifier, Strict, Text
from course_lib.content.loader import load

GradeId = Identifier


class Compare(Strict):
    """How a captured answer is compared with the expected one."""

    kind: Literal["number", "numbers", "text", "choice_map", "mapping"] = "number"
    tol: float = Field(default=1e-6, ge=0)
    relative: bool = False


class Question(Strict):
    """One autograded question."""

    capture: Text | None = None
    hidden: list[Any] | None = None
    answers_file: Text | None = None
    cases: list[Identifier] | None = None
    expected: Any = None
    reference: Identifier | None = None
    compare: Compare = Compare()
    feedback: Text = "Compare your method with the lesson and try again."

    @model_validator(mode="after")
    def _one_source(self) -> Question:
        if (self.capture is None) == (self.answers_file is None):
            raise ValueError("give exactly one of capture (from the kernel) or answers_file")
        if self.answers_file is not None and not self.cases:
            raise ValueError("an answers_file question lists the cases it grades")
        if self.capture is not None and (self.expected is None) == (self.reference is None):
            raise ValueError("give exactly one of expected (a literal) or reference (computed)")
        if self.hidden is not None and len(self.hidden) == 0:
            raise ValueError("hidden must list at least one input")
        if (
            self.hidden is not None
            and self.expected is not None
            and (not isinstance(self.expected, list) or len(self.expected) != len(self.hidden))
        ):
            raise ValueError("with hidden inputs, expected must list one value per input")
        return self


class NotebookSpec(Strict):
    """The autograded questions of one notebook, by grade id."""

    questions: dict[GradeId, Question]


class AssignmentSpec(Strict):
    """Grading spec of one assignment."""

    assignment: Identifier
    notebooks: dict[Identifier, NotebookSpec] = Field(min_length=1)
    extra_files: list[Text] = Field(
        default_factory=list,
        description="files from the submission folder copied into the sandbox (e.g. answers files)",
    )


def load_spec(path: Path) -> AssignmentSpec:
    """Load and validate one assignment's grading spec."""
    return load(path, AssignmentSpec)
