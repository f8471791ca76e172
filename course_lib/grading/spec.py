"""Instructor-side grading specs (``notebooks/course/keys/<assignment>.yaml``).

A spec says, for each autograded grade cell (by ``grade_id``), how the student's answer is
obtained and how it is judged:

* ``capture``: a Python expression evaluated in the student's kernel right after that
  cell (e.g. ``alpha``). With ``hidden`` inputs, ``capture`` names a function of the
  student's that the grader calls once per hidden input (the hidden tests).
* ``answers_file``: the answer is read by the grader itself from a save file the student
  submitted (the case scorer's answers), never through the kernel.
* ``provides``: with ``hidden`` inputs, functions of the student's that are answers to
  earlier questions (e.g. ``reverse_keyed``) and that the grader replaces by correct
  stand-ins while this question's hidden inputs run (:mod:`course_lib.grading.provided`),
  so that no question's marks depend on another question's answer.
* ``variant``: the answer is specific to the student's variant (:mod:`course_lib.variants`):
  ``dataset`` (a value computed on the student's own a1 dataset; its reference reads the
  variant) or ``cases`` (the question is graded on the student's own case set, which the
  grader fills in as ``cases``; see :mod:`course_lib.grading.per_student`).

The expected answer is either a literal ``expected`` value or computed here, in the
grading process, by a named ``reference`` function in :mod:`course_lib.grading.references`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from course_lib.content.base import Identifier, Strict, Text
from course_lib.content.loader import load

GradeId = Identifier


def in_submission_folder(name: str) -> str:
    """``name`` if it is a plain relative path inside the submission folder, else ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or any(p.startswith(".") for p in path.parts):
        raise ValueError(
            f"{name!r} must be a relative path inside the submission folder, with no hidden "
            "or '..' part (the grader neither reads nor copies hidden files)"
        )
    return name


class Compare(Strict):
    """How a captured answer is compared with the expected one."""

    kind: Literal[
        "number", "numbers", "text", "choice_map", "choice_credit", "response_credit", "mapping"
    ] = "number"
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
    provides: list[Identifier] = Field(
        default_factory=list,
        description="earlier answers replaced by the grader's stand-ins during the hidden calls",
    )
    variant: Literal["dataset", "cases"] | None = Field(
        default=None, description="the answer depends on the student's variant (see above)"
    )

    @field_validator("answers_file")
    @classmethod
    def _answers_in_folder(cls, name: str | None) -> str | None:
        return None if name is None else in_submission_folder(name)

    @model_validator(mode="after")
    def _one_source(self) -> Question:
        if (self.capture is None) == (self.answers_file is None):
            raise ValueError("give exactly one of capture (from the kernel) or answers_file")
        if self.answers_file is not None and not self.cases and self.variant != "cases":
            raise ValueError("an answers_file question lists the cases it grades")
        if self.variant is not None and self.hidden is not None:
            raise ValueError(
                "a variant question is judged on the student's own data, not hidden inputs"
            )
        if self.variant == "dataset" and self.reference is None:
            raise ValueError("a dataset question's expected value is computed by a reference")
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
        if self.provides:
            from course_lib.grading.provided import PROVIDERS

            if self.hidden is None:
                raise ValueError("provides is only for a function tested on hidden inputs")
            unknown = [name for name in self.provides if name not in PROVIDERS]
            if unknown:
                raise ValueError(
                    f"no stand-in for {', '.join(unknown)} (known: {', '.join(PROVIDERS)})"
                )
        return self


class NotebookSpec(Strict):
    """The autograded questions of one notebook, by grade id."""

    questions: dict[GradeId, Question]

    @model_validator(mode="after")
    def _provided_are_other_answers(self) -> NotebookSpec:
        for gid, question in self.questions.items():
            captured = {q.capture for g, q in self.questions.items() if g != gid}
            stray = [name for name in question.provides if name not in captured]
            if stray:
                raise ValueError(
                    f"{gid}: provides {', '.join(stray)}, which no other question collects "
                    "(a stand-in may only replace another question's answer)"
                )
        return self

    def providers_of(self, gid: str) -> list[str]:
        """Grade ids of the questions whose answers ``gid``'s stand-ins replace."""
        names = set(self.questions[gid].provides)
        return [g for g, q in self.questions.items() if g != gid and q.capture in names]


class AssignmentSpec(Strict):
    """Grading spec of one assignment."""

    assignment: Identifier
    notebooks: dict[Identifier, NotebookSpec] = Field(min_length=1)
    extra_files: list[Text] = Field(
        default_factory=list,
        description="files from the submission folder copied into the sandbox (e.g. answers files)",
    )

    @field_validator("extra_files")
    @classmethod
    def _extra_in_folder(cls, names: list[str]) -> list[str]:
        return [in_submission_folder(name) for name in names]


def load_spec(path: Path) -> AssignmentSpec:
    """Load and validate one assignment's grading spec."""
    return load(path, AssignmentSpec)
