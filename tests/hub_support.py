"""Test-only helpers for the hub tests: when they can run, the simulated students' work, the
permission probes and the hashes that follow a submission from a student's folder to grades.csv.

The hub itself, the users and the exchange come from ``course_lib.hub`` (shared with
``make hub``). These tests need root (they create Unix users), npm's configurable-http-proxy
(``scripts/ensure-hub-proxy``) and the hub users' environment (``scripts/ensure-hub-env``);
the harness installs the last two when it can. Without them the tests skip with the reason,
unless ``COURSE_REQUIRE_HUB=1`` (``make test`` sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO

from course_lib.grading.course import COURSE_ID, Course
from course_lib.grading.spec import load_spec
from course_lib.hub.classroom import Classroom
from course_lib.hub.local_hub import find_proxy
from course_lib.hub.users import UnixUser, run_as, users_python


def _missing() -> str | None:
    """Why the hub tests cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub tests create Unix users: run them as root"
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is missing"
    if find_proxy() is None:
        subprocess.run([str(REPO / "scripts" / "ensure-hub-proxy")], check=False)
    if find_proxy() is None:
        return "configurable-http-proxy is missing and npm could not install it (apt-get install nodejs npm)"
    if not users_python().exists() or not (users_python().parent.parent / ".installed").exists():
        done = subprocess.run(
            [str(REPO / "scripts" / "ensure-hub-env")], capture_output=True, text=True
        )
        if done.returncode != 0:
            return f"scripts/ensure-hub-env failed: {done.stderr[-1500:]}"
    return None


def require_hub() -> None:
    """Skip (or, with COURSE_REQUIRE_HUB=1, fail) when the hub tests cannot run here."""
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("COURSE_REQUIRE_HUB") == "1":
        pytest.fail(f"COURSE_REQUIRE_HUB=1 but {reason}")
    pytest.skip(f"hub test skipped: {reason}")


@contextmanager
def scratch_base(prefix: str) -> Iterator[Path]:
    """A folder outside pytest's private tmp_path (which other users cannot enter)."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def tag() -> str:
    """A short random part for user names, so runs and leftovers never collide."""
    return "".join(random.choice("abcdefghijkmnpqrstuvwxyz") for _ in range(4))


def course_of(room: Classroom) -> Course:
    """The instructor's course folder as the demo's writer reads it (sources, release, keys)."""
    specs = {a: load_spec(room.course / "keys" / f"{a}.yaml") for a in room.assignments}
    return Course(room.course, "", specs, room.course / "keys")


def sha256_files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under ``folder`` by relative path (hidden folders and ``skip``
    left out)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (
            path.is_file()
            and not any(p.startswith(".") for p in rel.parts)
            and rel.name not in skip
        ):
            out[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def nbgrader(user: UnixUser, *args: str, cwd: Path | None = None, **kw: object) -> str:
    """Run ``nbgrader ARGS --course reactance`` as ``user``; its combined output."""
    done = run_as(user, ["nbgrader", *args, "--course", COURSE_ID], cwd=cwd, **kw)  # type: ignore[arg-type]
    return done.stdout + done.stderr


def denied(user: UnixUser, argv: list[str]) -> bool:
    """True when ``argv`` run as ``user`` fails with a permission error."""
    done = run_as(user, argv, check=False, timeout=60)
    return done.returncode != 0 and "ermission denied" in (done.stdout + done.stderr)


def grade(room: Classroom, gradebook_url: str, out: Path) -> list[dict[str, str]]:
    """The instructor's grading run (as root: the grader needs it for full isolation, see the
    README), on the submissions nbgrader collected; the rows of grades.csv."""
    env = {**os.environ, "COURSE_DIR": str(room.course)}
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "grade", str(room.course / "submitted"),
         "--out", str(out), "--gradebook", gradebook_url,
         "--variant-salt", str(room.salt_file), "--jobs", "2", "--timeout", "60"],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with (out / "grades.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


class Clock:
    """Named wall-clock laps, printed at the end of a test."""

    def __init__(self) -> None:
        self.start = self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now

    def report(self, title: str) -> str:
        parts = ", ".join(f"{name} {secs:.1f} s" for name, secs in self.laps)
        return f"{title}: {time.monotonic() - self.start:.1f} s ({parts})"
