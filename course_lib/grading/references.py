"""Reference answers for the assignments' autograded questions, computed grader-side.

Each function named by ``reference:`` in a spec (``notebooks/course/keys/<assignment>.yaml``)
is called as ``function(hidden_input, course=course)``: once per hidden input for a
question with ``hidden``, once otherwise with the question's ``cases`` (``None`` if it has
none; a ``variant: cases`` question has the student's own). ``course`` has ``keys_dir`` (the
instructor keys folder), ``assets`` (the course assets) and ``variant`` (the student's, when
grading one submission: :mod:`course_lib.variants`). Every result is plain JSON.

The references delegate to :mod:`course_lib.scoring` and :mod:`course_lib.stats`, so the
course has one implementation of each rule; nothing here is ever imported by a student's
kernel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from course_lib.exercises.assignment_checks import POOLED_KEYS


class CourseLike(Protocol):
    """What a reference may read."""

    @property
    def keys_dir(self) -> Path: ...

    @property
    def assets(self) -> Path: ...

    @property
    def variant(self) -> Any: ...


def _inventory(course: CourseLike) -> Any:
    from course_lib.content import load_inventory

    return load_inventory(course.assets)


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise ValueError(f"reference {name!r} needs a hidden input (the spec lists none)")
    return value


# --------------------------------------------------------------------------- A1


def reverse_keyed(responses: Mapping[str, int | None], *, course: CourseLike) -> dict[str, Any]:
    """Every item id -> its reverse-keyed response (``None`` stays ``None``)."""
    from course_lib.scoring.inventory import check_responses, reverse_key

    inventory = _inventory(course)
    clean = check_responses(_required(responses, "reverse_keyed"), inventory)
    return {
        item.id: (
            reverse_key(clean[item.id], inventory.scale)
            if item.reverse and clean[item.id] is not None
            else clean[item.id]
        )
        for item in inventory.items
    }


def facet_scores(responses: Mapping[str, int | None], *, course: CourseLike) -> dict[str, Any]:
    """Facet id -> facet mean, or ``None`` where the facet is not scorable."""
    from course_lib.scoring.inventory import score_inventory

    score = score_inventory(_required(responses, "facet_scores"), _inventory(course))
    return {fid: (f.mean if f.scorable else None) for fid, f in score.facets.items()}


def total_score(responses: Mapping[str, int | None], *, course: CourseLike) -> dict[str, Any]:
    """``{"total": mean}``, ``None`` when not scorable (wrapped: see the spec's capture)."""
    from course_lib.scoring.inventory import score_inventory

    return {"total": score_inventory(_required(responses, "total_score"), _inventory(course)).total}


def teaching_band(total: float, *, course: CourseLike) -> str:
    """The teaching band id of a total mean."""
    from course_lib.scoring.inventory import band_for_total

    return band_for_total(_required(total, "teaching_band"), _inventory(course))


def mean_facet_scores(
    facet_scores: Sequence[Mapping[str, float | None]], *, course: CourseLike
) -> dict[str, float | None]:
    """Facet id -> mean of the facet's scores that are not ``None`` (``None`` if none are)."""
    out: dict[str, float | None] = {}
    for facet in _inventory(course).facets:
        values = [s[facet.id] for s in _required(facet_scores, "mean_facet_scores")]
        scored = [float(v) for v in values if v is not None]
        out[facet.id] = sum(scored) / len(scored) if scored else None
    return out


def cronbach_alpha(matrix: Sequence[Sequence[float]], *, course: CourseLike) -> float:
    """Cronbach's alpha of a complete respondents x items table (already reverse keyed)."""
    from course_lib.stats import cronbach_alpha as alpha

    return alpha(_required(matrix, "cronbach_alpha"))


def _dataset(course: CourseLike, name: str) -> list[dict[str, Any]]:
    variant = getattr(course, "variant", None)
    if variant is None:
        raise ValueError(f"reference {name!r} needs the student's variant (a dataset question)")
    return variant.dataset(course.assets)


def dataset_facet_means(_: None, *, course: CourseLike) -> dict[str, float | None]:
    """The facet means of the student's own a1 dataset: each respondent's facet scores
    (``None`` where not scorable), averaged over the respondents who have one."""
    from course_lib.scoring.inventory import score_inventory

    inventory = _inventory(course)
    scores = []
    for row in _dataset(course, "dataset_facet_means"):
        answers = {item.id: row[item.id] for item in inventory.items}
        facets = score_inventory(answers, inventory).facets
        scores.append({fid: (f.mean if f.scorable else None) for fid, f in facets.items()})
    return mean_facet_scores(scores, course=course)


def dataset_alpha(_: None, *, course: CourseLike) -> float:
    """Cronbach's alpha of the student's own a1 dataset: the 12 reverse-keyed items of the
    respondents who answered every item (listwise deletion)."""
    import numpy as np

    from course_lib.scoring.inventory import item_matrix
    from course_lib.stats import cronbach_alpha as alpha

    matrix = item_matrix(_dataset(course, "dataset_alpha"), _inventory(course))
    return float(alpha(matrix[~np.isnan(matrix).any(axis=1)]))


# --------------------------------------------------------------------------- A2


def _pairs(table: Sequence[Sequence[Any]], name: str) -> tuple[list[Any], list[Any]]:
    rows = [list(r) for r in _required(table, name)]
    if any(len(r) != 2 for r in rows):
        raise ValueError(f"{name}: each row must hold exactly two ratings")
    return [r[0] for r in rows], [r[1] for r in rows]


def percent_agreement(table: Sequence[Sequence[int]], *, course: CourseLike) -> float:
    """Proportion of targets (rows) on which the two raters (columns) agree exactly."""
    from course_lib.stats import percent_agreement as agreement

    return agreement(*_pairs(table, "percent_agreement"))


def quadratic_kappa(table: Sequence[Sequence[int]], *, course: CourseLike) -> float:
    """Quadratic-weighted Cohen's kappa of a two-rater table, categories fixed at 0-3."""
    from course_lib.content.rubric import LEVELS
    from course_lib.stats import cohen_kappa

    a, b = _pairs(table, "quadratic_kappa")
    return cohen_kappa(a, b, weights="quadratic", categories=list(LEVELS))


def icc_a1(table: Sequence[Sequence[float]], *, course: CourseLike) -> float:
    """ICC(A,1) of a targets x raters table."""
    from course_lib.stats import icc_a1 as icc

    return icc(_required(table, "icc_a1"))


def case_agreement(
    saved: Mapping[str, Any] | Path | str | None,
    *,
    course: CourseLike,
    cases: Sequence[str],
) -> float:
    """Credit (0-1) for saved case-scorer answers: the mean over ``cases`` of
    0.4 x (1 - mean |rating difference| / 3) + 0.2 band + 0.2 trait/state + 0.2 stance.

    ``saved`` is the decoded save file or its path. The per-case rule is the grading
    engine's own :func:`course_lib.grading.case_credit.case_score`, so the two cannot drift;
    a case with no saved answer scores 0.
    """
    from course_lib.answers import parse_answers, read_answers
    from course_lib.content import case_path, load_case, load_case_key, load_rubric
    from course_lib.grading.case_credit import case_score

    if saved is None:
        raise ValueError("case_agreement needs the saved answers (an answers_file question)")
    answers = read_answers(Path(saved)) if isinstance(saved, Path | str) else parse_answers(saved)
    rubric = load_rubric(course.assets)
    markers = rubric.marker_ids()
    scores = []
    for case_id in cases:
        case = load_case(case_path(case_id, course.assets), rubric)
        key = load_case_key(case, Path(course.keys_dir) / "cases", rubric)
        answer = answers.get(case_id)
        scores.append(0.0 if answer is None else case_score(answer, key, markers))
    return sum(scores) / len(scores)


def model_case_answers(cases: Sequence[str], *, course: CourseLike) -> dict[str, Any]:
    """A save file (as JSON data) holding the expert keys' answers: the "source solution"
    of an answers_file question, for self-tests that must reach full marks."""
    from course_lib.answers import FORMAT, VERSION
    from course_lib.content import case_path, load_case, load_case_key, load_rubric

    rubric = load_rubric(course.assets)
    out: dict[str, Any] = {}
    for case_id in cases:
        case = load_case(case_path(case_id, course.assets), rubric)
        key = load_case_key(case, Path(course.keys_dir) / "cases", rubric)
        out[case_id] = {
            "ratings": {m: key.ratings[m].rating for m in rubric.marker_ids()},
            "band": key.band,
            "trait_or_state": key.trait_or_state,
            "stance": key.stance,
            "checked": True,
        }
    return {"format": FORMAT, "version": VERSION, "cases": out}


# --------------------------------------------------------------------------- A3


def d_to_r(d: float, *, course: CourseLike) -> float:
    """r equivalent of d for two equal groups."""
    from course_lib.stats import d_to_r as convert

    return convert(_required(d, "d_to_r"))


def probability_of_superiority(d: float, *, course: CourseLike) -> float:
    """Phi(d / sqrt(2))."""
    from course_lib.stats import probability_of_superiority as convert

    return convert(_required(d, "probability_of_superiority"))


def fixed_effect_pool(
    studies: Sequence[Mapping[str, Any]], *, course: CourseLike
) -> dict[str, float]:
    """Fixed-effect pooled d of ``[{"d": ..., "variance": ...}, ...]``: estimate, se, 95% CI."""
    from course_lib.stats import fixed_effect

    studies = _required(studies, "fixed_effect_pool")
    pooled = fixed_effect([s["d"] for s in studies], [s["variance"] for s in studies])
    return {key: float(getattr(pooled, key)) for key in POOLED_KEYS}


def opening_stances(
    cases: Sequence[str] | None, *, course: CourseLike
) -> dict[str, dict[str, Any]]:
    """Case id -> the key's opening stance and its defensible alternatives, for ``cases``
    (the student's a3 cases: the question is a ``variant: cases`` one).

    Each entry: ``{"title", "answer", "alternatives": [{"value", "credit", "reason"}]}``,
    judged with the ``choice_credit`` comparison.
    """
    from course_lib.content import case_path, load_case, load_case_key, load_rubric

    rubric = load_rubric(course.assets)
    out: dict[str, dict[str, Any]] = {}
    for case_id in _required(cases, "opening_stances"):
        case = load_case(case_path(case_id, course.assets), rubric)
        key = load_case_key(case, Path(course.keys_dir) / "cases", rubric)
        out[case_id] = {
            "title": case.title,
            "answer": key.stance,
            "alternatives": [
                {"value": a.value, "credit": a.credit, "reason": a.reason}
                for a in key.alternatives
                if a.choice == "stance"
            ],
        }
    return out


# --------------------------------------------------------------------------- A4


def response_verdicts(pole: str, *, course: CourseLike) -> dict[str, dict[str, Any]]:
    """Moment id -> its title and, per option, the key's verdict, credit and feedback, for the
    assignment moments of one ``pole`` (judged with the ``response_credit`` comparison)."""
    from course_lib.content.responses import (
        VERDICT_CREDIT,
        load_assignment_moments,
        load_response_key,
    )

    moments = load_assignment_moments(course.assets)
    key = load_response_key(moments, course.keys_dir)
    return {
        moment.id: {
            "title": moment.title,
            "options": {
                option_id: {
                    "verdict": verdict.verdict,
                    "credit": VERDICT_CREDIT[verdict.verdict],
                    "feedback": " ".join(verdict.feedback.split()),
                }
                for option_id, verdict in sorted(key.moments[moment.id].verdicts.items())
            },
        }
        for moment in moments.of_pole(pole)
    }


def a4_oppositional_verdicts(_: None, *, course: CourseLike) -> dict[str, dict[str, Any]]:
    """The key for Assignment 4's oppositional moments (see :func:`response_verdicts`)."""
    return response_verdicts("oppositional", course=course)


def a4_compliant_verdicts(_: None, *, course: CourseLike) -> dict[str, dict[str, Any]]:
    """The key for Assignment 4's compliant moments (see :func:`response_verdicts`)."""
    return response_verdicts("compliant", course=course)


REFERENCES: dict[str, Callable[..., Any]] = {
    "reverse_keyed": reverse_keyed,
    "facet_scores": facet_scores,
    "total_score": total_score,
    "teaching_band": teaching_band,
    "mean_facet_scores": mean_facet_scores,
    "cronbach_alpha": cronbach_alpha,
    "dataset_facet_means": dataset_facet_means,
    "dataset_alpha": dataset_alpha,
    "percent_agreement": percent_agreement,
    "quadratic_kappa": quadratic_kappa,
    "icc_a1": icc_a1,
    "case_agreement": case_agreement,
    "d_to_r": d_to_r,
    "probability_of_superiority": probability_of_superiority,
    "fixed_effect_pool": fixed_effect_pool,
    "opening_stances": opening_stances,
    "a4_oppositional_verdicts": a4_oppositional_verdicts,
    "a4_compliant_verdicts": a4_compliant_verdicts,
}
