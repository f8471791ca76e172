"""The grading pipeline on the mini course: scores, bad input, re-grading, manual grades, leaks."""

from __future__ import annotations

import copy
import html
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    EXPECTED,
    HIDDEN_INPUTS,
    KEY_TEXTS,
    Graded,
    answered,
    cell_index,
    copy_course,
    grade,
    options,
    prepare_release,
    snapshot,
    source_notebook,
    write_submission,
)

from course_lib.grading.course import COURSE_ID
from course_lib.grading.release import find_leaks

pytestmark = pytest.mark.slow

GOOD_DOUBLE = "def double(v):\n    return 2 * v"
PARTIAL_DOUBLE = "def double(v):\n    return 2 * int(v)"  # right on 13 and 1000001, wrong on -7.5


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the class (good, blank, partial and every kind of bad input), grade it twice."""
    tmp = tmp_path_factory.mktemp("pipeline")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    subs = tmp / "submitted"
    write_submission(subs, "full", source_notebook(course))
    write_submission(subs, "blank", released)
    write_submission(subs, "partial", answered(released, "x = 42", PARTIAL_DOUBLE))
    # bad input
    (subs / "malformed" / "t1").mkdir(parents=True)
    (subs / "malformed" / "t1" / "t1.ipynb").write_text("{ this is not a notebook")
    (subs / "missing" / "t1").mkdir(parents=True)
    (subs / "missing" / "t1" / "notes.txt").write_text("forgot the notebook")
    write_submission(subs, "renamed", answered(released, "x = 42", GOOD_DOUBLE), name="homework")
    deleted = answered(released, "x = 42", GOOD_DOUBLE)
    del deleted.cells[cell_index(deleted, "t1_q1")]  # a locked answer cell: restored
    del deleted.cells[cell_index(deleted, "q2_answer")]  # a solution cell: the stub comes back
    write_submission(subs, "deleted", deleted)
    duplicated = answered(released, "x = 42", GOOD_DOUBLE)
    for gid in ("t1_q1", "q2_answer"):
        i = cell_index(duplicated, gid)
        twin = copy.deepcopy(duplicated.cells[i])
        twin["id"] = f"copy-{gid}".replace("_", "-")  # Jupyter gives a pasted cell a new id
        duplicated.cells.insert(i + 1, twin)
    write_submission(subs, "duplicated", duplicated)
    kernel_error = answered(released, "x = 42", GOOD_DOUBLE)
    kernel_error.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    write_submission(subs, "cellerror", kernel_error)
    dies = answered(released, "x = 42", GOOD_DOUBLE)
    dies.cells.insert(
        cell_index(dies, "q2_text"), nbformat.v4.new_code_cell("import os\nos._exit(3)")
    )
    write_submission(subs, "kerneldies", dies)
    slow = answered(released, "x = 42", GOOD_DOUBLE)
    slow.cells.insert(
        cell_index(slow, "q2_text"), nbformat.v4.new_code_cell("import time\ntime.sleep(60)")
    )
    write_submission(subs, "celltimeout", slow)
    loops = answered(released, "x = 42", GOOD_DOUBLE + "\n\nwhile True:\n    pass")
    write_submission(subs, "loopsinanswer", loops)  # stops in a named answer cell
    loops_in_check = answered(released, "x = 42", "def double(v):\n    while True:\n        pass")
    write_submission(subs, "loopsincheck", loops_in_check)  # the public check calls it
    hidden_loop = "def double(v):\n    while v != 2:\n        pass\n    return 4"
    write_submission(subs, "loopsonhidden", answered(released, "x = 42", hidden_loop))

    before = snapshot(subs)
    out = tmp / "out"
    first = grade(subs, out, course)
    second = grade(subs, out, course)
    return {
        "tmp": tmp,
        "course": course,
        "subs": subs,
        "out": out,
        "before": before,
        "after": snapshot(subs),
        "first": first,
        "second": second,
    }


def test_source_notebook_gets_full_marks(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    row = run.row("full")
    assert row["status"] == "graded", row["detail"]
    assert float(row["auto_score"]) == float(row["auto_max"]) == 3
    assert row["manual_max"] == "2" and row["needs_manual_grade"] == "true"
    assert run.cells[("full", "t1", "t1_q1")]["score"] == "1"
    assert run.cells[("full", "t1", "t1_q2")]["score"] == "2"


def test_released_notebook_gets_zero(world: dict[str, Any]) -> None:
    row = world["first"].row("blank")
    assert row["status"] == "graded"
    assert float(row["auto_score"]) == 0


def test_partial_submission_gets_the_designed_partial_score(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    assert run.row("partial")["status"] == "graded"
    assert run.score("partial") == pytest.approx(1 + 2 * 2 / 3, abs=0.005)  # 2 decimals
    assert "2 of 3 hidden test inputs" in run.feedback("partial")


@pytest.mark.parametrize(
    ("student", "notebook", "status", "words"),
    [
        ("malformed", "t1", "malformed-notebook", "not a readable notebook"),
        ("missing", "t1", "missing-notebook", "t1.ipynb was not submitted"),
        ("renamed", "t1", "missing-notebook", "found instead: homework.ipynb"),
        ("renamed", "homework", "unexpected-notebook", "not part of t1"),
        ("kerneldies", "t1", "killed", "kernel died"),
        (
            "celltimeout",
            "t1",
            "timeout",
            "a cell you added under “Question 1 (1 point): six times seven” ran longer than 5 s",
        ),
    ],
)
def test_bad_input_gets_a_row_with_a_status_and_a_clear_detail(
    world: dict[str, Any], student: str, notebook: str, status: str, words: str
) -> None:
    row = world["first"].row(student, notebook)
    assert row["status"] == status
    assert words in row["detail"]


def test_answers_collected_before_a_stop_still_count(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    for student in ("kerneldies", "celltimeout"):
        assert run.score(student) == 1  # q1 was collected, q2 never ran
        assert "answers collected before that were graded" in run.row(student)["detail"]


def test_restored_cells_are_graded_and_noted(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    deleted = run.row("deleted")
    assert deleted["status"] == "graded"
    assert "'t1_q1' was missing; the released version was restored" in deleted["detail"]
    assert "'q2_answer' was missing" in deleted["detail"]
    assert run.score("deleted") == 1  # q1 answered and its capture restored; q2 is the stub
    assert "NotImplementedError" in deleted["detail"]
    duplicated = run.row("duplicated")
    assert duplicated["status"] == "graded"
    assert "'t1_q1' appears twice" in duplicated["detail"]
    assert run.score("duplicated") == 3
    error = run.row("cellerror")
    assert error["status"] == "graded" and "ZeroDivisionError" in error["detail"]
    assert run.score("cellerror") == 3


def test_every_notebook_has_a_row_and_reconciliation_balances(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    recon = run.recon
    assert recon["balanced"] is True and recon["files_without_a_row"] == []
    assert recon["submitted_notebooks"] == 13  # every .ipynb file, the renamed one included
    assert recon["rows"] == len(run.grades) == 15  # + two missing-notebook rows
    assert recon["graded"] + recon["errors"] == recon["rows"]
    assert recon["isolation"]["mode"] == "bubblewrap"
    assert run.code == 0


def test_regrading_gives_identical_csvs(world: dict[str, Any]) -> None:
    first, second = world["first"], world["second"]
    assert first.grades_text == second.grades_text
    assert first.cells_text == second.cells_text


def test_originals_are_untouched(world: dict[str, Any]) -> None:
    assert world["before"] == world["after"]
    assert world["before"]  # the snapshot saw the files


def test_feedback_and_release_leak_nothing(world: dict[str, Any]) -> None:
    out: Path = world["out"]
    course: Path = world["course"]
    for folder in (out / "feedback", out / "release"):
        assert find_leaks(folder, course) == []
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                for secret in [*HIDDEN_INPUTS, *EXPECTED, *KEY_TEXTS]:
                    assert secret not in text, f"{path} contains {secret!r}"


def test_manual_score_from_formgrader_flows_in_and_is_kept(world: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    out: Path = world["out"]
    db_url = f"sqlite:///{out / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        written = gb.find_grade("t1_written", "t1", "t1", "full")
        written.manual_score = 1.5
        comment = gb.find_comment("t1_written", "t1", "t1", "full")
        comment.manual_comment = "Good, but say what is restored."
        gb.db.commit()
    few = world["tmp"] / "few"  # only two students: quicker, and the gradebook is shared
    for student in ("full", "blank"):
        shutil.copytree(world["subs"] / student, few / student)
    run = grade(few, out, world["course"])
    row = run.row("full")
    assert row["manual_score"] == "1.5" and row["needs_manual_grade"] == "false"
    assert row["auto_score"] == "3"
    assert run.cells[("full", "t1", "t1_written")]["score"] == "1.5"
    page = run.feedback("full")
    assert "1.5 / 2" in page and "Good, but say what is restored." in page
    assert "Autograded questions: 3 / 3. Written answers: 1.5 / 2. Total: 4.5 / 5." in page
    assert "awaiting" not in page
    assert run.row("blank")["needs_manual_grade"] == "true"
    run = grade(few, out, world["course"])  # and once more: still there
    assert run.row("full")["manual_score"] == "1.5"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        assert gb.find_grade("t1_written", "t1", "t1", "full").manual_score == 1.5
        assert gb.find_grade("t1_q2", "t1", "t1", "full").auto_score == 2


# --------------------------------------------------------------------------- feedback pages


def test_feedback_names_questions_by_their_titles(world: dict[str, Any]) -> None:
    page = world["first"].feedback("full")
    for title in (
        "Question 1 (1 point): six times seven",
        "Question 2 (2 points): doubling",
        "Question 3 (2 points, marked by your instructor): reactance in a sentence",
    ):
        assert f"<td>{title}</td>" in page
    for gid in ("t1_q1", "t1_q2", "t1_written"):
        assert gid not in page


def test_scores_are_rounded_to_two_decimals_with_a_total(world: dict[str, Any]) -> None:
    run: Graded = world["first"]
    assert run.row("partial")["auto_score"] == "2.33"  # 1 + 2 x 2/3
    assert run.cells[("partial", "t1", "t1_q2")]["score"] == "1.33"
    assert "2.3333" not in run.grades_text and "1.3333" not in run.cells_text
    page = run.feedback("partial")
    assert "<td>1.33 / 2</td>" in page
    assert (
        "Autograded questions: 2.33 / 3. Written answers: awaiting your instructor (2 points). "
        "Total so far: 2.33 / 5, with 2 points still awaiting your instructor."
    ) in page


def test_malformed_notebook_gets_a_plain_sentence_without_the_exception(
    world: dict[str, Any],
) -> None:
    run: Graded = world["first"]
    assert "NotJSONError" in run.row("malformed")["detail"]  # the instructor keeps the reason
    page = run.feedback("malformed")
    assert (
        "Your notebook file could not be opened as a notebook; it may have been damaged while "
        "saving. Nothing in it could be graded. Talk to your instructor."
    ) in page
    for technical in ("NotJSONError", "JSON", "not a readable notebook", "malformed-notebook"):
        assert technical not in page
    assert "not graded: the notebook could not be opened" in page
    assert "awaiting" not in page


def test_formgrader_shows_rounded_scores_and_queues_only_readable_answers(
    world: dict[str, Any],
) -> None:
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{world['out'] / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        assert gb.find_grade("t1_q2", "t1", "t1", "partial").auto_score == 1.33
        assert gb.find_grade("t1_written", "t1", "t1", "partial").needs_manual_grade
        for unreadable in ("malformed", "missing"):
            grade = gb.find_grade("t1_written", "t1", "t1", unreadable)
            assert not grade.needs_manual_grade, unreadable


def test_missing_notebook_written_answer_is_not_submitted(world: dict[str, Any]) -> None:
    page = world["first"].feedback("missing")
    assert "No notebook called t1.ipynb was found in your submission" in page
    assert (
        "<td>Question 3 (2 points, marked by your instructor): reactance in a sentence</td>"
        "<td>not submitted</td>"
    ) in page
    assert "<td>Question 2 (2 points): doubling</td><td>not submitted</td>" in page
    assert "awaiting" not in page
    assert "Total: nothing could be graded (out of 5)." in page


@pytest.mark.parametrize(
    ("student", "where"),
    [
        ("loopsinanswer", "your answer cell under “Question 2 (2 points): doubling”"),
        ("loopsincheck", "the locked check cell under “Question 2 (2 points): doubling”"),
        ("loopsonhidden", "the grader's test of your answer to “Question 2 (2 points): doubling”"),
        ("celltimeout", "a cell you added under “Question 1 (1 point): six times seven”"),
    ],
)
def test_a_timeout_names_the_cell_as_the_student_sees_it(
    world: dict[str, Any], student: str, where: str
) -> None:
    run: Graded = world["first"]
    row = run.row(student)
    assert row["status"] == "timeout"
    assert row["detail"].startswith(f"{where} ran longer than 5 s")
    assert "capture" not in row["detail"]
    page = run.feedback(student)
    assert (
        f"Grading stopped in {html.escape(where)}, which ran for longer than the time allowed"
        in page
    )
    assert run.score(student) == 1  # Question 1 was collected before the stop


@pytest.mark.skipif(os.geteuid() != 0, reason="setpriv isolation drops root's privileges: root only")
def test_the_setpriv_fallback_grades_as_an_unprivileged_user(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """Where bubblewrap is refused, root falls back to setpriv: kernels must still start.

    (They could not: the socket folder sat inside a root-only scratch folder.)
    """
    subs = tmp_path / "subs"
    for student in ("full", "blank"):
        shutil.copytree(world["subs"] / student, subs / student)
    run = grade(subs, tmp_path / "out", world["course"], options(isolation="setpriv"))
    assert run.code == 0, run.recon
    assert run.row("full")["status"] == "graded" and float(run.row("full")["auto_score"]) == 3
    assert run.row("blank")["status"] == "graded" and float(run.row("blank")["auto_score"]) == 0
    assert run.recon["isolation"]["mode"] == "setpriv"
