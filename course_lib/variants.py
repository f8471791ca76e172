"""Per-student variants of the graded assignments: which dataset and which cases a student gets.

Every student works on the same released notebooks, each on their own *variant*, derived
from their student id and the course's salt. The instructor's ``release`` fixes the salt
(so variants change from one cohort to the next, and a re-grade gives the same variant):

* Assignment 1: a simulated dataset of the student's own (the course's generator, same size
  and missing rate, another seed), so every student's facet means and alpha differ;
* Assignments 2 and 3: one of the :data:`CASE_SETS`, four assignment cases to rate (a2) and
  four others to place (a3).

Only the *choice* of data and cases is computed here; it is public, because the notebooks
run it. Keys and expected values stay with the instructor: the grader computes them for the
submission's own variant (:mod:`course_lib.grading.per_student`).

**The case sets.** Each set is the cases of :data:`A2_ALWAYS` (a2) and :data:`A3_ALWAYS`
(a3) plus, from each group of :data:`SHARED_GROUPS`, one case for a3 and another for a2.
The cases of a group are interchangeable in the design; the instructor's ``validate``
checks against the keys that every set has the same mix of bands and difficulties in each
assignment, that a3's four cases need all three opening stances, and that a student's a2
and a3 cases never overlap. With the current pool that gives 12 distinct sets.

**Who is the student.** In order: ``COURSE_STUDENT_ID`` (set by the grader from the
submission's folder; it wins over anything typed), ``JUPYTERHUB_USER`` (on the course's
JupyterHub), then the id the student types in the notebook's student id cell.
**The salt.** ``COURSE_VARIANT_SALT`` (set by the grader, or on students' JupyterHub
servers), else the :data:`SALT_FILE` released next to the notebook. Editing that file only
changes what the notebook shows: the grader uses the instructor's recorded salt.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STUDENT_ENV = "COURSE_STUDENT_ID"
HUB_ENV = "JUPYTERHUB_USER"
SALT_ENV = "COURSE_VARIANT_SALT"
SALT_FILE = "variant_salt.json"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")  # as the grader's student folders
SALT_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")

#: Assignment 2 rates these in every case set; Assignment 3 places these in every set.
A2_ALWAYS: tuple[str, ...] = ("a06-ramon-night-shift", "a10-curtis-six-weeks")
A3_ALWAYS: tuple[str, ...] = ("a01-emyr-hill-farm", "a02-tyler-first-winter")
#: Groups of interchangeable cases: a set gives one case of each group to a3 and another
#: case of the same group to a2.
SHARED_GROUPS: tuple[tuple[str, ...], ...] = (
    ("a04-kerem-not-my-idea", "a05-adaeze-terms", "a07-moira-court-order"),
    ("a08-marjatta-ringing", "a09-neil-early-run"),
)
#: Assignment 1's dataset: as the course's own simulated dataset, with the student's seed.
DATASET_N = 300
DATASET_MISSING_RATE = 0.02
ASSIGNMENT_CASES = {"a2_cases": "a2", "a3_where_to_start": "a3"}


@dataclass(frozen=True)
class CaseSet:
    """The cases one variant rates in Assignment 2 and places in Assignment 3."""

    a2: tuple[str, ...]
    a3: tuple[str, ...]


def _case_sets() -> tuple[CaseSet, ...]:
    sets = []
    for a3_picks in itertools.product(*SHARED_GROUPS):
        rest = [tuple(c for c in g if c != p) for g, p in zip(SHARED_GROUPS, a3_picks, strict=True)]
        for a2_picks in itertools.product(*rest):
            sets.append(
                CaseSet(tuple(sorted(A2_ALWAYS + a2_picks)), tuple(sorted(A3_ALWAYS + a3_picks)))
            )
    return tuple(sets)


CASE_SETS: tuple[CaseSet, ...] = _case_sets()


class NotebookStop(Exception):  # noqa: N818 - it is a message to the student, not an error
    """Stops a notebook run with a short message: IPython shows ``_render_traceback_``'s
    lines instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def normal_id(student: str) -> str:
    """The form of a student id that variants are derived from (case and spaces ignored)."""
    return student.strip().casefold()


