"""Verdicts, computed in the grading process only: captured answers against the key.

Nothing here runs in, or is reachable from, a student's kernel. A captured answer is plain
JSON; comparisons use exact rules with a tolerance, so objects that claim to equal anything
(``__eq__`` returning True) never reach this code.
"""

from __future__ import annotations

import builtins
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_lib.grading.case_credit import case_credit
from course_lib.grading.question_result import QuestionResult
from course_lib.grading.spec import Compare, Question

if TYPE_CHECKING:
    from course_lib.variants import Variant


@dataclass(frozen=True)
class CourseContext:
    """What reference functions may read: instructor keys, the course assets and, when
    grading one submission, that student's variant (:mod:`course_lib.variants`).

    ``reveal_keys`` (``grade --reveal-keys``, after the due date) lets Assignment 2's
    feedback state the key per case (:mod:`course_lib.grading.key_reveal`). It comes only
    from the instructor's command line: the context lives in the grading process and is
    never passed to a student's kernel.
    """

    keys_dir: Path
    assets: Path
    variant: Variant | None = None
    reveal_keys: bool = False


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _close(got: Any, want: Any, rule: Compare) -> bool:
    a, b = _number(got), _number(want)
    if a is None or b is None:
        return False
    if rule.relative:
        return math.isclose(a, b, rel_tol=rule.tol, abs_tol=0.0)
    return abs(a - b) <= rule.tol


def _norm_text(value: Any) -> str | None:
    return " ".join(value.lower().split()) if isinstance(value, str) else None


def compare_value(got: Any, want: Any, rule: Compare) -> float:
    """Fraction of credit (0-1) for one answer against one expected value."""
    if rule.kind == "number":
        return 1.0 if _close(got, want, rule) else 0.0
    if rule.kind == "numbers":
        if not isinstance(got, list) or not isinstance(want, list) or len(got) != len(want):
            return 0.0
        return 1.0 if all(_close(g, w, rule) for g, w in zip(got, want, strict=True)) else 0.0
    if rule.kind == "text":
        g = _norm_text(got)
        return 1.0 if g is not None and g == _norm_text(want) else 0.0
    if rule.kind == "choice_credit":
        judged = choice_credits(got, want) if isinstance(want, dict) and want else []
        return sum(c for _, c, _ in judged) / len(judged) if judged else 0.0
    if rule.kind == "response_credit":
        from course_lib.grading.response_verdicts import response_fraction

        return response_fraction(got, want)
    if rule.kind == "choice_map":
        if not isinstance(got, dict) or not isinstance(want, dict) or not want:
            return 0.0
        hits = sum(1 for k, w in want.items() if _norm_text(got.get(k)) == _norm_text(w))
        return hits / len(want)
    if rule.kind == "mapping":
        if not isinstance(got, dict) or not isinstance(want, dict) or set(got) != set(want):
            return 0.0
        ok = all(
            (w is None and g is None) or _close(g, w, rule)
            for k, w in want.items()
            for g in [got[k]]
        )
        return 1.0 if ok else 0.0
    raise ValueError(f"unknown comparison {rule.kind!r}")


def expected_values(question: Question, course: CourseContext) -> list[Any]:
    """The expected answer(s): one per hidden input, or a single one (whose reference is
    given the question's ``cases``, if it lists any)."""
    if question.reference is None:
        return list(question.expected) if question.hidden is not None else [question.expected]
    from course_lib.grading.references import REFERENCES

    function = REFERENCES[question.reference]
    inputs = question.hidden if question.hidden is not None else [question.cases]
    return [function(x, course=course) for x in inputs]


def error_kind(error: Any) -> str:
    """The exception's name if it is a built-in one, else "an error".

    The error text comes from the student's kernel, which student code controls: echoing it
    into feedback would let a submission smuggle hidden inputs (which its function receives)
    or anything else it read back to the student. Only a built-in exception name is shown.
    """
    name = error.split(":", 1)[0].strip() if isinstance(error, str) else ""
    known = getattr(builtins, name, None) if name.isidentifier() else None
    if isinstance(known, type) and issubclass(known, BaseException):
        return name
    return "an error"


def judge_capture(
    gid: str, question: Question, payload: dict[str, Any] | None, expected: list[Any]
) -> QuestionResult:
    """Judge a captured answer (``None``: the capture never ran, e.g. after a timeout)."""
    if payload is None:
        return QuestionResult(
            gid,
            0.0,
            "No answer was collected: the notebook stopped before this question's answer "
            "could be tested.",
        )
    if not payload.get("ok"):
        return QuestionResult(
            gid, 0.0, f"Your answer could not be collected ({error_kind(payload.get('error'))})."
        )
    if question.hidden is not None:
        calls = payload.get("calls")
        if not isinstance(calls, list) or len(calls) != len(expected):
            return QuestionResult(gid, 0.0, "Your function could not be tested.")
        scores = [
            compare_value(c.get("value"), want, question.compare)
            if isinstance(c, dict) and c.get("ok")
            else 0.0
            for c, want in zip(calls, expected, strict=True)
        ]
        fraction = sum(scores) / len(scores)
        passed = sum(1 for s in scores if s == 1.0)
        note = (
            f"Your function gave the right result on {passed} of {len(scores)} hidden test inputs."
        )
        return QuestionResult(
            gid, fraction, note if fraction == 1 else f"{note} {question.feedback}"
        )
    if question.compare.kind == "choice_credit":
        return judge_choice_credit(gid, question, payload.get("value"), expected[0])
    if question.compare.kind == "response_credit":
        from course_lib.grading.response_verdicts import judge_response_credit

        return judge_response_credit(gid, question, payload.get("value"), expected[0])
    fraction = compare_value(payload.get("value"), expected[0], question.compare)
    return QuestionResult(gid, fraction, "Correct." if fraction == 1 else question.feedback)


