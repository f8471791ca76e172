"""Grade every submission found: one row per student x assignment x notebook, none dropped.

Layout of SUBMISSIONS: ``<student_id>/<assignment>/<notebook>.ipynb`` plus any saved
answer files. Originals are never modified: each submission folder is hashed, copied into
a throwaway folder, graded there, and the hashes are checked again at the end.
"""

from __future__ import annotations

import json
import queue
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_lib import paths
from course_lib.grading import withheld
from course_lib.grading.course import Course, prepare
from course_lib.grading.discover import discover, hash_folder
from course_lib.grading.execute import execute
from course_lib.grading.reconstruct import Reconstructed, reconstruct
from course_lib.grading.roster import Roster, apply_roster
from course_lib.grading.rows import Job, Row, points
from course_lib.grading.sandbox import (
    Isolation,
    Limits,
    isolation_for,
    limit_disk,
    release_disk,
    sandbox_uid_base,
)
from course_lib.grading.similarity import near_copy_note
from course_lib.grading.spec import NotebookSpec
from course_lib.grading.verdict import (
    CourseContext,
    QuestionResult,
    expected_values,
    judge_answers_file,
    judge_capture,
)

MAX_COPY_BYTES = 50 * 1024**2
WORK_ROOT = Path(
    "/var/tmp"
)  # outside /tmp, so the sandbox's own /tmp can live inside the work folder


@dataclass
class Options:
    """How to grade."""

    limits: Limits = field(default_factory=Limits)
    isolation: str | None = None
    require_isolation: bool = False
    jobs: int = 1
    gradebook_url: str | None = None
    assets: Path | None = None
    roster: Roster | None = None


def _copy_submission(src: Path, dest: Path) -> None:
    total = 0
    for path in sorted(src.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.suffix == ".ipynb":
            continue
        total += path.stat().st_size
        if total > MAX_COPY_BYTES:
            break
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def grade_job(
    job: Job,
    course: Course,
    context: CourseContext,
    options: Options,
    isolation: Isolation,
    uid: int,
) -> Row:
    """Grade one notebook. Never raises for anything the submission does."""
    started = time.monotonic()
    spec: NotebookSpec = course.specs[job.assignment].notebooks[job.notebook]
    template = nbformat.read(course.release_notebook(job.assignment, job.notebook), as_version=4)
    auto_max, manual_max, per_cell = points(template)
    row = Row(
        job.student,
        job.assignment,
        job.notebook,
        "graded",
        auto_max=auto_max,
        manual_max=manual_max,
        sha256=job.sha256,
    )
    path = job.folder / f"{job.notebook}.ipynb"
    if any(p.is_symlink() for p in (path, job.folder, job.folder.parent)):
        # A link could point at the instructor's source notebook (graded as if the student
        # wrote it) or at a key file (whose text a read error would echo into feedback).
        row.status = "malformed-notebook"
        row.detail = f"{path.name} or its folder is a symbolic link; only regular files are graded"
        row.auto_score = 0.0
        return row
    try:
        student_nb = nbformat.read(path, as_version=4)
        if not isinstance(student_nb.get("cells"), list):
            raise ValueError("no cell list")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a malformed notebook
        row.status, row.detail = (
            "malformed-notebook",
            f"{path.name} is not a readable notebook: {type(exc).__name__}: {str(exc)[:200]}",
        )
        row.auto_score = 0.0
        return row
    rebuilt: Reconstructed = reconstruct(student_nb, template, spec)
    execution = None
    for _attempt in (1, 2):  # an infrastructure failure is retried once
        workdir = Path(
            tempfile.mkdtemp(prefix="course-grade-", dir=WORK_ROOT if WORK_ROOT.is_dir() else None)
        )
        mounted = limit_disk(workdir, options.limits.max_disk_bytes, isolation)
        try:
            workdir.chmod(0o700)
            _copy_submission(job.folder, workdir)
            execution = execute(
                rebuilt.notebook, rebuilt.captures, workdir, isolation, options.limits, uid
            )
        finally:
            if mounted:
                release_disk(workdir)
            shutil.rmtree(workdir, ignore_errors=True)
        if execution.status != "infrastructure":
            break
        rebuilt = reconstruct(student_nb, template, spec)  # the failed run may have mutated it
    assert execution is not None
    if execution.status == "infrastructure":
        row.status = "infrastructure-error"
        row.detail = f"grader failure after one retry (not the student's fault): {execution.detail}"
        row.seconds = time.monotonic() - started
        return row
    results: list[QuestionResult] = []
    for gid, question in spec.questions.items():
        if question.answers_file is not None:
            results.append(
                judge_answers_file(gid, question, job.folder / question.answers_file, context)
            )
        else:
            results.append(
                judge_capture(
                    gid, question, execution.answers.get(gid), expected_values(question, context)
                )
            )
    results, withheld_note = withheld.explain(
        results, execution.answers, rebuilt.captures, execution.notebook
    )
    row.questions = results
    row.auto_score = round(sum(per_cell.get(r.grade_id, 0.0) * r.fraction for r in results), 4)
    row.executed = execution.notebook
    row.stopped_in = execution.stopped_in
    notes = list(rebuilt.notes)
    if execution.status != "ok":
        row.status = execution.status
        notes.insert(0, f"{execution.detail}; answers collected before that were graded")
    if execution.cell_errors:
        notes.append(f"cells with errors: {'; '.join(execution.cell_errors[:5])}")
    notes += [n for n in (withheld_note, near_copy_note(execution.notebook)) if n]
    row.detail = " | ".join(notes)
    row.seconds = time.monotonic() - started
    return row


def grade_all(
    submissions: Path,
    out: Path,
    options: Options | None = None,
    progress: Callable[[int, int, Row], None] | None = None,
) -> tuple[Course, list[Row], Isolation]:
    """Grade everything under ``submissions`` into the course folder ``out``."""
    options = options or Options()
    isolation = isolation_for(options.isolation)
    if options.require_isolation and not isolation.full:
        raise RuntimeError(f"full isolation required but unavailable: {isolation.reason}")
    course = prepare(out, options.gradebook_url)
    context = CourseContext(
        course.keys_dir, Path(options.assets) if options.assets else paths.assets_dir()
    )
    jobs, rows = discover(Path(submissions), course)
    uids: queue.Queue[int] = queue.Queue()
    base = sandbox_uid_base()
    for slot in range(max(1, options.jobs)):
        uids.put(base + slot)
    done = [0]
    total = len(jobs)

    def run(job: Job) -> Row:
        uid = uids.get()
        try:
            try:
                row = grade_job(job, course, context, options, isolation, uid)
            except Exception as exc:  # noqa: BLE001 - a grader bug must not drop a submission
                row = Row(
                    job.student,
                    job.assignment,
                    job.notebook,
                    "infrastructure-error",
                    f"grader error (not the student's fault): {type(exc).__name__}: {exc}",
                    sha256=job.sha256,
                )
        finally:
            uids.put(uid)
        done[0] += 1
        if progress:
            progress(done[0], total, row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        graded = list(pool.map(run, jobs))
    for job, row in zip(jobs, graded, strict=True):
        if hash_folder(job.folder) != job.sha256:
            row.status = "infrastructure-error"
            row.detail = "the original submission changed while it was being graded; grade it again"
            row.auto_score = None
    rows.extend(graded)
    if options.roster is not None:
        rows = apply_roster(rows, options.roster, course)
    rows.sort(key=lambda r: (r.student, r.assignment, r.notebook))
    return course, rows, isolation


def write_json(path: Path, data: Any) -> None:
    """Write JSON with a trailing newline."""
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
