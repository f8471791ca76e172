"""Scratch-space and file-size limits end a submission with a named status; others are unaffected."""

from __future__ import annotations

import os
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

from course_lib.grading.sandbox import detect_isolation, sandbox_uid_base

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 or not detect_isolation().full,
        reason="the scratch-space cap needs root and bubblewrap",
    ),
]


def test_disk_and_file_limits(tmp_path: Path) -> None:
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
    # This run's folders only: its work folders belong to its own sandbox user ids (other
    # grading runs on the machine use other ranges), its warm slots are named after them.
    ours = range(sandbox_uid_base(), sandbox_uid_base() + 2)
    left = [p for p in Path("/var/tmp").glob("course-grade-*") if p.stat().st_uid in ours]
    assert not left, "work folders are removed"
    slots = f"course-slot-{sandbox_uid_base()}-*"
    assert not list(Path("/var/tmp").glob(slots)), "warm slot folders are removed"
