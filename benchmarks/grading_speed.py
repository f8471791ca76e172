"""Grading speed side by side: stock nbgrader, a bare kernel floor and ``grade``, on the same
honest submissions, in one run.

Run: ``make bench-grading`` or ``.venv/bin/python benchmarks/grading_speed.py [--students N]``
(prints figures; not a test). As root, export ``COURSE_SANDBOX_UID_BASE`` first if another
grading run shares the machine.

The class is the demo's (``course_lib.grading.demo``): its honest students who submit every
notebook (ten; ``--students N`` simulates more with the same generator). Each method grades
or runs exactly those notebooks:

- ``nbgrader``: stock ``nbgrader autograde`` (one call per assignment, as instructors run
  it) on a copy of the course folder whose config is plain nbgrader's (the course's guard,
  which refuses autograde, is left out of the copy);
- ``bare``: each notebook executed once with nbclient in a fresh plain kernel, no sandbox
  and no grading: the floor of "one fresh interpreter per notebook";
- ``grade-jN``: the course's own grading (``run_grade``, every output written), in-process,
  with N parallel slots; ``-cold`` is ``--no-warm`` (a new sandboxed interpreter per notebook).

Per notebook the time splits into kernel start (launch to ready), imports (the grader's setup
cell and the cells that import and define nothing: each notebook's first code cell), the other
cells, and the rest (copying, rebuilding, judging, writing). CPU time counts this process,
every child it waited for, and the sandboxed kernels (and warm slots), read from /proc just
before they are stopped (a killed sandbox is never waited for).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

METHODS = ("nbgrader", "bare", "grade-j1", "grade-j2", "grade-j1-cold", "grade-j2-cold")
DEFAULT_METHODS = ("nbgrader", "bare", "grade-j1", "grade-j2")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The benchmark's options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=None, help="class size (default: the demo's 10)")
    p.add_argument(
        "--methods",
        default=",".join(DEFAULT_METHODS),
        help=f"comma-separated, from {', '.join(METHODS)} (default %(default)s)",
    )
    p.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = p.parse_args(argv)
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = sorted(set(args.methods) - set(METHODS))
    if unknown:
        p.error(f"unknown method(s): {', '.join(unknown)}")
    if args.students is not None and args.students < 1:
        p.error("--students must be at least 1")
    return args


@dataclass
class Split:
    """Where one notebook's time went (seconds)."""

    notebook: str
    kernel: float
    imports: float
    cells: float
    total: float

    @property
    def other(self) -> float:
        return max(0.0, self.total - self.kernel - self.imports - self.cells)


@dataclass
class Measure:
    """One method's run over every notebook."""

    method: str
    notebooks: int
    wall: float
    cpu: float
    load: tuple[float, float]  # 1-minute load average before and after
    splits: list[Split] = field(default_factory=list)
    note: str = ""

    @property
    def per_notebook(self) -> float:
        return self.wall / self.notebooks

    @property
    def cpu_per_notebook(self) -> float:
        return self.cpu / self.notebooks


def cpu_seconds() -> float:
    """CPU time of this process and of every child process it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _stamp(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _imports_cell(source: str) -> bool:
    """A cell that imports and defines nothing (the notebooks' first code cell)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    defines = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(n, ast.Import | ast.ImportFrom) for n in body) and not any(
        isinstance(n, defines) for n in body
    )


def cell_split(nb: Any) -> tuple[float, float]:
    """(imports, other cells) seconds of an executed notebook, from nbclient's timing."""
    imports = cells = 0.0
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.get("cell_type") != "code" or "shell.execute_reply" not in timing:
            continue
        begin = timing.get("iopub.status.busy") or timing.get("iopub.execute_input")
        seconds = _stamp(timing["shell.execute_reply"]) - _stamp(begin)
        setup = "course_lib_setup" in cell.get("metadata", {})
        if setup or _imports_cell(cell.source):
            imports += seconds
        else:
            cells += seconds
    return imports, cells


Result = tuple[list[Split], str, float]  # splits, note, CPU seconds of processes never waited for


