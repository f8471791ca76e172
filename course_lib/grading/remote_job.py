"""What travels to a Dask worker for ``grade --dask``, and how the worker grades it.

Three things cross the network (see the README, *Grading on several machines*):

- **The course bundle, once per worker** (:class:`CourseBundle`): the instructor keys
  (every file of ``notebooks/course/keys/``), the release templates the coordinator
  generated, and the parsed grading specs. A worker writes the keys and templates into a
  private folder (mode 0700, outside every sandbox's view) and removes it when the worker
  process exits normally. So a worker needs no keys of its own, and grades with exactly
  the coordinator's.
- **Each job's submission files, with the task** (:class:`RemoteJob`): the notebook and the
  ordinary files the local grader would read or copy into the sandbox, as bytes, collected
  by the coordinator after its own ``unsafe-file`` check. The worker writes them into a
  throwaway folder and grades that copy with the same :func:`~pipeline.grade_job` as a
  local run; the originals never leave the coordinator's disk, which hashes them again.
- **The run's options** (limits, isolation wanted, the variant salt).

What does not travel is code: each worker runs its own install of ``course_lib`` and its
assets (the sandbox binds them into the kernel), which must be the coordinator's version:
:func:`code_fingerprint` is compared before a worker grades anything.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import multiprocessing
import multiprocessing.util
import os
import pickle
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import course_lib
from course_lib import paths
from course_lib.grading.course import Course
from course_lib.grading.pipeline import grade_job
from course_lib.grading.rows import Job, Row
from course_lib.grading.sandbox import WORK_ROOT, Isolation, isolation_for, sandbox_uid_base
from course_lib.grading.spec import AssignmentSpec
from course_lib.grading.submission_files import copied_entries
from course_lib.grading.verdict import CourseContext

MAX_SLOTS = 256  # sandbox user ids a machine hands out: base .. base + 255
SLOT_DIR = WORK_ROOT / "course-sandbox-slots"


class WorkerUnfit(RuntimeError):
    """This worker must not grade (other course_lib, weaker isolation than required, or its
    grading kernel failed the preflight check); the message says which and why."""


class GraderFailure(RuntimeError):
    """The grader failed on a worker (a kernel that would not start, twice): Dask retries it."""


@dataclass(frozen=True)
class CourseBundle:
    """The course as a worker needs it; sent once to each worker."""

    digest: str  # of the keys and templates: a worker writes them out once per digest
    run: str  # this grading run: each worker is checked once per run
    code: str  # the coordinator's code_fingerprint()
    version: str
    specs: dict[str, AssignmentSpec]
    keys: dict[str, bytes]  # path relative to the keys folder -> bytes
    release: dict[str, bytes]  # "<assignment>/<notebook>.ipynb" -> bytes


@dataclass(frozen=True)
class RemoteJob:
    """One notebook of one student, with the files of its submission folder."""

    student: str
    assignment: str
    notebook: str
    sha256: str  # of the original folder, on the coordinator
    files: dict[str, bytes]  # relative POSIX path -> bytes


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _hash_tree(root: Path) -> hashlib._Hash:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest


def code_fingerprint() -> str:
    """SHA-256 over this install's ``course_lib`` package and assets (compiled files aside)."""
    digest = _hash_tree(paths.PACKAGE_DIR)
    digest.update(_hash_tree(paths.assets_dir()).digest())
    return digest.hexdigest()


def bundle_course(course: Course, run: str) -> CourseBundle:
    """Everything about ``course`` a worker needs, read from the coordinator's disk."""
    keys = _tree(course.keys_dir)
    release = {
        f"{a}/{nb}.ipynb": course.release_notebook(a, nb).read_bytes()
        for a, spec in course.specs.items()
        for nb in spec.notebooks
    }
    digest = hashlib.sha256(pickle.dumps((sorted(keys.items()), sorted(release.items()))))
    return CourseBundle(
        digest.hexdigest(),
        run,
        code_fingerprint(),
        course_lib.__version__,
        course.specs,
        keys,
        release,
    )


def pack_job(job: Job, named: list[str], max_bytes: int) -> RemoteJob:
    """The files of ``job``'s folder the grader reads: the notebook, the ``named`` files (the
    spec's answers files) and what ``copy_regular_files`` would copy (same order and cap).

    Files are opened without following links and skipped unless regular, as when copying
    locally; the folder was checked with ``unsafe_files`` just before.
    """
    files: dict[str, bytes] = {}
    total = 0
    wanted = [job.folder / f"{job.notebook}.ipynb", *(job.folder / n for n in named)]
    for path in [*wanted, *copied_entries(job.folder)]:
        rel = path.relative_to(job.folder).as_posix()
        if rel in files:
            continue
        data = _read_regular(path)
        if data is None:
            continue
        if path not in wanted:
            total += len(data)
            if total > max_bytes:
                break
        files[rel] = data
    return RemoteJob(job.student, job.assignment, job.notebook, job.sha256, files)


