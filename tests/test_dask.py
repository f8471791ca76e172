"""``grade --dask``: a real Dask scheduler and two workers on 127.0.0.1 grade the mini course
exactly as a local run does, and a worker killed mid-run loses nothing.

The workers are started without ``COURSE_DIR``, so they cannot read the mini course's keys
from disk: the keys they grade with are the ones the coordinator sends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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
    course_env,
    grade,
    options,
    prepare_release,
    read_outputs,
    snapshot,
    source_notebook,
    write_submission,
)

from course_lib.grading.remote_job import sweep_stale
from course_lib.grading.sandbox import WORK_ROOT

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


def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (the sandboxed kernels leave its session)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _is_kernel(pid: int) -> bool:
    try:
        return b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


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

    def close(self) -> dict[str, int]:
        """Stop every process as an instructor would (SIGTERM, SIGKILL only if that fails);
        return the pids of the worker processes that were still running."""
        pids = self.client.run(os.getpid) if self.scheduler.poll() is None else {}
        self.client.close()
        for proc in [*self.workers.values(), self.scheduler]:
            if proc.poll() is None:
                proc.terminate()  # the nanny (or scheduler) we started, by its id
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=30)
            _kill(proc)
        return pids


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
        pids = cluster.close()
    # a worker stopped normally leaves no private folder (keys, submissions) behind
    left = [
        p
        for pid in pids.values()
        for p in Path(tempfile.gettempdir()).glob(f"course-dask-*-{pid}-*")
    ]
    assert left == []


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


def test_workers_with_other_course_files_are_refused_before_anything_is_written(
    world: dict[str, Any], assets_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The coordinator's assets differ from the workers' install (one case edited): grading
    stops with the preflight exit code, naming each worker, and OUT is never created."""
    from course_lib.grading.cli_commands import PREFLIGHT_FAILED, run_grade

    case = next(assets_copy.rglob("*.yaml"))
    case.write_text(case.read_text() + "\n# edited\n")
    out = world["tmp"] / "out-refused"
    opts = options(dask=world["cluster"].address)
    with course_env(world["course"], COURSE_ASSETS=str(assets_copy)):
        code = run_grade(world["subs"], out, opts)
    assert code == PREFLIGHT_FAILED
    err = capsys.readouterr().err
    assert "worker w0" in err and "worker w1" in err and "install the same version" in err
    assert not out.exists()


def test_a_scheduler_lost_mid_run_stops_the_run_and_writes_no_grade(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """Without its scheduler no task can finish: the run stops at once (exit 1, saying so),
    rather than writing a class of infrastructure errors or waiting for ever."""
    cluster = LocalCluster(tmp_path, workers=1)
    out = tmp_path / "out"
    try:
        grading = _grade_process(world, out, cluster.address)
        _wait_for_progress(grading)
        _kill(cluster.scheduler)
        _, errors = grading.communicate(timeout=120)
    finally:
        cluster.close()
    assert grading.returncode == 1
    assert b"lost the Dask scheduler" in errors and b"no grade was written" in errors
    assert not (out / "grades.csv").exists() and not (out / "reconciliation.json").exists()


def _grade_process(world: dict[str, Any], out: Path, address: str) -> subprocess.Popen[bytes]:
    """``python -m course_lib grade ... --dask address`` on the class, as an instructor runs it."""
    env = {**os.environ, "COURSE_DIR": str(world["course"])}
    cmd = [sys.executable, "-m", "course_lib", "grade", str(world["subs"]), "--out", str(out),
           "--dask", address, "--timeout", "5", "--notebook-timeout", "40"]  # fmt: skip
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_progress(grading: subprocess.Popen[bytes]) -> None:
    """Read progress lines ("[n/N] student t1/t1: status ...") until a worker graded one."""
    assert grading.stderr is not None
    for line in grading.stderr:
        if line.startswith(b"[") and b"/t1:" in line and b"unsafe-file" not in line:
            return
    raise AssertionError("the run ended before any notebook was graded")


def test_a_worker_killed_mid_run_loses_nothing(world: dict[str, Any]) -> None:
    """SIGKILL one worker (with its nanny) once grading is under way and its kernel is
    running a notebook: its tasks are re-queued on the other worker, the grades are the
    local ones, and the sandboxed kernel it started does not live on."""
    cluster: LocalCluster = world["cluster"]
    out = world["tmp"] / "out-killed"
    work_before = set(WORK_ROOT.glob("course-grade-*"))
    grading = _grade_process(world, out, cluster.address)
    killed: dict[str, list[str]] = {}
    below: set[int] = set()
    try:
        _wait_for_progress(grading)
        deadline = time.monotonic() + 30
        while not killed and time.monotonic() < deadline:
            busy = {name: keys for name, keys in cluster.busy().items() if keys}
            grading_tasks = {
                n: k for n, k in busy.items() if any("course-grade-" in key for key in k)
            }
            for name, keys in sorted(grading_tasks.items()):
                below = _descendants(cluster.workers[name].pid)
                if any(_is_kernel(pid) for pid in below):  # mid-notebook: its kernel runs
                    _kill(cluster.workers[name])
                    killed[name] = keys
                    break
            else:
                time.sleep(0.05)
        rest, errors = grading.communicate(timeout=300)
    finally:
        if grading.poll() is None:
            grading.kill()
        # the killed worker's work folder is still mounted: remove it, as a reboot would
        for folder in set(WORK_ROOT.glob("course-grade-*")) - work_before:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
            shutil.rmtree(folder, ignore_errors=True)
    assert killed, "no worker was running a notebook to kill"
    [(name, lost_tasks)] = killed.items()
    assert grading.returncode == 0, errors.decode()[-3000:]
    run = read_outputs(out, grading.returncode)
    _same_as_local(run, world["local"])
    # nothing it started lives on (a sandboxed kernel would go on running student code)
    assert [pid for pid in below if _alive(pid)] == []
    # its private folders (the keys) stay until the next worker on the machine sweeps them
    swept = sweep_stale()
    assert any(int(p.name.split("-")[3]) in below for p in swept), swept
    # the worker is gone, and what it was grading was graded elsewhere
    assert name not in cluster.busy()
    students = {key.split("-")[-1].split("/")[0] for key in lost_tasks}
    assert all(run.row(s)["status"] != "infrastructure-error" for s in students)
    assert "infrastructure-error" not in run.grades_text
