"""``export``: the Canvas, Moodle and plain CSV gradebook files, column by column, on a small
hand-written OUT; blank (never zero) for every non-graded status, with the status in the
notes file; bad input exits 2 naming the file and the field, and writes nothing."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import nbformat
import pytest

from course_lib.cli import main

HEADER = (
    "student_id,assignment,notebook,auto_score,auto_max,manual_max,needs_manual_grade,status,"
    "detail,manual_score,submission_sha256,lms_id,variant\n"
)
GRADES = [
    # fully graded: a1 = 3 + 1.5 written, a2 = 4
    "amara,a1,n1,3,3,2,false,graded,,1.5,x,L-1,",
    "amara,a2,n2,4,4,0,false,graded,,,x,L-1,",
    # a1 partial (written answers not graded yet); a2 stopped by a timeout after 1 point
    "bao,a1,n1,2,3,2,true,graded,,,x,L-2,",
    "bao,a2,n2,1,4,0,false,timeout,cell 3 ran too long,,x,L-2,",
    # a1 not submitted; a2 could not be opened (grade scores it 0)
    "carmen,a1,n1,,3,2,false,not-submitted,nothing was submitted for a1,,,L-3,",
    "carmen,a2,n2,0,4,0,false,malformed-notebook,n2.ipynb is not a readable notebook,,x,L-3,",
    # a1 failed in the grader; no row at all for a2
    "dev,a1,n1,,3,2,false,infrastructure-error,kernel died,,x,L-4,",
    # belongs to no total
    "bad id!,a1,n1,,0,0,false,bad-student-id,folder name is not an id,,x,,",
]
ROSTER = (
    "student_id,first_name,last_name,email,lms_id\n"
    "amara,Amara,Okafor,amara@example.edu,L-1\n"
    "bao,Bao,Tran,bao@example.edu,L-2\n"
    "carmen,Carmen,Ruiz,carmen@example.edu,L-3\n"
    "dev,Dev,Patel,dev@example.edu,L-4\n"
    "eli,Eli,Cohen,eli@example.edu,L-5\n"  # on the roster, nothing in grades.csv
)


def _notebook(path: Path, cells: list[tuple[str, str, float]]) -> None:
    """A release notebook whose graded cells are ``(kind, grade_id, points)``."""
    nb = nbformat.v4.new_notebook()
    for kind, gid, pts in cells:
        meta = {"grade": True, "grade_id": gid, "points": pts, "solution": kind == "written"}
        make = nbformat.v4.new_markdown_cell if kind == "written" else nbformat.v4.new_code_cell
        nb.cells.append(make("", metadata={"nbgrader": meta}))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _notebook(out / "release" / "a1" / "n1.ipynb", [("auto", "q1", 3), ("written", "w1", 2)])
    _notebook(out / "release" / "a2" / "n2.ipynb", [("auto", "q2", 1), ("auto", "q3", 3)])
    (out / "grades.csv").write_text(HEADER + "\n".join(GRADES) + "\n", encoding="utf-8")
    return out


def run(*args: str | Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["export", *map(str, args)])
    return code, stdout.getvalue(), stderr.getvalue()


def table(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def notes(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.with_name(f"{path.stem}.notes.csv").open(newline="", encoding="utf-8") as handle:
        return {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}


def test_canvas_file_has_the_gradebook_columns_points_possible_and_blank_not_zero(
    out: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "canvas.csv"
    code, printed, _ = run(out, "--format", "canvas", "--out", dest)
    assert code == 0
    assert table(dest) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1", "a2"],
        ["Points Possible", "", "", "", "", "5", "4"],
        ["amara", "", "L-1", "", "", "4.5", "4"],
        ["bao", "", "L-2", "", "", "", "1"],
        ["carmen", "", "L-3", "", "", "", ""],
        ["dev", "", "L-4", "", "", "", ""],
    ]
    assert f"wrote {dest} (canvas, 4 students; points possible: a1 5, a2 4)" in printed
    assert "5 cells left blank" in printed
    by = notes(dest)
    assert set(by) == {
        ("bad id!", "a1/n1"),
        ("bao", "a1/n1"),
        ("bao", "a2/n2"),
        ("carmen", "a1/n1"),
        ("carmen", "a2/n2"),
        ("dev", "a1/n1"),
        ("dev", "a2"),
    }
    statuses = {k: (r["exported"], r["status"]) for k, r in by.items()}
    assert statuses[("bao", "a1/n1")] == ("blank", "manual-pending")
    assert "autograded so far: 2" in by[("bao", "a1/n1")]["note"]
    assert statuses[("bao", "a2/n2")] == ("1", "timeout")  # exported, with something to check
    assert by[("bao", "a2/n2")]["detail"] == "cell 3 ran too long"
    assert statuses[("carmen", "a1/n1")] == ("blank", "not-submitted")
    assert statuses[("carmen", "a2/n2")] == ("blank", "malformed-notebook")
    assert statuses[("dev", "a1/n1")] == ("blank", "infrastructure-error")
    assert statuses[("dev", "a2")] == ("blank", "not-submitted")
    assert statuses[("bad id!", "a1/n1")] == ("not exported", "bad-student-id")
    assert by[("bao", "a1/n1")]["identifier"] == "L-2"


def test_canvas_with_a_roster_matches_by_login_and_names_every_rostered_student(
    out: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    dest = tmp_path / "canvas.csv"
    args = ("--format", "canvas", "--out", dest, "--roster", roster, "--match", "sis-login-id")
    assert run(out, *args)[0] == 0
    rows = table(dest)
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[2:] == [
        ["Okafor, Amara", "", "", "amara", "", "4.5", "4"],
        ["Tran, Bao", "", "", "bao", "", "", "1"],
        ["Ruiz, Carmen", "", "", "carmen", "", "", ""],
        ["Patel, Dev", "", "", "dev", "", "", ""],
        ["Cohen, Eli", "", "", "eli", "", "", ""],
    ]
    assert notes(dest)[("eli", "a1")]["status"] == "not-submitted"


def test_moodle_file_has_one_identifier_column_then_one_column_per_assignment(
    out: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    dest = tmp_path / "moodle.csv"
    args = ("--format", "moodle", "--out", dest, "--roster", roster, "--match", "email")
    assert run(out, *args)[0] == 0
    assert table(dest) == [
        ["Email address", "First name", "Last name", "a1", "a2"],
        ["amara@example.edu", "Amara", "Okafor", "4.5", "4"],
        ["bao@example.edu", "Bao", "Tran", "", "1"],
        ["carmen@example.edu", "Carmen", "Ruiz", "", ""],
        ["dev@example.edu", "Dev", "Patel", "", ""],
        ["eli@example.edu", "Eli", "Cohen", "", ""],
    ]
    default = tmp_path / "moodle_id.csv"
    assert run(out, "--format", "moodle", "--out", default)[0] == 0
    assert [r[0] for r in table(default)] == ["ID number", "L-1", "L-2", "L-3", "L-4"]


def test_plain_csv_gives_each_total_with_its_status(out: Path, tmp_path: Path) -> None:
    dest = tmp_path / "plain.csv"
    assert run(out, "--format", "csv", "--out", dest)[0] == 0
    header = ["student_id", "first_name", "last_name", "email", "lms_id"]
    assert table(dest) == [
        [*header, "a1", "a1_status", "a2", "a2_status"],
        ["amara", "", "", "", "L-1", "4.5", "graded", "4", "graded"],
        ["bao", "", "", "", "L-2", "", "manual-pending", "1", "timeout"],
        ["carmen", "", "", "", "L-3", "", "not-submitted", "", "malformed-notebook"],
        ["dev", "", "", "", "L-4", "", "infrastructure-error", "", "not-submitted"],
    ]


def _fails(args: tuple[str | Path, ...], *expected: str) -> None:
    dest = Path(str(args[args.index("--out") + 1]))
    code, printed, err = run(*args)
    assert code == 2, printed + err
    assert "nothing was exported" in err
    for text in expected:
        assert text in err, err
    assert not dest.exists() and not dest.with_name(f"{dest.stem}.notes.csv").exists()


def test_bad_input_exits_2_naming_the_file_and_field_and_writes_nothing(
    out: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "export" / "canvas.csv"
    fmt = ("--format", "canvas", "--out", dest)
    _fails((tmp_path / "nowhere", *fmt), f"{tmp_path / 'nowhere'}: folder: is not a folder")
    grades = out / "grades.csv"
    text = grades.read_text()
    grades.write_text(text.replace(",needs_manual_grade,", ",needs_grading,", 1))
    _fails((out, *fmt), f"{grades}: header: missing column(s) needs_manual_grade")
    grades.write_text(text.replace("amara,a1,n1,3,", "amara,a1,n1,three,", 1))
    _fails((out, *fmt), f"{grades}: line 2, auto_score: 'three' is not a score")
    grades.write_text(text)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.replace("dev,Dev,Patel,dev@example.edu,L-4\n", ""))
    _fails(
        (out, *fmt, "--roster", roster),
        f"{roster}: student_id dev: is not on the roster but has grades",
    )
    roster.write_text(ROSTER.replace("carmen@example.edu,L-3", "carmen@example.edu,"))
    _fails((out, *fmt, "--roster", roster), f"{roster}: lms_id of carmen: is empty")
    roster.write_text(ROSTER.replace(",L-3", ",L-2"))
    _fails((out, *fmt, "--roster", roster), f"{roster}: lms_id of carmen: 'L-2' is also bao's")
    _fails((out, "--format", "moodle", "--out", dest, "--match", "email"), "needs --roster")
    _fails((out, *fmt, "--match", "email"), "'email' is not a canvas identifier")
    (out / "release" / "a2" / "n2.ipynb").unlink()
    _fails((out, *fmt), f"{out / 'release' / 'a2'}: folder: has no released notebook of a2")


def test_the_export_is_never_written_over_grades_own_files(out: Path) -> None:
    code, _, err = run(out, "--format", "csv", "--out", out / "grades.csv")
    assert code == 2 and "is one of grade's own files" in err
    assert (out / "grades.csv").read_text().startswith("student_id,")
