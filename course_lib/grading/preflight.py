"""Is the grading kernel running the grader's own course_lib? Checked before anything is graded.

Every notebook the grader runs starts with its setup cell (``capture.ready``), which reports
the version and folder of the ``course_lib`` the kernel imported. :func:`kernel_problem`
reads that report: a kernel that could not import the capture module, or imports another
copy of the package (installed from another checkout, shadowed through ``PYTHONPATH``), is
a failure of the grader, not of the student, so the notebook becomes ``infrastructure-error``
and is never graded as a zero.

:func:`preflight` runs one such kernel before a ``grade`` run, in the same sandbox and
limits as the real runs, with a test capture; if anything is wrong the run stops with
:class:`PreflightError`, whose message says what is wrong and how to fix it, and no grade,
row or gradebook entry is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat

import course_lib
from course_lib import paths
from course_lib.grading.capture import MIME, SETUP_ID
from course_lib.grading.execute import Execution, execute
from course_lib.grading.reconstruct import SETUP_KEY, capture_source, setup_cell
from course_lib.grading.sandbox import Isolation, Limits, python_executable, work_folder
from course_lib.grading.spec import Question
from course_lib.grading.verdict import judge_capture

#: The test capture: a function called on two inputs, as a hidden test does.
PROBE_ID = "course_lib_preflight"
PROBE = Question(capture="lambda v: v * 2", hidden=[21, 0.25], expected=[42, 0.5])


class PreflightError(RuntimeError):
    """The grading kernel is not fit to grade; the message says why and what to do."""


def expected_package() -> tuple[str, Path]:
    """The version and folder of the grader's own course_lib (the sandbox binds that folder)."""
    return course_lib.__version__, paths.PACKAGE_DIR


def setup_report(nb: Any) -> dict[str, Any] | None:
    """The setup cell's report of an executed notebook (``None`` if it has none)."""
    for cell in nb.cells:
        if not cell.get("metadata", {}).get(SETUP_KEY):
            continue
        for out in cell.get("outputs", []):
            payload = (
                out.get("data", {}).get(MIME) if out.get("output_type") == "display_data" else None
            )
            if isinstance(payload, dict) and payload.get("grade_id") == SETUP_ID:
                return payload
    return None


def _setup_error(nb: Any) -> str:
    for cell in nb.cells:
        if cell.get("metadata", {}).get(SETUP_KEY):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    return f"{out.get('ename')}: {str(out.get('evalue'))[:200]}"
    return ""


def kernel_problem(nb: Any) -> str | None:
    """What is wrong with the kernel that ran ``nb``, from its setup cell (``None``: nothing)."""
    report = setup_report(nb)
    version, package = expected_package()
    if report is None:
        error = _setup_error(nb)
        if error:
            return (
                f"the grading kernel could not import course_lib's capture module ({error}); "
                f"the grader is course_lib {version} from {package}"
            )
        return "the grading kernel stopped before the grader's setup cell reported"
    got_version, got_package = str(report.get("version")), str(report.get("package"))
    if got_version != version or Path(got_package) != package:
        return (
            f"the grading kernel imports course_lib {got_version} from {got_package}, "
            f"but the grader is course_lib {version} from {package}"
        )
    return None


def run_problem(execution: Execution) -> str | None:
    """Why a finished run says nothing about the student's work (``None``: it does)."""
    if execution.status == "infrastructure":
        return execution.detail
    return kernel_problem(execution.notebook)


def how_to_fix(started: bool = True) -> str:
    """What an instructor can do about a kernel that runs the wrong course_lib, or none
    (``started``: the kernel started; if not, the sandbox is the first suspect)."""
    python, root = python_executable(), paths.PACKAGE_DIR.parent
    steps = []
    if not started:
        steps.append(
            f"check that {python} -m ipykernel_launcher starts here, and compare with "
            "grade --isolation setpriv (or none, for a trusted test) to see whether the "
            "sandbox is what fails"
        )
    if os.environ.get("PYTHONPATH"):
        steps.append(
            f"PYTHONPATH ({os.environ['PYTHONPATH']}) is passed to the kernel: unset it, "
            f"or make sure it does not hold another course_lib"
        )
    install = f"{python} -m pip install -e {root}" if (root / "pyproject.toml").exists() else None
    steps.append(
        f"reinstall the package into the grader's Python: {install}"
        if install
        else f"reinstall course_lib into {python}"
    )
    steps.append(f"then run grade again from {root}")
    return "; ".join(steps)


def preflight(isolation: Isolation, limits: Limits, uid: int) -> str:
    """Run one sandboxed kernel with a test capture; return what was checked, or raise.

    Raises :class:`PreflightError` (message: what is wrong, how to fix it) when the kernel
    cannot start, cannot import the capture module, runs another course_lib, or the test
    capture does not come back right.
    """
    nb = nbformat.v4.new_notebook(
        cells=[setup_cell(), nbformat.v4.new_code_cell(capture_source(PROBE_ID, PROBE))]
    )
    with work_folder(isolation, limits) as workdir:
        execution = execute(nb, {PROBE_ID: 1}, workdir, isolation, limits, uid)
    problem = run_problem(execution)
    if problem is None and execution.status != "ok":
        problem = f"the check stopped ({execution.status}: {execution.detail})"
    if problem is None:
        expected = list(PROBE.expected)
        result = judge_capture(PROBE_ID, PROBE, execution.answers.get(PROBE_ID), expected)
        if result.fraction != 1.0:
            problem = (
                "the grading kernel imported course_lib but a test capture did not come back "
                f"right ({result.feedback}; cell errors: {'; '.join(execution.cell_errors) or 'none'})"
            )
    if problem is not None:
        started = execution.status != "infrastructure"
        raise PreflightError(f"{problem}.\nHow to fix it: {how_to_fix(started)}.")
    version, package = expected_package()
    return f"course_lib {version} from {package}, and a test capture came back right"
