"""The instructor's commands: ``release``, ``grade``, ``demo``, ``export`` and ``report``
(wired into the main CLI; ``export`` and ``report`` live in their own ``cli_*`` modules)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

from course_lib.grading.cli_export import add_export_command
from course_lib.grading.sandbox import Limits


def _add_limits(p: argparse.ArgumentParser) -> None:
    d = Limits()
    p.add_argument(
        "--timeout",
        type=float,
        default=d.cell_timeout,
        help="per-cell timeout in seconds (default %(default)s)",
    )
    p.add_argument(
        "--notebook-timeout",
        type=float,
        default=d.notebook_timeout,
        help="wall clock per notebook in seconds (default %(default)s)",
    )
    p.add_argument(
        "--memory-mb",
        type=int,
        default=d.memory_bytes // 2**20,
        help="memory cap per kernel in MiB (default %(default)s)",
    )
    p.add_argument(
        "--max-processes",
        type=int,
        default=d.max_processes,
        help="process cap per submission (default %(default)s)",
    )
    p.add_argument(
        "--max-output-kb",
        type=int,
        default=d.max_output_bytes // 1024,
        help="output cap per notebook in KiB (default %(default)s)",
    )
    p.add_argument(
        "--max-file-mb",
        type=int,
        default=d.max_file_bytes // 2**20,
        help="largest file a submission may write, MiB (default %(default)s)",
    )
    p.add_argument(
        "--max-disk-mb",
        type=int,
        default=d.max_disk_bytes // 2**20,
        help="scratch space per submission, its /tmp included, MiB (default %(default)s)",
    )
    p.add_argument(
        "--jobs", type=int, default=1, help="submissions graded at once (default %(default)s)"
    )
    p.add_argument(
        "--no-warm",
        dest="warm",
        action="store_false",
        help="start a new sandboxed interpreter for every notebook instead of forking it from "
        "a warm sandboxed parent per slot (slower; the path used before warm slots)",
    )
    p.add_argument(
        "--isolation",
        choices=["auto", "bubblewrap", "setpriv", "none"],
        default="auto",
        help="sandbox for student code (default: the strongest this machine allows)",
    )
    p.add_argument(
        "--gradebook",
        default=None,
        help="SQLAlchemy URL of the gradebook, e.g. postgresql://user:password@host/db "
        "(default: $COURSE_GRADEBOOK_URL, else sqlite OUT/gradebook.db)",
    )


def _options(args: argparse.Namespace) -> Any:
    from course_lib.grading.pipeline import Options

    limits = Limits(
        cell_timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        memory_bytes=args.memory_mb * 2**20,
        max_processes=args.max_processes,
        max_output_bytes=args.max_output_kb * 1024,
        max_file_bytes=args.max_file_mb * 2**20,
        max_disk_bytes=args.max_disk_mb * 2**20,
    )
    return Options(
        limits=limits,
        isolation=args.isolation,
        jobs=args.jobs,
        warm=args.warm,
        gradebook_url=args.gradebook,
        require_isolation=os.environ.get("COURSE_REQUIRE_SANDBOX") == "1",
    )


def _progress(done: int, total: int, row: Any) -> None:
    from course_lib.grading.feedback import points_text

    score = (
        "-"
        if row.auto_score is None
        else f"{points_text(row.auto_score)}/{points_text(row.auto_max)}"
    )
    print(
        f"[{done}/{total}] {row.student} {row.assignment}/{row.notebook}: {row.status} {score} ({row.seconds:.1f} s)",
        file=sys.stderr,
        flush=True,
    )


def _step(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


#: How ``grade_all`` says which kernel path ran (warm slots or cold starts): kept in the output.
KERNELS = "kernels: "
#: Exit code of ``grade`` when the grading kernel fails its preflight check (nothing written).
PREFLIGHT_FAILED = 3


def run_grade(submissions: Path, out: Path, options: Any) -> int:
    """Grade, write every output, print the summary and reconciliation; return the exit code.

    On a PostgreSQL gradebook the whole run holds the course's grading lock: a second run on
    the same gradebook waits for the first (``gradebook_lock``).
    """
    from course_lib.grading.course import COURSE_ID
    from course_lib.grading.gradebook_lock import grading_lock
    from course_lib.grading.out_config import gradebook_for

    if not submissions.is_dir():
        print(f"error: {submissions} is not a folder of submissions", file=sys.stderr)
        return 2
    url = gradebook_for(out, options.gradebook_url)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(grading_lock(url, COURSE_ID, _step))
        except Exception as exc:  # noqa: BLE001 - an unreachable gradebook: say so, grade nothing
            print(
                f"error: the gradebook cannot be reached, nothing was graded: {exc}",
                file=sys.stderr,
            )
            return 1
        return _locked_grade(submissions, out, options)


def _locked_grade(submissions: Path, out: Path, options: Any) -> int:
    from course_lib.grading import gradebook, reports
    from course_lib.grading.out_config import shown
    from course_lib.grading.pipeline import grade_all, write_json
    from course_lib.grading.preflight import PreflightError
    from course_lib.grading.reconcile import reconciliation

    started = time.monotonic()
    cluster = None
    kernels: list[str] = []

    def step(text: str) -> None:
        if text.startswith(KERNELS):
            kernels.append(text.removeprefix(KERNELS))
        _step(text)

    try:
        if options.dask:  # every worker is checked before anything is written
            from course_lib.grading.cluster import connect

            cluster = connect(options.dask, options, _step)
        course, rows, isolation = grade_all(
            submissions, out, options, progress=_progress, step=step, cluster=cluster
        )
    except PreflightError as exc:
        print(
            f"error: the grading kernel failed its check, so nothing was graded and no grade "
            f"was written (not in {out}, not in the gradebook):\n{exc}",
            file=sys.stderr,
        )
        return PREFLIGHT_FAILED
    except Exception as exc:  # noqa: BLE001 - the pipeline itself failed: say so, exit non-zero
        print(f"error: grading could not run: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.close()
    print(f"isolation: {isolation.mode} ({isolation.reason})", file=sys.stderr)
    print(f"reference code: {isolation.reference_code}", file=sys.stderr)
    manual = gradebook.record(course, rows, options.roster)
    gradebook.apply_manual(rows, manual)
    gradebook.write_autograded(course, rows)
    reports.write_grades(course.root / "grades.csv", rows, options.roster)
    reports.write_cell_scores(course.root / "cell_scores.csv", rows, course, manual)
    reports.write_case_answers(course.root / "case_answers.json", rows)
    written = reports.write_feedback(course, rows, manual)
    recon = reconciliation(rows, submissions, options.roster)
    recon["isolation"] = {
        "mode": isolation.mode,
        "reason": isolation.reason,
        "reference_code": isolation.reference_code,
    }
    recon["kernels"] = kernels[-1] if kernels else ("cold, on the Dask workers" if options.dask else "")
    recon["keys_revealed"] = options.reveal_keys
    recon["seconds"] = round(time.monotonic() - started, 1)
    write_json(course.root / "reconciliation.json", recon)
    print(reports.summary_table(rows))
    print(
        f"\nreconciliation: {recon['submitted_notebooks']} notebooks submitted, {recon['rows']} rows = "
        f"{recon['graded']} graded + {recon['errors']} with another status {recon['by_status']}; "
        f"balanced: {recon['balanced']}"
    )
    if recon["roster"]:
        r = recon["roster"]
        print(
            f"roster: {r['rostered']} students, {r['submitted']} submitted; "
            f"submitted nothing: {', '.join(r['not_submitted']) or 'nobody'}; "
            f"not on the roster: {', '.join(r['not_on_roster']) or 'nobody'}"
        )
    if options.reveal_keys:
        print("keys revealed: Assignment 2's feedback states the expert key of each case")
    print(
        f"wrote {course.root / 'grades.csv'}, cell_scores.csv, case_answers.json, "
        f"{written} feedback pages, reconciliation.json and the gradebook ({shown(course.db_url)}) "
        f"in {recon['seconds']} s"
    )
    return 0 if recon["balanced"] else 1


def _cmd_grade(args: argparse.Namespace) -> int:
    from course_lib.grading.roster import RosterError, load_roster
    from course_lib.variants import read_salt_file

    options = _options(args)
    options.reveal_keys = args.reveal_keys
    options.dask = args.dask
    if args.variant_salt:
        try:
            options.variant_salt = read_salt_file(Path(args.variant_salt))
        except ValueError as exc:
            print(f"error: --variant-salt: {exc}; nothing was graded", file=sys.stderr)
            return 2
    if args.roster:
        try:
            options.roster = load_roster(Path(args.roster))
        except RosterError as exc:
            print(f"error: the roster is not valid, nothing was graded:\n{exc}", file=sys.stderr)
            return 2
    return run_grade(Path(args.submissions), Path(args.out), options)


SALT_MESSAGES = {
    "created": "recorded a new variant salt in {path}: keep it, grading needs it",
    "kept": "per-student variants use the salt recorded in {path}",
    "replaced": "new cohort: a new variant salt in {path} (the previous one is kept beside it, "
    "for re-grading the previous cohort with grade --variant-salt)",
}


def _cmd_release(args: argparse.Namespace) -> int:
    from course_lib.grading.per_student import ensure_record, record_path
    from course_lib.grading.release import release

    record = record_path()
    try:
        salt, done = ensure_record(record, new=args.new_salt)
        written = release(Path(args.out), salt=salt)
    except Exception as exc:  # noqa: BLE001
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(SALT_MESSAGES[done].format(path=record))
    for path in written:
        print(f"released {path}")
    return 0


def run_demo(out: Path, options: Any) -> int:
    """Release, build the sample class, grade it, report on it; print where everything is."""
    from course_lib.grading.course import prepare
    from course_lib.grading.demo import (
        DEMO_SALT,
        NOT_ON_ROSTER,
        NOT_SUBMITTED,
        build_class,
        write_demo_salt,
        write_roster,
    )
    from course_lib.grading.release import release
    from course_lib.grading.roster import load_roster

    out = Path(out)
    print(f"1/4 releasing the student versions to {out / 'student-release'}", file=sys.stderr)
    salt_file = write_demo_salt(out / "variant_salt.json")
    options.variant_salt = DEMO_SALT
    try:
        release(out / "student-release", salt=DEMO_SALT)
    except Exception as exc:  # noqa: BLE001 - say what failed, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    course = prepare(out / "course", options.gradebook_url)
    submissions = out / "course" / "submitted"
    students = build_class(course, submissions, DEMO_SALT)
    options.roster = load_roster(write_roster(out / "roster.csv"))
    print(
        f"2/4 simulated class of {len(students)} students written to {submissions}; its roster "
        f"{options.roster.path} lists {NOT_SUBMITTED}, who submitted nothing, and not "
        f"{NOT_ON_ROSTER}, who did",
        file=sys.stderr,
    )
    if options.limits.cell_timeout == 30.0:
        from dataclasses import replace

        options.limits = replace(options.limits, cell_timeout=10.0)
    if options.jobs == 1:
        options.jobs = 2
    print("3/4 grading (each submission in its own sandboxed kernel)", file=sys.stderr)
    code = run_grade(submissions, out / "course", options)
    print("4/4 the class report", file=sys.stderr)
    from course_lib.grading.cli_report import run_report

    report_code = run_report(out / "course")
    print(
        f"\nClass report: {(out / 'course' / 'report' / 'index.html').resolve()} (open it in a "
        "browser or from JupyterLab's file browser)"
        f"\nGradebook for Canvas: python -m course_lib export {out / 'course'} --format canvas "
        f"--match sis-login-id --out {out / 'canvas.csv'}  (blank, never zero, until every "
        "written answer is graded; see its notes file)"
        f"\nFormgrader for manual grading: make formgrader OUT={out / 'course'}  "
        f"(or cd {out / 'course'} && jupyter lab{' --allow-root' if os.geteuid() == 0 else ''};"
        " then Nbgrader > Formgrader)"
        f"\nTo re-grade (manual grades are kept): python -m course_lib grade {submissions} "
        f"--out {out / 'course'} --roster {options.roster.path} --variant-salt {salt_file} "
        f"--timeout {options.limits.cell_timeout:g} --jobs {options.jobs}"
    )
    return code or report_code


def _cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.out), _options(args))


def add_commands(sub: Any) -> None:
    """Register the instructor commands on the main CLI's subparsers."""
    p = sub.add_parser(
        "release", help="write the student version of every assignment to OUT/<assignment>/"
    )
    p.add_argument("--out", required=True)
    p.add_argument(
        "--new-salt",
        action="store_true",
        help="start a new cohort: record a new variant salt (the old record is kept beside it)",
    )
    p.set_defaults(func=_cmd_release)
    p = sub.add_parser(
        "grade", help="grade SUBMISSIONS/<student>/<assignment>/<notebook>.ipynb into OUT"
    )
    p.add_argument("submissions")
    p.add_argument("--out", required=True)
    p.add_argument(
        "--roster",
        default=None,
        help="CSV of the class (student_id; optional first_name, last_name, email, lms_id): "
        "names go into the gradebook and a rostered student who submitted nothing gets "
        "not-submitted rows",
    )
    p.add_argument(
        "--variant-salt",
        default=None,
        metavar="FILE",
        help="the variant salt record to grade with (default: the course's, "
        "notebooks/course/keys/variant_salt.json, written by release)",
    )
    p.add_argument(
        "--reveal-keys",
        action="store_true",
        help="for after the due date: Assignment 2's feedback also gives, per case, the "
        "student's rating of every marker minus the expert's and the expert key (band, trait "
        "or state, stance); without it, only what earned credit (default: off)",
    )
    p.add_argument(
        "--dask",
        default=None,
        metavar="tcp://HOST:PORT",
        help="grade on the workers of this Dask scheduler instead of here (needs the [dask] "
        "extra; --jobs is then ignored: each worker's threads are its slots). Submissions and "
        "keys travel to the workers: use only trusted instructor machines (README)",
    )
    _add_limits(p)
    p.set_defaults(func=_cmd_grade)
    p = sub.add_parser("demo", help="release, generate the sample class, grade it, print a summary")
    p.add_argument("--out", required=True)
    _add_limits(p)
    p.set_defaults(func=_cmd_demo)
    add_export_command(sub)
    from course_lib.grading.cli_report import add_command as add_report

    add_report(sub)
