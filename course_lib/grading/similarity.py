"""Copy detection across a class: identical answers files and identical per-student values.

``grade`` writes ``OUT/similarity.json`` and adds a note to the ``detail`` of every row it
flags in grades.csv (``similarity: ...``). It flags two things:

* **identical answers files** (Assignment 2's saved case ratings): the same answers, case by
  case, compared after parsing the JSON (re-saving or re-indenting a copy does not hide it).
  A file that answers no case is never flagged;
* **identical values specific to a variant** (Assignment 1's facet means and alpha on the
  student's own dataset, Assignment 3's stances for the student's own cases) from students
  whose variants differ: different data or different cases cannot honestly give the same
  values. Students who share a variant and both answer correctly give identical values, so
  they are not flagged (their answers files, if identical, still are).

A flag is evidence for the instructor to look at, never a penalty: it names every student in
the group, because it cannot tell who copied from whom. What copying costs in marks comes
from the variants themselves (a classmate's values are wrong for the student's own variant).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from course_lib.grading.rows import RAN_STATUSES, Row
from course_lib.grading.spec import AssignmentSpec

EXPLANATION = (
    "Groups of students who submitted identical answers files, or identical values specific "
    "to their variant although their variants differ. Evidence to look at, not a verdict: "
    "each group names every student in it (who copied from whom is not known). See the "
    "README (the similarity report)."
)


def _answers_content(path: Path) -> str | None:
    """The answers file's content in canonical form, or ``None`` if it answers no case."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, dict) or not cases:
        return None
    return json.dumps(data, sort_keys=True)


def _meaningful(values: Mapping[str, Any]) -> dict[str, Any]:
    return {gid: v for gid, v in values.items() if v not in (None, {}, [], "")}


def _groups(keyed: Mapping[Any, list[Row]]) -> list[list[Row]]:
    return [rows for rows in keyed.values() if len({r.student for r in rows}) > 1]


def similarity(
    rows: list[Row], specs: Mapping[str, AssignmentSpec], submissions: Path
) -> dict[str, Any]:
    """The similarity report of one grading run (see the module docstring)."""
    files: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    values: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.status not in RAN_STATUSES or row.assignment not in specs:
            continue
        notebook = specs[row.assignment].notebooks.get(row.notebook)
        for question in notebook.questions.values() if notebook else ():
            if question.answers_file is None:
                continue
            content = _answers_content(
                Path(submissions) / row.student / row.assignment / question.answers_file
            )
            if content is not None:
                files[(row.assignment, question.answers_file, content)].append(row)
        captured = _meaningful(row.captured)
        if captured:
            key = (row.assignment, row.notebook, json.dumps(captured, sort_keys=True))
            values[key].append(row)
    report: dict[str, Any] = {"explanation": EXPLANATION, "answers_files": [], "values": []}
    for (assignment, name, _), group in sorted(files.items()):
        if len({r.student for r in group}) > 1:
            report["answers_files"].append(
                {
                    "assignment": assignment,
                    "file": name,
                    "students": sorted({r.student for r in group}),
                    "variants": {r.student: r.variant for r in group},
                }
            )
    for (assignment, notebook, text), group in sorted(values.items()):
        if len({r.student for r in group}) > 1 and len({r.variant for r in group}) > 1:
            report["values"].append(
                {
                    "assignment": assignment,
                    "notebook": notebook,
                    "questions": sorted(json.loads(text)),
                    "students": sorted({r.student for r in group}),
                    "variants": {r.student: r.variant for r in group},
                }
            )
    return report


def annotate(rows: list[Row], report: Mapping[str, Any]) -> None:
    """Add a ``similarity: ...`` note to the detail of every row the report flags."""
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in report["answers_files"]:
        for student in entry["students"]:
            others = ", ".join(f"{s}'s" for s in entry["students"] if s != student)
            notes[(student, entry["assignment"])].append(
                f"similarity: {entry['file']} is identical to {others} (similarity.json)"
            )
    for entry in report["values"]:
        for student in entry["students"]:
            others = ", ".join(s for s in entry["students"] if s != student)
            notes[(student, entry["assignment"])].append(
                f"similarity: the same {', '.join(entry['questions'])} as {others}, on another "
                "variant (similarity.json)"
            )
    for row in rows:
        for note in notes.get((row.student, row.assignment), []):
            row.detail = f"{row.detail} | {note}" if row.detail else note
