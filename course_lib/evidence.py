"""The research evidence behind the course, as data with citations, plus pure helpers.

Every figure here comes from the course's reference sheet and carries its citation.
Figures the sheet marks as unconfirmed are stored with ``verified=False`` and are never
stated as fact (the lessons say they are unconfirmed). Derived quantities (the r
equivalent of d and the probability that a matched patient does better) are computed
with :mod:`course_lib.stats.effects`, never typed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.stats.effects import d_to_r, probability_of_superiority

# ---------------------------------------------------------------------------- citations
BEUTLER_2011 = (
    "Beutler, Harwood, Michelson, Song, & Holman (2011). Resistance/reactance level. "
    "Journal of Clinical Psychology: In Session, 67(2), 133-142. doi:10.1002/jclp.20753 "
    "(adapted from the chapter of the same title in Norcross (Ed.), Psychotherapy "
    "Relationships That Work, 2nd ed., Oxford University Press, 2011)"
)
BEUTLER_2018 = (
    "Beutler, Edwards, & Someah (2018). Adapting psychotherapy to patient reactance level: "
    "A meta-analytic review. Journal of Clinical Psychology, 74(11), 1952-1963. "
    "doi:10.1002/jclp.22682"
)
NORCROSS_WAMPOLD_2011 = (
    "Norcross & Wampold (2011). What works for whom. Journal of Clinical Psychology, "
    "67(2), 127-132. doi:10.1002/jclp.20764"
)
NORCROSS_WAMPOLD_2018 = (
    "Norcross & Wampold (2018). A new therapy for each patient. Journal of Clinical "
    "Psychology. doi:10.1002/jclp.22678"
)
NORCROSS_LAMBERT_2018 = "Norcross & Lambert (2018). Psychotherapy, 55(4), 303-315"
BEUTLER_1991 = (
    "Beutler et al. (1991). Journal of Consulting and Clinical Psychology, 59(2), 333-340"
)
SHOHAM_1989 = (
    "Shoham-Salomon, Avner, & Neeman (1989). Journal of Consulting and Clinical "
    "Psychology, 57(5), 590-598"
)
BEUTLER_MOLEIRO_TALEBI_2002 = (
    "Beutler, Moleiro, & Talebi (2002). Journal of Clinical Psychology: In Session, 58(2), 207-217"
)


# ------------------------------------------------------------------------ meta-analyses
@dataclass(frozen=True)
class MetaAnalysis:
    """One meta-analysis of matching treatment directiveness to reactance level."""

    key: str
    label: str
    task_force: str
    k: int
    n: int
    d: float
    direction: str
    citation: str
    authors_call_it: str | None = None


@dataclass(frozen=True)
class EvidenceRating:
    """A task force's evidentiary rating of matching to reactance level."""

    year: int
    rating: str | None
    verified: bool
    note: str
    citation: str


META_ANALYSES: tuple[MetaAnalysis, ...] = (
    MetaAnalysis(
        key="beutler2011",
        label="Beutler et al. (2011)",
        task_force="2nd-edition task force (2011)",
        k=12,
        n=1102,
        d=0.82,
        direction=(
            "Directive treatment suited patients whose trait-like resistance was low; "
            "nondirective treatment suited the highly resistant ones best."
        ),
        citation=BEUTLER_2011,
    ),
    MetaAnalysis(
        key="beutler2018",
        label="Beutler, Edwards & Someah (2018)",
        task_force="3rd-edition task force (2018/2019)",
        k=13,
        n=1208,
        d=0.79,
        direction=(
            "Highly reactant patients fared better with a reflective, nondirective therapist "
            "than with a directive, authoritative one. Patients low in reactance showed the "
            "opposite pattern, but that effect was weaker."
        ),
        citation=BEUTLER_2018,
        authors_call_it="large",
    ),
)

RATINGS: tuple[EvidenceRating, ...] = (
    EvidenceRating(
        year=2011,
        rating="demonstrably effective",
        verified=True,
        note=(
            "Also rated demonstrably effective in that round: preferences, culture and "
            "religion/spirituality; probably effective: stages of change and coping style; "
            "insufficient research: expectations and attachment style."
        ),
        citation=NORCROSS_WAMPOLD_2011,
    ),
    EvidenceRating(
        year=2018,
        rating=None,
        verified=False,
        note=(
            "The 2018 summary ends with 28 recommendations, but its rating table could not "
            "be checked, so whether reactance level was again rated 'demonstrably "
            "effective' is unconfirmed."
        ),
        citation=NORCROSS_WAMPOLD_2018,
    ),
)


