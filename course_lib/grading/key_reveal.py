"""After the due date: a student's own ratings set against the expert key, case by case.

Only with ``grade --reveal-keys`` (:attr:`CourseContext.reveal_keys`, set by the instructor's
command line in the grading process; nothing in a submission or a kernel can set it). Without
it, Assignment 2's feedback gives only the aggregate agreement and what earned credit per case
(:func:`course_lib.grading.verdict.judge_answers_file`). With it, each of the student's cases
also gets one line: for every marker the student's rating minus the expert's, in words ("you
rated it 1 point higher than the expert"), then the key's band, trait-or-state judgement and
opening stance. That line states the key in full, so the cases' keys are known to every
student who gets the page (docs/threat-model.md).
"""

from __future__ import annotations

from typing import Any

from course_lib.content.rubric import Rubric

INTRO = (
    "Your instructor has released the expert key for your cases (after the due date): under "
    "each case's credit, a line compares your rating of every marker with the expert's (your "
    "rating minus the expert's) and gives the expert's band, trait or state, and stance."
)


def _points(n: int) -> str:
    return "1 point" if n == 1 else f"{n} points"


def marker_difference(name: str, yours: int | None, expert: int) -> str:
    """One marker: the signed difference and what it means."""
    if yours is None:
        return f"“{name}”: not rated (expert {expert})"
    diff = yours - expert
    if diff == 0:
        return f"“{name}” 0: the same as the expert ({expert})"
    way = "higher" if diff > 0 else "lower"
    return (
        f"“{name}” {diff:+d}: you rated it {_points(abs(diff))} {way} than the expert "
        f"(you {yours}, expert {expert})"
    )


def key_sentence(key: Any, rubric: Rubric) -> str:
    """The key's band, trait-or-state judgement and opening stance, in the rubric's words."""
    band = next(b.label for b in rubric.placement.bands if b.id == key.band)
    stance = next(s.label for s in rubric.stances if s.id == key.stance)
    return (
        f"The expert key: band “{band}”; trait or state: {key.trait_or_state}; "
        f"opening stance “{stance}”."
    )


def revealed_line(title: str, answer: Any | None, key: Any, rubric: Rubric) -> str:
    """The feedback line for one case: per-marker differences from the key, then the key."""
    if answer is None:
        expert = "; ".join(f"“{m.name}” {key.ratings[m.id].rating}" for m in rubric.markers)
        return f"“{title}”, not rated; the expert's ratings: {expert}. {key_sentence(key, rubric)}"
    diffs = "; ".join(
        marker_difference(m.name, answer.ratings.get(m.id), key.ratings[m.id].rating)
        for m in rubric.markers
    )
    return f"“{title}”, your ratings against the expert's: {diffs}. {key_sentence(key, rubric)}"
