"""``grade --dask ADDRESS``: the coordinator's side of grading on a Dask distributed cluster.

The coordinator (the machine running ``grade``) discovers the submissions, prepares the
course folder and, after grading, writes every output itself, exactly as a local run does.
Only the grading of each notebook moves: one Dask task per job
(:func:`remote_job.grade_remote`), which runs the same :func:`pipeline.grade_job` in the
same sandbox on a worker. What travels, and why workers must be trusted instructor
machines: :mod:`course_lib.grading.remote_job` and the README.

Failures, kept apart:

- anything a submission does (a crash, an endless loop, a dead kernel, a limit) is a grade,
  returned as a row by the worker, never retried;
- a worker lost mid-task (its machine or process died): the scheduler re-queues its tasks
  on other workers by itself, up to its ``distributed.scheduler.allowed-failures`` (3 by
  default) losses per task, after which the task ends with ``KilledWorker``;
- a failure of the grader on a worker (an unfit worker, a kernel that would not start
  twice, a grader bug) raises, and the task is retried :data:`RETRIES` times, on any worker.

A task that fails for good becomes an ``infrastructure-error`` row with an empty score and a
detail naming the failure, never a zero; every job ends as exactly one row. A scheduler lost
mid-run (the connection broke: the client cancels every task) stops the run with
:class:`SchedulerLost` before any grade is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from typing import Any

from course_lib.grading.course import Course
from course_lib.grading.pipeline import MAX_COPY_BYTES, Options, files_read, unsafe_row
from course_lib.grading.preflight import PreflightError
from course_lib.grading.remote_job import (
    bundle_course,
    check_worker,
    code_fingerprint,
    grade_remote,
    pack_job,
)
from course_lib.grading.rows import Job, Row
from course_lib.grading.sandbox import Isolation

RETRIES = 2  # further attempts of a task whose grading raised on a worker
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
WAIT_FOR_WORKERS = 60  # seconds for at least one worker to join
STRENGTH = {"bubblewrap": 2, "setpriv": 1, "none": 0}
INFRA = "infrastructure-error"


class SchedulerLost(RuntimeError):
    """The scheduler went away mid-run: the run stops, and no grade is written."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"lost the Dask scheduler at {where} mid-run; no grade was written: start the "
            "scheduler and workers again, then grade again"
        )


def _client(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError(
            "grade --dask needs Dask's distributed package: pip install 'reactance-course[dask]'"
        ) from None
    return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)


@dataclass
class Cluster:
    """A connection to a Dask scheduler whose workers all passed the grading checks."""

    client: Any
    address: str
    isolation: Isolation  # the weakest of the workers' (what reconciliation.json records)
    run: str  # this run's id: workers are checked once per run

    def _connected(self) -> None:
        """Raise :class:`SchedulerLost` once the connection to the scheduler broke: the client
        then cancels every task it had (reconnecting or not), so none may become a row."""
        if self.client.status != "running":
            raise SchedulerLost(self.address)

    def close(self) -> None:
        """Disconnect (the scheduler and workers keep running)."""
        self.client.close()

    def grade(
        self,
        jobs: list[Job],
        course: Course,
        options: Options,
        progress: Callable[[Row], None],
    ) -> list[Row]:
        """Grade ``jobs`` on the workers; one row per job, in the order of ``jobs``.

        The course bundle is sent to every worker once; submissions go with their tasks, a
        window of them at a time (so a large class is not all in memory at once).
        """
        client = self.client
        [bundle] = client.scatter([bundle_course(course, self.run)], broadcast=True, hash=False)
        remote = replace(options, roster=None, assets=None, dask=None)
        threads = sum(client.nthreads().values())
        window = max(4, 2 * threads)
        rows: list[Row | None] = [None] * len(jobs)
        running: dict[str, tuple[int, Job]] = {}
        todo = iter(enumerate(jobs))
        from distributed import as_completed

        pending = as_completed(loop=client.loop)

        def submit_next() -> None:
            for i, job in todo:
                if (row := unsafe_row(job, course)) is not None:  # checked here: links stay
                    rows[i] = row
                    progress(row)
                    continue
                assignment = course.specs[job.assignment]
                task = pack_job(
                    job, files_read(assignment, assignment.notebooks[job.notebook]), MAX_COPY_BYTES
                )
                future = client.submit(
                    grade_remote,
                    task,
                    bundle,
                    remote,
                    key=f"course-grade-{self.run}-{job.student}/{job.assignment}/{job.notebook}",
                    retries=RETRIES,
                    pure=False,
                )
                running[future.key] = (i, job)
                pending.add(future)
                return

        from distributed.comm.core import CommClosedError

        try:
            for _ in range(window):
                submit_next()
            for future in pending:
                self._connected()  # a task cancelled because the scheduler went is no row
                i, job = running.pop(future.key)
                rows[i] = row = _row(future, job)
                future.release()
                progress(row)
                self._connected()
                submit_next()
        except CommClosedError as exc:
            raise SchedulerLost(f"{self.address} ({exc})") from None
        assert all(r is not None for r in rows), "a job ended without a row"
        return [r for r in rows if r is not None]