def choice_credits(got: Any, want: dict[str, Any]) -> list[tuple[str, float, str]]:
    """Per case of a ``choice_credit`` question: its title, credit (0-1) and verdict text.

    ``want`` maps case id -> ``{"title", "answer", "alternatives": [{"value", "credit",
    "reason"}]}``: the key's answer earns the case's whole share, a listed alternative its
    part (the text says why), anything else nothing.
    """
    got = got if isinstance(got, dict) else {}
    out = []
    for case_id, entry in want.items():
        value = got.get(case_id)
        value = value.strip().lower() if isinstance(value, str) else None
        alternatives = {a["value"]: a for a in entry.get("alternatives", [])}
        if not value:
            credit, text = 0.0, "not answered"
        elif value == entry["answer"]:
            credit, text = 1.0, "matched the key"
        elif value in alternatives:
            alt = alternatives[value]
            credit = float(alt["credit"])
            text = f"defensible, {credit:.0%} of its credit: {alt['reason']}"
        else:
            credit, text = 0.0, "did not match the key"
        out.append((str(entry.get("title", case_id)), credit, text))
    return out


def judge_choice_credit(
    gid: str, question: Question, got: Any, want: dict[str, Any]
) -> QuestionResult:
    """Judge one choice per case with partial credit for defensible alternatives.

    As in Assignment 2's feedback, "did not match" lets a student narrow the key down; the
    page is returned after grading (see docs/threat-model.md).
    """
    judged = choice_credits(got, want)
    fraction = sum(c for _, c, _ in judged) / len(judged) if judged else 0.0
    note = "Correct." if fraction == 1 else question.feedback
    return QuestionResult(gid, fraction, note, tuple(f"“{t}”: {text}." for t, _, text in judged))


def judge_answers_file(
    gid: str, question: Question, path: Path | None, course: CourseContext
) -> QuestionResult:
    """Judge case ratings saved by the case scorer, read by the grader from the submission.

    The feedback says per case what earned credit: the ratings' share, and whether the band,
    trait-or-state judgement and opening stance matched the expert key. It never states a
    key value, but it does let a student infer some: a matched choice confirms the key's
    value, "did not match" on trait or state (two values) implies the other one, and on band
    or stance (three values) leaves two. This is accepted: the page is returned after
    grading, it is what students need to learn from the cases (issue 8 asks for it), and
    the ratings themselves stay hidden (only their mean closeness is shown). The cost is
    that these cases' keys must be treated as known to anyone who received the feedback:
    see docs/threat-model.md (reusing the cases, and Assignment 3's stance question).
    With ``course.reveal_keys`` each case also gets its per-marker differences from the key
    and the key itself (:mod:`course_lib.grading.key_reveal`).
    """
    from course_lib.answers import read_answers
    from course_lib.content import load_case_key, load_rubric
    from course_lib.content.catalog import case_path, load_case
    from course_lib.grading.key_reveal import INTRO, revealed_line

    if path is None or not path.is_file():
        return QuestionResult(
            gid, 0.0, f"No saved ratings were submitted ({question.answers_file} is missing)."
        )
    try:
        answers = read_answers(path)
    except (ValueError, OSError):
        return QuestionResult(
            gid,
            0.0,
            f"Your saved ratings file ({question.answers_file}) could not be read, so no case "
            "could be graded; it may have been damaged or edited by hand. Talk to your "
            "instructor.",
        )
    rubric = load_rubric(course.assets)
    markers = rubric.marker_ids()
    scores, details = [], []
    for case_id in question.cases or []:
        case = load_case(case_path(case_id, course.assets), rubric)
        key = load_case_key(case, course.keys_dir / "cases", rubric)
        answer = answers.get(case_id)
        if answer is None:
            scores.append(0.0)
            details.append(f"“{case.title}”: not rated (case total 0.00 of 1).")
        else:
            credit = case_credit(answer, key, markers)
            scores.append(credit.total)
            details.append(f"“{case.title}”: {credit.describe()}.")
        if course.reveal_keys:
            details.append(revealed_line(case.title, answer, key, rubric))
    fraction = sum(scores) / len(scores) if scores else 0.0
    note = (
        f"Agreement with the expert key across {len(scores)} cases: {fraction:.0%} of the credit."
    )
    if course.reveal_keys:
        note = f"{note} {INTRO}"
    return QuestionResult(gid, fraction, note, tuple(details))
