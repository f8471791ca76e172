"""The ``response_credit`` comparison: one chosen response per moment against the key's verdicts.

Computed in the grading process only (never in a student's kernel). The expected value is
built by the reference :func:`course_lib.grading.references.response_verdicts` from the
instructor-side key: moment id -> ``{"title", "options": {option id: {"verdict",
"credit", "feedback"}}}``. The best option earns the moment's whole share, an acceptable
one half, a poor one nothing.

The feedback page says, per moment, which option the student chose, its verdict and the
key's feedback on that option. That returns part of the key to the student after grading,
by design (as Assignment 2's per-case feedback does): see docs/threat-model.md.
"""

from __future__ import annotations

from typing import Any

from course_lib.grading.question_result import QuestionResult
from course_lib.grading.spec import Question

CREDIT_WORDS = {1.0: "full credit", 0.5: "half credit", 0.0: "no credit"}


def _choice(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().strip("()").strip().lower()
    return text or None


def response_credits(got: Any, want: dict[str, Any]) -> list[tuple[str, float, str]]:
    """Per moment: its title, the credit (0-1) and what the feedback page says."""
    got = got if isinstance(got, dict) else {}
    out = []
    for moment_id, entry in want.items():
        choice = _choice(got.get(moment_id))
        options = entry["options"]
        if choice is None:
            credit, text = 0.0, "not answered (no credit)"
        elif choice not in options:
            allowed = ", ".join(options)
            credit, text = 0.0, f"{choice!r} is not one of the options {allowed} (no credit)"
        else:
            verdict = options[choice]
            credit = float(verdict["credit"])
            words = CREDIT_WORDS.get(credit, f"{credit:.0%} of the credit")
            text = (
                f"you chose ({choice}), rated {verdict['verdict']} ({words}): {verdict['feedback']}"
            )
        out.append((str(entry.get("title", moment_id)), credit, text))
    return out


def response_fraction(got: Any, want: dict[str, Any]) -> float:
    """Share of the question's credit (0-1): the mean credit over the moments."""
    judged = response_credits(got, want) if isinstance(want, dict) and want else []
    return sum(c for _, c, _ in judged) / len(judged) if judged else 0.0


def judge_response_credit(
    gid: str, question: Question, got: Any, want: dict[str, Any]
) -> QuestionResult:
    """Judge one chosen response per moment; the details say per moment what it earned."""
    judged = response_credits(got, want)
    fraction = sum(c for _, c, _ in judged) / len(judged) if judged else 0.0
    note = "Every response was the best of those offered." if fraction == 1 else question.feedback
    return QuestionResult(
        gid, fraction, note, tuple(f"“{t}”: {text.rstrip('.')}." for t, _, text in judged)
    )
