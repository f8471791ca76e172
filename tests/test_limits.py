"""Scratch-space and file-size limits end a submission with a named status; others are unaffected."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from pipeline_support import (
    LIMITS,
    answered,
    copy_course,
    grade,
    options,
    prepare_release,
    write_submission,
)

from course_lib.grading import sandbox, warm_slots
from course_lib.grading.sandbox import detect_isolation

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 or not detect_isolation().full,
        reason="the scratch-space cap needs root and bubblewrap",
    ),
]


def test_disk_and_file_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The run's work folders go in a folder of this test's own (as in /var/tmp: on disk,
    # traversable by the sandbox users), so that other grading runs on the machine cannot
    # make the clean-up check below fail or pass.
    work_root = Path(tempfile.mkdtemp(prefix="course-limits-test-", dir="/var/tmp"))
    work_root.chmod(0o755)
    monkeypatch.setattr(sandbox, "WORK_ROOT", work_root)
    monkeypatch.setattr(warm_slots, "WORK_ROOT", work_root)
    course_src = copy_course(tmp_path / "course")
    released = prepare_release(course_src, tmp_path / "out")
    subs = tmp_path / "subs"
    right = "def double(v):\n    return 2 * v"
    fill_tmp = (
        "x = 42\nfor i in range(40):\n    open(f'/tmp/junk{i}', 'wb').write(b'0' * 8 * 2**20)"
    )
    big_file = "x = 42\nopen('big.bin', 'wb').write(b'0' * 40 * 2**20)"
    write_submission(subs, "fills_tmp", answered(released, x=fill_tmp, double=right))
    write_submission(subs, "big_file", answered(released, x=big_file, double=right))
    write_submission(subs, "honest", answered(released, x="x = 42", double=right))
    limits = replace(LIMITS, max_disk_bytes=64 * 2**20, max_file_bytes=16 * 2**20)
    graded = grade(subs, tmp_path / "out", course_src, options(limits=limits))
    assert graded.row("fills_tmp")["status"] == "disk-limit"
    assert graded.row("big_file")["status"] == "file-limit"
    assert "disk allowance" in graded.row("fills_tmp")["detail"]
    # A failed write is an error in that cell; the notebook runs on and its answers count.
    assert graded.score("fills_tmp") == 3.0 and graded.score("big_file") == 3.0
    assert graded.row("honest")["status"] == "graded" and graded.score("honest") == 3.0
    assert not list(work_root.iterdir()), "work folders and warm slot folders are removed"
    work_root.rmdir()