def _read_regular(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        parts = PurePosixPath(rel).parts
        if PurePosixPath(rel).is_absolute() or ".." in parts or not parts:
            raise ValueError(f"refusing a submission path outside its folder: {rel!r}")
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


PREFIX = "course-dask-"  # + "<kind>-<pid>-": this worker process's private folders


def _private_folder(kind: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))
    folder.chmod(0o700)
    return folder


def sweep_stale(tmp: Path | None = None) -> list[Path]:
    """Remove the private folders (keys, submissions) of worker processes that no longer
    run (killed, or their machine crashed); return what was removed."""
    removed = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(f"{PREFIX}*-*-*"):
        pid = folder.name[len(PREFIX) :].split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# Per worker process: the courses written out (by bundle digest) and each run's check.
_LOCK = threading.Lock()
_COURSES: dict[str, Course] = {}
_CHECKED: dict[str, Isolation] = {}
_HOOKED: list[bool] = []


def _exit_handlers_run_in_nanny_workers() -> None:
    """A worker started by ``dask worker``'s nanny is a multiprocessing child, which ends
    without running ``atexit`` handlers: have them run at its normal exit too, so its private
    folders (the keys) and the sandbox's package copy are removed."""
    if multiprocessing.parent_process() is not None and not _HOOKED:
        multiprocessing.util.Finalize(None, atexit._run_exitfuncs, exitpriority=0)
        _HOOKED.append(True)


def _course(bundle: CourseBundle) -> Course:
    with _LOCK:
        if bundle.digest not in _COURSES:
            _exit_handlers_run_in_nanny_workers()
            sweep_stale()
            root = _private_folder("course")
            atexit.register(shutil.rmtree, root, True)
            _write_files(root / "keys", bundle.keys)
            _write_files(root / "release", bundle.release)
            _COURSES[bundle.digest] = Course(root, "", bundle.specs, root / "keys")
        return _COURSES[bundle.digest]


@contextlib.contextmanager
def sandbox_slot() -> Iterator[int]:
    """A sandbox user id no other grading process on this machine holds (a file lock per
    id under ``/var/tmp``), so several worker processes and threads never share one."""
    SLOT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    base = sandbox_uid_base()
    for uid in range(base, base + MAX_SLOTS):
        fd = os.open(SLOT_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield uid
        finally:
            os.close(fd)  # releases the lock
        return
    raise GraderFailure(f"all {MAX_SLOTS} sandbox user ids from {base} are in use on this worker")


def check_worker(run: str, code: str, version: str, options: Any) -> str:
    """Make sure this worker may grade run ``run`` (same course_lib and assets as the
    coordinator, the isolation asked for, a passing preflight kernel); return its isolation.
    Done once per run and worker process; raises :class:`WorkerUnfit`."""
    with _LOCK:
        _exit_handlers_run_in_nanny_workers()
        if run not in _CHECKED:
            _CHECKED[run] = _check(code, version, options)
        isolation = _CHECKED[run]
    return f"{isolation.mode} ({isolation.reason})"


def _check(code: str, version: str, options: Any) -> Isolation:
    from course_lib.grading.preflight import PreflightError, preflight

    if code != code_fingerprint():
        raise WorkerUnfit(
            f"this worker's course_lib {course_lib.__version__} ({paths.PACKAGE_DIR}) or its "
            f"assets differ from the coordinator's {version}: install the same version here"
        )
    isolation = isolation_for(options.isolation)
    if options.require_isolation and not isolation.full:
        raise WorkerUnfit(f"full isolation required but unavailable here: {isolation.reason}")
    try:
        with sandbox_slot() as uid:
            preflight(isolation, options.limits, uid)
    except PreflightError as exc:
        raise WorkerUnfit(f"this worker's grading kernel failed its check: {exc}") from None
    return isolation


def grade_remote(task: RemoteJob, bundle: CourseBundle, options: Any) -> Row:
    """The Dask task: grade one notebook on this worker, as :func:`pipeline.grade_job` does
    locally. Raises (so Dask retries it, on any worker) only for failures of the grader:
    :class:`WorkerUnfit`, :class:`GraderFailure` or a grader bug; never for anything the
    submission does, which ends as a row (a timeout, a dead kernel, a limit: grades)."""
    check_worker(bundle.run, bundle.code, bundle.version, options)  # a worker that joined late
    isolation = _CHECKED[bundle.run]
    course = _course(bundle)
    context = CourseContext(course.keys_dir, paths.assets_dir(), reveal_keys=options.reveal_keys)
    options = replace(options, assets=None, roster=None, dask=None)
    scratch = _private_folder("job")
    try:
        folder = scratch / task.student / task.assignment
        folder.mkdir(parents=True)
        _write_files(folder, task.files)
        job = Job(task.student, task.assignment, task.notebook, folder, task.sha256)
        with sandbox_slot() as uid:
            row = grade_job(job, course, context, options, isolation, uid)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if row.status == "infrastructure-error":
        raise GraderFailure(row.detail)
    return row
