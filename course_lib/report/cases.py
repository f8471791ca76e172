"""The class against the expert key on the cases: ratings, choices and agreement.

Computed from ``case_answers.json`` (each graded submission's answers on its own cases) and
the case keys:

* per case and marker (:class:`~course_lib.report.model.MarkerStat`): the key's rating, the
  class mean and the **mean signed difference** (class mean minus key: > 0 the class
  over-rates the marker, < 0 under-rates it), over the students who rated that marker;
* per case and choice (band, trait_or_state, stance): how many students chose each option
  (:class:`~course_lib.report.model.ChoiceTable`), beside the key and its alternatives;
* per case: **ICC(A,1)** between students (markers as targets, the students who rated every
  marker of the case as raters; :func:`course_lib.stats.icc_a1`);
* per student and assignment: the **quadratic-weighted Cohen's kappa** between the student's
  ratings and the key over every marker of every case they rated, with the rubric's full
  rating scale as the categories (:func:`course_lib.stats.cohen_kappa`).

A figure that cannot be computed is ``None`` with a note saying why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.answers import CHOICES
from course_lib.content.cases import Case, CaseKey
from course_lib.content.rubric import LEVELS, Rubric
from course_lib.grading.case_answers import RATINGS, CaseAnswers
from course_lib.report.model import CaseAgreement, ChoiceTable, MarkerStat, StudentKappa
from course_lib.stats import cohen_kappa, icc_a1

#: Loads a case and its key by id (the report's build passes one reading the keys folder).
CaseLoader = Callable[[str], tuple[Case, CaseKey]]


@dataclass(frozen=True)
class CaseFigures:
    """The case figures of the whole class."""

    markers: tuple[MarkerStat, ...]
    choices: tuple[ChoiceTable, ...]
    agreement: tuple[CaseAgreement, ...]
    kappas: tuple[StudentKappa, ...]


def _answers_by_case(
    records: list[CaseAnswers],
) -> dict[tuple[str, str], dict[str, tuple[tuple[str, ...], dict]]]:
    """(assignment, case) -> student -> (what was asked, their answer)."""
    out: dict[tuple[str, str], dict[str, tuple[tuple[str, ...], dict]]] = defaultdict(dict)
    for r in records:
        for case_id in r.cases:
            out[(r.assignment, case_id)][r.student] = (r.asks, r.answers.get(case_id, {}))
    return out


def _rating(answer: dict, marker: str) -> int | None:
    ratings = answer.get(RATINGS)
    value = ratings.get(marker) if isinstance(ratings, dict) else None
    return value if isinstance(value, int) and value in LEVELS else None


def _options(field: str, rubric: Rubric) -> tuple[str, ...]:
    if field == "stance":
        return tuple(s.id for s in rubric.stances)
    if field == "band":
        return tuple(b.id for b in sorted(rubric.placement.bands, key=lambda b: b.lower))
    return tuple(CHOICES[field])


def _choice_tables(
    assignment: str,
    case_id: str,
    key: CaseKey,
    asked: set[str],
    answers: list[dict],
    rubric: Rubric,
) -> list[ChoiceTable]:
    tables = []
    for name in CHOICES:
        if name not in asked:
            continue
        options = _options(name, rubric)
        counts = dict.fromkeys(options, 0)
        for answer in answers:
            if answer.get(name) in counts:
                counts[answer[name]] += 1
        alternatives = tuple(a.value for a in key.alternatives if a.choice == name)
        tables.append(
            ChoiceTable(
                assignment, case_id, name, getattr(key, name), options, counts, alternatives
            )
        )
    return tables


def _agreement(assignment: str, case: Case, matrix: np.ndarray) -> CaseAgreement:
    """ICC(A,1) on a markers x students table with no gaps."""
    raters = matrix.shape[1]
    if raters < 2:
        return CaseAgreement(
            assignment,
            case.id,
            case.title,
            raters,
            None,
            f"{raters} student(s) rated every marker of this case: agreement between students "
            "needs at least 2",
        )
    try:
        return CaseAgreement(assignment, case.id, case.title, raters, icc_a1(matrix))
    except ValueError as exc:
        return CaseAgreement(
            assignment, case.id, case.title, raters, None, f"no agreement figure: {exc}"
        )


def _kappa(assignment: str, student: str, pairs: list[tuple[int, int]]) -> StudentKappa:
    if not pairs:
        return StudentKappa(assignment, student, None, 0, "no ratings to compare with the key")
    mine, keys = zip(*pairs, strict=True)
    try:
        kappa = cohen_kappa(mine, keys, weights="quadratic", categories=LEVELS)
    except ValueError as exc:
        return StudentKappa(assignment, student, None, len(pairs), f"no kappa: {exc}")
    return StudentKappa(assignment, student, kappa, len(pairs))


def case_figures(records: list[CaseAnswers], load: CaseLoader, rubric: Rubric) -> CaseFigures:
    """Every case figure for the answers in ``records`` (cases sorted within assignments)."""
    markers: list[MarkerStat] = []
    choices: list[ChoiceTable] = []
    agreement: list[CaseAgreement] = []
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    rated_any: set[tuple[str, str]] = set()
    marker_ids = rubric.marker_ids()
    for (assignment, case_id), by_student in sorted(_answers_by_case(records).items()):
        case, key = load(case_id)
        asked = {a for asks, _ in by_student.values() for a in asks}
        students = sorted(by_student)
        answers = [by_student[s][1] for s in students]
        choices += _choice_tables(assignment, case_id, key, asked, answers, rubric)
        if RATINGS not in asked:
            continue
        raters = [s for s in students if RATINGS in by_student[s][0]]
        values = [[_rating(by_student[s][1], m) for m in marker_ids] for s in raters]
        rated = np.array(
            [[np.nan if v is None else v for v in row] for row in values], dtype=float
        ).reshape(len(raters), len(marker_ids))
        gaps = np.isnan(rated)
        for j, m in enumerate(marker_ids):
            column = rated[~gaps[:, j], j]
            key_rating = key.ratings[m].rating
            mean = float(column.mean()) if column.size else None
            markers.append(
                MarkerStat(
                    assignment,
                    case_id,
                    m,
                    key_rating,
                    mean,
                    None if mean is None else mean - key_rating,
                    int(column.size),
                    rubric.marker(m).name,
                )
            )
        complete = ~gaps.any(axis=1)
        agreement.append(_agreement(assignment, case, rated[complete].T))
        for i, s in enumerate(raters):
            rated_any.add((assignment, s))
            pairs[(assignment, s)] += [
                (int(rated[i, j]), key.ratings[m].rating)
                for j, m in enumerate(marker_ids)
                if not gaps[i, j]
            ]
    kappas = [_kappa(a, s, pairs[(a, s)]) for a, s in sorted(rated_any)]
    return CaseFigures(tuple(markers), tuple(choices), tuple(agreement), tuple(kappas))
