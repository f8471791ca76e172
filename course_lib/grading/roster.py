"""The class roster: who should have submitted, and their names for the gradebook.

A roster is a CSV file (UTF-8; the byte-order mark a spreadsheet adds is fine) with a header
row. Columns, matched ignoring case and surrounding spaces:

* ``student_id`` (required): the student's folder name in SUBMISSIONS, 1-64 of
  ``A-Z a-z 0-9 _ . @ -``, unique;
* ``first_name``, ``last_name``, ``email``, ``lms_id`` (optional): shown in formgrader and
  kept in the gradebook (``lms_id`` as nbgrader's ``lms_user_id``, also in grades.csv).

Any other column is an error (a misspelt column would otherwise be ignored). Optional
cells may be empty, and a line may stop early (missing cells are empty); blank lines are
skipped. Every problem is reported at once, each naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.content.errors import ContentError, Problem
from course_lib.grading.course import Course
from course_lib.grading.discover import ID_PATTERN
from course_lib.grading.rows import NOT_SUBMITTED, Row, points, submitted_assignments

COLUMNS = ("student_id", "first_name", "last_name", "email", "lms_id")
MAX_FIELD = 128  # nbgrader's gradebook stores names, email and LMS id in 128 characters
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class RosterError(ContentError):
    """The roster file is unreadable or invalid; ``problems`` lists every problem found."""


@dataclass(frozen=True)
class RosterEntry:
    """One student on the roster (empty strings for the columns left empty)."""

    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""

    def gradebook_fields(self) -> dict[str, str]:
        """The non-empty fields, under nbgrader's ``Student`` attribute names."""
        fields = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "lms_user_id": self.lms_id,
        }
        return {k: v for k, v in fields.items() if v}


@dataclass(frozen=True)
class Roster:
    """A validated roster, students in file order."""

    path: Path
    students: dict[str, RosterEntry]


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError.single(path, "file", f"cannot be read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError.single(
            path, f"line {line}", "is not UTF-8 text; save the roster as CSV UTF-8"
        ) from exc


def _header(path: Path, line: int, cells: list[str], problems: list[Problem]) -> list[str]:
    names = [c.strip().lower() for c in cells]
    seen: set[str] = set()
    for name, cell in zip(names, cells, strict=True):
        where = f"line {line}, column {cell.strip()!r}"
        if name not in COLUMNS:
            problems.append(Problem(path, where, f"unknown column; allowed: {', '.join(COLUMNS)}"))
        elif name in seen:
            problems.append(Problem(path, where, "appears twice"))
        seen.add(name)
    if "student_id" not in seen:
        problems.append(Problem(path, f"line {line}, student_id", "required column is missing"))
    return names


def _entry(
    path: Path, line: int, values: dict[str, str], seen: dict[str, int], problems: list[Problem]
) -> RosterEntry | None:
    before = len(problems)
    sid = values.get("student_id", "")
    if not sid:
        problems.append(Problem(path, f"line {line}, student_id", "is empty"))
    elif not ID_PATTERN.match(sid):
        problems.append(
            Problem(
                path,
                f"line {line}, student_id",
                f"{sid!r} is not 1-64 of A-Z a-z 0-9 _ . @ - (it is the student's folder name)",
            )
        )
    elif sid in seen:
        problems.append(
            Problem(path, f"line {line}, student_id", f"{sid!r} is already on line {seen[sid]}")
        )
    else:
        seen[sid] = line
    email = values.get("email", "")
    if email and not EMAIL.match(email):
        problems.append(Problem(path, f"line {line}, email", f"{email!r} is not an email address"))
    for column in COLUMNS[1:]:
        if len(values.get(column, "")) > MAX_FIELD:
            problems.append(
                Problem(path, f"line {line}, {column}", f"is longer than {MAX_FIELD} characters")
            )
    if len(problems) > before:
        return None
    return RosterEntry(**{c: values.get(c, "") for c in COLUMNS})


def load_roster(path: Path) -> Roster:
    """Read and validate a roster file; raise ``RosterError`` listing every problem."""
    path = Path(path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    problems: list[Problem] = []
    header: list[str] | None = None
    students: dict[str, RosterEntry] = {}
    seen: dict[str, int] = {}
    last = 0
    try:
        for cells in reader:
            line, last = last + 1, reader.line_num  # a quoted cell may span lines
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _header(path, line, cells, problems)
                if problems:
                    break
                continue
            if len(cells) > len(header):
                problems.append(
                    Problem(
                        path,
                        f"line {line}",
                        f"has {len(cells)} cells but the header has {len(header)} columns",
                    )
                )
                continue
            values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
            entry = _entry(path, line, values, seen, problems)
            if entry is not None:
                students[entry.student_id] = entry
    except csv.Error as exc:
        problems.append(Problem(path, f"line {reader.line_num}", f"is not valid CSV: {exc}"))
    if header is None and not problems:
        problems.append(Problem(path, "file", "is empty: it needs a header row with student_id"))
    if problems:
        raise RosterError(problems)
    if not students:
        raise RosterError.single(path, "file", "lists no students")
    return Roster(path, students)


def apply_roster(rows: list[Row], roster: Roster, course: Course) -> list[Row]:
    """Add ``not-submitted`` rows and flag submissions from students not on the roster.

    Every rostered student gets a row per notebook of every assignment graded in this run
    (one that at least one student submitted); a rostered student with nothing for it gets
    ``not-submitted`` rows with an empty score. A student missing from the roster is still
    graded; their rows' detail says "not on the roster".
    """
    assignments = sorted(submitted_assignments(rows))
    have = {(r.student, r.assignment) for r in rows}
    maxima: dict[tuple[str, str], tuple[float, float]] = {}
    for assignment in assignments:
        for notebook in course.specs[assignment].notebooks:
            template = nbformat.read(course.release_notebook(assignment, notebook), as_version=4)
            auto_max, manual_max, _ = points(template)
            maxima[(assignment, notebook)] = (auto_max, manual_max)
    added = [
        Row(
            student,
            assignment,
            notebook,
            NOT_SUBMITTED,
            f"nothing was submitted for {assignment} (student on the roster)",
            auto_max=maxima[(assignment, notebook)][0],
            manual_max=maxima[(assignment, notebook)][1],
        )
        for student in roster.students
        for assignment in assignments
        if (student, assignment) not in have
        for notebook in sorted(course.specs[assignment].notebooks)
    ]
    note = f"not on the roster ({roster.path.name})"
    for row in rows:
        if row.status != "bad-student-id" and row.student not in roster.students:
            row.detail = f"{row.detail} | {note}" if row.detail else note
    return rows + added