def _measure(method: str, notebooks: int, run: Callable[[], Result]) -> Measure:
    load0, cpu0, t0 = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
    splits, note, unwaited = run()
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0 + unwaited
    return Measure(method, notebooks, wall, cpu, (load0, os.getloadavg()[0]), splits, note)


def honest_notebooks(submissions: Path) -> list[Path]:
    """Every submitted notebook, sorted."""
    return sorted(submissions.glob("*/*/*.ipynb"))


def run_nbgrader(course: Path, submissions: Path, work: Path) -> Result:
    """Stock ``nbgrader autograde`` on a copy of the course folder (plain config)."""
    copy = work / "nbgrader-course"
    shutil.copytree(course, copy, ignore=shutil.ignore_patterns("submitted", "autograded"))
    shutil.copytree(submissions, copy / "submitted")
    (copy / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(copy)!r}\n"
        "c.CourseDirectory.course_id = 'reactance'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{copy / 'gradebook.db'}'\n"
    )
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    assignments = sorted({p.parent.name for p in submissions.glob("*/*/*.ipynb")})
    for assignment in assignments:
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader autograde {assignment} failed:\n{done.stderr[-2000:]}")
    graded = len(list((copy / "autograded").glob("*/*/*.ipynb")))
    return [], f"{len(assignments)} autograde calls, {graded} notebooks autograded", 0.0


def run_bare(submissions: Path, work: Path) -> Result:
    """Each notebook once, in a fresh plain kernel with nbclient (no sandbox, no grading)."""
    from nbclient import NotebookClient

    splits = []
    for path in honest_notebooks(submissions):
        folder = Path(tempfile.mkdtemp(dir=work, prefix="bare-"))
        shutil.copytree(path.parent, folder, dirs_exist_ok=True)
        nb = nbformat.read(folder / path.name, as_version=4)
        client = NotebookClient(
            nb, timeout=60, allow_errors=True, resources={"metadata": {"path": str(folder)}}
        )
        t0 = time.perf_counter()
        with client.setup_kernel(cwd=str(folder), stdout=subprocess.DEVNULL):
            kernel = time.perf_counter() - t0
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        total = time.perf_counter() - t0
        imports, cells = cell_split(nb)
        splits.append(Split(path.stem, kernel, imports, cells, total))
        shutil.rmtree(folder, ignore_errors=True)
    return splits, "nbclient, kernel python3, one fresh kernel per notebook", 0.0


