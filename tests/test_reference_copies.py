"""Near-copies of the course's reference source are flagged for the instructor; honest code is not."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import reference_copies as similarity
from course_lib.grading.reconstruct import grade_id, is_solution
from course_lib.stats import agreement

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ("a1_inventory", "a2_cases", "a3_where_to_start", "a4_what_to_say")

#: What a student who pastes the course's ICC does: course_lib.stats.agreement.icc_a1 and the
#: helper it needs, docstrings and annotations removed (they fail without the typing
#: imports), names changed, a comment and a message reworded.
PASTED_ICC = """
import numbers
import numpy as np


def as_table(values, label):
    # turn the input into a float matrix
    try:
        arr = np.asarray(values)
    except ValueError:
        raise ValueError(f"{label} must be a rectangular table") from None
    if arr.ndim != 2:
        raise ValueError(f"{label} must be 2-D (rows x columns), got shape {arr.shape}")
    if arr.dtype.kind == "O":
        flat = list(arr.flat)
        bad = [v for v in flat if v is not None and not isinstance(v, numbers.Real)]
        if bad:
            raise ValueError(f"{label} must be numeric; found non-numeric value {bad[0]!r}")
        arr = np.array([np.nan if v is None else float(v) for v in flat]).reshape(arr.shape)
    elif arr.dtype.kind not in "biuf":
        raise ValueError(f"{label} must be numeric, got values of dtype {arr.dtype}")
    result = arr.astype(np.float64)
    if np.isinf(result).any():
        raise ValueError(f"{label} contains infinite values")
    return result


def icc_a1(table):
    data = as_table(table, "table")
    rows, raters = data.shape
    if np.isnan(data).any():
        raise ValueError("the table has missing values")
    if rows < 2:
        raise ValueError(f"need at least 2 targets (rows), got {rows}")
    if raters < 2:
        raise ValueError(f"need at least 2 raters (columns), got {raters}")
    if np.ptp(data) == 0:
        raise ValueError("all ratings are identical, so ICC(A,1) is undefined")
    overall = data.mean()
    target_means = data.mean(axis=1)
    rater_means = data.mean(axis=0)
    ms_rows = raters * float(((target_means - overall) ** 2).sum()) / (rows - 1)
    ms_cols = rows * float(((rater_means - overall) ** 2).sum()) / (raters - 1)
    residuals = data - target_means[:, None] - rater_means[None, :] + overall
    ms_err = float((residuals**2).sum()) / ((rows - 1) * (raters - 1))
    bottom = ms_rows + (raters - 1) * ms_err + raters * (ms_cols - ms_err) / rows
    if bottom <= 1e-12 * (ms_rows + ms_cols + ms_err):
        raise ValueError("ICC(A,1) is undefined for these ratings")
    return (ms_rows - ms_err) / bottom
"""

#: An honest quadratic kappa written from the formula in the notebook, loop by loop.
HONEST_KAPPA = """
def quadratic_kappa(table):
    n = len(table)
    counts = [[0] * 4 for _ in range(4)]
    for first, second in table:
        counts[first][second] += 1
    row_totals = [sum(counts[i]) for i in range(4)]
    col_totals = [sum(counts[i][j] for i in range(4)) for j in range(4)]
    disagreement_seen = 0.0
    disagreement_chance = 0.0
    for i in range(4):
        for j in range(4):
            weight = (i - j) ** 2
            disagreement_seen += weight * counts[i][j] / n
            disagreement_chance += weight * row_totals[i] * col_totals[j] / n**2
    return 1 - disagreement_seen / disagreement_chance
"""


def solution_cells(assignment: str) -> list[tuple[str, str]]:
    """(grade id, source) of the instructor's solution code cells: honest, independent code."""
    path = REPO / "notebooks" / "course" / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return [
        (grade_id(c) or "", c.source) for c in nb.cells if c.cell_type == "code" and is_solution(c)
    ]


def test_a_pasted_reference_function_is_flagged() -> None:
    found = similarity.near_copies([("a2_icc_code", PASTED_ICC)])
    assert {(m.function, m.reference) for m in found} == {
        ("as_table", "course_lib.stats.reliability._numeric_matrix"),
        ("icc_a1", "course_lib.stats.agreement.icc_a1"),
    }
    assert all(m.similarity >= similarity.THRESHOLD for m in found)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_source_solutions_are_not_flagged(assignment: str) -> None:
    cells = solution_cells(assignment)
    assert similarity.near_copies(cells) == []


def test_an_honest_solution_stays_well_below_the_threshold() -> None:
    cells = [*solution_cells("a2_cases"), ("a2_quadratic_kappa_code", HONEST_KAPPA)]
    for _, source in cells:
        for function in similarity.functions_in(source):
            match = similarity.best_match(function)
            assert match is None or match[1] < similarity.THRESHOLD - 0.15, (function.name, match)


def test_renaming_and_reformatting_change_nothing() -> None:
    source = textwrap.dedent(inspect.getsource(agreement.icc_a1))
    tree = ast.parse(source)
    renamed = {"x": "matrix", "n": "rows", "k": "cols", "grand": "g", "ratings": "t"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in renamed:
            node.id = renamed[node.id]
        if isinstance(node, ast.arg) and node.arg in renamed:
            node.arg = renamed[node.arg]
    function = similarity.functions_in(ast.unparse(tree))[0]
    reference = similarity.reference_functions()["course_lib.stats.agreement.icc_a1"]
    assert similarity.similarity(similarity.normalised_tokens(function), reference) == 1.0


def test_short_functions_are_never_compared() -> None:
    short = "def d_to_r(d):\n    return d / math.sqrt(d**2 + 4)\n"
    assert similarity.best_match(similarity.functions_in(short)[0]) is None
    assert all(len(t) >= similarity.MIN_TOKENS for t in similarity.reference_functions().values())


def test_the_note_names_function_cell_and_reference() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(PASTED_ICC)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "a2_icc_code"}
    nb.cells = [cell, nbformat.v4.new_code_cell(PASTED_ICC)]  # the second is no solution cell
    note = similarity.near_copy_note(nb)
    assert note.startswith("possible near-copy of the course's reference code, check by hand:")
    assert "icc_a1 in a2_icc_code ~ course_lib.stats.agreement.icc_a1" in note
    assert note.count("icc_a1 in") == 1
    assert similarity.near_copy_note(nbformat.v4.new_notebook()) == ""


def test_cells_that_do_not_parse_are_skipped() -> None:
    assert similarity.functions_in("def broken(:\n") == []
    assert [f.name for f in similarity.functions_in("%timeit 1\ndef f():\n    pass\n")] == ["f"]
