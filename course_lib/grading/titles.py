"""How a student knows each question and cell: titles taken from the assignment notebook itself.

A graded cell's title is the nearest heading before it in a locked markdown cell (the cell
that introduces the question, e.g. "Question 2 (2 points): facet scores"); with no heading
at all, the first line of the nearest locked markdown cell. Only locked markdown cells
count: they come from the release (reconstruction restores them), so a submission cannot
rename a question, and the notebook stays the single source of truth (``validate`` checks
that every graded cell has a heading just before it).
"""

from __future__ import annotations

import re
from typing import Any

from course_lib.grading.reconstruct import (
    CAPTURE_KEY,
    SETUP_KEY,
    grade_id,
    is_autograded_answer,
    is_solution,
)

MAX_TITLE = 90
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MARKUP = re.compile(r"\*\*|__|`|\*")


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _plain(text: str) -> str:
    text = MARKUP.sub("", text).strip()
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def heading_of(cell: Any) -> str | None:
    """The last heading of a markdown cell, as plain text (``None`` if it has none)."""
    if cell.get("cell_type") != "markdown":
        return None
    found = [m.group(1) for line in _source(cell).splitlines() if (m := HEADING.match(line))]
    return _plain(found[-1]) if found and found[-1].strip() else None


def _locked_markdown(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and bool(meta.get("locked"))


def _first_line(cell: Any) -> str | None:
    for line in _source(cell).splitlines():
        if line.strip():
            return _plain(line.lstrip("#> ").strip()) or None
    return None


def section_title(cells: list[Any], index: int) -> str | None:
    """Title of the section holding ``cells[index]``: the heading of the nearest locked
    markdown cell at or before it that has one (else the first line of the nearest)."""
    before = [c for c in reversed(cells[: index + 1]) if _locked_markdown(c)]
    for cell in before:
        if title := heading_of(cell):
            return title
    return _first_line(before[0]) if before else None


def question_titles(nb: Any) -> dict[str, str]:
    """Grade id -> the question's title, for every graded cell (autograded or manual)."""
    titles: dict[str, str] = {}
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and (gid := grade_id(cell)):
            titles[gid] = (section_title(nb.cells, i - 1) if i else None) or gid
    return titles


def untitled_graded_cells(cells: list[Any]) -> list[str]:
    """Grade ids of graded cells with no heading in the nearest locked markdown cell before them."""
    missing = []
    for i, cell in enumerate(cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("grade") and (gid := grade_id(cell))):
            continue
        before = next((c for c in reversed(cells[:i]) if _locked_markdown(c)), None)
        if before is None or heading_of(before) is None:
            missing.append(gid)
    return missing


def describe_cell(nb: Any, index: int) -> str:
    """The cell at ``index`` of an executed (reconstructed) notebook, as the student knows it.

    A grader capture cell is described as the test of the question it collects, never as a
    cell of its own: students never see capture cells.
    """
    if not 0 <= index < len(nb.cells):
        return "a cell of your notebook"
    cell = nb.cells[index]
    if cell.get("metadata", {}).get(SETUP_KEY):
        return "the grader's setup, before your first cell"
    captured = cell.get("metadata", {}).get(CAPTURE_KEY)
    if isinstance(captured, str):
        title = question_titles(nb).get(captured, captured)
        return f"the grader's test of your answer to “{title}”"
    title = section_title(nb.cells, index)
    where = f"under “{title}”" if title else "at the start of the notebook"
    if "nbgrader" not in cell.get("metadata", {}):
        return f"a cell you added {where}"
    if is_solution(cell):
        return f"your answer cell {where}"
    if is_autograded_answer(cell):
        return f"the locked check cell {where}"
    return f"the cell {where}"
