"""The grader's side of per-student variants (:mod:`course_lib.variants`).

**The salt record.** ``release`` records the course's salt instructor-side, in
``notebooks/course/keys/variant_salt.json`` (:func:`ensure_record`); a copy goes out as
``variant_salt.json`` next to every released notebook that uses variants. Grading reads the
record (or the file given with ``grade --variant-salt``), never a submission's copy, so a
student who edits theirs changes only what their own notebook showed.

**Each submission** is graded on its own variant, derived from the submission's folder name:
the grader sets that identity and the salt in the sandboxed kernel's environment (they win
over anything typed in the notebook), computes the expected values for that variant
(:func:`context_for`), grades a case question on that student's cases (:func:`for_student`)
and says so when an answer names cases outside the variant (:func:`outside_cases`): a
classmate's file or dict, or a notebook run under another student's id.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course_lib import paths
from course_lib.grading.spec import AssignmentSpec, NotebookSpec, Question
from course_lib.grading.verdict import CourseContext, QuestionResult
from course_lib.variants import (
    SALT_ENV,
    SALT_FILE,
    STUDENT_ENV,
    Variant,
    read_salt_file,
    variant_for,
)

RECORD = "variant_salt.json"
RELEASED_NOTE = (
    "Chooses which cases and data each student id gets. Editing this file changes only what "
    "your notebook shows: your work is graded on your own variant, with the instructor's copy."
)


class SaltMissing(RuntimeError):
    """A course that uses variants has no recorded salt to grade with."""


def record_path(course_src: Path | None = None) -> Path:
    """Where the course's salt is recorded (instructor-only: the keys folder)."""
    return (Path(course_src) if course_src else paths.course_dir()) / "keys" / RECORD


def ensure_record(path: Path, new: bool = False) -> tuple[str, str]:
    """The recorded salt, creating the record if there is none; and what was done.

    ``new=True`` starts a new cohort: a fresh salt replaces the record, and the old record
    is kept beside it as ``variant_salt.<created>.json`` (pass it to ``grade --variant-salt``
    to re-grade the earlier cohort).
    """
    path = Path(path)
    done = "kept"
    if path.exists():
        if not new:
            return read_salt_file(path), done
        old = json.loads(path.read_text(encoding="utf-8")).get("created", "earlier")
        path.rename(path.with_name(f"{path.stem}.{str(old).replace(':', '')}.json"))
        done = "replaced"
    else:
        done = "created"
    salt = secrets.token_hex(16)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"salt": salt, "created": created}, indent=1) + "\n")
    return salt, done


def write_released(folder: Path, salt: str) -> Path:
    """Write the students' copy of the salt into a released assignment folder."""
    path = Path(folder) / SALT_FILE
    path.write_text(json.dumps({"salt": salt, "note": RELEASED_NOTE}, indent=1) + "\n")
    return path


def uses_variants(spec: AssignmentSpec) -> bool:
    """True if any question of the assignment depends on the student's variant."""
    return any(q.variant for nb in spec.notebooks.values() for q in nb.questions.values())


def grading_salt(
    specs: Mapping[str, AssignmentSpec], given: str | None, record: Path
) -> str | None:
    """The salt to grade with: ``given``, else the record; ``None`` if no assignment needs one.

    Raises :class:`SaltMissing` (before anything is graded) when one is needed and there is none.
    """
    if given:
        return given
    if not any(uses_variants(s) for s in specs.values()):
        return None
    if not record.is_file():
        raise SaltMissing(
            f"no variant salt is recorded in {record}: release the assignments first "
            "(python -m course_lib release --out DIR records the salt your students' notebooks "
            "use), or give the record you released with: grade --variant-salt FILE"
        )
    return read_salt_file(record)


def kernel_env(student: str, salt: str | None) -> dict[str, str]:
    """Environment for the sandboxed kernel: who is graded, and the instructor's salt."""
    env = {STUDENT_ENV: student}
    if salt:
        env[SALT_ENV] = salt
    return env


def variant_of(student: str, spec: AssignmentSpec, salt: str | None) -> Variant | None:
    """The student's variant, if the assignment uses variants (and a salt is known)."""
    return variant_for(student, salt) if salt and uses_variants(spec) else None


def context_for(context: CourseContext, variant: Variant | None) -> CourseContext:
    """The references' view for one submission: the course's, plus the student's variant."""
    return dataclasses.replace(context, variant=variant)


def for_student(question: Question, variant: Variant | None, assignment: str) -> Question:
    """The question as this student is graded on it: a case question gets their cases."""
    if variant is None or question.variant != "cases":
        return question
    return question.model_copy(update={"cases": list(variant.cases(assignment))})


def _answered_cases(question: Question, folder: Path, payload: Any) -> set[str]:
    """Case ids the submission answered for a case question (file or captured dict)."""
    if question.answers_file is not None:
        from course_lib.answers import read_answers

        path = folder / question.answers_file
        if path.is_symlink() or not path.is_file():
            return set()
        try:
            return set(read_answers(path))
        except (ValueError, OSError):
            return set()
    value = payload.get("value") if isinstance(payload, dict) and payload.get("ok") else None
    return {str(k) for k in value} if isinstance(value, dict) else set()


def outside_cases(
    question: Question, variant: Variant | None, assignment: str, folder: Path, payload: Any
) -> list[str]:
    """Cases the answer names that are not in the student's case set (sorted)."""
    if variant is None or question.variant != "cases":
        return []
    return sorted(_answered_cases(question, folder, payload) - set(variant.cases(assignment)))


def explain_outside(
    gid: str, result: QuestionResult, outside: list[str]
) -> tuple[QuestionResult, str]:
    """The result with a line for the student, and the note for the grade's detail."""
    names = ", ".join(outside)
    line = (
        f"Your answer also names cases that are not in your case set ({names}); only your own "
        "cases were graded. Check the student id your notebook used."
    )
    note = (
        f"{gid}: answers cases outside this student's case set ({names}): another student's "
        "answers, or the notebook was run under another student id"
    )
    return dataclasses.replace(result, details=(*result.details, line)), note


def captured_values(
    nb_spec: NotebookSpec, answers: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The captured values of the questions whose answer is specific to the student's variant
    (a1's dataset values, a3's stances): what copy detection compares across students."""
    out: dict[str, Any] = {}
    for gid, question in nb_spec.questions.items():
        payload = answers.get(gid)
        if question.variant and question.hidden is None and payload and payload.get("ok"):
            out[gid] = payload.get("value")
    return out


def variant_labels(variant: Variant | None, assignments: Iterable[str]) -> dict[str, str]:
    """``{assignment: label}`` of what varies (empty without a variant)."""
    return {a: variant.label(a) for a in assignments} if variant else {}