def _row(future: Any, job: Job) -> Row:
    """The worker's row, or an ``infrastructure-error`` row naming why there is none."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        last = getattr(exc.last_worker, "address", exc.last_worker)
        detail = (
            f"the Dask workers grading it were lost {exc.allowed_failures + 1} times (the last: "
            f"{last}): machine failures, or a submission that brings its worker down; "
            "grade it locally to see"
        )
    except CancelledError:
        detail = "its Dask task was cancelled (the scheduler went away?)"
    except Exception as exc:  # noqa: BLE001 - whatever the worker raised, the row must exist
        detail = f"failed on {RETRIES + 1} attempts; the last: {type(exc).__name__}: {exc}"
    return Row(
        job.student,
        job.assignment,
        job.notebook,
        INFRA,
        f"grader failure on the Dask cluster (not the student's fault): {detail}",
        sha256=job.sha256,
    )


def connect(address: str, options: Options, say: Callable[[str], None]) -> Cluster:
    """Connect to the scheduler at ``address`` and check every worker before anything is
    graded: same ``course_lib`` and assets as here, the isolation asked for, and a passing
    preflight kernel on each. Raises :class:`PreflightError` (nothing written) if not."""
    client = _client(address)
    try:
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except TimeoutError:
            raise PreflightError(
                f"no Dask worker joined the scheduler at {address} within {WAIT_FOR_WORKERS} s.\n"
                f"How to fix it: start workers with `dask worker {address}` on machines with "
                "this course installed (see the README)"
            ) from None
        workers = client.scheduler_info(n_workers=-1)["workers"]
        say(f"dask: {len(workers)} workers at {address}; checking each (preflight kernel)")
        run = uuid.uuid4().hex[:8]
        checks = {
            addr: client.submit(
                check_worker,
                run,
                code_fingerprint(),
                _version(),
                replace(options, roster=None, assets=None, dask=None),
                workers=[addr],
                allow_other_workers=False,
                pure=False,
                key=f"course-check-{run}-{addr}",
            )
            for addr in workers
        }
        found: dict[str, str] = {}
        problems = []
        for addr, future in checks.items():
            name = workers[addr].get("name", addr)
            try:
                found[f"{name} ({addr})"] = future.result()
            except Exception as exc:  # noqa: BLE001 - each unfit worker is named
                problems.append(f"worker {name} ({addr}): {exc}")
        if problems:
            raise PreflightError(
                "\n".join(problems) + "\nHow to fix it: fix or stop those workers, then grade again"
            )
    except BaseException:
        client.close()
        raise
    return Cluster(client, address, _weakest(address, found), run)


def _version() -> str:
    import course_lib

    return course_lib.__version__


def _weakest(address: str, found: dict[str, str]) -> Isolation:
    """The run's isolation: the weakest mode among the workers, each worker's in the reason."""
    modes = [text.split(" ", 1)[0] for text in found.values()]
    mode = min(modes, key=lambda m: STRENGTH[m])
    each = "; ".join(f"{name}: {text}" for name, text in found.items())
    return Isolation(mode, f"on {len(found)} Dask workers at {address} ({each})")  # type: ignore[arg-type]
