"""Grade every submission found: one row per student x assignment x notebook, none dropped.

Layout of SUBMISSIONS: ``<student_id>/<assignment>/<notebook>.ipynb`` plus any saved
answer files. Originals are never modified: each submission folder is hashed, copied into
a throwaway folder, graded there, and the hashes are checked again at the end.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import nbformat

from course_lib import paths
from course_lib.grading import case_answers, per_student, withheld
from course_lib.grading.course import Course, prepare
from course_lib.grading.discover import discover, hash_folder
from course_lib.grading.execute import Execution, execute
from course_lib.grading.preflight import preflight, run_problem
from course_lib.grading.reconstruct import Reconstructed, reconstruct
from course_lib.grading.reference_copies import near_copy_note
from course_lib.grading.roster import Roster, apply_roster
from course_lib.grading.rows import Job, Row, points
from course_lib.grading.sandbox import (
    Isolation,
    Limits,
    isolation_for,
    sandbox_uid_base,
    work_folder,
)
from course_lib.grading.similarity import annotate, similarity
from course_lib.grading.spec import AssignmentSpec, NotebookSpec
from course_lib.grading.submission_files import (
    UNSAFE_FILE,
    copy_regular_files,
    unsafe_detail,
    unsafe_files,
)
from course_lib.grading.verdict import (
    CourseContext,
    QuestionResult,
    expected_values,
    judge_answers_file,
    judge_capture,
)
from course_lib.grading.warm_slots import WarmSlot, open_slots

MAX_COPY_BYTES = 50 * 1024**2


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
    variant_salt: str | None = None  # None: the course's recorded salt (per_student)
    reveal_keys: bool = False  # after the due date: a2 feedback states each case's key
    warm: bool = True  # fork each kernel from a warm sandboxed parent per slot (warm_slots)
    dask: str | None = None  # a Dask scheduler's address: grade on its workers (cluster.py)


class Remote(Protocol):
    """Where jobs are graded instead of here (:class:`course_lib.grading.cluster.Cluster`)."""

    isolation: Isolation

    def grade(
        self, jobs: list[Job], course: Course, options: Options, progress: Callable[[Row], None]
    ) -> list[Row]:
        """One row per job, in the order of ``jobs``."""
        ...


def files_read(assignment: AssignmentSpec, spec: NotebookSpec) -> list[str]:
    """The files of a submission folder the grader itself reads for one notebook."""
    answers = [q.answers_file for q in spec.questions.values() if q.answers_file]
    return sorted({*answers, *assignment.extra_files})


def _new_row(job: Job, course: Course) -> tuple[Row, dict[str, float], Any]:
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
    return row, per_cell, template


def unsafe_row(job: Job, course: Course) -> Row | None:
    """The ``unsafe-file`` row of a notebook whose folder the grader may not read, else None.

    A link could point at the instructor's source notebook or a key file (whose text a read
    error would echo into feedback), or at another student's answers file.
    """
    spec = course.specs[job.assignment].notebooks[job.notebook]
    unsafe = unsafe_files(job.folder, job.notebook, files_read(course.specs[job.assignment], spec))
    if not unsafe:
        return None
    row, _, _ = _new_row(job, course)
    row.status, row.detail, row.unsafe = UNSAFE_FILE, unsafe_detail(unsafe), unsafe[:3]
    return row


def grade_job(
    job: Job,
    course: Course,
    context: CourseContext,
    options: Options,
    isolation: Isolation,
    uid: int,
    slot: WarmSlot | None = None,
) -> Row:
    """Grade one notebook (``slot``: a warm slot for this ``uid``, else a cold kernel).
    Never raises for anything the submission does."""
    started = time.monotonic()
    spec: NotebookSpec = course.specs[job.assignment].notebooks[job.notebook]
    row, per_cell, template = _new_row(job, course)
    path = job.folder / f"{job.notebook}.ipynb"
    if (unsafe := unsafe_row(job, course)) is not None:
        return unsafe
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
    variant = per_student.variant_of(
        job.student, course.specs[job.assignment], options.variant_salt
    )
    kernel_env = per_student.kernel_env(job.student, options.variant_salt)
    execution = None
    for _attempt in (1, 2):  # an infrastructure failure is retried once
        if slot is not None and not slot.ensure():
            slot = None  # its warm parent cannot be restarted: a cold kernel
        folder = slot.submission() if slot else work_folder(isolation, options.limits)
        with folder as workdir:
            copy_regular_files(job.folder, workdir, MAX_COPY_BYTES)
            execution = execute(
                rebuilt.notebook,
                rebuilt.captures,
                workdir,
                isolation,
                options.limits,
                uid,
                kernel_env,
                warm=slot,
            )
        if (problem := run_problem(execution)) is not None:
            # the kernel could not start, or could not import (this) course_lib: the grader's
            # failure, never the student's zero
            execution = Execution("infrastructure", problem, execution.notebook)
        if execution.status != "infrastructure":
            break
        if slot is not None:
            slot.stop()  # the retry gets a new warm parent
        rebuilt = reconstruct(student_nb, template, spec)  # the failed run may have mutated it
    assert execution is not None
    if execution.status == "infrastructure":
        row.status = "infrastructure-error"
        row.detail = f"grader failure after one retry (not the student's fault): {execution.detail}"
        row.seconds = time.monotonic() - started
        return row
    results: list[QuestionResult] = []
    context = per_student.context_for(context, variant)
    variant_notes = []
    for gid, question in spec.questions.items():
        question = per_student.for_student(question, variant, job.assignment)
        payload = execution.answers.get(gid)
        if question.answers_file is not None:
            result = judge_answers_file(gid, question, job.folder / question.answers_file, context)
        else:
            result = judge_capture(gid, question, payload, expected_values(question, context))
        outside = per_student.outside_cases(question, variant, job.assignment, job.folder, payload)
        if outside:
            result, note = per_student.explain_outside(gid, result, outside)
            variant_notes.append(note)
        results.append(result)
        if case_answers.asks(question):  # for the class report: answers on the student's cases
            answers = case_answers.collect(question, job.folder, payload)
            row.case_answers.append(
                case_answers.entry(
                    job.student, job.assignment, job.notebook, gid, question, answers
                )
            )
    results, withheld_note = withheld.explain(
        results, execution.answers, rebuilt.captures, execution.notebook
    )
    row.questions = results
    row.captured = per_student.captured_values(spec, execution.answers)
    row.variant = variant.label(job.assignment) if variant else ""
    row.auto_score = round(sum(per_cell.get(r.grade_id, 0.0) * r.fraction for r in results), 4)
    row.executed = execution.notebook
    row.stopped_in = execution.stopped_in
    notes = list(rebuilt.notes)
    if execution.status != "ok":
        row.status = execution.status
        notes.insert(0, f"{execution.detail}; answers collected before that were graded")
    if execution.cell_errors:
        notes.append(f"cells with errors: {'; '.join(execution.cell_errors[:5])}")
    notes.extend(variant_notes)
    notes += [n for n in (withheld_note, near_copy_note(execution.notebook)) if n]
    row.detail = " | ".join(notes)
    row.seconds = time.monotonic() - started
    return row


def grade_all(
    submissions: Path,
    out: Path,
    options: Options | None = None,
    progress: Callable[[int, int, Row], None] | None = None,
    step: Callable[[str], None] | None = None,
    cluster: Remote | None = None,
) -> tuple[Course, list[Row], Isolation]:
    """Grade everything under ``submissions`` into the course folder ``out``.

    First, before ``out`` is touched, one sandboxed kernel must pass the preflight check
    (:mod:`course_lib.grading.preflight`); if it fails, ``PreflightError`` is raised and
    nothing is written. ``step`` is told about each stage, for a progress display. With a
    ``cluster`` (``grade --dask``: :func:`course_lib.grading.cluster.connect`, whose workers
    each passed that check), the jobs are graded on its workers instead of here.
    """
    options = options or Options()
    say = step or (lambda _text: None)
    if options.dask and cluster is None:
        raise ValueError("options.dask: connect first (course_lib.grading.cluster.connect)")
    if cluster is not None:  # each worker passed its own check (remote_job.check_worker)
        isolation = cluster.isolation
        say(f"dask: every worker passed its check; grading {isolation.reason}")
    else:
        isolation = isolation_for(options.isolation)
        if options.require_isolation and not isolation.full:
            raise RuntimeError(f"full isolation required but unavailable: {isolation.reason}")
        say(
            f"preflight: starting one grading kernel ({isolation.mode} isolation, the run's limits)"
        )
        checked = preflight(isolation, options.limits, sandbox_uid_base())
        say(f"preflight: ok, {checked}")
    course, jobs, rows, graded = _grade_jobs(
        submissions, out, options, isolation, cluster, progress, say
    )
    for job, row in zip(jobs, graded, strict=True):
        if hash_folder(job.folder) != job.sha256:
            row.status = "infrastructure-error"
            row.detail = "the original submission changed while it was being graded; grade it again"
            row.auto_score = None
    rows.extend(graded)
    report = similarity(rows, course.specs, Path(submissions))
    annotate(rows, report)
    write_json(course.root / "similarity.json", report)
    if options.roster is not None:
        rows = apply_roster(rows, options.roster, course)
    rows.sort(key=lambda r: (r.student, r.assignment, r.notebook))
    return course, rows, isolation


def _grade_jobs(
    submissions: Path,
    out: Path,
    options: Options,
    isolation: Isolation,
    cluster: Remote | None,
    progress: Callable[[int, int, Row], None] | None,
    say: Callable[[str], None],
) -> tuple[Course, list[Job], list[Row], list[Row]]:
    """Prepare ``out``, find the jobs and grade them (here, in warm or cold kernels, or on
    ``cluster``): the course, the jobs, the rows of what could not be graded, and one row
    per job."""
    course = prepare(out, options.gradebook_url)
    salt = per_student.grading_salt(
        course.specs, options.variant_salt, course.keys_dir / per_student.RECORD
    )
    options = replace(options, variant_salt=salt)
    context = CourseContext(
        course.keys_dir,
        Path(options.assets) if options.assets else paths.assets_dir(),
        reveal_keys=options.reveal_keys,
    )
    jobs, rows = discover(Path(submissions), course)
    uids: queue.Queue[int] = queue.Queue()
    base = sandbox_uid_base()
    for slot in range(max(1, options.jobs)):
        uids.put(base + slot)
    done = [0]
    total = len(jobs)

    def tick(row: Row) -> None:
        done[0] += 1
        if progress:
            progress(done[0], total, row)

    if cluster is not None:
        return course, jobs, rows, cluster.grade(jobs, course, options, tick)
    slots, how = open_slots(
        isolation, options.limits, list(uids.queue), options.warm and bool(jobs)
    )
    say(f"kernels: {how}")

    def run(job: Job) -> Row:
        uid = uids.get()
        try:
            try:
                row = grade_job(job, course, context, options, isolation, uid, slots.get(uid))
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
        tick(row)
        return row

    try:
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            return course, jobs, rows, list(pool.map(run, jobs))
    finally:
        for warm in slots.values():
            warm.close()


def write_json(path: Path, data: Any) -> None:
    """Write JSON with a trailing newline."""
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
