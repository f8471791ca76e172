"""Shared helpers for the grading-pipeline tests: a scratch mini course, submissions, a run.

Everything runs in-process (``course_lib.grading.cli_commands.run_grade``) with small limits
so the slow tests stay quick: 5 s per cell, 40 s per notebook, two submissions at once.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from course_lib.grading.pipeline import Options
from course_lib.grading.sandbox import Limits

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini_course"
REPO_KEYS = MINI / "keys" / "t1.yaml"
COURSE_KEYS = REPO / "notebooks" / "course" / "keys"
HIDDEN_INPUTS = ["1000001", "-7.5"]  # the distinctive hidden inputs of t1_q2 (13 is too short)
EXPECTED = ["2000002", "-15.0"]
KEY_TEXTS = [  # instructor-only texts: the key file, the model answers
    "Grading spec of the test fixture",
    "x = 6 * 7",
    "return 2 * v",
    "### BEGIN SOLUTION",
    "motivational state aroused",
]
LIMITS = Limits(cell_timeout=5.0, notebook_timeout=40.0)
GRADE_COLUMNS = ("auto_score", "auto_max", "manual_max", "needs_manual_grade", "status", "detail")


def options(**changes: Any) -> Options:
    """Fast, fully isolated options for the tests (two jobs, small timeouts)."""
    return Options(limits=changes.pop("limits", LIMITS), jobs=changes.pop("jobs", 2), **changes)


def copy_course(dest: Path) -> Path:
    """A scratch copy of the mini course (source + keys)."""
    shutil.copytree(MINI, dest)
    return dest


@contextlib.contextmanager
def course_env(course_src: Path, **extra: str) -> Iterator[None]:
    """Point the grader at ``course_src`` (COURSE_DIR) for the duration of a run."""
    saved = {k: os.environ.get(k) for k in ("COURSE_DIR", *extra)}
    os.environ["COURSE_DIR"] = str(course_src)
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def unwrap(source: str) -> str:
    """A solution cell's text with the BEGIN/END SOLUTION marker lines removed."""
    return re.sub(r"[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source)


def source_notebook(course_src: Path) -> Any:
    """The instructor's notebook with the solutions unwrapped (a perfect submission)."""
    nb = nbformat.read(course_src / "source" / "t1" / "t1.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = unwrap(cell.source)
    return nb


def released_notebook(out: Path) -> Any:
    """The released (student) version, as generated in a prepared course folder ``out``."""
    return nbformat.read(out / "release" / "t1" / "t1.ipynb", as_version=4)


def cell_index(nb: Any, gid: str) -> int:
    """Index of the cell with nbgrader grade id ``gid``."""
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid:
            return i
    raise KeyError(gid)


def answered(released: Any, x: str | None = None, double: str | None = None) -> Any:
    """The released notebook with the solution cells filled in (None keeps the stub)."""
    nb = copy.deepcopy(released)
    if x is not None:
        nb.cells[cell_index(nb, "q1_answer")].source = x
    if double is not None:
        nb.cells[cell_index(nb, "q2_answer")].source = double
    return nb


def write_submission(
    subs: Path, student: str, nb: Any, name: str = "t1", assignment: str = "t1"
) -> Path:
    """Write ``SUBMISSIONS/<student>/<assignment>/<name>.ipynb``; return the folder."""
    folder = subs / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file (symlinks by their target) under ``folder``."""
    result = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            result[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


@dataclass
class Graded:
    """What one grading run wrote."""

    out: Path
    code: int
    grades: dict[tuple[str, str, str], dict[str, str]]
    cells: dict[tuple[str, str, str], dict[str, str]]
    recon: dict[str, Any]
    grades_text: str
    cells_text: str

    def row(self, student: str, notebook: str = "t1") -> dict[str, str]:
        """The grades.csv row of one student's t1 notebook."""
        return self.grades[(student, "t1", notebook)]

    def score(self, student: str) -> float:
        """The autograded score of a student's t1 (0 when empty)."""
        return float(self.row(student)["auto_score"] or 0)

    def feedback(self, student: str) -> str:
        """The student's feedback page."""
        return (self.out / "feedback" / student / "t1" / "t1.html").read_text(encoding="utf-8")

    def executed(self, student: str) -> str:
        """The executed notebook's text (empty if the submission never ran)."""
        path = self.out / "autograded" / student / "t1" / "t1.ipynb"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def outputs(self, student: str) -> str:
        """Every text the student's cells printed or displayed, joined."""
        text = self.executed(student)
        if not text:
            return ""
        parts = []
        for cell in json.loads(text)["cells"]:
            for out in cell.get("outputs", []):
                parts.append(str(out.get("text", "")))
                parts.append(json.dumps(out.get("data", {})))
                parts.append(str(out.get("evalue", "")))
        return "\n".join(parts)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def grade(
    subs: Path, out: Path, course_src: Path, opts: Options | None = None, **env: str
) -> Graded:
    """Run the grade command in-process (all outputs written); parse what it wrote."""
    from course_lib.grading.cli_commands import run_grade

    with course_env(course_src, **env), contextlib.redirect_stdout(None):
        code = run_grade(subs, out, opts or options())
    return read_outputs(out, code)


def read_outputs(out: Path, code: int) -> Graded:
    """Parse what a grading run with exit code ``code`` wrote into ``out``."""
    grades = {
        (r["student_id"], r["assignment"], r["notebook"]): r for r in _read_csv(out / "grades.csv")
    }
    cells = {
        (r["student_id"], r["notebook"], r["grade_id"]): r
        for r in _read_csv(out / "cell_scores.csv")
    }
    return Graded(
        out,
        code,
        grades,
        cells,
        json.loads((out / "reconciliation.json").read_text()),
        (out / "grades.csv").read_text(encoding="utf-8"),
        (out / "cell_scores.csv").read_text(encoding="utf-8"),
    )


def prepare_release(course_src: Path, out: Path) -> Any:
    """Prepare a course folder (runs nbgrader generate) and return the released notebook."""
    from course_lib.grading.course import prepare

    with course_env(course_src):
        prepare(out)
    return released_notebook(out)


# What formgrader does in OUT: load ./nbgrader_config.py, then list submissions through
# nbgrader's API on the gradebook that configuration names.
FORMGRADER_VIEW = """
import json, warnings
warnings.simplefilter("ignore")
from nbgrader.apps import NbGraderAPI
from nbgrader.apps.baseapp import NbGrader
app = NbGrader()
app.load_config_file()
api = NbGraderAPI(config=app.config)
print(json.dumps({
    "root": api.coursedir.root,
    "db_url": api.coursedir.db_url,
    "submissions": {s["student"]: [s["autograded"], s["score"]] for s in api.get_submissions("t1")},
}))
"""


def formgrader_view(out: Path) -> dict[str, Any]:
    """What formgrader shows in ``out``: its course root, gradebook URL and t1's submissions."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-c", FORMGRADER_VIEW],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