def run_grade(course: Path, submissions: Path, work: Path, jobs: int, warm: bool) -> Result:
    """The course's ``grade`` (in-process ``run_grade``: every output written)."""
    from course_lib.grading import execute
    from course_lib.grading.cli_commands import run_grade as grade
    from course_lib.grading.demo import DEMO_SALT
    from course_lib.grading.pipeline import Options

    out = work / f"grade-j{jobs}{'' if warm else '-cold'}"
    shutil.copytree(course, out, ignore=shutil.ignore_patterns("submitted"))
    timings: dict[tuple[int, str], float] = {}
    unwaited: list[float] = []

    def hook(nb: Any, phase: str, seconds: float) -> None:
        if phase == "kernel-start":
            timings[(id(nb), phase)] = seconds
        else:  # the CPU of a kernel (or of a warm slot) read just before it is stopped
            unwaited.append(seconds)

    options = Options(jobs=jobs, variant_salt=DEMO_SALT)
    if hasattr(options, "warm"):
        options.warm = warm
    elif not warm:
        raise SystemExit("this checkout has no warm slots: the -cold methods do not apply")
    execute.timing_hook = hook
    rows: list[Any] = []
    text = io.StringIO()
    try:
        from course_lib.grading import pipeline

        original = pipeline.grade_all

        def keep_rows(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            rows.extend(result[1])
            return result

        pipeline.grade_all = keep_rows
        with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
            code = grade(submissions, out, options)
    finally:
        pipeline.grade_all = original
        execute.timing_hook = None
    if code != 0:
        raise RuntimeError(f"grade --jobs {jobs} exited {code}:\n{text.getvalue()[-3000:]}")
    splits = []
    for row in rows:
        if row.executed is None:
            continue
        imports, cells = cell_split(row.executed)
        kernel = timings.get((id(row.executed), "kernel-start"), 0.0)
        splits.append(Split(row.notebook, kernel, imports, cells, row.seconds))
    path_line = next((ln for ln in text.getvalue().splitlines() if ln.startswith("kernels:")), "")
    statuses = sorted({r.status for r in rows})
    note = f"statuses {', '.join(statuses)}{'; ' + path_line if path_line else ''}"
    return splits, note, sum(unwaited)


def format_report(measures: list[Measure], students: int, cores: int) -> str:
    """The side-by-side table, the ratios and the per-notebook split."""
    if not measures:
        return "nothing measured"
    notebooks = measures[0].notebooks
    stock = next((m for m in measures if m.method == "nbgrader"), None)
    bare = next((m for m in measures if m.method == "bare"), None)
    lines = [
        f"grading speed: {students} honest students, {notebooks} notebooks, {cores} CPU cores",
        "",
        f"{'method':<15}{'wall s':>9}{'s/notebook':>12}{'CPU s/nb':>10}"
        f"{'vs stock':>10}{'vs bare':>9}  load (1 min) before/after",
    ]
    for m in measures:
        speedup = f"{stock.per_notebook / m.per_notebook:.2f}x" if stock else "-"
        vs_bare = f"{m.cpu_per_notebook / bare.cpu_per_notebook:.2f}" if bare else "-"
        lines.append(
            f"{m.method:<15}{m.wall:>9.1f}{m.per_notebook:>12.3f}{m.cpu_per_notebook:>10.3f}"
            f"{speedup:>10}{vs_bare:>9}  {m.load[0]:.2f}/{m.load[1]:.2f}"
        )
    lines += ["", "vs stock: stock's wall s/notebook over the method's; vs bare: CPU per notebook"]
    lines.append("relative to the bare floor's (below 1: less CPU than a fresh plain kernel).")
    for m in measures:
        if m.note:
            lines.append(f"  {m.method}: {m.note}")
    split_rows = [m for m in measures if m.splits]
    if split_rows:
        lines += [
            "",
            "per notebook, mean seconds (wall; with 2 jobs two notebooks share the cores):",
            f"{'method':<15}{'notebook':<20}{'n':>3}{'kernel':>8}{'imports':>9}{'cells':>8}"
            f"{'other':>8}{'total':>8}",
        ]
        for m in split_rows:
            for name in sorted({s.notebook for s in m.splits}):
                group = [s for s in m.splits if s.notebook == name]

                def mean(get: Callable[[Split], float], group: list[Split] = group) -> float:
                    return statistics.fmean(get(s) for s in group)

                lines.append(
                    f"{m.method:<15}{name:<20}{len(group):>3}{mean(lambda s: s.kernel):>8.3f}"
                    f"{mean(lambda s: s.imports):>9.3f}{mean(lambda s: s.cells):>8.3f}"
                    f"{mean(lambda s: s.other):>8.3f}{mean(lambda s: s.total):>8.3f}"
                )
    return "\n".join(lines)


def build(work: Path, students: int | None) -> tuple[Path, Path, int]:
    """The prepared course folder and the honest class's submissions (not timed)."""
    from course_lib.grading.course import prepare
    from course_lib.grading.demo import DEMO_SALT, build_class, honest_class

    course = prepare(work / "course")
    roster = honest_class(students)
    submissions = work / "submitted"
    build_class(course, submissions, DEMO_SALT, roster)
    return course.root, submissions, len(roster)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-speed-", dir="/var/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"building the class in {work} (not timed)...", file=sys.stderr, flush=True)
        course, submissions, students = build(work, args.students)
        notebooks = len(honest_notebooks(submissions))
        measures = []
        for method in args.methods:
            print(f"running {method}...", file=sys.stderr, flush=True)
            if method == "nbgrader":
                run = lambda: run_nbgrader(course, submissions, work)  # noqa: E731
            elif method == "bare":
                run = lambda: run_bare(submissions, work)  # noqa: E731
            else:
                jobs, warm = int(method.split("-j")[1][0]), not method.endswith("-cold")
                run = lambda j=jobs, w=warm: run_grade(course, submissions, work, j, w)  # noqa: E731
            measures.append(_measure(method, notebooks, run))
        print(format_report(measures, students, os.cpu_count() or 1))
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
