"""`grade --roster` end to end on the mini course: names in the gradebook (as formgrader shows
them), not-submitted rows, a stranger still graded and flagged, reconciliation counts."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    Graded,
    copy_course,
    grade,
    options,
    prepare_release,
    source_notebook,
    write_submission,
)

from course_lib.grading.course import COURSE_ID
from course_lib.grading.roster import load_roster

pytestmark = pytest.mark.slow

ROSTER = (
    "student_id,first_name,last_name,email,lms_id\n"
    "full,Ada,Quist,ada.quist@example.edu,LMS-101\n"
    "absent,Bo,Reyes,,LMS-102\n"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    tmp = tmp_path_factory.mktemp("roster")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    subs = tmp / "submitted"
    write_submission(subs, "full", source_notebook(course))
    write_submission(subs, "stray", released)  # graded, but not on the roster
    write_submission(subs, "bad name", released)  # a folder name that is no student id
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = load_roster(tmp / "roster.csv")
    return grade(subs, tmp / "out", course, options(roster=roster))


def students(out: Path) -> dict[str, dict[str, Any]]:
    """Every student as formgrader's API lists them (nbgrader's own code, this gradebook)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(out)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.db_url = f"sqlite:///{out / 'gradebook.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = NbGraderAPI(config=config)
        listed = {s["id"]: s for s in api.get_students()}
        for student_id, student in listed.items():  # formgrader's page of one student
            student["t1"] = {s["name"]: s for s in api.get_student_submissions(student_id)}["t1"]
        for sub in api.get_submissions("t1"):  # formgrader's page of one assignment
            listed[sub["student"]]["t1_listing"] = sub
    return listed


def test_a_rostered_student_who_submitted_nothing_is_visible_and_not_a_zero(run: Graded) -> None:
    row = run.row("absent")
    assert row["status"] == "not-submitted"
    assert row["auto_score"] == "" and row["manual_score"] == ""  # not a graded zero
    assert (row["auto_max"], row["manual_max"], row["needs_manual_grade"]) == ("3", "2", "false")
    assert "nothing was submitted for t1" in row["detail"]
    assert row["lms_id"] == "LMS-102"
    assert not (run.out / "feedback" / "absent").exists()
    assert not any(key[0] == "absent" for key in run.cells)


def test_roster_names_reach_formgrader(run: Graded) -> None:
    listed = students(run.out)
    full, absent = listed["full"], listed["absent"]
    assert (full["first_name"], full["last_name"]) == ("Ada", "Quist")
    assert (full["email"], full["lms_user_id"]) == ("ada.quist@example.edu", "LMS-101")
    listing = full["t1_listing"]
    assert (listing["first_name"], listing["last_name"]) == ("Ada", "Quist")  # not "None, None"
    assert full["t1"]["autograded"] and full["t1"]["score"] == 3
    assert (absent["first_name"], absent["last_name"]) == ("Bo", "Reyes")
    assert absent["t1"]["submitted"] is False  # formgrader: "No submission"
    assert "t1_listing" not in absent
    assert listed["stray"]["first_name"] is None  # graded, listed, no name to show
    assert "bad name" not in listed


def test_a_student_not_on_the_roster_is_graded_and_flagged(run: Graded) -> None:
    row = run.row("stray")
    assert row["status"] == "graded" and row["auto_score"] == "0"
    assert row["detail"].endswith("not on the roster (roster.csv)")
    assert row["lms_id"] == ""
    assert (run.out / "feedback" / "stray" / "t1" / "t1.html").is_file()
    assert run.row("full")["status"] == "graded" and run.row("full")["lms_id"] == "LMS-101"


def test_reconciliation_counts_the_roster_and_the_bad_folder(run: Graded) -> None:
    bad = run.row("bad name")
    assert bad["status"] == "bad-student-id" and bad["auto_score"] == ""
    assert not (run.out / "feedback" / "bad name").exists()
    recon = run.recon
    assert recon["roster"]["rostered"] == 2 and recon["roster"]["submitted"] == 1
    assert recon["roster"]["not_submitted"] == ["absent"]
    assert recon["roster"]["not_on_roster"] == ["stray"]
    assert recon["by_status"] == {"bad-student-id": 1, "graded": 2, "not-submitted": 1}
    assert recon["submitted_notebooks"] == 3 and recon["files_without_a_row"] == []
    assert recon["balanced"] is True and run.code == 0
