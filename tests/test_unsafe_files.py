"""The grader reads only regular files inside a submission folder; anything else is ``unsafe-file``.

A symbolic link (to another student's answers file, anywhere), a named pipe, a folder where
a file is expected, or a path out of the folder: the row is ``unsafe-file`` with a detail
naming the file, nothing of that notebook is read or run, and the student's feedback says
which file and why. Hidden files are neither read nor copied, so they are never unsafe.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    COURSE_KEYS,
    Graded,
    copy_course,
    grade,
    prepare_release,
    source_notebook,
    write_submission,
)

from course_lib.grading.pipeline import files_read
from course_lib.grading.spec import load_spec
from course_lib.grading.submission_files import unsafe_files

READS_DATA = "print('DATA:', open('data.csv').read().strip())"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run: an honest student with extra files, and every kind of unsafe file."""
    tmp = tmp_path_factory.mktemp("unsafe")
    course = copy_course(tmp / "course")
    spec = course / "keys" / "t1.yaml"  # the grader itself reads t1.answers.json, as a2's
    spec.write_text(spec.read_text() + "extra_files: [t1.answers.json]\n")
    released = prepare_release(course, tmp / "release-course")
    subs = tmp / "submitted"
    honest_nb = source_notebook(course)
    honest_nb.cells.append(nbformat.v4.new_code_cell(READS_DATA))
    honest = write_submission(subs, "honest", honest_nb)
    (honest / "data.csv").write_text("honest-data\n")
    (honest / "t1.answers.json").write_text("{}\n")
    (honest / ".ipynb_checkpoints").mkdir()
    (honest / ".ipynb_checkpoints" / "t1-checkpoint.ipynb").write_text("{}")
    (honest / ".cache").symlink_to("/")  # hidden: never read or copied, so not unsafe

    copycat = write_submission(subs, "copycat", released)  # answers linked to honest's
    (copycat / "t1.answers.json").symlink_to(honest / "t1.answers.json")
    linked_extra = write_submission(subs, "linked_extra", released)
    (linked_extra / "data.csv").symlink_to(honest / "data.csv")
    pipe = write_submission(subs, "pipe", released)
    os.mkfifo(pipe / "notes.txt")
    linked_dir = write_submission(subs, "linked_dir", released)
    (linked_dir / "data").symlink_to(honest)
    answers_dir = write_submission(subs, "answers_dir", released)
    (answers_dir / "t1.answers.json").mkdir()
    (subs / "linked_nb" / "t1").mkdir(parents=True)
    (subs / "linked_nb" / "t1" / "t1.ipynb").symlink_to(honest / "t1.ipynb")
    (subs / "dir_nb" / "t1" / "t1.ipynb").mkdir(parents=True)
    run = grade(subs, tmp / "out", course)
    return {"run": run, "subs": subs}


UNSAFE = {
    "copycat": "t1.answers.json is a symbolic link",
    "linked_extra": "data.csv is a symbolic link",
    "pipe": "notes.txt is a named pipe (FIFO)",
    "linked_dir": "data is a symbolic link",
    "answers_dir": "t1.answers.json is a folder",
    "linked_nb": "t1.ipynb is a symbolic link",
    "dir_nb": "t1.ipynb is a folder",
}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(UNSAFE))
def test_an_unsafe_file_gets_its_status_a_detail_naming_it_and_no_grade(
    world: dict[str, Any], student: str
) -> None:
    run: Graded = world["run"]
    row = run.row(student)
    assert row["status"] == "unsafe-file", row
    assert row["detail"].startswith(UNSAFE[student]), row["detail"]
    assert "nothing in this notebook was graded" in row["detail"]
    assert row["auto_score"] == "" and row["needs_manual_grade"] == "false"
    assert not run.executed(student), "nothing of it ran"
    page = html.unescape(run.feedback(student))
    assert f"Your submission holds something the grader does not read ({UNSAFE[student]})" in page
    assert "Total: nothing could be graded (out of 5)." in page
    assert str(world["subs"]) not in page and str(world["subs"]) not in row["detail"]


@pytest.mark.slow
def test_regular_files_are_still_copied_and_hidden_ones_ignored(world: dict[str, Any]) -> None:
    run: Graded = world["run"]
    row = run.row("honest")
    assert row["status"] == "graded", row
    assert row["auto_score"] == "3"
    assert "DATA: honest-data" in run.outputs("honest")


@pytest.mark.slow
def test_unsafe_rows_balance_and_stay_out_of_the_marking_queue(world: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    from course_lib.grading.course import COURSE_ID

    run: Graded = world["run"]
    assert run.recon["balanced"] is True and run.code == 0
    assert run.recon["by_status"] == {"graded": 1, "unsafe-file": len(UNSAFE)}
    with Gradebook(f"sqlite:///{run.out / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        for student in UNSAFE:
            assert not gb.find_grade("t1_written", "t1", "t1", student).needs_manual_grade
            assert gb.find_grade("t1_q1", "t1", "t1", student).auto_score is None


def test_a2_answers_file_linked_to_another_students_is_unsafe(tmp_path: Path) -> None:
    spec = load_spec(COURSE_KEYS / "a2_cases.yaml")
    named = files_read(spec, spec.notebooks["a2_cases"])
    assert named == ["a2_cases.answers.json"]
    amara, copycat = tmp_path / "amara" / "a2_cases", tmp_path / "copycat" / "a2_cases"
    for folder in (amara, copycat):
        folder.mkdir(parents=True)
        (folder / "a2_cases.ipynb").write_text("{}")
    (amara / "a2_cases.answers.json").write_text("{}")
    assert unsafe_files(amara, "a2_cases", named) == []
    (copycat / "a2_cases.answers.json").symlink_to(amara / "a2_cases.answers.json")
    assert unsafe_files(copycat, "a2_cases", named) == ["a2_cases.answers.json is a symbolic link"]


def test_named_files_reached_through_a_link_or_out_of_the_folder_are_unsafe(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ada" / "t1"
    folder.mkdir(parents=True)
    (folder / "t1.ipynb").write_text("{}")
    assert unsafe_files(folder, "t1", ["saved/answers.json"]) == []  # absent: not unsafe
    (folder / "saved").symlink_to(tmp_path)
    assert unsafe_files(folder, "t1", ["saved/answers.json"]) == [
        "saved (on the way to saved/answers.json) is a symbolic link"
    ]
    assert unsafe_files(folder, "t1", ["../answers.json"]) == [
        "../answers.json leads out of the submission folder",
        "saved is a symbolic link",
    ]
    linked = tmp_path / "bob"
    linked.symlink_to(tmp_path / "ada")
    assert "is a symbolic link or not a folder" in unsafe_files(linked / "t1", "t1")[0]


def test_a_spec_cannot_name_a_file_outside_the_folder_or_a_hidden_one(tmp_path: Path) -> None:
    from course_lib.content import ContentError

    for name in ("../other/a2.answers.json", "/etc/passwd", ".hidden.json"):
        path = tmp_path / "spec.yaml"
        path.write_text(
            f"assignment: t1\nextra_files: [{name!r}]\nnotebooks:\n  t1:\n    questions: {{}}\n"
        )
        with pytest.raises(ContentError, match="relative path inside the submission folder"):
            load_spec(path)
