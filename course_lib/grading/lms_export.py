"""``export``: one gradebook file an LMS imports as it is, plus a notes file beside it.

Formats, as each LMS's importer reads them:

* ``canvas``: Canvas's gradebook CSV ("How do I import grades in the Gradebook?",
  community.canvaslms.com Instructor Guide; the columns as a university guide lists them,
  teaching.resources.osu.edu "Import CSV File for Carmen Grades": student name or ID or
  SIS User ID, then SIS Login ID, Section, then one column per assignment). Header
  ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment
  (its name, which Canvas matches to an existing assignment or creates); the second row
  starts with ``Points Possible`` and gives each assignment's points, as Canvas's own
  export does. Only the column chosen with ``match`` is filled, so one student can never
  be matched through another's value.
* ``moodle``: Moodle's "Import grades from CSV" (docs.moodle.org "Grade import"): one
  identifier column mapped to Moodle's ``useridnumber``, ``useremail`` or ``username``,
  then one column per assignment, each mapped to a grade item (or "new grade item") on the
  preview page. The identifier column is headed with the label Moodle's mapping form
  preselects when a header equals it (``ID number``, ``Email address``, ``Username``;
  grade/import/grade_import_form.php), then ``First name`` and ``Last name`` (left
  "ignore"). Moodle aborts the whole import when one row's user is not found
  (grade/import/csv/classes/load_data.php), so every row must carry an identifier, and it
  reads an empty cell as "no grade".
* ``csv``: a plain table, one row per student: id, names, email, LMS id, then per
  assignment its total and its status.

A blank cell means "not graded" (see :mod:`course_lib.grading.grade_totals`), never zero.
The notes file (``<FILE stem>.notes.csv`` beside FILE) lists every blank cell, every total
exported with something to check and every row that belongs to no total, each with the
status and detail from grades.csv. A student who cannot be exported (no identifier for
``match``; graded but not on the roster) is an error, never a silent omission.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from course_lib.content.errors import Problem
from course_lib.grading.feedback import points_text
from course_lib.grading.grade_totals import (
    NO_TOTAL,
    ExportError,
    GradeLine,
    Total,
    assignment_totals,
    possible_points,
    read_grades,
)
from course_lib.grading.lms_formats import FORMATS, MATCHES
from course_lib.grading.nbgrader_export import course_file
from course_lib.grading.roster import Roster, RosterEntry

CANVAS_STUDENT = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_COLUMN = {"canvas-id": 1, "sis-user-id": 2, "sis-login-id": 3}
MOODLE_HEADER = {"idnumber": "ID number", "email": "Email address", "username": "Username"}
NOTE_FIELDS = [
    "student_id",
    "identifier",
    "assignment",
    "exported",
    "points_possible",
    "status",
    "detail",
    "note",
]


@dataclass(frozen=True)
class Export:
    """What was written: the file, its notes, and the counts the command prints."""

    path: Path
    notes_path: Path
    students: int
    possible: dict[str, float]
    blank: int
    notes: int


def notes_path(dest: Path) -> Path:
    """The notes file written beside an export: ``grades_canvas.csv`` -> ``grades_canvas.notes.csv``."""
    return dest.with_name(f"{dest.stem}.notes.csv")


def default_match(fmt: str) -> str:
    """The identifier a format matches students by unless told otherwise."""
    return next(iter(MATCHES[fmt]))


def _people(lines: list[GradeLine], roster: Roster | None) -> list[RosterEntry]:
    """Who is exported: the roster's students in its order, else everyone in grades.csv
    (their LMS id as grades.csv has it)."""
    if roster is not None:
        return list(roster.students.values())
    lms: dict[str, str] = {}
    for line in lines:
        if line.status != "bad-student-id":
            lms[line.student] = lms.get(line.student) or line.lms_id
    return [RosterEntry(s, lms_id=lms[s]) for s in sorted(lms)]


def _identifiers(
    people: list[RosterEntry], source: Path, fmt: str, match: str, roster: Roster | None
) -> dict[str, str]:
    """``student -> identifier``; raise naming the file and field when one is missing or shared."""
    if match not in MATCHES[fmt]:
        raise ExportError.single(
            source,
            "--match",
            f"{match!r} is not a {fmt} identifier; choose {', '.join(MATCHES[fmt])}",
        )
    column = MATCHES[fmt][match]
    if column == "email" and roster is None:
        raise ExportError.single(
            source, "email", "--match email needs --roster: grades.csv has no email addresses"
        )
    ids = {p.student_id: getattr(p, column) for p in people}
    where = (
        "in the roster" if roster else "(give grade --roster FILE with lms_id, or --roster here)"
    )
    problems = [
        Problem(
            source,
            f"{column} of {student}",
            f"is empty, so --match {match} cannot match them: fill it {where} or choose "
            f"another --match ({', '.join(MATCHES[fmt])})",
        )
        for student, value in ids.items()
        if not value
    ]
    owner: dict[str, str] = {}
    for student, value in ids.items():
        key = value.casefold() if column == "email" else value
        if value and key in owner:
            problems.append(
                Problem(
                    source,
                    f"{column} of {student}",
                    f"{value!r} is also {owner[key]}'s: an import would put one student's grade "
                    "on the other",
                )
            )
        owner.setdefault(key, student)
    if problems:
        raise ExportError(problems)
    return ids


def _cell(total: Total) -> str:
    return "" if total.score is None else points_text(total.score)


Totals = dict[tuple[str, str], Total]


def _canvas_rows(
    people: list[RosterEntry],
    ids: dict[str, str],
    match: str,
    totals: Totals,
    possible: dict[str, float],
) -> list[list[str]]:
    rows = [
        [*CANVAS_STUDENT, *possible],
        ["Points Possible", "", "", "", "", *(points_text(p) for p in possible.values())],
    ]
    for person in people:
        name = ", ".join(n for n in (person.last_name, person.first_name) if n)
        student = ["" for _ in CANVAS_STUDENT]
        student[0] = name or person.student_id
        student[CANVAS_COLUMN[match]] = ids[person.student_id]
        rows.append([*student, *(_cell(totals[(person.student_id, a)]) for a in possible)])
    return rows


def _moodle_rows(
    people: list[RosterEntry],
    ids: dict[str, str],
    match: str,
    totals: Totals,
    possible: dict[str, float],
) -> list[list[str]]:
    rows = [[MOODLE_HEADER[match], "First name", "Last name", *possible]]
    for p in people:
        cells = [_cell(totals[(p.student_id, a)]) for a in possible]
        rows.append([ids[p.student_id], p.first_name, p.last_name, *cells])
    return rows


def _plain_rows(
    people: list[RosterEntry], totals: Totals, possible: dict[str, float]
) -> list[list[str]]:
    header = ["student_id", "first_name", "last_name", "email", "lms_id"]
    rows = [header + [c for a in possible for c in (a, f"{a}_status")]]
    for p in people:
        cells = []
        for a in possible:
            total = totals[(p.student_id, a)]
            cells += [_cell(total), total.status]
        rows.append([p.student_id, p.first_name, p.last_name, p.email, p.lms_id, *cells])
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _note_rows(lines: list[GradeLine], ids: dict[str, str], totals: Totals) -> list[list[str]]:
    rows = []
    for (student, assignment), total in totals.items():
        for note in total.notes:
            rows.append(
                [
                    student,
                    ids.get(student, ""),
                    f"{assignment}/{note.notebook}" if note.notebook else assignment,
                    "blank" if total.score is None else _cell(total),
                    points_text(total.possible),
                    note.status,
                    note.detail,
                    note.note,
                ]
            )
    for line in lines:
        if line.status in NO_TOTAL:
            where = "/".join(p for p in (line.assignment, line.notebook) if p)
            why = f"belongs to no assignment total (grades.csv line {line.line})"
            rows.append(
                [line.student, "", where, "not exported", "", line.status, line.detail, why]
            )
    return sorted(rows, key=lambda r: (r[0], r[2]))


def export(
    out: Path, fmt: str, dest: Path, roster: Roster | None = None, match: str | None = None
) -> Export:
    """Write ``dest`` in ``fmt`` and its notes file; raise :class:`ExportError` on bad input."""
    if fmt not in FORMATS:
        raise ExportError.single(Path(dest), "--format", f"{fmt!r}: choose {', '.join(FORMATS)}")
    out, dest = Path(out), Path(dest)
    lines = read_grades(out)
    grades_csv = out / "grades.csv"
    notes = notes_path(dest)
    for path in (dest, notes):
        if course_file(path, out) or path.resolve() == grades_csv.resolve():
            raise ExportError.single(
                path, "--out", f"is one of grade's own files in {out}: export to another file"
            )
    course_lines = [ln for ln in lines if ln.status not in NO_TOTAL]
    possible = possible_points(out, {ln.assignment for ln in course_lines})
    if roster is not None:
        missing = sorted({ln.student for ln in course_lines} - set(roster.students))
        if missing:
            raise ExportError(
                [
                    Problem(
                        roster.path,
                        f"student_id {student}",
                        f"is not on the roster but has grades in {grades_csv}: add them to "
                        "the roster so their grade is not lost",
                    )
                    for student in missing
                ]
            )
    match = match or default_match(fmt)
    people = _people(lines, roster)
    ids = _identifiers(people, roster.path if roster else grades_csv, fmt, match, roster)
    totals = assignment_totals(lines, possible, [p.student_id for p in people])
    if fmt == "canvas":
        rows = _canvas_rows(people, ids, match, totals, possible)
    elif fmt == "moodle":
        rows = _moodle_rows(people, ids, match, totals, possible)
    else:
        rows = _plain_rows(people, totals, possible)
    note_rows = _note_rows(lines, ids, totals)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write(dest, rows)
    _write(notes, [NOTE_FIELDS, *note_rows])
    blank = sum(1 for t in totals.values() if t.score is None)
    return Export(dest, notes, len(people), possible, blank, len(note_rows))
