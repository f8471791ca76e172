"""Each graded submission's answers to its case questions, kept in ``OUT/case_answers.json``.

``grade`` records, for every notebook that ran (status ``graded`` or a limit), what the
student answered for each case of a case question, on the student's own cases (their
variant): Assignment 2's saved ratings and choices (read from the submitted answers file,
as the grader judged it) and Assignment 3's opening stances (the captured dict). The class
report (:mod:`course_lib.report`) reads this file, so it needs neither the submissions
folder nor a kernel. Answers for cases outside the student's set are left out (the grade's
``detail`` already names them); a case the student did not answer, or answered with a value
that is not one of the options, is absent.

A question is a case question when it reads an answers file (ratings and the three choices)
or is a ``choice_credit`` question whose reference is listed in :data:`CHOICE_REFERENCES`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_lib.answers import CHOICES, read_answers
from course_lib.grading.spec import Question

FILE = "case_answers.json"
FORMAT = "course-case-answers"
VERSION = 1
#: The key field a ``choice_credit`` question's reference judges, by reference name.
CHOICE_REFERENCES = {"opening_stances": "stance"}
RATINGS = "ratings"
EXPLANATION = (
    "Each graded submission's answers to its case questions, on the student's own cases "
    "(written by grade; read by report). Instructor-only: it sits beside the grades."
)


@dataclass(frozen=True)
class CaseAnswers:
    """One submission's answers to one case question."""

    student: str
    assignment: str
    notebook: str
    grade_id: str
    asks: tuple[str, ...]  # "ratings" and/or choice names ("band", "trait_or_state", "stance")
    cases: tuple[str, ...]  # the student's cases for this question (their variant)
    answers: dict[str, dict[str, Any]]  # case id -> {"ratings": {...}, "band": ..., ...}


def asks(question: Question) -> tuple[str, ...]:
    """What a case question asks per case (empty: not a case question)."""
    if question.answers_file is not None:
        return (RATINGS, *CHOICES)
    choice = CHOICE_REFERENCES.get(question.reference or "")
    if question.compare.kind == "choice_credit" and choice:
        return (choice,)
    return ()


def _choice(value: Any) -> str | None:
    """A captured choice as the grader reads it (trimmed, lower case); ``None`` if blank."""
    return (value.strip().lower() or None) if isinstance(value, str) else None


def collect(question: Question, folder: Path, payload: Any) -> dict[str, dict[str, Any]]:
    """The answers of one submission to one case question, restricted to ``question.cases``
    (which the grader has set to the student's own cases)."""
    cases = question.cases or []
    if question.answers_file is not None:
        path = folder / question.answers_file
        if path.is_symlink() or not path.is_file():
            return {}
        try:
            saved = read_answers(path)
        except (ValueError, OSError):
            return {}
        return {c: saved[c].to_json() for c in cases if c in saved}
    value = payload.get("value") if isinstance(payload, dict) and payload.get("ok") else None
    if not isinstance(value, dict):
        return {}
    name = asks(question)[0]
    out = {}
    for case_id in cases:
        choice = _choice(value.get(case_id))
        if choice in CHOICES[name]:
            out[case_id] = {name: choice}
    return out


def entry(
    student: str, assignment: str, notebook: str, gid: str, question: Question, answers: dict
) -> CaseAnswers:
    """A record for one submission's case question."""
    return CaseAnswers(
        student, assignment, notebook, gid, asks(question), tuple(question.cases or []), answers
    )


def write(path: Path, records: Iterable[CaseAnswers]) -> None:
    """Write ``OUT/case_answers.json``."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "explanation": EXPLANATION,
        "submissions": [
            {
                "student": r.student,
                "assignment": r.assignment,
                "notebook": r.notebook,
                "grade_id": r.grade_id,
                "asks": list(r.asks),
                "cases": list(r.cases),
                "answers": r.answers,
            }
            for r in records
        ],
    }
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def _record(raw: Mapping[str, Any]) -> CaseAnswers:
    answers = raw.get("answers")
    if not isinstance(answers, dict):
        raise ValueError("answers must be an object")
    return CaseAnswers(
        str(raw["student"]),
        str(raw["assignment"]),
        str(raw["notebook"]),
        str(raw["grade_id"]),
        tuple(str(a) for a in raw["asks"]),
        tuple(str(c) for c in raw["cases"]),
        {str(k): dict(v) for k, v in answers.items()},
    )


def load(path: Path) -> list[CaseAnswers]:
    """Read ``OUT/case_answers.json`` (raises ``ValueError`` saying what is wrong)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path} cannot be read ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file")
    if data.get("version") != VERSION:
        raise ValueError(f"{path}: unsupported version {data.get('version')!r}")
    try:
        return [_record(r) for r in data.get("submissions", [])]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{path}: a submission entry is malformed ({exc})") from None
