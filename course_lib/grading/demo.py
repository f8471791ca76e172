"""``demo``: release, a deterministic simulated class, grading, and a summary.

The sample class is SIMULATED: fourteen fictional students whose notebooks are built from
the released notebooks by a seeded generator. Each student has a "preparation" level from
excellent to blank: a solution cell holds the instructor's solution with that probability,
otherwise the released stub; saved case ratings and per-case choices (Assignment 3's
stances) are the expert key with seeded noise, and Assignment 4's response choices are the
key's best option for each moment with that probability, another option otherwise. One
student (``ALTERNATIVE_TAKER``) argues for the defensible answers: wherever a key lists an
alternative, they choose it, so the feedback shows partial credit and its reason. Two extra
students show the pipeline's handling of bad input (a corrupt notebook, a renamed notebook
and a cell that never finishes).

Every student works on their own variant (:mod:`course_lib.variants`, with the demo's fixed
salt :data:`DEMO_SALT`, so the class is the same on every run): their own a1 dataset, and
their own cases to rate (a2) and place (a3), each submission consistent with its variant.
One student (``COPIER``) copies a classmate's (``COPIED``) values instead: the a2 answers
file, the a3 stance dict and the a1 values on the classmate's dataset. The variants make
those answers wrong for the copier's own variant, and the similarity report flags both.

The class roster (``write_roster``) gives them fictional names; it also lists one student
who submitted nothing and leaves out one who did (a late enrolment), so the results show
both ``not-submitted`` rows and a submission flagged "not on the roster".
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path
from typing import Any

import nbformat

from course_lib.grading.reconstruct import grade_id, is_solution

SEED = 20261125
CLASS = [  # (student id, preparation 0-1)
    ("amara", 1.0),
    ("bao", 0.95),
    ("carmen", 0.9),
    ("dev", 0.8),
    ("elif", 0.72),
    ("farid", 0.65),
    ("grace", 0.55),
    ("hana", 0.45),
    ("ivan", 0.35),
    ("jomo", 0.25),
    ("kalani", 0.12),
    ("liam", 0.0),
]
PROBLEM_STUDENTS = ("mei", "noa")
NAMES = {  # fictional: student id -> (first name, last name)
    "amara": ("Amara", "Okafor"),
    "bao": ("Bao", "Tran"),
    "carmen": ("Carmen", "Ruiz"),
    "dev": ("Dev", "Malhotra"),
    "elif": ("Elif", "Aydın"),
    "farid": ("Farid", "Haddad"),
    "grace": ("Grace", "Whitfield"),
    "hana": ("Hana", "Sato"),
    "ivan": ("Ivan", "Petrov"),
    "jomo": ("Jomo", "Kariuki"),
    "kalani": ("Kalani", "Akana"),
    "liam": ("Liam", "Byrne"),
    "mei": ("Mei", "Lin"),
    "noa": ("Noa", "Levi"),
    "priya": ("Priya", "Nair"),
}
ALTERNATIVE_TAKER = "carmen"  # chooses a key's defensible alternative wherever one is listed
COPIER, COPIED = "kalani", "amara"  # kalani submits amara's values (a different variant)
#: Fixed, so the demo class has the same variants on every run; chosen so that the class
#: spans 10 of the 12 case sets, the copier's variant differs from the copied student's, and
#: the alternative-taker's a3 cases include ones whose key lists a defensible stance.
DEMO_SALT = "demo-class-48"
NOT_SUBMITTED = "priya"  # on the roster, submitted nothing
NOT_ON_ROSTER = "jomo"  # submitted, but enrolled after the roster was exported
WRITTEN = {
    "good": "Simulated answer written by the demo generator (a thorough response).",
    "weak": "Simulated answer written by the demo generator (a brief, partly mistaken response).",
}


def solution_text(source: str) -> str:
    """The instructor's solution as a student would type it: marker lines removed whole."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def _response_choices(
    source: Any, nb_spec: Any, keys_dir: Path, quality: float, rng: random.Random
) -> dict[str, str]:
    """Answer cells for Assignment 4's response choices, by solution-cell grade id.

    Each moment gets the key's best option with probability ``quality``, otherwise one of
    the others (acceptable or poor), so the class's scores vary moment by moment.
    """
    from course_lib import paths
    from course_lib.grading.references import REFERENCES
    from course_lib.grading.verdict import CourseContext

    if quality <= 0:
        return {}
    context = CourseContext(keys_dir=keys_dir, assets=paths.assets_dir())
    out = {}
    for question in nb_spec.questions.values():
        if question.compare.kind != "response_credit" or question.capture is None:
            continue
        choices = {}
        for moment_id, entry in REFERENCES[question.reference](None, course=context).items():
            best = next(o for o, v in entry["options"].items() if v["verdict"] == "best")
            others = [o for o in entry["options"] if o != best]
            choices[moment_id] = best if rng.random() < quality else rng.choice(others)
        cell = next(
            c
            for c in source.cells
            if is_solution(c) and c.cell_type == "code" and f"{question.capture} =" in c.source
        )
        out[grade_id(cell)] = f"{question.capture} = {json.dumps(choices, indent=4)}\n"
    return out


