"""A sandboxed kernel dies with the process that started it (a grade run or a Dask worker
killed mid-notebook), in every isolation mode, instead of running student code on.

The kernel command is run as built for grading, with ``sleep`` in place of the kernel, from
a parent process that is then SIGKILLed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_lib.grading.sandbox import Isolation, Limits, kernel_command, python_executable

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv"
)

PARENT = """
import subprocess, sys, time
child = subprocess.Popen(sys.argv[1:], start_new_session=True)
print(child.pid, flush=True)
time.sleep(600)
"""


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _below(pid: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = {pid}, {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


@pytest.mark.parametrize("mode", ["bubblewrap", "setpriv", "none"])
def test_the_kernel_dies_with_the_grading_process(mode: str, tmp_path: Path) -> None:
    if mode == "bubblewrap" and not shutil.which("bwrap"):
        pytest.skip("bubblewrap is not installed")
    uid = int(os.environ.get("COURSE_SANDBOX_UID_BASE", "61000")) + 90
    work, sock = tmp_path / "w", tmp_path / "s"
    for folder in (work, sock, work / ".tmp"):
        folder.mkdir()
        os.chown(folder, uid, uid)
    argv = kernel_command(Isolation(mode, "test"), Limits(), work, sock, uid)  # type: ignore[arg-type]
    argv = [*argv[: argv.index(python_executable())], "/usr/bin/sleep", "300"]
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, *argv], stdout=subprocess.PIPE, start_new_session=True
    )
    started: set[int] = set()
    try:
        assert parent.stdout is not None
        with parent.stdout:
            child = int(parent.stdout.readline())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until sleep runs (under bubblewrap, inside: a
            # grader killed in bubblewrap's first milliseconds can still leave its inner
            # process behind, a race in bubblewrap itself)
            started = _below(child)
            if any(_cmdline(p).startswith(b"/usr/bin/sleep") for p in started):
                break
            time.sleep(0.05)
        assert any(_cmdline(p).startswith(b"/usr/bin/sleep") for p in started)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_state(p) not in (None, "Z") for p in started):
            time.sleep(0.05)
        left = [(p, _cmdline(p)[:40]) for p in started if _state(p) not in (None, "Z")]
        assert left == []
    finally:
        for pid in started:
            if _state(pid) not in (None, "Z"):
                os.kill(pid, signal.SIGKILL)  # only what this test started
