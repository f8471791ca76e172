"""The sandbox's mount order: nothing the kernel needs may be hidden by its /tmp."""

from __future__ import annotations

from pathlib import Path

from course_lib.grading.sandbox import _bwrap_base


def _mount_index(args: list[str], flag: str, target: str) -> int:
    for i in range(len(args) - 2):
        if args[i] == flag and args[i + 2] == target:
            return i
    raise AssertionError(f"{flag} ... {target} not in {args}")


def test_private_tmp_is_mounted_before_runtime_paths_under_tmp() -> None:
    runtime = Path("/tmp/checkout/.venv")
    work = Path("/var/tmp/course-grade-x")
    args = _bwrap_base([runtime], [work], private_tmp=work / ".tmp")
    private = _mount_index(args, "--bind", "/tmp")
    assert private < _mount_index(args, "--ro-bind", str(runtime))
    assert "--tmpfs" not in args


def test_without_a_private_tmp_a_fresh_tmpfs_comes_first() -> None:
    runtime = Path("/tmp/checkout/.venv")
    args = _bwrap_base([runtime], [Path("/tmp/work")])
    assert args.index("--tmpfs") < _mount_index(args, "--ro-bind", str(runtime))
    assert _mount_index(args, "--bind", "/tmp/work") > args.index("--tmpfs")


def test_sandbox_uid_base_defaults_and_reads_the_environment(monkeypatch) -> None:
    from course_lib.grading.sandbox import SANDBOX_UID_BASE, UID_BASE_ENV, sandbox_uid_base

    monkeypatch.delenv(UID_BASE_ENV, raising=False)
    assert sandbox_uid_base() == SANDBOX_UID_BASE
    monkeypatch.setenv(UID_BASE_ENV, "62000")
    assert sandbox_uid_base() == 62000


def test_a_bad_sandbox_uid_base_is_refused_with_the_variable_named(monkeypatch) -> None:
    import pytest

    from course_lib.grading.sandbox import UID_BASE_ENV, sandbox_uid_base

    for bad in ("0", "abc", "-5", "999"):
        monkeypatch.setenv(UID_BASE_ENV, bad)
        with pytest.raises(ValueError, match=UID_BASE_ENV):
            sandbox_uid_base()


def test_the_kernel_python_path_has_no_dot_dot(monkeypatch) -> None:
    """Started as ../.venv/bin/python, the raw path does not exist in the sandbox's view."""
    import sys

    from course_lib.grading.sandbox import python_executable

    monkeypatch.setattr(sys, "executable", "/opt/course/../course/.venv/./bin/python")
    assert python_executable() == "/opt/course/.venv/bin/python"