def _student_notebook(
    source: Any,
    release: Any,
    quality: float,
    rng: random.Random,
    answers: dict[str, str] | None = None,
) -> Any:
    """A simulated student's notebook; ``answers`` replaces given solution cells outright."""
    by_id = {gid: c for c in source.cells if (gid := grade_id(c))}
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = grade_id(cell)
        if not meta.get("solution") or gid is None:
            continue
        if answers and gid in answers:
            cell.source = answers[gid]
        elif cell.cell_type == "markdown":
            if quality > 0:
                cell.source = WRITTEN["good" if rng.random() < quality else "weak"]
        elif rng.random() < quality and gid in by_id:
            cell.source = solution_text(by_id[gid].source)
    return nb


def _case_answers(
    cases: list[str], keys_dir: Path, quality: float, rng: random.Random, alternatives: bool
) -> dict[str, Any]:
    from course_lib.content import load_case_key, load_rubric
    from course_lib.content.cases import CHOICE_VALUES
    from course_lib.content.catalog import case_path, load_case

    rubric = load_rubric()
    out: dict[str, Any] = {}
    for case_id in cases:
        key = load_case_key(load_case(case_path(case_id), rubric), keys_dir / "cases", rubric)
        ratings = {}
        for marker, rated in key.ratings.items():
            r = rated.rating
            if rng.random() > quality:
                r = min(3, max(0, r + rng.choice((-2, -1, 1, 2))))
            ratings[marker] = r
        choices = {
            choice: _pick(
                getattr(key, choice),
                [a.value for a in key.alternatives if a.choice == choice],
                options,
                quality,
                rng,
                alternatives,
            )
            for choice, options in CHOICE_VALUES.items()
        }
        out[case_id] = {"ratings": ratings, **choices, "checked": True}
    return {"format": "course-lib-answers", "version": 1, "cases": out}


def _pick(
    right: str,
    listed: list[str],
    options: tuple[str, ...],
    quality: float,
    rng: random.Random,
    alternatives: bool,
) -> str:
    """One simulated choice: a listed alternative for the alternative-taker, else the key's
    answer with probability ``quality``, else another option."""
    if alternatives and listed:
        return listed[0]
    return right if rng.random() < quality else rng.choice([o for o in options if o != right])


def _choice_cell(
    capture: str, want: dict[str, Any], quality: float, rng: random.Random, alternatives: bool
) -> str:
    """Source of an answer cell for a ``choice_credit`` question: ``capture = {case: choice}``."""
    from course_lib.content.cases import CHOICE_VALUES

    picks = {}
    for case_id, entry in want.items():
        options = next(v for v in CHOICE_VALUES.values() if entry["answer"] in v)
        listed = [a["value"] for a in entry.get("alternatives", [])]
        picks[case_id] = _pick(entry["answer"], listed, options, quality, rng, alternatives)
    return f"{capture} = {json.dumps(picks, indent=4)}"


