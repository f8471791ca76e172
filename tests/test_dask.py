"""``grade --dask``: a real Dask scheduler and two workers on 127.0.0.1 grade the mini course
exactly as a local run does, and a worker killed mid-run loses nothing.

The workers are started without ``COURSE_DIR``, so they cannot read the mini course's keys
from disk: the keys they grade with are the ones the coordinator sends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    Graded,
    answered,
    cell_index,
    copy_course,
    grade,
    options,
    prepare_release,
    read_outputs,
    snapshot,
    source_notebook,
    write_submission,
)

pytestmark = [pytest.mark.slow, pytest.mark.dask]
distributed = pytest.importorskip("distributed")

DASK = Path(sys.executable).parent / "dask"
GOOD_DOUBLE = "def double(v):\n    return 2 * v"
PARTIAL_DOUBLE = "def double(v):\n    return 2 * int(v)"
SLOW_X = "import time\ntime.sleep(1.5)\nx = 42"  # long enough to be caught mid-task


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a Dask process in its own session (so it and its children can be killed by id)."""
    with log.open("wb") as handle:
        return subprocess.Popen(
            [str(DASK), *args],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the process group we started, by its id
    proc.wait(timeout=30)


class LocalCluster:
    """A ``dask scheduler`` and named ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, tmp: Path, workers: int) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        env = {k: v for k, v in os.environ.items() if k != "COURSE_DIR"}
        self.scheduler = _start(
            ["scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
             "--no-dashboard"],
            tmp / "scheduler.log",
            env,
        )  # fmt: skip
        self.workers = {
            f"w{i}": _start(
                ["worker", self.address, "--nthreads", "1", "--nworkers", "1", "--name", f"w{i}",
                 "--no-dashboard", "--local-directory", str(tmp / f"w{i}")],
                tmp / f"w{i}.log",
                env,
            )
            for i in range(workers)
        }  # fmt: skip
        self.client = distributed.Client(self.address, timeout=60, set_as_default=False)
        self.client.wait_for_workers(workers, timeout=120)

    def busy(self) -> dict[str, list[str]]:
        """Worker name -> the grading tasks it is running now."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        return {
            info[addr]["name"]: [str(k) for k in keys]
            for addr, keys in self.client.processing().items()
            if addr in info
        }

    def close(self) -> None:
        self.client.close()
        for proc in [*self.workers.values(), self.scheduler]:
            _kill(proc)


