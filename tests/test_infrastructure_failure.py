"""A failure of the grader itself is retried once and reported as such, never as a zero."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import copy_course, grade, prepare_release, write_submission

from course_lib.grading import pipeline
from course_lib.grading.execute import Execution

pytestmark = pytest.mark.slow


def one_blank_submission(tmp_path: Path) -> tuple[Path, Path]:
    """A scratch mini course and one student who submitted the release unchanged."""
    course_src = copy_course(tmp_path / "course")
    released = prepare_release(course_src, tmp_path / "out")
    subs = tmp_path / "subs"
    write_submission(subs, "ada", released)
    return course_src, subs


def test_kernel_that_never_starts_is_retried_once_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course_src, subs = one_blank_submission(tmp_path)
    calls: list[int] = []

    def broken(
        nb: Any,
        captures: Any,
        workdir: Any,
        isolation: Any,
        limits: Any,
        uid: int,
        env: Any = None,
        warm: Any = None,
    ) -> Execution:
        calls.append(uid)
        return Execution("infrastructure", "the kernel could not start: simulated", nb)

    monkeypatch.setattr(pipeline, "execute", broken)
    graded = grade(subs, tmp_path / "out", course_src)
    row = graded.row("ada")
    assert len(calls) == 2, "retried exactly once"
    assert row["status"] == "infrastructure-error"
    assert row["auto_score"] == "", "an infrastructure failure is never a zero"
    assert "not the student's fault" in row["detail"]
    assert graded.code == 0 and graded.recon["balanced"]


def test_a_flaky_kernel_that_starts_on_retry_is_graded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course_src, subs = one_blank_submission(tmp_path)
    real = pipeline.execute
    calls: list[int] = []

    def flaky(nb: Any, *args: Any, **kwargs: Any) -> Execution:
        calls.append(1)
        if len(calls) == 1:
            return Execution("infrastructure", "simulated", nb)
        return real(nb, *args, **kwargs)  # the retry runs for real (in a restarted warm slot)

    monkeypatch.setattr(pipeline, "execute", flaky)
    graded = grade(subs, tmp_path / "out", course_src)
    assert len(calls) == 2
    assert graded.row("ada")["status"] == "graded"
    assert graded.score("ada") == 0.0
    assert isinstance(
        nbformat.read(tmp_path / "out" / "autograded" / "ada" / "t1" / "t1.ipynb", 4), dict
    )
