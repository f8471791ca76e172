"""A student's case answers against the expert key: per-marker differences and agreement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from course_lib.answers import CaseAnswer
from course_lib.content.cases import CaseKey
from course_lib.content.rubric import LEVELS, Rubric
from course_lib.scoring.placement import Placement, place


@dataclass(frozen=True)
class MarkerComparison:
    """One marker: the student's rating, the expert's, and the expert's cue."""

    marker_id: str
    name: str
    student: int | None
    expert: int
    cue: str

    @property
    def difference(self) -> int | None:
        """Student minus expert (positive: the student rated higher)."""
        return None if self.student is None else self.student - self.expert


@dataclass(frozen=True)
class CaseComparison:
    """Everything the feedback needs for one case."""

    case_id: str
    markers: tuple[MarkerComparison, ...]
    student: Placement | None
    expert: Placement
    weighted_kappa: float | None
    band_hit: bool
    trait_state_hit: bool
    stance_hit: bool
    key: CaseKey
    answer: CaseAnswer | None = None

    def credit(self, choice: str) -> float:
        """Share of the credit for ``band``, ``trait_or_state`` or ``stance`` (a defensible
        alternative in the key earns its listed part)."""
        value = getattr(self.answer, choice) if self.answer is not None else None
        return self.key.credit(choice, value)

    @property
    def exact_matches(self) -> int:
        """How many markers the student rated exactly as the expert did."""
        return sum(1 for m in self.markers if m.difference == 0)


def _kappa(student: Sequence[int], expert: Sequence[int]) -> float | None:
    from course_lib.stats.agreement import cohen_kappa

    try:
        return cohen_kappa(student, expert, weights="quadratic", categories=list(LEVELS))
    except ValueError:
        return None  # undefined, e.g. both raters used one identical category throughout


def compare_case(case_id: str, answer: CaseAnswer, key: CaseKey, rubric: Rubric) -> CaseComparison:
    """Compare one case's answers with the key (unanswered markers count as misses)."""
    markers = tuple(
        MarkerComparison(
            m.id, m.name, answer.ratings.get(m.id), key.ratings[m.id].rating, key.ratings[m.id].cue
        )
        for m in rubric.markers
    )
    complete = all(m.student is not None for m in markers)
    student = place({m.marker_id: m.student for m in markers}, rubric) if complete else None
    expert = place({m.marker_id: m.expert for m in markers}, rubric)
    kappa = _kappa([m.student for m in markers], [m.expert for m in markers]) if complete else None
    return CaseComparison(
        case_id=case_id,
        markers=markers,
        student=student,
        expert=expert,
        weighted_kappa=kappa,
        band_hit=answer.band == key.band,
        trait_state_hit=answer.trait_or_state == key.trait_or_state,
        stance_hit=answer.stance == key.stance,
        key=key,
        answer=answer,
    )


@dataclass(frozen=True)
class AgreementSummary:
    """Agreement with the key across cases (marker ratings pooled across cases)."""

    n_cases: int
    n_ratings: int
    weighted_kappa: float | None
    exact_agreement: float | None
    band_accuracy: float | None
    trait_state_accuracy: float | None
    stance_accuracy: float | None


def summarize(comparisons: Sequence[CaseComparison]) -> AgreementSummary:
    """Pool every rated marker across cases: quadratic-weighted kappa and exact agreement."""
    pairs = [(m.student, m.expert) for c in comparisons for m in c.markers if m.student is not None]
    n = len(comparisons)

    def share(hits: int) -> float | None:
        return hits / n if n else None

    kappa = _kappa([s for s, _ in pairs], [e for _, e in pairs]) if pairs else None
    exact = sum(1 for s, e in pairs if s == e) / len(pairs) if pairs else None
    return AgreementSummary(
        n_cases=n,
        n_ratings=len(pairs),
        weighted_kappa=kappa,
        exact_agreement=exact,
        band_accuracy=share(sum(c.band_hit for c in comparisons)),
        trait_state_accuracy=share(sum(c.trait_state_hit for c in comparisons)),
        stance_accuracy=share(sum(c.stance_hit for c in comparisons)),
    )
