"""The roster file (format, every error named by file, line and column) and what it adds to a
run: not-submitted rows, "not on the roster" flags and the roster counts in reconciliation."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from pipeline_support import MINI

from course_lib.cli import main
from course_lib.grading.course import Course
from course_lib.grading.reconcile import reconciliation
from course_lib.grading.roster import RosterEntry, RosterError, apply_roster, load_roster
from course_lib.grading.rows import Row, in_course
from course_lib.grading.spec import load_spec


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    return [str(p) for p in caught.value.problems]


def test_roster_columns_names_and_lms_ids_are_read(tmp_path: Path) -> None:
    text = (
        "\ufeff Student_ID , First_Name,last_name,EMAIL,lms_id\n"  # BOM and loose header
        "amara,Amara,Okafor,amara@example.edu,L-1\n"
        "\n"
        "bao , Bao,Tran\n"  # a short line: the missing cells are empty
        "carmen,,,,\n"
    )
    roster = load_roster(write(tmp_path, text))
    assert list(roster.students) == ["amara", "bao", "carmen"]
    assert roster.students["amara"] == RosterEntry(
        "amara", "Amara", "Okafor", "amara@example.edu", "L-1"
    )
    assert roster.students["amara"].gradebook_fields() == {
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "amara@example.edu",
        "lms_user_id": "L-1",
    }
    assert roster.students["bao"].gradebook_fields() == {"first_name": "Bao", "last_name": "Tran"}
    assert roster.students["carmen"].gradebook_fields() == {}  # empty cells change nothing


def test_only_the_student_id_column_is_required(tmp_path: Path) -> None:
    roster = load_roster(write(tmp_path, "student_id\nada\nbo\n"))
    assert list(roster.students) == ["ada", "bo"]


def test_every_problem_in_the_rows_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    text = (
        "student_id,first_name,email\n"
        "amara,Amara,amara@example.edu\n"
        "amara,Again,\n"  # line 3: duplicate
        ",Nobody,\n"  # line 4: empty id
        "two words,Two,\n"  # line 5: not a folder name
        "dev,Dev,not-an-email\n"  # line 6
        "elif,Elif,elif@example.edu,extra\n"  # line 7: too many cells
        f"farid,{'F' * 129},\n"  # line 8: longer than the gradebook stores
        "dev,Dev,\n"  # line 9: a duplicate of a line that has another problem
    )
    path = write(tmp_path, text)
    found = problems(path)
    assert found == [
        f"{path}: line 3, student_id: 'amara' is already on line 2",
        f"{path}: line 4, student_id: is empty",
        f"{path}: line 5, student_id: 'two words' is not 1-64 of A-Z a-z 0-9 _ . @ - "
        "(it is the student's folder name)",
        f"{path}: line 6, email: 'not-an-email' is not an email address",
        f"{path}: line 7: has 4 cells but the header has 3 columns",
        f"{path}: line 8, first_name: is longer than 128 characters",
        f"{path}: line 9, student_id: 'dev' is already on line 6",
    ]


def test_header_problems_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,name\nada,Ada,Ada\n")
    assert problems(path) == [
        f"{path}: line 1, column 'id': unknown column; allowed: "
        "student_id, first_name, last_name, email, lms_id",
        f"{path}: line 1, column 'name': unknown column; allowed: "
        "student_id, first_name, last_name, email, lms_id",
        f"{path}: line 1, column 'name': unknown column; allowed: "
        "student_id, first_name, last_name, email, lms_id",
        f"{path}: line 1, student_id: required column is missing",
    ]
    path = write(tmp_path, "student_id,email,Email\nada,a@b.c,a@b.c\n", "twice.csv")
    assert problems(path) == [f"{path}: line 1, column 'Email': appears twice"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file: is empty: it needs a header row with student_id"),
        (b"student_id\n\n", "file: lists no students"),
        (b"student_id,first_name\nzoe,Zo\xe9\n", "line 2: is not UTF-8 text; save the roster"),
        (None, "file: cannot be read: No such file or directory"),
        (b"student_id\n" + b"x" * 200_000 + b"\n", "line 2: is not valid CSV: field larger"),
    ],
)
def test_unusable_files_are_named(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    found = problems(path)
    assert len(found) == 1 and found[0].startswith(f"{path}: {message}"), found


def test_grade_refuses_a_bad_roster_before_grading_anything(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    (subs / "ada" / "t1").mkdir(parents=True)
    roster = write(tmp_path, "student_id,first_name\nada,Ada\nada,Ada\n")
    out = tmp_path / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["grade", str(subs), "--out", str(out), "--roster", str(roster)])
    assert code == 2
    assert "nothing was graded" in err.getvalue()
    assert f"{roster}: line 3, student_id: 'ada' is already on line 2" in err.getvalue()
    assert not out.exists()


def mini_course(tmp_path: Path) -> Course:
    """The mini course with a release template (copied from the source) and a second
    assignment ``t2`` that nobody submitted."""
    spec = load_spec(MINI / "keys" / "t1.yaml")
    root = tmp_path / "out"
    (root / "release" / "t1").mkdir(parents=True)
    shutil.copy(MINI / "source" / "t1" / "t1.ipynb", root / "release" / "t1" / "t1.ipynb")
    return Course(root, "sqlite://", {"t1": spec, "t2": spec}, MINI / "keys")


def test_rostered_non_submitters_get_rows_and_strangers_are_flagged(tmp_path: Path) -> None:
    course = mini_course(tmp_path)
    roster = load_roster(write(tmp_path, "student_id,first_name\nada,Ada\nbo,Bo\n"))
    rows = [
        Row("ada", "t1", "t1", "graded", auto_score=3.0, auto_max=3.0, manual_max=2.0),
        Row("zed", "t1", "t1", "graded", auto_score=1.0, auto_max=3.0, manual_max=2.0),
        Row("zed", "t1", "extra", "unexpected-notebook", "not part of t1"),
        Row("x y", "t1", "t1", "bad-student-id", "bad folder name"),
    ]
    subs = tmp_path / "subs"
    for student, notebook in (("ada", "t1"), ("zed", "t1"), ("zed", "extra"), ("x y", "t1")):
        (subs / student / "t1").mkdir(parents=True, exist_ok=True)
        (subs / student / "t1" / f"{notebook}.ipynb").write_text("{}")
    before = reconciliation(rows, subs, roster)
    assert before["balanced"] is False  # bo has no row yet
    assert before["roster"]["rostered_without_a_row"] == ["bo/t1"]

    result = apply_roster(rows, roster, course)
    absent = [r for r in result if r.student == "bo"]
    assert [(r.assignment, r.notebook, r.status) for r in absent] == [
        ("t1", "t1", "not-submitted")
    ]  # t2: nobody submitted it, so it is not expected of anyone
    assert absent[0].auto_score is None and absent[0].manual_score is None
    assert (absent[0].auto_max, absent[0].manual_max) == (3.0, 2.0)
    assert "nothing was submitted for t1" in absent[0].detail
    assert not in_course(absent[0], course.specs)  # no gradebook submission, no feedback page
    by = {(r.student, r.notebook): r for r in result}
    assert by[("zed", "t1")].status == "graded" and by[("zed", "t1")].auto_score == 1.0
    assert by[("zed", "t1")].detail == "not on the roster (roster.csv)"
    assert by[("zed", "extra")].detail == "not part of t1 | not on the roster (roster.csv)"
    assert by[("ada", "t1")].detail == "" and by[("x y", "t1")].detail == "bad folder name"

    recon = reconciliation(result, subs, roster)
    assert recon["roster"] == {
        "file": str(roster.path),
        "rostered": 2,
        "submitted": 1,
        "not_submitted": ["bo"],
        "not_on_roster": ["zed"],
        "assignments": ["t1"],
        "rostered_without_a_row": [],
    }
    assert recon["by_status"]["not-submitted"] == 1
    assert recon["rows"] == recon["graded"] + recon["errors"] == 5
    assert recon["balanced"] is True
