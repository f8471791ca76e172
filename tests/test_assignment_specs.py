"""The graded assignments: source notebooks, grading specs, references and public checks agree.

* every spec loads, and its questions are exactly the notebook's autograded answer cells;
* the cells carry valid nbgrader metadata, hold no outputs, and answer cells hold no tests;
* every reference runs on its inputs and returns plain JSON;
* the source solutions earn full marks against the references for every student id (each
  has its own variant: in-process, and in a real kernel through the grader's own
  reconstruct-and-capture path);
* the public checks pass on the source solutions, fail (without raising) on wrong answers,
  and use worked examples that differ from every hidden input;
* each source folder holds only its notebook, and nbgrader releases it without solutions.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_lib.content import load_inventory
from course_lib.exercises import assignment_checks as ac
from course_lib.grading.capture import to_jsonable
from course_lib.grading.per_student import for_student
from course_lib.grading.references import (
    REFERENCES,
    case_agreement,
    model_case_answers,
)
from course_lib.grading.release import find_leaks
from course_lib.grading.spec import AssignmentSpec, Compare, Question, load_spec
from course_lib.grading.verdict import CourseContext, compare_value, judge_answers_file
from course_lib.variants import CASE_SETS, SALT_ENV, STUDENT_ENV, Variant, variant_for

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "course"
SOURCE = COURSE / "source"
KEYS = COURSE / "keys"
ASSIGNMENTS = ("a1_inventory", "a2_cases", "a3_where_to_start", "a4_what_to_say")
#: (autograded points, manual points) per assignment.
POINTS = {
    "a1_inventory": (10, 4),
    "a2_cases": (9, 3),
    "a3_where_to_start": (10, 4),
    "a4_what_to_say": (8, 8),
}
CONTEXT = CourseContext(keys_dir=KEYS, assets=REPO / "assets")
GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
CHECK_CALL = re.compile(r"^(check_\w+|saved_ratings_summary)\(\w+(, \w+)?\)$")
#: Several student ids, on four different case sets under TEST_SALT (each its own dataset).
TEST_SALT = "test-salt-0001"
STUDENTS = ("amara", "jo.smith@example.edu", "s1234567", "Kalani")
STUDENT = STUDENTS[0]
A2_POOL = tuple(sorted({c for s in CASE_SETS for c in s.a2}))
A3_POOL = tuple(sorted({c for s in CASE_SETS for c in s.a3}))


def spec_of(assignment: str) -> AssignmentSpec:
    return load_spec(KEYS / f"{assignment}.yaml")


def variant_of(student: str) -> Variant:
    return variant_for(student, TEST_SALT)


def context_of(student: str) -> CourseContext:
    """What the references see when grading ``student``: the course plus their variant."""
    return replace(CONTEXT, variant=variant_of(student))


def questions(assignment: str, student: str = STUDENT) -> dict[str, Question]:
    """The assignment's questions as ``student`` is graded on them (their own cases)."""
    variant = variant_of(student)
    return {
        gid: for_student(q, variant, assignment)
        for gid, q in spec_of(assignment).notebooks[assignment].questions.items()
    }


@contextlib.contextmanager
def as_student(student: str) -> Iterator[None]:
    """The identity and salt the grader gives a student's kernel (here: this process's)."""
    saved = {k: os.environ.get(k) for k in (STUDENT_ENV, SALT_ENV)}
    os.environ.update({STUDENT_ENV: student, SALT_ENV: TEST_SALT})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def source_nb(assignment: str) -> Any:
    return nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)


