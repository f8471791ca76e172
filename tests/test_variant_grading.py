"""Grading the real assignments on each student's own variant, through the sandboxed pipeline.

Three students (each on a different case set, each with a dataset of their own):

* ``amara`` submits the source solutions for her variant: full marks;
* ``bao`` submits amara's values: her a2 answers file, her a3 stance dict and her a1 numbers
  typed in, plus an edited ``variant_salt.json`` that would show him amara's cases: he scores
  below full marks, the detail says why, and the similarity report flags both;
* ``carmen`` typed amara's id in her notebooks and worked on what they showed: she is graded
  on her own variant (a1's values, computed by her code at grading, are right; her a2 file and
  a3 dict are for amara's cases, so they are not).

Everything is graded twice: a re-grade gives the same variants and the same scores.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import Graded, grade, options, unwrap

from course_lib.grading.per_student import write_released
from course_lib.grading.references import REFERENCES, model_case_answers
from course_lib.grading.verdict import CourseContext
from course_lib.variants import variant_for

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "course"
SALT = "test-salt-0001"
ASSIGNMENTS = ("a1_inventory", "a2_cases", "a3_where_to_start")
#: A salt under which bao's notebook would show amara's case set (he edits his file to it).
BAOS_PICK = "picked-salt-018"


def context(student: str) -> CourseContext:
    return CourseContext(COURSE / "keys", REPO / "assets", variant_for(student, SALT))


def notebook(assignment: str, typed_id: str, **answers: str) -> Any:
    """The source solutions as a student types them, with their id typed and some answer
    cells replaced (by grade id)."""
    nb = nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        cell.source = answers.get(gid, unwrap(cell.source))
        if gid.endswith("_student_id"):
            cell.source = cell.source.replace('STUDENT_ID = ""', f'STUDENT_ID = "{typed_id}"')
    return nb


def submit(subs: Path, student: str, assignment: str, nb: Any, answers: Any = None) -> Path:
    folder = subs / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    write_released(folder, SALT)  # the released copy of the salt, as students receive it
    if answers is not None:
        (folder / "a2_cases.answers.json").write_text(json.dumps(answers, indent=1))
    return folder


def stance_cell(student: str) -> str:
    """The a3 answer cell with the key's stances for ``student``'s cases typed in."""
    cases = list(variant_for(student, SALT).a3_cases)
    keys = REFERENCES["opening_stances"](cases, course=context(student))
    return f"opening_stance = {json.dumps({c: e['answer'] for c, e in keys.items()})}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graded, Graded]:
    tmp = tmp_path_factory.mktemp("variants")
    subs = tmp / "submitted"
    a2_model = {s: model_case_answers(variant_for(s, SALT).a2_cases, course=context(s)) for s in
                ("amara", "bao", "carmen")}  # fmt: skip
    for assignment in ASSIGNMENTS:
        answers = a2_model["amara"] if assignment == "a2_cases" else None
        submit(subs, "amara", assignment, notebook(assignment, "amara"), answers)
    # bao: amara's values throughout, and a salt file edited to show amara's case set
    amara = context("amara")
    copied = {
        "a1_facet_means_data_code": "facet_means = "
        + repr(REFERENCES["dataset_facet_means"](None, course=amara)),
        "a1_alpha_data_code": f"alpha = {REFERENCES['dataset_alpha'](None, course=amara)!r}",
        "a3_stances_code": stance_cell("amara"),
    }
    for assignment in ASSIGNMENTS:
        answers = a2_model["amara"] if assignment == "a2_cases" else None
        folder = submit(subs, "bao", assignment, notebook(assignment, "bao", **copied), answers)
        write_released(folder, BAOS_PICK)
    # carmen: typed amara's id, so her notebooks showed amara's cases and dataset
    typed = {"a3_stances_code": stance_cell("amara")}
    for assignment in ASSIGNMENTS:
        answers = a2_model["amara"] if assignment == "a2_cases" else None
        submit(subs, "carmen", assignment, notebook(assignment, "amara", **typed), answers)
    first = grade(subs, tmp / "out", COURSE, options(variant_salt=SALT))
    kept = {p.name: p.read_text() for p in (tmp / "out").glob("*.json")}
    shutil.copytree(tmp / "out", tmp / "first")
    second = grade(subs, tmp / "out", COURSE, options(variant_salt=SALT))
    first.out = tmp / "first"
    assert kept["similarity.json"] == (tmp / "out" / "similarity.json").read_text()
    return first, second


def cell(run: Graded, student: str, assignment: str, gid: str) -> float:
    return float(run.cells[(student, assignment, gid)]["score"] or 0)


def test_the_source_solutions_earn_full_marks_on_their_own_variant(
    runs: tuple[Graded, Graded],
) -> None:
    run = runs[0]
    assert run.code == 0 and run.recon["balanced"]
    for assignment in ASSIGNMENTS:
        row = run.grades[("amara", assignment, assignment)]
        assert row["status"] == "graded" and row["auto_score"] == row["auto_max"], row
        assert "outside this student's case set" not in row["detail"]


def test_copied_values_score_below_full_marks_with_the_reason(runs: tuple[Graded, Graded]) -> None:
    run = runs[0]
    assert cell(run, "bao", "a1_inventory", "a1_facet_means_data") == 0
    assert cell(run, "bao", "a1_inventory", "a1_alpha_data") == 0
    assert cell(run, "bao", "a1_inventory", "a1_alpha") == 1  # his functions are his own
    for assignment, gid in (("a2_cases", "a2_ratings"), ("a3_where_to_start", "a3_stances")):
        assert 0 < cell(run, "bao", assignment, gid) < 4  # the cases both sets share still count
        detail = run.grades[("bao", assignment, assignment)]["detail"]
        assert f"{gid}: answers cases outside this student's case set" in detail, detail
        page = (run.out / "feedback" / "bao" / assignment / f"{assignment}.html").read_text()
        assert "Your answer also names cases that are not in your case set" in page
    a1 = run.grades[("bao", "a1_inventory", "a1_inventory")]
    assert float(a1["auto_score"]) == float(a1["auto_max"]) - 2


def test_an_edited_salt_file_does_not_choose_the_variant(runs: tuple[Graded, Graded]) -> None:
    bao = variant_for("bao", SALT)
    assert variant_for("bao", BAOS_PICK).case_set == variant_for("amara", SALT).case_set
    executed = (runs[0].out / "autograded" / "bao" / "a2_cases" / "a2_cases.ipynb").read_text()
    assert f"case set {bao.case_set} of 12" in executed
    assert "set by the grader from your submission" in executed


def test_a_typed_other_id_is_graded_on_the_students_own_variant(
    runs: tuple[Graded, Graded],
) -> None:
    run = runs[0]
    a1 = run.grades[("carmen", "a1_inventory", "a1_inventory")]
    assert a1["auto_score"] == a1["auto_max"]  # her code ran on her own dataset when graded
    for assignment, gid in (("a2_cases", "a2_ratings"), ("a3_where_to_start", "a3_stances")):
        assert cell(run, "carmen", assignment, gid) < 4
        assert (
            "outside this student's case set"
            in run.grades[("carmen", assignment, assignment)]["detail"]
        )
    executed = (run.out / "autograded" / "carmen" / "a2_cases" / "a2_cases.ipynb").read_text()
    assert "You typed `amara`, but this id decides your variant" in executed


def test_the_similarity_report_flags_the_copies(runs: tuple[Graded, Graded]) -> None:
    run = runs[0]
    report = json.loads((run.out / "similarity.json").read_text())
    files = [(e["assignment"], e["students"]) for e in report["answers_files"]]
    assert files == [("a2_cases", ["amara", "bao", "carmen"])]
    values = {(e["assignment"], tuple(e["students"])) for e in report["values"]}
    assert ("a1_inventory", ("amara", "bao")) in values
    assert ("a3_where_to_start", ("amara", "bao", "carmen")) in values
    detail = run.grades[("bao", "a1_inventory", "a1_inventory")]["detail"]
    assert re.search(r"similarity: the same a1_alpha_data, a1_facet_means_data as amara", detail)
    assert (
        "similarity: a2_cases.answers.json is identical to amara's, carmen's"
        in run.grades[("bao", "a2_cases", "a2_cases")]["detail"]
    )


def test_a_regrade_gives_the_same_variants_and_scores(runs: tuple[Graded, Graded]) -> None:
    first, second = runs
    assert first.grades.keys() == second.grades.keys()
    for key, row in first.grades.items():
        assert second.grades[key]["auto_score"] == row["auto_score"], key
        assert second.grades[key]["detail"] == row["detail"], key
