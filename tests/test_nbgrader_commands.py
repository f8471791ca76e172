"""nbgrader's own commands and formgrader's buttons on a graded output folder change no grade
and overwrite no course file: autograde and generate_feedback are refused with a message
naming the course's command, and export writes its own file beside the course's.

Everything runs the real nbgrader: its command-line tools as subprocesses in OUT, and its
``NbGraderAPI`` with the configuration loaded from OUT the way formgrader loads it.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    copy_course,
    grade,
    prepare_release,
    snapshot,
    source_notebook,
    write_submission,
)

from course_lib.grading.course import COURSE_ID
from course_lib.grading.out_config import MISSING_PACKAGE_FOLDER

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
COURSE_COMMAND = "python -m course_lib grade SUBMISSIONS --out"
# Files nbgrader may add without touching the course's own: its log, the export's default file
# and, without the course package, stock feedback in its own folder.
NOT_COURSE_FILES = (".nbgrader.log", "nbgrader_export.csv", "gradebook.db", "nbgrader-feedback")


def gradebook_state(out: Path) -> dict[Any, Any]:
    """Every student, submission, grade and comment in OUT's gradebook."""
    from nbgrader.api import Gradebook

    state: dict[Any, Any] = {}
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{out / 'gradebook.db'}", COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        for student in gb.students:
            state[student.id] = (student.first_name, student.last_name, student.email)
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                key = (sub.student.id, assignment.name)
                state[key] = str(sub.timestamp)
                for nb in sub.notebooks:
                    for g in nb.grades:
                        state[(*key, nb.name, g.name)] = (
                            g.auto_score,
                            g.manual_score,
                            g.needs_manual_grade,
                        )
                    for c in nb.comments:
                        state[(*key, nb.name, c.name, "comment")] = c.manual_comment
    return state


def course_files(out: Path) -> dict[str, str]:
    """Hash of every file in OUT that belongs to the course (grades, feedback, autograded...)."""
    return {
        path: digest
        for path, digest in snapshot(out).items()
        if path.split("/")[0] not in NOT_COURSE_FILES
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A graded mini course whose submissions live in OUT/submitted, as nbgrader's collect
    (and the demo) leave them, with a written answer graded by hand."""
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("nbgrader-commands")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    out = tmp / "out"
    subs = out / "submitted"
    write_submission(subs, "full", source_notebook(course))
    write_submission(subs, "blank", released)
    grade(subs, out, course)
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{out / 'gradebook.db'}", COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        gb.find_grade("t1_written", "t1", "t1", "full").manual_score = 1.5
        gb.find_grade("t1_written", "t1", "t1", "full").needs_manual_grade = False
        gb.find_comment("t1_written", "t1", "t1", "full").manual_comment = "Clear."
        gb.db.commit()
    run = grade(subs, out, course)  # the manual grade is now in grades.csv and feedback
    assert run.row("full")["manual_score"] == "1.5"
    return {"out": out, "files": course_files(out), "gradebook": gradebook_state(out)}


def nbgrader(out: Path, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run the venv's ``nbgrader`` in OUT (``prelude``: Python run first in its process)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    if prelude:
        code = f"{prelude}\nfrom nbgrader.apps.nbgraderapp import main\nmain()"
        command = [sys.executable, "-c", code, *args]
    else:
        command = [str(BIN / "nbgrader"), *args]
    return subprocess.run(
        command, cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def assert_unchanged(graded: dict[str, Any]) -> None:
    out = graded["out"]
    assert course_files(out) == graded["files"]
    assert gradebook_state(out) == graded["gradebook"]


@pytest.mark.parametrize(
    "args",
    [
        ("autograde", "t1"),
        ("autograde", "t1", "--student", "full", "--force"),
        ("generate_feedback", "t1", "--force"),
        ("generate_feedback", "t1", "--student", "full", "--force"),
    ],
)
def test_autograde_and_feedback_commands_are_refused(
    graded: dict[str, Any], args: tuple[str, ...]
) -> None:
    done = nbgrader(graded["out"], *args)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"nbgrader {args[0]} is switched off in {graded['out']}" in output
    assert f"{COURSE_COMMAND} {graded['out']}" in output
    assert_unchanged(graded)


def test_formgrader_buttons_are_refused(
    graded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbgrader.apps import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader

    from course_lib.grading.nbgrader_guard import is_guarded

    out: Path = graded["out"]
    monkeypatch.chdir(out)  # formgrader runs in OUT and loads its nbgrader_config.py
    app = NbGrader()
    app.load_config_file()
    api = NbGraderAPI(config=app.config)
    assert api.coursedir.root == str(out)
    results = {
        "Autograde": api.autograde("t1", "full"),  # what each button calls
        "Generate Feedback": api.generate_feedback("t1"),
        "Generate Feedback (one student)": api.generate_feedback("t1", "full"),
    }
    for button, result in results.items():
        assert result["success"] is False, button
        assert f"{COURSE_COMMAND} {out}" in result["log"], button
    assert_unchanged(graded)
    assert is_guarded(str(out)) and not is_guarded(str(out.parent))  # other courses untouched


def test_export_writes_its_own_file(graded: dict[str, Any]) -> None:
    out: Path = graded["out"]
    done = nbgrader(out, "export")
    assert done.returncode == 0, done.stderr
    with (out / "nbgrader_export.csv").open(newline="") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert rows["full"]["score"] == "4.5"  # 3 autograded + 1.5 entered in formgrader
    assert rows["full"]["max_score"] == "5.0" and rows["full"]["status"] == "submitted"
    assert rows["blank"]["score"] == "0.0"
    assert_unchanged(graded)


@pytest.mark.parametrize(
    "target", ["grades.csv", "cell_scores.csv", "reconciliation.json", "feedback/full/x.csv"]
)
def test_export_refuses_to_overwrite_a_course_file(graded: dict[str, Any], target: str) -> None:
    out: Path = graded["out"]
    done = nbgrader(out, "export", "--to", target)
    assert done.returncode == 1
    assert f"nbgrader export will not write {out / target}" in done.stderr
    assert f"{COURSE_COMMAND} {out}" in done.stderr
    assert_unchanged(graded)


def test_without_the_course_package_stock_nbgrader_still_leaves_course_files_alone(
    graded: dict[str, Any],
) -> None:
    """If nbgrader runs where course_lib cannot be imported, the config's fallback points
    autograde at no submissions and feedback and export at files of their own."""
    out: Path = graded["out"]
    blocked = "import sys\nsys.modules['course_lib.grading.nbgrader_guard'] = None"
    done = nbgrader(out, "autograde", "t1", "--force", prelude=blocked)
    assert done.returncode != 0
    assert MISSING_PACKAGE_FOLDER in done.stderr  # "No notebooks were matched by ..."
    assert "switched off" not in done.stderr  # the guard really was not installed
    done = nbgrader(out, "generate_feedback", "t1", "--force", prelude=blocked)
    assert list((out / "nbgrader-feedback").glob("*/t1/t1.html")), done.stderr
    done = nbgrader(out, "export", prelude=blocked)
    assert done.returncode == 0 and (out / "nbgrader_export.csv").is_file()
    assert_unchanged(graded)