def _set_choices(
    nb: Any,
    source: Any,
    question: Any,
    context: Any,
    quality: float,
    rng: random.Random,
    alternatives: bool,
) -> None:
    """Write simulated choices into the answer cell of a ``choice_credit`` question, if the
    student answered it (the cell no longer holds the released stub) or takes the
    alternatives. ``question`` and ``context`` are the student's own (their variant's)."""
    from course_lib.grading.verdict import expected_values

    gid = next(
        (
            grade_id(c)
            for c in source.cells
            if c.metadata.get("nbgrader", {}).get("solution")
            and f"{question.capture} =" in c.source
        ),
        None,
    )
    cell = next((c for c in nb.cells if gid and grade_id(c) == gid), None)
    if cell is None or (f"{question.capture} =" not in cell.source and not alternatives):
        return
    want = expected_values(question, context)[0]
    cell.source = _choice_cell(question.capture, want, quality, rng, alternatives)


def write_demo_salt(path: Path) -> Path:
    """Write the demo's salt record (the file ``grade --variant-salt`` reads); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"salt": DEMO_SALT, "created": "demo"}, indent=1) + "\n")
    return path


def _fill_student_id(nb: Any, student: str) -> None:
    """Type the student's id in the notebook's student id cell, as a student off JupyterHub does."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith("STUDENT_ID ="):
            cell.source = cell.source.replace('STUDENT_ID = ""', f'STUDENT_ID = "{student}"', 1)


def _assigns(cell: Any, name: str) -> bool:
    """True for a solution cell whose instructor solution assigns ``name``."""
    return is_solution(cell) and any(
        line.startswith(f"{name} =") for line in cell.source.splitlines()
    )