def _number(salt: str, purpose: str, student: str) -> int:
    message = f"{purpose}\n{normal_id(student)}".encode()
    digest = hmac.new(salt.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class Variant:
    """One student's variant: their dataset's seed and their case set."""

    student: str
    dataset_seed: int
    case_set: int  # 1-based number in CASE_SETS
    a2_cases: tuple[str, ...]
    a3_cases: tuple[str, ...]

    def cases(self, assignment: str) -> tuple[str, ...]:
        """The case ids of ``a2_cases`` or ``a3_where_to_start``."""
        return self.a2_cases if ASSIGNMENT_CASES[assignment] == "a2" else self.a3_cases

    def dataset(self, assets: Path | None = None) -> list[dict[str, Any]]:
        """Assignment 1's simulated respondents for this student (same seed, same rows)."""
        from course_lib.content import load_inventory
        from course_lib.simulate import simulate_inventory

        inventory = load_inventory(assets)
        return simulate_inventory(inventory, DATASET_N, self.dataset_seed, DATASET_MISSING_RATE)

    def label(self, assignment: str) -> str:
        """What varies in ``assignment`` for this student, in a few words."""
        if assignment in ASSIGNMENT_CASES:
            return f"case set {self.case_set} of {len(CASE_SETS)}"
        return f"dataset seed {self.dataset_seed}"


def variant_for(student: str, salt: str) -> Variant:
    """The variant of ``student`` under ``salt``: the same inputs always give the same one."""
    index = _number(salt, "cases", student) % len(CASE_SETS)
    chosen = CASE_SETS[index]
    return Variant(student, _number(salt, "a1-dataset", student), index + 1, chosen.a2, chosen.a3)


def student_identity(typed: str | None = None) -> tuple[str, str]:
    """The student id that chooses the variant, and where it came from.

    Raises :class:`NotebookStop` with what to do when there is none, or it is not valid.
    """
    for name, source in (
        (STUDENT_ENV, "set by the grader from your submission"),
        (HUB_ENV, "your JupyterHub user name"),
    ):
        value = os.environ.get(name, "").strip()
        if value:
            return value, source
    typed = typed.strip() if isinstance(typed, str) else ""
    if not typed:
        raise NotebookStop(
            'Type your student id between the quotes in the cell above (STUDENT_ID = "..."), '
            "then run the notebook again (Run > Run All Cells). Your id chooses your own cases "
            "and data; use the id your instructor gave you."
        )
    if not ID_PATTERN.match(typed):
        raise NotebookStop(
            f"{typed!r} is not a student id: use the id your instructor gave you (letters, "
            "digits and . _ @ -, up to 64), then run the notebook again."
        )
    return typed, "typed in the student id cell"


def read_salt_file(path: Path) -> str:
    """The salt in a :data:`SALT_FILE` (raises ``ValueError`` saying what is wrong)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path} cannot be read as JSON ({type(exc).__name__})") from None
    salt = data.get("salt") if isinstance(data, dict) else None
    if not isinstance(salt, str) or not SALT_PATTERN.match(salt):
        raise ValueError(f"{path} holds no valid salt (8-128 letters, digits, _ or -)")
    return salt


def course_salt(folder: Path | None = None) -> str:
    """The course's salt in a student's kernel: the environment's, else the released file's."""
    salt = os.environ.get(SALT_ENV, "").strip()
    if salt:
        return salt
    path = (Path(folder) if folder else Path.cwd()) / SALT_FILE
    if not path.is_file():
        raise NotebookStop(
            f"{SALT_FILE} is missing from this notebook's folder. It came with the assignment: "
            "download the assignment again, or ask your instructor."
        )
    try:
        return read_salt_file(path)
    except ValueError:
        raise NotebookStop(
            f"{SALT_FILE} in this notebook's folder is damaged. Download the assignment again "
            "(your notebook is not affected), or ask your instructor."
        ) from None


def variant_note(variant: Variant, assignment: str, source: str, typed: str | None) -> str:
    """Markdown telling the student which variant the notebook shows, and why."""
    who = f"Student id `{variant.student}` ({source})."
    if isinstance(typed, str) and typed.strip() and normal_id(typed) != normal_id(variant.student):
        who += (
            f" You typed `{typed.strip()}`, but this id decides your variant, and your work is "
            "graded on it."
        )
    if assignment not in ASSIGNMENT_CASES:
        return (
            f"**Your dataset.** {who} Your {DATASET_N} simulated respondents were generated for "
            f"this id ({variant.label(assignment)}), so your facet means and alpha differ from "
            "your classmates'; Questions 5b and 6b are graded on this dataset."
        )
    from course_lib.content import case_path, load_case, load_rubric

    rubric = load_rubric()
    lines = [
        f"- {load_case(case_path(c), rubric).title} (`{c}`)" for c in variant.cases(assignment)
    ]
    return (
        f"**Your cases.** {who} This notebook shows your {len(lines)} cases "
        f"({variant.label(assignment)}; every set has the same mix of bands and difficulty):\n\n"
        + "\n".join(lines)
    )


def my_variant(assignment: str, typed: str | None = None) -> Variant:
    """For an assignment notebook: find the student's variant, say which it is, return it."""
    from IPython.display import Markdown, display

    student, source = student_identity(typed)
    variant = variant_for(student, course_salt())
    display(Markdown(variant_note(variant, assignment, source, typed)))
    return variant
