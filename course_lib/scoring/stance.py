"""A chosen opening stance against the expert's, per practice case (pure, no widgets).

Lesson 05's stance exercise (:mod:`course_lib.widgets.stance`) shows these results and the
chart of hits (:func:`course_lib.plots.evidence.stance_hits_chart`) draws them; both read
them from here, so a plot builder never imports a widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from course_lib.content.cases import Case, CaseKey
from course_lib.content.rubric import Rubric


@dataclass(frozen=True)
class StanceResult:
    """One case: the student's stance, the expert's stance and the expert's rationale."""

    case_id: str
    label: str
    chosen: str | None
    expert: str
    rationale: str
    defensible: str = ""  # the key's reason when ``chosen`` is a listed alternative

    @property
    def hit(self) -> bool:
        """True when the student chose the expert's stance."""
        return self.chosen == self.expert


def case_label(case: Case) -> str:
    """A short label for a case: the client's first name and the case title."""
    return f"{case.client.name.split()[0]}: {case.title}"


def stance_result(case: Case, chosen: str | None, key: CaseKey) -> StanceResult:
    """Compare a chosen stance (``None`` if unanswered) with the key of one case."""
    alternative = key.alternative("stance", chosen)
    reason = alternative.reason if alternative is not None else ""
    return StanceResult(case.id, case_label(case), chosen, key.stance, key.rationale, reason)


def stance_summary(results: Sequence[StanceResult], total_cases: int | None = None) -> str:
    """A plain sentence: how many checked cases matched, and how many are still open."""
    if not results:
        text = "No case checked yet: choose a stance for at least one case, then press Check."
    else:
        hits = sum(r.hit for r in results)
        text = (
            f"You matched the expert's opening stance on {hits} of {len(results)} "
            f"checked case{'s' if len(results) != 1 else ''}."
        )
        defensible = sum(1 for r in results if r.defensible)
        if defensible:
            text += f" {defensible} other choice(s) are defensible alternatives the key lists."
    if total_cases is not None and total_cases > len(results):
        text += f" {total_cases - len(results)} case(s) not checked yet."
    return text


def stance_label(stance_id: str | None, rubric: Rubric) -> str:
    """The rubric's label for a stance id (``'no choice'`` for ``None``)."""
    if stance_id is None:
        return "no choice"
    for stance in rubric.stances:
        if stance.id == stance_id:
            return stance.label
    raise KeyError(stance_id)