def nbmeta(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def autograded_cells(nb: Any) -> dict[str, Any]:
    return {
        nbmeta(c)["grade_id"]: c
        for c in nb.cells
        if c.cell_type == "code" and nbmeta(c).get("grade") and not nbmeta(c).get("solution")
    }


def jsonable(value: Any) -> Any:
    """What the grader sees: the capture module's conversion, then a JSON round trip."""
    return json.loads(json.dumps(to_jsonable(value), allow_nan=False))


def expected(question: Question, student: str = STUDENT) -> list[Any]:
    function = REFERENCES[question.reference]
    inputs = question.hidden if question.hidden is not None else [question.cases]
    return [function(x, course=context_of(student)) for x in inputs]


def write_model_answers(folder: Path, student: str = STUDENT) -> Path:
    """The expert keys' answers to ``student``'s own a2 cases, saved as the scorer saves them."""
    question = next(q for q in questions("a2_cases", student).values() if q.answers_file)
    path = folder / question.answers_file
    path.write_text(json.dumps(model_case_answers(question.cases, course=CONTEXT)))
    return path


_NAMESPACES: dict[tuple[str, str], dict[str, Any]] = {}


def solved_namespace(assignment: str, folder: Path, student: str = STUDENT) -> dict[str, Any]:
    """Run the source notebook's code cells in-process (in ``folder``) as ``student``; cache
    the names."""
    if (assignment, student) not in _NAMESPACES:
        namespace: dict[str, Any] = {"__name__": "__main__"}
        cwd = Path.cwd()
        os.chdir(folder)
        try:
            with as_student(student), contextlib.redirect_stdout(io.StringIO()):
                for cell in source_nb(assignment).cells:
                    if cell.cell_type == "code":
                        exec(
                            compile(cell.source, f"<{nbmeta(cell).get('grade_id')}>", "exec"),
                            namespace,
                        )
        finally:
            os.chdir(cwd)
        _NAMESPACES[(assignment, student)] = namespace
    return _NAMESPACES[(assignment, student)]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_spec_loads_and_names_its_notebook(assignment: str) -> None:
    spec = spec_of(assignment)
    assert spec.assignment == assignment
    assert list(spec.notebooks) == [assignment]


def test_source_folders_hold_only_their_notebook() -> None:
    assert sorted(p.name for p in SOURCE.iterdir()) == sorted(ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        files = sorted(p.name for p in (SOURCE / assignment).rglob("*"))
        assert files == [f"{assignment}.ipynb"], files


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograded_cells_and_spec_questions_match(assignment: str) -> None:
    assert set(autograded_cells(source_nb(assignment))) == set(questions(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cells_carry_valid_nbgrader_metadata(assignment: str) -> None:
    nb = source_nb(assignment)
    nbformat.validate(nb)
    ids = []
    for cell in nb.cells:
        meta = nbmeta(cell)
        assert meta.get("schema_version") == 3, cell.source[:60]
        gid = meta["grade_id"]
        assert GRADE_ID.match(gid)
        ids.append(gid)
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, gid
        if meta["solution"] and cell.cell_type == "code":
            assert not meta["grade"] and not meta["locked"], gid
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        elif meta["solution"]:  # a manually graded written answer
            assert meta["grade"] and not meta["locked"] and meta["points"] > 0, gid
            assert "Model answer" in cell.source
        elif meta["grade"]:  # an autograded answer cell: a comment and one public check
            assert meta["locked"] and meta["points"] > 0, gid
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            code_lines = [ln for ln in lines if not ln.lstrip().startswith("#")]
            assert lines[0].startswith(f"# Autograded ({meta['points']} point"), gid
            assert len(code_lines) <= 1 and all(CHECK_CALL.match(ln) for ln in code_lines), gid
            assert "assert" not in cell.source and "HIDDEN" not in cell.source
        elif not meta["locked"]:  # the one editable ungraded cell: the student id
            assert gid == f"{assignment[:2]}_student_id" and cell.cell_type == "code", gid
            assert cell.source.startswith('STUDENT_ID = ""  #'), gid
        else:
            assert "BEGIN SOLUTION" not in cell.source
    assert len(ids) == len(set(ids))
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source.startswith("import course_lib")
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points(assignment: str) -> None:
    auto = manual = 0
    for cell in source_nb(assignment).cells:
        meta = nbmeta(cell)
        if meta.get("grade"):
            if cell.cell_type == "markdown":
                manual += meta["points"]
            else:
                auto += meta["points"]
    assert (auto, manual) == POINTS[assignment]


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_references_run_and_return_json(assignment: str) -> None:
    for gid, question in questions(assignment).items():  # as one student, on their variant
        assert question.reference in REFERENCES, gid
        if question.answers_file:
            continue  # needs a save file: see test_case_agreement_*
        values = expected(question)
        assert len(values) == len(question.hidden or [None])
        assert jsonable(values) == values, gid
        if question.compare.kind == "mapping":
            assert all(isinstance(v, dict) for v in values), gid


def test_case_agreement_rewards_the_key_and_matches_the_engine(tmp_path: Path) -> None:
    question = questions("a2_cases")["a2_ratings"]
    assert tuple(question.cases) == variant_of(STUDENT).a2_cases  # the student's own cases
    cases = plain_first(question.cases)
    model = model_case_answers(question.cases, course=CONTEXT)
    assert case_agreement(model, course=CONTEXT, cases=question.cases) == 1.0

    worse = copy.deepcopy(model)
    first = worse["cases"][cases[0]]
    marker = next(iter(first["ratings"]))
    first["ratings"][marker] = (
        (first["ratings"][marker] + 3) % 4 if first["ratings"][marker] != 0 else 3
    )
    first["stance"] = next(s for s in ac.STANCES if s != first["stance"])
    del worse["cases"][cases[1]]
    path = tmp_path / question.answers_file
    path.write_text(json.dumps(worse))
    fraction = case_agreement(path, course=CONTEXT, cases=question.cases)
    assert 0 < fraction < 1
    diff = abs(model["cases"][cases[0]]["ratings"][marker] - first["ratings"][marker])
    assert fraction == pytest.approx((1 - 0.2 - 0.4 * diff / 10 / 3 + 0 + 1 + 1) / 4)
    engine = judge_answers_file("a2_ratings", question, path, CONTEXT)
    assert engine.fraction == pytest.approx(fraction)
    with pytest.raises(ValueError):
        case_agreement(None, course=CONTEXT, cases=cases)


def test_case_feedback_says_what_earned_credit_without_the_key(tmp_path: Path) -> None:
    from course_lib.content import case_path, load_case, load_rubric

    cases = plain_first(variant_of(STUDENT).a2_cases)
    question = questions("a2_cases")["a2_ratings"].model_copy(update={"cases": list(cases)})
    model = model_case_answers(question.cases, course=CONTEXT)
    answers = copy.deepcopy(model)
    first, second, third, fourth = cases
    assert not _key(first).alternatives, f"{first}: pick an A2 case without alternatives"
    wrong = answers["cases"][first]
    marker = next(iter(wrong["ratings"]))
    wrong["ratings"][marker] = 3 if wrong["ratings"][marker] <= 1 else 0
    diff = abs(wrong["ratings"][marker] - model["cases"][first]["ratings"][marker])
    wrong["band"] = next(b for b in ac.BANDS if b != wrong["band"])
    wrong["trait_or_state"] = "state" if wrong["trait_or_state"] == "trait" else "trait"
    wrong["stance"] = None
    del answers["cases"][third]
    path = tmp_path / question.answers_file
    path.write_text(json.dumps(answers))

    result = judge_answers_file("a2_ratings", question, path, CONTEXT)
    rubric = load_rubric()
    title = {c: load_case(case_path(c), rubric).title for c in cases}
    ratings = 0.4 * (1 - diff / 10 / 3)
    assert result.details == (
        f"“{title[first]}”: ratings: {ratings:.2f} of 0.40; band: did not match; trait or "
        f"state: did not match; opening stance: not chosen (case total {ratings:.2f} of 1).",
        f"“{title[second]}”: ratings: 0.40 of 0.40; band: matched; trait or state: matched; "
        "opening stance: matched (case total 1.00 of 1).",
        f"“{title[third]}”: not rated (case total 0.00 of 1).",
        f"“{title[fourth]}”: ratings: 0.40 of 0.40; band: matched; trait or state: matched; "
        "opening stance: matched (case total 1.00 of 1).",
    )
    assert result.fraction == pytest.approx((ratings + 1 + 0 + 1) / 4)
    shown = " ".join(result.details) + result.feedback
    # No key value is ever named: no band, trait/state or stance id, and no marker rating.
    for value in (*ac.BANDS, *ac.STANCES, "trait,", "state,", "self-directed"):
        assert value not in shown.replace("trait or state", ""), value
    assert marker not in shown

    path.write_text("{ damaged")
    unreadable = judge_answers_file("a2_ratings", question, path, CONTEXT)
    assert unreadable.fraction == 0 and "could not be read" in unreadable.feedback
    assert "JSON" not in unreadable.feedback and "Expecting" not in unreadable.feedback


def plain_first(cases: Any) -> tuple[str, ...]:
    """The cases with a06 first: a wrong answer to it is no defensible alternative (its key
    lists none), and it is one of every student's a2 cases."""
    first = "a06-ramon-night-shift"
    assert first in cases and not _key(first).alternatives
    return (first, *(c for c in cases if c != first))


def _key(case_id: str) -> Any:
    from course_lib.content import case_path, load_case, load_case_key, load_rubric

    rubric = load_rubric()
    return load_case_key(load_case(case_path(case_id), rubric), KEYS / "cases", rubric)


def test_a2_feedback_gives_a_defensible_alternative_its_share_and_reason(
    tmp_path: Path,
) -> None:
    # Every case any student rates in a2, graded together.
    question = questions("a2_cases")["a2_ratings"].model_copy(update={"cases": list(A2_POOL)})
    model = model_case_answers(question.cases, course=CONTEXT)
    with_alternatives = [c for c in A2_POOL if _key(c).alternatives]
    assert with_alternatives  # the hard cases list defensible answers
    for case_id in with_alternatives:
        for alt in _key(case_id).alternatives:
            answers = copy.deepcopy(model)
            answers["cases"][case_id][alt.choice] = alt.value
            path = tmp_path / question.answers_file
            path.write_text(json.dumps(answers))
            result = judge_answers_file("a2_ratings", question, path, CONTEXT)
            weight = {"band": 0.2, "trait_or_state": 0.2, "stance": 0.2}[alt.choice]
            n = len(A2_POOL)
            assert result.fraction == pytest.approx((n - weight * (1 - alt.credit)) / n)
            line = next(d for d in result.details if "defensible" in d)
            assert f"defensible ({alt.credit:.0%} of its credit: {alt.reason})" in line
            # The reason shown to the student names no band or stance id.
            assert not re.search(rf"\b({'|'.join((*ac.BANDS, *ac.STANCES))})\b", alt.reason)


def test_public_example_answers_agree_with_course_lib() -> None:
    from course_lib.scoring.inventory import band_for_total, score_inventory
    from course_lib.stats import (
        cohen_kappa,
        cronbach_alpha,
        d_to_r,
        fixed_effect,
        icc_a1,
        percent_agreement,
    )
    from course_lib.stats import probability_of_superiority as sup

    inventory = load_inventory()
    assert tuple(i.id for i in inventory.items) == ac.ITEM_IDS
    assert tuple(f.id for f in inventory.facets) == ac.FACET_IDS
    for example, reversed_, facets, total in (
        (ac.A1_EXAMPLE, ac.A1_EXAMPLE_REVERSED, ac.A1_EXAMPLE_FACETS, ac.A1_EXAMPLE_TOTAL),
        (ac.A1_EXAMPLE_2, ac.A1_EXAMPLE_2_REVERSED, ac.A1_EXAMPLE_2_FACETS, ac.A1_EXAMPLE_2_TOTAL),
    ):
        assert REFERENCES["reverse_keyed"](example, course=CONTEXT) == reversed_
        score = score_inventory(example, inventory)
        got = {k: (f.mean if f.scorable else None) for k, f in score.facets.items()}
        assert got == pytest.approx(facets)
        assert score.total == (None if total is None else pytest.approx(total))
    for total, band in ac.A1_BAND_EXAMPLES.items():
        assert band_for_total(total, inventory) == band
    means = [[s[f] for s in ac.A1_FACET_SCORES_EXAMPLE if s[f] is not None] for f in ac.FACET_IDS]
    assert list(ac.A1_EXAMPLE_FACET_MEANS.values()) == pytest.approx(
        [sum(m) / len(m) for m in means]
    )
    assert cronbach_alpha(ac.A1_ALPHA_EXAMPLE) == pytest.approx(ac.A1_EXAMPLE_ALPHA)
    a, b = zip(*ac.A2_RATINGS, strict=True)
    assert percent_agreement(a, b) == pytest.approx(ac.A2_EXAMPLE_AGREEMENT)
    assert cohen_kappa(a, b, weights="quadratic", categories=range(4)) == pytest.approx(
        ac.A2_EXAMPLE_KAPPA
    )
    assert icc_a1(ac.A2_RATINGS) == pytest.approx(ac.A2_EXAMPLE_ICC)
    for d in ac.META_ANALYSES.values():
        assert d_to_r(d) == pytest.approx(ac.A3_EXAMPLE_R[d])
        assert sup(d) == pytest.approx(ac.A3_EXAMPLE_SUPERIORITY[d])
    pooled = fixed_effect(
        [s["d"] for s in ac.A3_ILLUSTRATIVE_STUDIES],
        [s["variance"] for s in ac.A3_ILLUSTRATIVE_STUDIES],
    )
    assert {k: getattr(pooled, k) for k in ac.POOLED_KEYS} == pytest.approx(ac.A3_EXAMPLE_POOLED)


def test_hidden_inputs_differ_from_every_public_example() -> None:
    public_responses = [ac.A1_EXAMPLE, ac.A1_EXAMPLE_2]
    for gid in ("a1_reverse_keyed", "a1_facets", "a1_total"):
        for hidden in questions("a1_inventory")[gid].hidden:
            assert hidden not in public_responses, gid
    assert not set(questions("a1_inventory")["a1_band"].hidden) & set(ac.A1_BAND_EXAMPLES)
    public_facets = [dict(s) for s in ac.A1_FACET_SCORES_EXAMPLE]
    assert public_facets not in questions("a1_inventory")["a1_facet_means"].hidden
    public_matrix = [list(r) for r in ac.A1_ALPHA_EXAMPLE]
    assert public_matrix not in questions("a1_inventory")["a1_alpha"].hidden
    public_table = [list(r) for r in ac.A2_RATINGS]
    for gid in ("a2_percent_agreement", "a2_kappa", "a2_icc"):
        for hidden in questions("a2_cases")[gid].hidden:
            assert hidden != public_table, gid
    meta = set(ac.META_ANALYSES.values())
    for gid in ("a3_d_to_r", "a3_superiority"):
        assert not set(questions("a3_where_to_start")[gid].hidden) & meta
    for hidden in questions("a3_where_to_start")["a3_pool_fixed"].hidden:
        assert [(s["d"], s["variance"]) for s in hidden] != [
            (s["d"], s["variance"]) for s in ac.A3_ILLUSTRATIVE_STUDIES
        ]


def test_hidden_inputs_cover_the_missing_answer_rule() -> None:
    inventory = load_inventory()
    from course_lib.scoring.inventory import score_inventory

    statuses = {
        score_inventory(h, inventory).status for h in questions("a1_inventory")["a1_total"].hidden
    }
    assert statuses == {"complete", "prorated", "not_scorable"}
    rule = inventory.missing
    missing_counts = {
        sum(v is None for v in h.values()) for h in questions("a1_inventory")["a1_total"].hidden
    }
    assert {rule.max_missing_total, rule.max_missing_total + 1} <= missing_counts
    bounds = {b.lower for b in inventory.bands} | {inventory.scale.max}
    assert bounds <= set(questions("a1_inventory")["a1_band"].hidden)


def test_a3_stance_reference_reads_the_instructor_keys() -> None:
    for student in STUDENTS:  # each student's own four cases
        mine = variant_of(student).a3_cases
        stances = REFERENCES["opening_stances"](list(mine), course=CONTEXT)
        assert tuple(stances) == mine
        assert {e["answer"] for e in stances.values()} == set(ac.STANCES)  # all three needed
    with pytest.raises(ValueError):
        REFERENCES["opening_stances"](None, course=CONTEXT)
    stances = REFERENCES["opening_stances"](list(A3_POOL), course=CONTEXT)
    assert questions("a3_where_to_start")["a3_stances"].compare.kind == "choice_credit"
    # At least one case lists a defensible stance (a state-high client: self-directed).
    listed = {(c, a["value"]): a["credit"] for c, e in stances.items() for a in e["alternatives"]}
    assert listed and all(0 < credit < 1 for credit in listed.values())
    for (case_id, value), credit in listed.items():
        answers = {c: e["answer"] for c, e in stances.items()} | {case_id: value}
        assert compare_value(answers, stances, Compare(kind="choice_credit")) == pytest.approx(
            (len(stances) - 1 + credit) / len(stances)
        )


# --------------------------------------------------------------------------- solutions


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_solutions_earn_full_autograded_marks(
    assignment: str, student: str, tmp_path: Path
) -> None:
    """For every student id: the source run as that student, judged on their variant."""
    namespace = solved_namespace(assignment, tmp_path, student)
    for gid, question in questions(assignment, student).items():
        if question.answers_file:
            path = write_model_answers(tmp_path, student)
            assert judge_answers_file(gid, question, path, CONTEXT).fraction == 1.0
            continue
        target = eval(question.capture, namespace)
        wants = expected(question, student)
        if question.hidden is None:
            gots = [jsonable(target)]
        else:
            gots = [jsonable(target(copy.deepcopy(x))) for x in question.hidden]
        for got, want in zip(gots, wants, strict=True):
            assert compare_value(got, want, question.compare) == 1.0, (gid, got, want)


@pytest.mark.parametrize("student", STUDENTS[:2])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_checks_pass_on_the_source_solutions(
    assignment: str, student: str, tmp_path: Path
) -> None:
    namespace = solved_namespace(assignment, tmp_path, student)
    if assignment == "a2_cases":
        write_model_answers(tmp_path, student)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        for gid, cell in autograded_cells(source_nb(assignment)).items():
            call = next(ln for ln in cell.source.splitlines() if CHECK_CALL.match(ln))
            result = eval(call, namespace)
            assert result.passed, (gid, repr(result))
    finally:
        os.chdir(cwd)


def test_the_dataset_questions_and_the_q7_model_answer(tmp_path: Path) -> None:
    """Each student's dataset gives its own values; the Q7 model answer covers their range."""
    from course_lib.scoring.inventory import item_matrix
    from course_lib.stats import cronbach_alpha

    inventory = load_inventory()
    alphas = {}
    for student in STUDENTS:
        namespace = solved_namespace("a1_inventory", tmp_path, student)
        rows = variant_of(student).dataset()
        assert namespace["rows"] == rows and len(rows) == 300
        assert namespace["alpha"] == pytest.approx(cronbach_alpha(item_matrix(rows, inventory)))
        assert ac.check_alpha(namespace["alpha"]).passed
        assert ac.check_facet_means(namespace["facet_means"]).passed
        alphas[student] = namespace["alpha"]
    assert len({round(a, 6) for a in alphas.values()}) == len(STUDENTS)  # all different
    model = next(
        c for c in source_nb("a1_inventory").cells if nbmeta(c)["grade_id"] == "a1_interpretation"
    )
    assert "between about .80 and .87" in model.source
    many = [
        cronbach_alpha(item_matrix(variant_for(f"s{n:04d}", TEST_SALT).dataset(), inventory))
        for n in range(60)
    ]
    assert sum(0.795 <= a <= 0.875 for a in many) >= 0.9 * len(many)
    assert "about .84 in most students' datasets" in model.source
    assert 0.83 <= sorted(many)[len(many) // 2] <= 0.85


def _raises(*_: Any) -> Any:
    raise RuntimeError("boom")


def _my_stances(value: Any) -> Any:
    """The stance check as the notebook calls it, with the student's own cases."""
    return ac.check_opening_stances(value, variant_of(STUDENT).a3_cases)


def _wrong_reverse(responses: dict) -> dict:
    return dict(responses)  # no reverse keying


def _wrong_facets(responses: dict) -> dict:  # averages whatever is answered, no limit
    keyed = REFERENCES["reverse_keyed"](responses, course=CONTEXT)
    inventory = load_inventory()
    out = {}
    for facet in inventory.facets:
        values = [keyed[i.id] for i in inventory.items_in(facet.id) if keyed[i.id] is not None]
        out[facet.id] = sum(values) / len(values) if values else None
    return out


def _wrong_total(responses: dict) -> float:  # ignores the facet condition
    keyed = [v for v in REFERENCES["reverse_keyed"](responses, course=CONTEXT).values() if v]
    return sum(keyed) / len(keyed) if len(keyed) >= 10 else None


WRONG: list[tuple[Callable[[Any], Any], Any]] = [
    (ac.check_reverse_keyed, _wrong_reverse),
    (ac.check_reverse_keyed, lambda r: {k: (6 - v if v else None) for k, v in r.items()}),
    (ac.check_reverse_keyed, _raises),
    (ac.check_reverse_keyed, "not a function"),
    (ac.check_score_facets, _wrong_facets),
    (ac.check_score_facets, lambda r: dict.fromkeys(ac.FACET_IDS, 3.0)),
    (ac.check_score_facets, _raises),
    (ac.check_score_total, _wrong_total),
    (ac.check_score_total, lambda r: None),
    (ac.check_band_for, lambda t: "mid"),
    (ac.check_band_for, lambda t: "High" if t > 3.5 else "low" if t < 2.5 else "mid"),
    (ac.check_mean_facet_scores, lambda s: {f: sum(x[f] or 0 for x in s) / len(s) for f in s[0]}),
    (ac.check_mean_facet_scores, lambda s: dict.fromkeys(ac.FACET_IDS, 3.0)),
    (ac.check_mean_facet_scores, _raises),
    (ac.check_cronbach_alpha, lambda m: REFERENCES["cronbach_alpha"](m, course=None) * 3 / 4),
    (ac.check_cronbach_alpha, lambda m: [0.92]),
    (ac.check_cronbach_alpha, _raises),
    (ac.check_facet_means, {"restricted_choice": 2.9}),
    (ac.check_facet_means, dict.fromkeys(ac.FACET_IDS, 0.0)),
    (ac.check_facet_means, [2.9, 3.2, 2.9, 2.9]),
    (ac.check_alpha, 1.2),
    (ac.check_alpha, -0.3),
    (ac.check_alpha, float("nan")),
    (ac.check_alpha, "0.84"),
    (ac.check_percent_agreement, lambda t: 100 * sum(a == b for a, b in t) / len(t)),
    (ac.check_quadratic_kappa, lambda t: REFERENCES["percent_agreement"](t, course=None)),
    (ac.check_quadratic_kappa, _raises),
    (ac.check_icc_a1, lambda t: 0.9),
    (ac.check_d_to_r, lambda d: d / math.sqrt(d**2 + 1)),
    (
        ac.check_probability_of_superiority,
        lambda d: 100 * REFERENCES["probability_of_superiority"](d, course=None),
    ),
    (
        ac.check_pool_fixed,
        lambda s: {
            "estimate": sum(x["d"] for x in s) / len(s),
            "se": 0.1,
            "ci_low": 0,
            "ci_high": 1,
        },
    ),
    (ac.check_pool_fixed, lambda s: [0.73, 0.10]),
    (_my_stances, dict.fromkeys(variant_of(STUDENT).a3_cases[:3], "collaborative")),
    (_my_stances, dict.fromkeys(variant_of(STUDENT).a3_cases, "directive")),
    (_my_stances, dict.fromkeys(variant_of(STUDENTS[1]).a3_cases, "collaborative")),
    (_my_stances, "collaborative"),
    (ac.check_oppositional_choices, dict.fromkeys(ac.A4_OPPOSITIONAL_MOMENTS[:3], "a")),
    (ac.check_oppositional_choices, dict.fromkeys(ac.A4_OPPOSITIONAL_MOMENTS, "e")),
    (ac.check_oppositional_choices, dict.fromkeys(ac.A4_COMPLIANT_MOMENTS, "a")),
    (ac.check_oppositional_choices, ["a", "b", "c", "d"]),
    (ac.check_compliant_choices, {**dict.fromkeys(ac.A4_COMPLIANT_MOMENTS, "a"), "x": "a"}),
    (ac.check_compliant_choices, dict.fromkeys(ac.A4_COMPLIANT_MOMENTS, "d")),  # c2 has a-c
    (ac.check_compliant_choices, dict.fromkeys(ac.A4_COMPLIANT_MOMENTS, None)),
    (ac.check_worked_example, "z"),
    (ac.check_worked_example, None),
]


@pytest.mark.parametrize(("check", "wrong"), WRONG)
def test_public_checks_fail_on_wrong_answers_without_raising(check: Any, wrong: Any) -> None:
    result = check(wrong)
    assert not result.passed
    assert result.feedback


def test_saved_ratings_summary_reports_progress_without_keys(tmp_path: Path) -> None:
    mine = variant_of(STUDENT).a2_cases
    missing = ac.saved_ratings_summary(tmp_path / "none.json", mine)
    assert not missing.passed and "Nothing saved" in missing.feedback
    model = model_case_answers(mine, course=CONTEXT)
    path = tmp_path / "a2.json"
    path.write_text(json.dumps(model))
    assert ac.saved_ratings_summary(path, mine).passed
    # another student's cases are not this student's: they are "not started"
    other = next(v.a2_cases for s in STUDENTS if (v := variant_of(s)).a2_cases != mine)
    assert not ac.saved_ratings_summary(path, other).passed
    partial = copy.deepcopy(model)
    partial["cases"][mine[0]]["checked"] = False
    partial["cases"][mine[1]]["stance"] = None
    path.write_text(json.dumps(partial))
    result = ac.saved_ratings_summary(path, mine)
    assert not result.passed
    text = repr(result)
    assert "not checked yet" in text and "still to choose: stance" in text
    assert not any(stance in text for stance in ac.STANCES)  # nothing about a key is echoed
    (tmp_path / "bad.json").write_text("{")
    assert not ac.saved_ratings_summary(tmp_path / "bad.json", mine).passed


WRONG_HIDDEN = [
    ("a1_inventory", "a1_facets", _wrong_facets),
    ("a1_inventory", "a1_total", lambda r: {"total": _wrong_total(r)}),
    ("a1_inventory", "a1_band", lambda t: "low" if t <= 2.5 else "mid" if t <= 3.5 else "high"),
    # a facet nobody scored: 0 or an error instead of None
    (
        "a1_inventory",
        "a1_facet_means",
        lambda s: {f: sum(x[f] for x in s if x[f] is not None) / max(1, len(s)) for f in s[0]},
    ),
    # the k / (k - 1) correction forgotten
    (
        "a1_inventory",
        "a1_alpha",
        lambda m: REFERENCES["cronbach_alpha"](m, course=None) * (len(m[0]) - 1) / len(m[0]),
    ),
    # kappa over the observed categories only: wrong when a middle category is unused
    (
        "a2_cases",
        "a2_kappa",
        lambda t: __import__("course_lib.stats", fromlist=["x"]).cohen_kappa(
            [r[0] for r in t], [r[1] for r in t], weights="quadratic"
        ),
    ),
    # consistency ICC(C,1) instead of absolute agreement
    (
        "a2_cases",
        "a2_icc",
        lambda t: (lambda ms: (ms[0] - ms[1]) / (ms[0] + (len(t[0]) - 1) * ms[1]))(
            _mean_squares(t)
        ),
    ),
    (
        "a3_where_to_start",
        "a3_pool_fixed",
        lambda s: REFERENCES["fixed_effect_pool"]([{**x, "variance": 1.0} for x in s], course=None),
    ),
]


def _mean_squares(table: list[list[float]]) -> tuple[float, float]:
    import numpy as np

    x = np.asarray(table, dtype=float)
    n, k = x.shape
    rows, cols, grand = x.mean(axis=1), x.mean(axis=0), x.mean()
    msr = k * ((rows - grand) ** 2).sum() / (n - 1)
    mse = ((x - rows[:, None] - cols[None, :] + grand) ** 2).sum() / ((n - 1) * (k - 1))
    return float(msr), float(mse)


@pytest.mark.parametrize(("assignment", "gid", "wrong"), WRONG_HIDDEN)
def test_hidden_inputs_catch_typical_mistakes(assignment: str, gid: str, wrong: Any) -> None:
    question = questions(assignment)[gid]
    scores = []
    for x, want in zip(question.hidden, expected(question), strict=True):
        try:
            got = jsonable(wrong(copy.deepcopy(x)))
        except Exception:  # noqa: BLE001 - a crash is a failed hidden test
            got = None
        scores.append(compare_value(got, want, question.compare))
    assert sum(scores) < len(scores)


# --------------------------------------------------------------------------- slow: nbgrader + kernel


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.slow
def test_nbgrader_releases_without_solutions(tmp_path: Path) -> None:
    shutil.copytree(SOURCE, tmp_path / "source")
    shutil.copy(COURSE / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    nbgrader = Path(sys.executable).parent / "nbgrader"
    for assignment in ASSIGNMENTS:
        run = subprocess.run(
            [str(nbgrader), "generate_assignment", assignment, "--force"],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        released = tmp_path / "release" / assignment
        assert sorted(p.name for p in released.iterdir()) == [f"{assignment}.ipynb"]
        text = (released / f"{assignment}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "Model answer" not in text
        assert "Write your answer here" in text and "YOUR ANSWER HERE" in text
        nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            if nbmeta(cell).get("solution") and cell.cell_type == "code":
                assert "raise NotImplementedError" in cell.source
    released = nbformat.read(
        tmp_path / "release" / "a3_where_to_start" / "a3_where_to_start.ipynb", as_version=4
    )
    sources = "\n".join(cell.source for cell in released.cells)
    for case_id, entry in REFERENCES["opening_stances"](list(A3_POOL), course=CONTEXT).items():
        assert f'"{case_id}": "{entry["answer"]}"' not in sources
    assert (tmp_path / "gradebook.db").is_file()
    assert find_leaks(tmp_path / "release", COURSE) == []
    _RELEASED.update({a: tmp_path / "release" / a / f"{a}.ipynb" for a in ASSIGNMENTS})


_RELEASED: dict[str, Path] = {}  # filled by the release test, reused by the zero-marks test


def graded_in_kernel(
    nb: Any, assignment: str, folder: Path, student: str = STUDENT
) -> tuple[dict[str, Any], Any]:
    """Grade ``nb`` as ``student``'s submission through the grader's reconstruction, a real
    kernel (given the student's identity and the salt, as the grader does) and its verdicts.

    Returns the results by grade id and the executed notebook.
    """
    from nbclient import NotebookClient

    from course_lib.grading.execute import collect_answers
    from course_lib.grading.reconstruct import reconstruct
    from course_lib.grading.verdict import expected_values, judge_capture

    spec = spec_of(assignment).notebooks[assignment]
    rebuilt = reconstruct(nb, source_nb(assignment), spec)
    client = NotebookClient(
        rebuilt.notebook,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    with as_student(student):
        client.execute()
    answers = collect_answers(rebuilt.notebook, rebuilt.captures)
    results = {}
    for gid, question in questions(assignment, student).items():
        if question.answers_file:
            results[gid] = judge_answers_file(
                gid, question, folder / question.answers_file, CONTEXT
            )
        else:
            results[gid] = judge_capture(
                gid, question, answers.get(gid), expected_values(question, context_of(student))
            )
    return results, rebuilt.notebook


def errors_in(nb: Any, gid: str) -> list[str]:
    """Exception names raised by the cell with grade id ``gid``."""
    cell = next(c for c in nb.cells if nbmeta(c).get("grade_id") == gid)
    return [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_unchanged_release_earns_zero_through_capture(assignment: str, tmp_path: Path) -> None:
    """A student who submits the release untouched gets no autograded credit at all."""
    if assignment not in _RELEASED:
        test_nbgrader_releases_without_solutions(tmp_path / "course")
    released = nbformat.read(_RELEASED[assignment], as_version=4)
    work = tmp_path / "work"
    work.mkdir()
    results, _ = graded_in_kernel(released, assignment, work)
    assert results and all(r.fraction == 0.0 for r in results.values()), {
        gid: (r.fraction, r.feedback) for gid, r in results.items()
    }


@pytest.mark.slow
@pytest.mark.parametrize("student", STUDENTS[:2])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_earns_full_marks_through_capture(
    assignment: str, student: str, tmp_path: Path
) -> None:
    """Run the source as a submission: the grader's reconstruction, a real kernel, its verdicts."""
    nb = source_nb(assignment)
    if assignment == "a2_cases":
        write_model_answers(tmp_path, student)
    before = {p.name for p in tmp_path.iterdir()}
    results, executed = graded_in_kernel(nb, assignment, tmp_path, student)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    stderr = [
        o
        for c in executed.cells
        for o in c.get("outputs", [])
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not errors and not stderr
    for gid, result in results.items():
        assert result.fraction == 1.0, (gid, result.feedback)
    assert {p.name for p in tmp_path.iterdir()} == before  # wrote nothing new


def solved_with(**answers: str) -> Any:
    """The a1 source solutions as a student types them, with some answer cells replaced."""
    nb = source_nb("a1_inventory")
    for cell in nb.cells:
        gid = nbmeta(cell).get("grade_id")
        cell.source = answers.get(
            gid, re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", cell.source)
        )
    return nb


BROKEN_REVERSE = "def reverse_keyed(responses):\n    raise NotImplementedError"
BROKEN_FACETS = "def score_facets(responses):\n    raise NotImplementedError"
#: A score_total written inline that forgets reverse keying: its own mistake must still count.
INLINE_TOTAL = """def score_total(responses):
    answered = [responses[i] for i in ITEM_IDS if responses[i] is not None]
    facets_ok = all(
        len(ids) - sum(responses[i] is not None for i in ids) <= RULE.max_missing_per_facet
        for ids in FACETS.values()
    )
    if len(ITEM_IDS) - len(answered) > RULE.max_missing_total or not facets_ok:
        return None
    return sum(answered) / len(answered)"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answers", "wrong"),
    [
        # Questions 5b and 6b are values the student computes with their own functions: the
        # one documented dependence (docs/threat-model.md). Every function question stays
        # independent.
        (
            {"a1_reverse_keyed_code": BROKEN_REVERSE},
            {"a1_reverse_keyed", "a1_facet_means_data", "a1_alpha_data"},
        ),
        ({"a1_score_facets_code": BROKEN_FACETS}, {"a1_facets", "a1_facet_means_data"}),
        (
            {"a1_reverse_keyed_code": BROKEN_REVERSE, "a1_score_facets_code": BROKEN_FACETS},
            {"a1_reverse_keyed", "a1_facets", "a1_facet_means_data", "a1_alpha_data"},
        ),
    ],
    ids=["broken-reverse_keyed", "broken-score_facets", "both-broken"],
)
def test_no_a1_question_depends_on_another_questions_answer(
    answers: dict[str, str], wrong: set[str], tmp_path: Path
) -> None:
    results, executed = graded_in_kernel(solved_with(**answers), "a1_inventory", tmp_path)
    assert {gid for gid, r in results.items() if r.fraction == 0} == wrong
    assert all(r.fraction == 1.0 for gid, r in results.items() if gid not in wrong)
    # The student's own functions came back after each test: the dataset step uses them.
    assert errors_in(executed, "a1_facet_means_data_code") == ["NotImplementedError"]


@pytest.mark.slow
def test_stand_ins_never_replace_the_students_own_inline_code(tmp_path: Path) -> None:
    results, _ = graded_in_kernel(
        solved_with(a1_score_total_code=INLINE_TOTAL), "a1_inventory", tmp_path
    )
    assert 0 < results["a1_total"].fraction < 1  # right where nothing is reverse keyed
    assert all(r.fraction == 1.0 for gid, r in results.items() if gid != "a1_total")
