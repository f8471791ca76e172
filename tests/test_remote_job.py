"""The pieces of ``grade --dask`` that need no cluster: what a task carries, the sandbox user
ids a worker machine hands out, the clean-up of dead workers' folders, refusing a worker
with other code, and the row of a task that failed for good."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from course_lib import paths
from course_lib.grading import remote_job
from course_lib.grading.remote_job import (
    WorkerUnfit,
    check_worker,
    pack_job,
    sandbox_slot,
    sweep_stale,
)
from course_lib.grading.rows import Job


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "s1" / "a1"
    (folder / "data").mkdir(parents=True)
    (folder / "a1.ipynb").write_text("{}")
    (folder / "answers.json").write_text('{"q": 1}')
    (folder / "data" / "table.csv").write_text("x\n1\n")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "a1-checkpoint.ipynb").write_text("{}")
    (folder / ".hidden.py").write_text("print('start-up code')")
    (folder / "other.ipynb").write_text("{}")
    return folder


def test_a_task_carries_the_notebook_and_the_files_a_local_run_reads(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    task = pack_job(Job("s1", "a1", "a1", folder, "abc"), ["answers.json"], 10**6)
    assert (task.student, task.assignment, task.notebook, task.sha256) == ("s1", "a1", "a1", "abc")
    # hidden files (start-up code, checkpoints) and other notebooks stay behind, as locally
    assert sorted(task.files) == ["a1.ipynb", "answers.json", "data/table.csv"]
    assert task.files["data/table.csv"] == b"x\n1\n"


def test_a_task_stops_adding_copied_files_at_the_cap_but_keeps_what_is_graded(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    (folder / "big.bin").write_bytes(b"0" * 5000)
    task = pack_job(Job("s1", "a1", "a1", folder, "abc"), ["answers.json"], 100)
    assert "big.bin" not in task.files
    assert {"a1.ipynb", "answers.json"} <= set(task.files)


def test_a_worker_refuses_paths_that_leave_the_submission_folder(tmp_path: Path) -> None:
    for bad in ("../escape.txt", "/etc/passwd", "a/../../b"):
        with pytest.raises(ValueError, match="outside its folder"):
            remote_job._write_files(tmp_path, {bad: b"x"})
    assert list(tmp_path.iterdir()) == []


def test_parallel_slots_on_one_machine_get_different_sandbox_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote_job, "SLOT_DIR", tmp_path / "slots")
    monkeypatch.setenv("COURSE_SANDBOX_UID_BASE", "67500")
    held: list[int] = []
    inside = threading.Barrier(3)

    def grade() -> None:
        with sandbox_slot() as uid:
            held.append(uid)
            inside.wait(timeout=10)  # all three hold a slot at once

    threads = [threading.Thread(target=grade) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(held) == [67500, 67501, 67502]
    with sandbox_slot() as uid:  # released: the first is free again
        assert uid == 67500


def test_a_dead_workers_private_folders_are_swept(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the largest pid Linux hands out
    stale = tmp_path / f"course-dask-course-{dead}-abc"
    mine = tmp_path / f"course-dask-job-{os.getpid()}-def"
    alive = tmp_path / "course-dask-course-1-ghi"  # pid 1 runs
    for folder in (stale, mine, alive):
        (folder / "keys").mkdir(parents=True)
    assert sweep_stale(tmp_path) == [stale]
    assert not stale.exists() and mine.exists() and alive.exists()


def test_a_worker_with_other_code_or_assets_is_refused_before_any_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from course_lib.grading.pipeline import Options

    monkeypatch.setattr(remote_job, "_CHECKED", {})
    with pytest.raises(WorkerUnfit, match="differ from the coordinator's"):
        check_worker("run1", "0" * 64, "0.0.0", Options())
    assert remote_job._CHECKED == {}


def test_the_fingerprint_covers_code_and_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package, assets = tmp_path / "course_lib", tmp_path / "assets"
    for folder in (package, assets, package / "__pycache__"):
        folder.mkdir()
    (package / "m.py").write_text("x = 1\n")
    (assets / "case.yaml").write_text("id: c1\n")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setenv("COURSE_ASSETS", str(assets))
    first = remote_job.code_fingerprint()
    (package / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"compiled")
    assert remote_job.code_fingerprint() == first  # compiled files do not count
    (assets / "case.yaml").write_text("id: c2\n")
    assert remote_job.code_fingerprint() != first
    (assets / "case.yaml").write_text("id: c1\n")
    (package / "m.py").write_text("x = 2\n")
    assert remote_job.code_fingerprint() != first


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def result(self) -> Any:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        ("killed", "lost 4 times (the last: tcp://127.0.0.1:1)"),
        (remote_job.GraderFailure("kernel would not start"), "kernel would not start"),
        (RuntimeError("a grader bug"), "RuntimeError: a grader bug"),
    ],
)
def test_a_task_that_failed_for_good_is_an_infrastructure_error_not_a_zero(
    exc: Any, says: str
) -> None:
    pytest.importorskip("distributed")
    from distributed import KilledWorker

    from course_lib.grading.cluster import _row

    if exc == "killed":
        last = SimpleNamespace(address="tcp://127.0.0.1:1")  # the scheduler's record of it
        exc = KilledWorker("course-grade-x", last, 3)
    row = _row(_Failed(exc), Job("s1", "a1", "a1", Path("/nowhere"), "abc"))
    assert (row.student, row.assignment, row.notebook, row.sha256) == ("s1", "a1", "a1", "abc")
    assert row.status == "infrastructure-error" and row.auto_score is None
    assert "not the student's fault" in row.detail and says in row.detail
