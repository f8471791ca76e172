"""Discovery and reconciliation without running anything: every file found has exactly one row,
and reconciliation.json says balanced exactly when that holds."""

from __future__ import annotations

from pathlib import Path

import nbformat
from pipeline_support import MINI

from course_lib.grading.course import Course
from course_lib.grading.discover import discover
from course_lib.grading.reconcile import reconciliation
from course_lib.grading.rows import Row, in_course
from course_lib.grading.spec import load_spec


def mini_course(tmp_path: Path) -> Course:
    """The mini course's specs, enough for discovery (no nbgrader run needed)."""
    specs = {"t1": load_spec(MINI / "keys" / "t1.yaml")}
    return Course(tmp_path / "out", "sqlite://", specs, MINI / "keys")


def touch_notebook(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), path)


def graded(student: str) -> Row:
    return Row(student, "t1", "t1", "graded", auto_score=0.0, auto_max=3.0)


def test_a_badly_named_student_folder_gets_a_row_per_notebook_and_balances(
    tmp_path: Path,
) -> None:
    course = mini_course(tmp_path)
    subs = tmp_path / "subs"
    touch_notebook(subs / "ok" / "t1" / "t1.ipynb")
    touch_notebook(subs / "bad name!" / "t1" / "t1.ipynb")
    touch_notebook(subs / "bad name!" / "t1" / "scratch.ipynb")
    (subs / "no notebooks?" / "t1").mkdir(parents=True)
    jobs, rows = discover(subs, course)
    assert [j.student for j in jobs] == ["ok"]
    bad = sorted((r.student, r.assignment, r.notebook) for r in rows)
    assert bad == [
        ("bad name!", "t1", "scratch"),
        ("bad name!", "t1", "t1"),
        ("no notebooks?", "", ""),
    ]
    assert all(r.status == "bad-student-id" and "not graded" in r.detail for r in rows)
    # never recorded in the gradebook or the feedback pages, although t1/t1 is a course notebook
    assert not any(in_course(r, course.specs) for r in rows)
    recon = reconciliation([*rows, graded("ok")], subs)
    assert recon["submitted_notebooks"] == 3
    assert recon["rows"] == 4 and recon["graded"] == 1 and recon["errors"] == 3
    assert recon["by_status"] == {"bad-student-id": 3, "graded": 1}
    assert recon["files_without_a_row"] == []
    assert recon["balanced"] is True


def test_a_notebook_without_a_row_unbalances(tmp_path: Path) -> None:
    course = mini_course(tmp_path)
    subs = tmp_path / "subs"
    touch_notebook(subs / "ok" / "t1" / "t1.ipynb")
    touch_notebook(subs / "lost" / "t1" / "t1.ipynb")
    jobs, rows = discover(subs, course)
    assert rows == [] and len(jobs) == 2
    recon = reconciliation([graded("ok")], subs)  # "lost" was dropped
    assert recon["balanced"] is False
    assert recon["files_without_a_row"] == ["lost/t1/t1"]


def test_an_unknown_assignment_gets_a_row_per_notebook_and_balances(tmp_path: Path) -> None:
    course = mini_course(tmp_path)
    subs = tmp_path / "subs"
    touch_notebook(subs / "ok" / "t1" / "t1.ipynb")
    touch_notebook(subs / "ok" / "t9" / "t9.ipynb")  # no assignment t9 in this course
    touch_notebook(subs / "ok" / "t9" / "scratch.ipynb")
    (subs / "ok" / "empty-folder").mkdir()  # an unknown folder without a notebook
    (subs / "ok" / "empty-folder" / "notes.txt").write_text("")
    jobs, rows = discover(subs, course)
    assert [(j.student, j.assignment) for j in jobs] == [("ok", "t1")]
    assert sorted((r.assignment, r.notebook, r.status) for r in rows) == [
        ("empty-folder", "(no notebook)", "unknown-assignment"),
        ("t9", "scratch", "unknown-assignment"),
        ("t9", "t9", "unknown-assignment"),
    ]
    assert not any(in_course(r, course.specs) for r in rows)
    recon = reconciliation([*rows, graded("ok")], subs)
    assert recon["submitted_notebooks"] == 3  # t1, t9 and scratch
    assert recon["rows"] == 4 and recon["graded"] == 1 and recon["errors"] == 3
    assert recon["by_status"] == {"graded": 1, "unknown-assignment": 3}
    assert recon["files_without_a_row"] == []
    assert recon["balanced"] is True
