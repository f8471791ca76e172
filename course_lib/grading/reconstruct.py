"""Build the notebook that is actually executed for a submission.

Starting from the student's notebook and the released template:

* locked cells (instructions, autograded answer cells) are restored from the template,
  whatever the student did to them, and re-inserted if deleted;
* solution cells keep the student's text (the template's stub if the cell was deleted), and
  so do unlocked cells outside grading (the student id cell of a variant assignment);
* cells claiming a grade id the template does not have, or a duplicate of one already
  seen, lose their grading metadata and run as ordinary student cells;
* extra student cells run where the student put them (after the graded cell before them);
* after each autograded answer cell the grader inserts a capture cell (see ``capture``),
  carrying the stand-ins for earlier answers that the spec's ``provides`` names;
* before every other cell the grader's setup cell runs (:func:`setup_cell`): it says which
  ``course_lib`` the kernel imported, before any student code could interfere.

Every change is recorded in ``notes`` so the grade's ``detail`` can say what happened.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_lib.grading.provided import provided_sources
from course_lib.grading.spec import NotebookSpec

CAPTURE_KEY = "course_lib_capture"
SETUP_KEY = "course_lib_setup"


def grade_id(cell: Any) -> str | None:
    """The nbgrader grade id of a cell, if it has one."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
        return meta["grade_id"]
    return None


def is_solution(cell: Any) -> bool:
    """True for a cell the student writes in (nbgrader ``solution``)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_unlocked(cell: Any) -> bool:
    """True for a cell nbgrader leaves editable: a solution cell, or an ungraded, unlocked one
    (such as the student id cell of an assignment with per-student variants)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return is_solution(cell) or not (meta.get("locked") or meta.get("grade"))


def is_autograded_answer(cell: Any) -> bool:
    """True for a locked, autograded code cell with points."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


@dataclass
class Reconstructed:
    """The notebook to execute, where each capture cell is, and what was changed."""

    notebook: Any
    captures: dict[str, int] = field(default_factory=dict)  # grade id -> cell index
    notes: list[str] = field(default_factory=list)


def capture_source(gid: str, question: Any, provided: Mapping[str, str] | None = None) -> str:
    """Trusted code for one capture cell (inputs and stand-ins only; never an expected answer).

    ``provided``: name -> source of the stand-ins for earlier answers that this question's
    function may call (see :mod:`course_lib.grading.provided`).
    """
    head = "__import__('course_lib.grading.capture', fromlist=['emit'])"
    if question.hidden is not None:
        inputs = json.dumps(json.dumps(question.hidden))
        extra = ""
        if provided:
            extra = (
                f", __import__('json').loads({json.dumps(json.dumps(dict(provided)))}), globals()"
            )
        return (
            f"{head}.emit_calls({gid!r}, lambda: {question.capture}, "
            f"__import__('json').loads({inputs}){extra})"
        )
    return f"{head}.emit({gid!r}, lambda: ({question.capture}))"


def setup_cell() -> Any:
    """The grader's first cell: report which course_lib the kernel runs (see ``capture.ready``)."""
    cell = nbformat.v4.new_code_cell(
        "__import__('course_lib.grading.capture', fromlist=['ready']).ready()"
    )
    cell.metadata[SETUP_KEY] = True
    return cell


def _clean(cell: Any) -> Any:
    cell = copy.deepcopy(cell)
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def _as_plain(cell: Any) -> Any:
    cell = _clean(cell)
    cell.get("metadata", {}).pop("nbgrader", None)
    return cell


def reconstruct(
    student: Any, template: Any, spec: NotebookSpec, assets: Path | None = None
) -> Reconstructed:
    """Merge a student's notebook into the released template (see the module docstring).

    ``assets``: where the stand-ins for earlier answers read the course's inventory
    (default: the installed course's assets, the ones the sandbox binds).
    """
    notes: list[str] = []
    tpl_by_id = {gid: c for c in template.cells if (gid := grade_id(c))}
    matched: dict[str, Any] = {}
    extras: dict[str | None, list[Any]] = {None: []}  # anchor grade id -> following extra cells
    anchor: str | None = None
    for cell in student.cells:
        gid = grade_id(cell)
        if cell.get("cell_type") not in ("code", "markdown"):
            continue
        if gid is not None and gid in tpl_by_id and gid not in matched:
            matched[gid] = cell
            anchor = gid
            extras.setdefault(gid, [])
            continue
        if gid is not None:
            why = "appears twice" if gid in matched else "is not part of this assignment"
            notes.append(f"cell with grade id {gid!r} {why}; run as an ordinary cell")
        extras.setdefault(anchor, []).append(_as_plain(cell))

    cells: list[Any] = [setup_cell(), *extras[None]]
    captures: dict[str, int] = {}
    for tpl in template.cells:
        gid = grade_id(tpl)
        if gid is None:
            cells.append(_clean(tpl))
            continue
        mine = matched.get(gid)
        if mine is None:
            notes.append(f"cell {gid!r} was missing; the released version was restored")
            cells.append(_clean(tpl))
        elif is_unlocked(tpl):
            merged = _clean(tpl)
            merged["source"] = mine.get("source", "")
            cells.append(merged)
        else:
            if mine.get("source", "") != tpl.get("source", ""):
                notes.append(f"locked cell {gid!r} was edited; the released version was restored")
            cells.append(_clean(tpl))
        if is_autograded_answer(tpl) and gid in spec.questions and spec.questions[gid].capture:
            question = spec.questions[gid]
            provided = provided_sources(question.provides, assets)
            capture = nbformat.v4.new_code_cell(capture_source(gid, question, provided))
            capture.metadata[CAPTURE_KEY] = gid
            captures[gid] = len(cells)
            cells.append(capture)
        cells.extend(extras.get(gid, []))
    seen: set[str] = set()
    for cell in cells:  # a restored cell and the student's copy of it may share an id
        if "id" in cell and cell["id"] in seen:
            cell["id"] = f"{cell['id'][:40]}-{len(seen)}"
        seen.add(cell.get("id", ""))
    nb = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(template.metadata))
    return Reconstructed(nb, captures, notes)


def strip_captures(nb: Any) -> Any:
    """A copy of an executed notebook without the grader's setup and capture cells (for people)."""
    out = copy.deepcopy(nb)
    grader = (CAPTURE_KEY, SETUP_KEY)
    out.cells = [c for c in out.cells if not any(k in c.get("metadata", {}) for k in grader)]
    return out