def _copy_values(nb: Any, source: Any, folder: Path, submissions: Path, context: Any) -> None:
    """The copier's notebook and files take the copied classmate's values (see the docstring):
    their answers files, their stance dict, and the a1 values on *their* dataset (``context``
    holds the copied student's variant), typed in as numbers."""
    from course_lib.grading.references import REFERENCES

    theirs = submissions / COPIED / folder.name
    for path in theirs.glob("*.answers.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    copied = {grade_id(c): c.source for c in nbformat.read(next(theirs.glob("*.ipynb")), 4).cells}
    targets = {}
    for cell in source.cells:
        if _assigns(cell, "opening_stance"):
            targets[grade_id(cell)] = copied[grade_id(cell)]
        for name in ("facet_means", "alpha"):
            if _assigns(cell, name):
                value = REFERENCES[f"dataset_{name}"](None, course=context)
                targets[grade_id(cell)] = f"{name} = {value!r}  # a classmate's value"
    for cell in nb.cells:
        if grade_id(cell) in targets:
            cell.source = targets[grade_id(cell)]


def write_assignment(
    course: Any,
    student: str,
    assignment: str,
    folder: Path,
    quality: float,
    rng: random.Random,
    salt: str = DEMO_SALT,
    release: Path | None = None,
) -> None:
    """Complete one assignment as a simulated student of ``quality`` would, on their own
    variant: each notebook (from ``release``, the folder a student fetched, or the course's
    release templates) filled in and written to ``folder``, and any saved answers file."""
    from course_lib import paths
    from course_lib.grading.per_student import for_student
    from course_lib.grading.verdict import CourseContext
    from course_lib.variants import variant_for

    variant = variant_for(student, salt)
    context = CourseContext(course.keys_dir, paths.assets_dir(), variant)
    submissions = folder.parent.parent
    for notebook, nb_spec in course.specs[assignment].notebooks.items():
        source = nbformat.read(
            course.root / "source" / assignment / f"{notebook}.ipynb", as_version=4
        )
        template = (
            release / f"{notebook}.ipynb"
            if release
            else course.release_notebook(assignment, notebook)
        )
        released = nbformat.read(template, as_version=4)
        answers = _response_choices(source, nb_spec, course.keys_dir, quality, rng)
        nb = _student_notebook(source, released, quality, rng, answers)
        _fill_student_id(nb, student)
        takes_alternatives = student == ALTERNATIVE_TAKER
        for question in nb_spec.questions.values():
            question = for_student(question, variant, assignment)
            if question.compare.kind == "choice_credit":
                _set_choices(nb, source, question, context, quality, rng, takes_alternatives)
            if question.answers_file and quality > 0:
                data = _case_answers(
                    list(question.cases or []),
                    course.keys_dir,
                    quality,
                    rng,
                    takes_alternatives,
                )
                (folder / question.answers_file).write_text(json.dumps(data, indent=1))
        if student == COPIER:
            copied = CourseContext(course.keys_dir, paths.assets_dir(), variant_for(COPIED, salt))
            _copy_values(nb, source, folder, submissions, copied)
        nbformat.write(nb, folder / f"{notebook}.ipynb")


def honest_class(size: int | None = None) -> list[tuple[str, float]]:
    """The demo's honest students who submit every notebook (not the copier, not the empty
    submitter); with ``size``, that many, more being simulated ids cycling their preparation."""
    honest = [(s, q) for s, q in CLASS if q > 0 and s != COPIER]
    if size is None or size <= len(honest):
        return honest[:size]
    extra = [(f"sim{i:04d}", honest[i % len(honest)][1]) for i in range(size - len(honest))]
    return honest + extra


def build_class(
    course: Any,
    submissions: Path,
    salt: str = DEMO_SALT,
    students: list[tuple[str, float]] | None = None,
) -> list[str]:
    """Write the simulated class's submissions, each on its own variant; return the ids.

    ``students`` (id, preparation) replaces the demo's class, and then the two problem
    students are left out (the grading benchmark's honest class: see :func:`honest_class`)."""
    rng = random.Random(SEED)
    shutil.rmtree(submissions, ignore_errors=True)
    for student, quality in CLASS if students is None else students:
        for assignment in sorted(course.specs):
            folder = submissions / student / assignment
            folder.mkdir(parents=True)
            write_assignment(course, student, assignment, folder, quality, rng, salt)
    if students is not None:
        return [s for s, _ in students]
    # Two students whose submissions go wrong in the ways real ones do.
    assignments = sorted(course.specs)
    first = assignments[0]
    nb_name = next(iter(course.specs[first].notebooks))
    bad = submissions / PROBLEM_STUDENTS[0] / first
    bad.mkdir(parents=True)
    text = course.release_notebook(first, nb_name).read_text()
    (bad / f"{nb_name}.ipynb").write_text(text[: len(text) // 2])  # cut off mid-file
    for assignment in assignments[1:]:
        folder = submissions / PROBLEM_STUDENTS[1] / assignment
        folder.mkdir(parents=True)
        name = next(iter(course.specs[assignment].notebooks))
        release = nbformat.read(course.release_notebook(assignment, name), as_version=4)
        if assignment == assignments[1]:
            nbformat.write(release, folder / f"{name}-final.ipynb")  # renamed before submitting
        else:
            release.cells.insert(
                1, nbformat.v4.new_code_cell("while True:\n    pass  # never finishes")
            )
            nbformat.write(release, folder / f"{name}.ipynb")
    return [s for s, _ in CLASS] + list(PROBLEM_STUDENTS)


def write_roster(path: Path) -> Path:
    """Write the simulated class's roster (see the module docstring); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["student_id", "first_name", "last_name", "email", "lms_id"])
        for number, (student, (first, last)) in enumerate(NAMES.items(), start=1):
            if student != NOT_ON_ROSTER:
                writer.writerow([student, first, last, f"{student}@example.edu", 100200 + number])
    return path
