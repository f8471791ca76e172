"""A grading kernel that cannot import the grader's course_lib never produces a row of zeros.

Before anything is graded, ``grade`` runs one sandboxed kernel (preflight): if it imports
another course_lib, or none, the run stops with exit code 3, a message saying what is wrong
and how to fix it, and nothing written. If it happens to one notebook mid-run, that row is
``infrastructure-error`` (retried once), never ``graded`` with 0 points.

A broken kernel environment is simulated with a shadow ``course_lib`` on ``PYTHONPATH``
(which the grader passes to its kernels). Under bubblewrap the kernel sees only the paths
the sandbox binds, so those tests run with ``--isolation none`` where the shadow must be
visible; one test breaks the bubblewrap sandbox itself by not binding the package.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    copy_course,
    course_env,
    grade,
    options,
    prepare_release,
    source_notebook,
    write_submission,
)

import course_lib
from course_lib import paths
from course_lib.grading import execute as execute_module
from course_lib.grading.capture import MIME, SETUP_ID
from course_lib.grading.cli_commands import PREFLIGHT_FAILED, run_grade
from course_lib.grading.preflight import kernel_problem
from course_lib.grading.reconstruct import setup_cell

CAPTURE_PY = paths.PACKAGE_DIR / "grading" / "capture.py"


def shadow(root: Path, *, version: str | None) -> Path:
    """A folder holding another ``course_lib``: of ``version`` with a working capture module,
    or (``None``) a broken install that cannot be imported at all."""
    package = root / "course_lib"
    package.mkdir(parents=True)
    if version is None:
        (package / "__init__.py").write_text("raise ImportError('a half-installed course_lib')\n")
        return root
    (package / "__init__.py").write_text(f"__version__ = {version!r}\n")
    (package / "grading").mkdir()
    (package / "grading" / "__init__.py").write_text("")
    shutil.copy(CAPTURE_PY, package / "grading" / "capture.py")
    return root


def class_of_two(tmp_path: Path) -> tuple[Path, Path]:
    """The mini course and two students: ada (the release unchanged) and bob (full marks)."""
    course = copy_course(tmp_path / "course")
    released = prepare_release(course, tmp_path / "release-course")
    subs = tmp_path / "subs"
    write_submission(subs, "ada", released)
    write_submission(subs, "bob", source_notebook(course))
    return course, subs


def run(subs: Path, out: Path, course: Path, **changes: Any) -> int:
    with course_env(course), contextlib.redirect_stdout(None):
        return run_grade(subs, out, options(**changes))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("0.0.1", "the grading kernel imports course_lib 0.0.1 from {shadow}/course_lib"),
        (None, "could not import course_lib's capture module (ImportError: a half-installed"),
    ],
    ids=["another-version", "cannot-import"],
)
def test_a_kernel_with_another_course_lib_stops_the_run_with_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    version: str | None,
    words: str,
) -> None:
    course, subs = class_of_two(tmp_path)
    fresh, used = tmp_path / "fresh-out", tmp_path / "used-out"
    assert run(subs, used, course) == 0  # an earlier, healthy run
    before = {p.name: digest(p) for p in used.iterdir() if p.is_file()}
    assert "grades.csv" in before and "gradebook.db" in before
    capsys.readouterr()

    folder = shadow(tmp_path / "shadow", version=version)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    assert run(subs, fresh, course, isolation="none") == PREFLIGHT_FAILED
    message = capsys.readouterr().err
    assert not fresh.exists(), "nothing is written for a run that fails its preflight"
    assert "nothing was graded and no grade was written" in message
    assert words.format(shadow=folder) in message
    assert f"course_lib {course_lib.__version__} from {paths.PACKAGE_DIR}" in message
    assert f"PYTHONPATH ({folder}) is passed to the kernel: unset it" in message
    assert f"-m pip install -e {paths.PACKAGE_DIR.parent}" in message

    assert run(subs, used, course, isolation="none") == PREFLIGHT_FAILED
    after = {p.name: digest(p) for p in used.iterdir() if p.is_file()}
    assert after == before, "no grades.csv row and no gradebook write"


@pytest.mark.slow
def test_a_sandbox_without_the_package_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    course, subs = class_of_two(tmp_path)
    from course_lib.grading import withheld

    # The kernel's view of the package is the filtered copy bound over it: make it empty.
    empty = tmp_path / "empty-package"
    empty.mkdir()
    monkeypatch.setattr(withheld, "graded_package", lambda: empty)
    out = tmp_path / "out"
    assert run(subs, out, course) == PREFLIGHT_FAILED  # bubblewrap, as the other tests
    message = capsys.readouterr().err
    assert "preflight: starting one grading kernel (bubblewrap isolation" in message
    assert "ModuleNotFoundError: No module named 'course_lib'" in message
    assert not out.exists()


@pytest.mark.slow
def test_a_kernel_that_breaks_mid_run_is_an_infrastructure_error_not_a_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    course, subs = class_of_two(tmp_path)
    (subs / "ada" / "t1" / "break-kernel.txt").write_text("the kernel for ada cannot import it")
    folder = shadow(tmp_path / "shadow", version=None)
    real = execute_module.kernel_environment
    broken: list[Path] = []

    def environment(workdir: Path, extra: Any = None) -> dict[str, str]:
        env = real(workdir, extra)
        if (workdir / "break-kernel.txt").exists():  # only ada's runs, never the preflight
            broken.append(workdir)
            env["PYTHONPATH"] = str(folder)
        return env

    monkeypatch.setattr(execute_module, "kernel_environment", environment)
    graded = grade(subs, tmp_path / "out", course, options(isolation="none"))
    assert "preflight: ok, course_lib" in capsys.readouterr().err
    ada = graded.row("ada")
    assert len(broken) == 2, ("retried once", ada)
    assert ada["status"] == "infrastructure-error", ada
    assert ada["auto_score"] == "", "never a graded zero"
    assert "not the student's fault" in ada["detail"]
    assert "could not import course_lib's capture module" in ada["detail"]
    assert "a problem on the grader's side" in html.unescape(graded.feedback("ada"))
    bob = graded.row("bob")
    assert bob["status"] == "graded" and bob["auto_score"] == "3"
    assert graded.code == 0 and graded.recon["balanced"]


def _report(**payload: Any) -> Any:
    cell = setup_cell()
    cell.outputs = [nbformat.v4.new_output("display_data", data={MIME: payload})]
    return nbformat.v4.new_notebook(cells=[cell])


def test_kernel_problem_reads_the_setup_cell_only() -> None:
    version, package = course_lib.__version__, str(paths.PACKAGE_DIR)
    assert kernel_problem(_report(grade_id=SETUP_ID, version=version, package=package)) is None
    moved = kernel_problem(_report(grade_id=SETUP_ID, version=version, package="/elsewhere"))
    assert moved and f"imports course_lib {version} from /elsewhere" in moved
    older = kernel_problem(_report(grade_id=SETUP_ID, version="0.0.1", package=package))
    assert older and "course_lib 0.0.1" in older
    # a payload that is not the setup report, or one shown by another cell, does not count
    assert "stopped before" in str(kernel_problem(_report(grade_id="t1_q1", ok=True)))
    forged = _report(grade_id=SETUP_ID, version=version, package=package)
    forged.cells[0].metadata.clear()
    assert "stopped before" in str(kernel_problem(forged))
    failed = nbformat.v4.new_notebook(cells=[setup_cell()])
    failed.cells[0].outputs = [
        nbformat.v4.new_output(
            "error", ename="ModuleNotFoundError", evalue="No module", traceback=[]
        )
    ]
    assert "(ModuleNotFoundError: No module)" in str(kernel_problem(failed))