def _build_class(subs: Path, course: Path, released: Any) -> None:
    """Nine students: right, blank, partial, slow, a kernel that dies, an unsafe file."""
    write_submission(subs, "s01full", source_notebook(course))
    write_submission(subs, "s02blank", released)
    write_submission(subs, "s03partial", answered(released, "x = 42", PARTIAL_DOUBLE))
    for n in range(4, 8):
        write_submission(subs, f"s0{n}slow", answered(released, SLOW_X, GOOD_DOUBLE))
    dies = answered(released, "x = 42", GOOD_DOUBLE)
    dies.cells.insert(
        cell_index(dies, "q2_text"), nbformat.v4.new_code_cell("import os\nos._exit(3)")
    )
    write_submission(subs, "s08dies", dies)  # a dead kernel is a grade ("killed"), not a retry
    folder = write_submission(subs, "s09link", answered(released, "x = 42", GOOD_DOUBLE))
    (folder / "data.csv").symlink_to("/etc/hostname")  # unsafe-file, decided by the coordinator


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The class, its local grading, and a running cluster of two workers."""
    tmp = tmp_path_factory.mktemp("dask")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    subs = tmp / "submitted"
    _build_class(subs, course, released)
    started = time.monotonic()
    local = grade(subs, tmp / "out-local", course)
    local_seconds = time.monotonic() - started
    cluster = LocalCluster(tmp, workers=2)
    try:
        yield {
            "tmp": tmp,
            "course": course,
            "subs": subs,
            "local": local,
            "local_seconds": local_seconds,
            "cluster": cluster,
        }
    finally:
        cluster.close()


def _same_as_local(run: Graded, local: Graded) -> None:
    assert run.code == 0
    assert run.grades_text == local.grades_text
    assert run.cells_text == local.cells_text
    assert run.recon["balanced"] is True
    assert run.recon["by_status"] == local.recon["by_status"]
    for name in ("case_answers.json", "similarity.json"):
        assert (run.out / name).read_text() == (local.out / name).read_text()


def test_the_local_class_has_every_kind_of_row(world: dict[str, Any]) -> None:
    """The comparison below means something: the class covers scores, a dead kernel, a link."""
    local: Graded = world["local"]
    assert local.score("s01full") == 3 and local.score("s02blank") == 0
    assert 0 < local.score("s03partial") < 3
    assert local.row("s08dies")["status"] == "killed"
    assert local.row("s09link")["status"] == "unsafe-file"
    assert local.recon["balanced"] is True


def test_grading_on_two_dask_workers_gives_the_local_grades(world: dict[str, Any]) -> None:
    before = snapshot(world["subs"])
    started = time.monotonic()
    run = grade(
        world["subs"],
        world["tmp"] / "out-dask",
        world["course"],
        options(dask=world["cluster"].address),
    )
    seconds = time.monotonic() - started
    _same_as_local(run, world["local"])
    assert snapshot(world["subs"]) == before
    assert "on 2 Dask workers" in run.recon["isolation"]["reason"]
    # the gradebook and feedback were written by the coordinator, as locally
    assert (run.out / "gradebook.db").exists()
    assert (run.out / "feedback" / "s01full" / "t1" / "t1.html").exists()
    print(f"local {world['local_seconds']:.1f} s, dask {seconds:.1f} s")


def test_a_worker_killed_mid_run_loses_nothing(world: dict[str, Any]) -> None:
    """SIGKILL one worker (with its nanny) once grading is under way and it is running a
    task: its tasks are re-queued on the other worker, and the grades are the local ones."""
    cluster: LocalCluster = world["cluster"]
    out = world["tmp"] / "out-killed"
    env = {**os.environ, "COURSE_DIR": str(world["course"])}
    cmd = [sys.executable, "-m", "course_lib", "grade", str(world["subs"]), "--out", str(out),
           "--dask", cluster.address, "--timeout", "5", "--notebook-timeout", "40"]  # fmt: skip
    grading = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed: dict[str, list[str]] = {}
    try:
        assert grading.stderr is not None
        for line in grading.stderr:  # progress lines: "[n/N] student t1/t1: status ..."
            if line.startswith(b"[") and b"/t1:" in line and b"unsafe-file" not in line:
                break
        deadline = time.monotonic() + 30
        while not killed and time.monotonic() < deadline:
            busy = {name: keys for name, keys in cluster.busy().items() if keys}
            grading_tasks = {
                n: k for n, k in busy.items() if any("course-grade-" in key for key in k)
            }
            if grading_tasks:
                name, keys = sorted(grading_tasks.items())[0]
                _kill(cluster.workers[name])
                killed[name] = keys
            else:
                time.sleep(0.05)
        rest, errors = grading.communicate(timeout=300)
    finally:
        if grading.poll() is None:
            grading.kill()
    assert killed, "no worker was running a grading task to kill"
    [(name, lost_tasks)] = killed.items()
    assert grading.returncode == 0, errors.decode()[-3000:]
    run = read_outputs(out, grading.returncode)
    _same_as_local(run, world["local"])
    # the worker is gone, and what it was grading was graded elsewhere
    assert name not in cluster.busy()
    students = {key.split("-")[-1].split("/")[0] for key in lost_tasks}
    assert all(run.row(s)["status"] != "infrastructure-error" for s in students)
    assert "infrastructure-error" not in run.grades_text