@dataclass(frozen=True)
class Study:
    """A landmark primary study, summarised in the course's own words from its abstract."""

    label: str
    summary: str
    citation: str


LANDMARK_STUDIES: tuple[Study, ...] = (
    Study(
        label="Beutler et al. (1991)",
        summary=(
            "63 patients with major depression were treated with group cognitive therapy, "
            "an experiential therapy (focused expressive psychotherapy) or a supportive, "
            "self-directed therapy. The more defensive (resistant) patients "
            "gained more from the self-directed format, the less defensive from cognitive "
            "therapy. Resistance was measured with an MMPI-based 'resistance potential'."
        ),
        citation=BEUTLER_1991,
    ),
    Study(
        label="Shoham-Salomon, Avner & Neeman (1989)",
        summary=(
            "Students who procrastinated were given either a paradoxical or a self-control "
            "intervention. The paradoxical one helped the students who started out more "
            "reactant more than it helped the others."
        ),
        citation=SHOHAM_1989,
    ),
)


# ------------------------------------------------------------------------------ helpers
@dataclass(frozen=True)
class EffectSummary:
    """A d with its r equivalent and the probability that a matched patient does better."""

    label: str
    d: float
    r: float
    probability: float

    @property
    def percent(self) -> str:
        """The probability as a whole percentage, e.g. ``'72%'``."""
        return f"{round(self.probability * 100)}%"


def summarize_effect(d: float, label: str = "") -> EffectSummary:
    """Translate a standardized mean difference into r and a probability of superiority.

    ``r = d / sqrt(d**2 + 4)`` and ``probability = Phi(d / sqrt(2))``, both computed by
    :mod:`course_lib.stats.effects`.
    """
    return EffectSummary(label, float(d), d_to_r(d), probability_of_superiority(d))


def effect_table(metas: Sequence[MetaAnalysis] = META_ANALYSES) -> list[EffectSummary]:
    """One :class:`EffectSummary` per meta-analysis, in the given order."""
    return [summarize_effect(m.d, m.label) for m in metas]


def meta_analysis(key: str) -> MetaAnalysis:
    """Look up a meta-analysis by key (``beutler2011`` or ``beutler2018``)."""
    for meta in META_ANALYSES:
        if meta.key == key:
            return meta
    raise KeyError(f"no meta-analysis {key!r}; known: {', '.join(m.key for m in META_ANALYSES)}")


def overlap_curves(d: float, points: int = 201) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two unit-variance normal densities, means 0 (mismatched) and ``d`` (matched).

    Returns ``(x, mismatched, matched)``: the idealised picture behind the probability of
    superiority (equal spread, normal outcomes). ``x`` spans 3.5 SD beyond both means.
    """
    if isinstance(d, bool) or not math.isfinite(float(d)):
        raise ValueError(f"d must be a finite number, got {d!r}")
    if points < 3:
        raise ValueError("points must be at least 3")
    x = np.linspace(min(0.0, d) - 3.5, max(0.0, d) + 3.5, points)
    norm = 1.0 / math.sqrt(2.0 * math.pi)
    mismatched = norm * np.exp(-0.5 * x**2)
    matched = norm * np.exp(-0.5 * (x - d) ** 2)
    return x, mismatched, matched


def meta_analysis_markdown(metas: Sequence[MetaAnalysis] = META_ANALYSES) -> str:
    """A Markdown table of the meta-analyses with their derived r and probability."""
    rows = [
        "| Meta-analysis | Task force | Studies (k) | Patients (N) | d | r (derived) "
        "| P(matched does better) (derived) |",
        "|---|---|---|---|---|---|---|",
    ]
    for meta, eff in zip(metas, effect_table(metas), strict=True):
        rows.append(
            f"| {meta.label} | {meta.task_force} | {meta.k} | {meta.n:,} | {meta.d:.2f} "
            f"| {eff.r:.2f} | {eff.percent} |"
        )
    return "\n".join(rows)


def studies_markdown(studies: Sequence[Study] = LANDMARK_STUDIES) -> str:
    """The landmark studies as a Markdown list: label, summary and citation."""
    return "\n".join(f"- **{s.label}.** {s.summary} *{s.citation}.*" for s in studies)
