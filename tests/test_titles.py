"""Question titles and cell descriptions come from the assignment notebooks themselves."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.grading.notebook_checks import notebook_problems, validate_notebooks
from course_lib.grading.reconstruct import reconstruct, strip_captures
from course_lib.grading.spec import load_spec
from course_lib.grading.titles import describe_cell, question_titles

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "course"
MINI = REPO / "tests" / "fixtures" / "mini_course"


def _source(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def test_every_graded_cell_of_the_course_has_its_heading_as_title() -> None:
    a1 = question_titles(_source("a1_inventory"))
    assert a1["a1_facets"] == "Question 2 (2 points): facet scores"
    # Questions 5 and 6: the function and the value on the student's own dataset
    assert a1["a1_facet_means"] == "Question 5a (1 point): facet means across respondents"
    assert a1["a1_alpha_data"] == "Question 6b (1 point): alpha of your dataset"
    a2 = question_titles(_source("a2_cases"))
    assert a2["a2_ratings"] == "Part A (4 points): rate your four cases"
    assert a2["a2_kappa"] == "B2 (2 points): quadratic-weighted kappa"
    assert a2["a2_justification"].startswith("Part C (3 points, marked by your instructor)")
    a4 = question_titles(_source("a4_what_to_say"))
    assert a4["a4_oppositional"] == "Question 1 (4 points): four clients near the oppositional pole"
    assert a4["a4_margit"] == "Question 4 (3 points, marked by your instructor): Margit"
    for assignment in ("a1_inventory", "a2_cases", "a3_where_to_start", "a4_what_to_say"):
        titles = question_titles(_source(assignment))
        assert titles and all(t != gid and "`" not in t for gid, t in titles.items())


def test_a_headingless_question_is_a_validation_problem(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    path = course / "source" / "t1" / "t1.ipynb"
    assert notebook_problems(path, {"t1_q1", "t1_q2"}) == []
    nb = nbformat.read(path, as_version=4)
    intro = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q2_text")
    intro.source = "Write `double(v)` returning twice `v`."  # the heading is gone
    nbformat.write(nb, path)
    problems = validate_notebooks(course).problems
    assert [p.field for p in problems] == ["t1_q2"]
    assert "no heading" in problems[0].problem


def test_cells_are_described_as_the_student_sees_them() -> None:
    template = nbformat.read(MINI / "source" / "t1" / "t1.ipynb", as_version=4)
    spec = load_spec(MINI / "keys" / "t1.yaml").notebooks["t1"]
    student = copy.deepcopy(template)
    student.cells.insert(4, nbformat.v4.new_code_cell("print('mine')"))  # after q1's answer
    student.cells.insert(0, nbformat.v4.new_markdown_cell("# My own heading, not the course's"))
    nb = reconstruct(student, template, spec).notebook
    described = {
        nb.cells[i].get("metadata", {}).get("nbgrader", {}).get("grade_id", nb.cells[i].source): (
            describe_cell(nb, i)
        )
        for i in range(len(nb.cells))
    }
    q1, q2 = "“Question 1 (1 point): six times seven”", "“Question 2 (2 points): doubling”"
    assert described["q1_answer"] == f"your answer cell under {q1}"
    assert described["t1_q1"] == f"the locked check cell under {q1}"
    assert described["print('mine')"] == f"a cell you added under {q1}"
    assert described["setup"] == "the cell under “Mini assignment (test fixture)”"
    assert (
        described["# My own heading, not the course's"]
        == "a cell you added at the start of the notebook"
    )
    captures = [i for i, c in enumerate(nb.cells) if "course_lib_capture" in c.metadata]
    assert [describe_cell(nb, i) for i in captures] == [
        f"the grader's test of your answer to {q1}",
        f"the grader's test of your answer to {q2}",
    ]
    assert describe_cell(nb, len(nb.cells)) == "a cell of your notebook"
    # the grader's setup cell comes first, before the student's own first cell
    assert "course_lib_setup" in nb.cells[0].metadata
    assert describe_cell(nb, 0) == "the grader's setup, before your first cell"
    shown = strip_captures(nb).cells  # what formgrader shows: none of the grader's cells
    assert len(shown) == len(nb.cells) - 3 and shown[0].source.startswith("# My own heading")


@pytest.mark.parametrize(
    ("source", "title"),
    [
        (
            "## Question 4 (1 point): teaching bands\nWrite `band_for`.",
            "Question 4 (1 point): teaching bands",
        ),
        (
            "# Part A\n\n### B1 (1 point): **percent** agreement ###",
            "B1 (1 point): percent agreement",
        ),
        ("**Q1.** Set `x` to six times seven.", "Q1. Set x to six times seven."),
    ],
)
def test_titles_are_plain_text(source: str, title: str) -> None:
    meta = {"nbgrader": {"grade_id": "text", "locked": True, "grade": False, "solution": False}}
    graded = {"nbgrader": {"grade_id": "q", "locked": True, "grade": True, "points": 1}}
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(source, metadata=meta),
            nbformat.v4.new_code_cell("pass", metadata=graded),
        ]
    )
    assert question_titles(nb) == {"q": title}
