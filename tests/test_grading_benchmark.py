"""The grading benchmark's options, timing split and report (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib.grading.demo import COPIER, honest_class

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "grading_speed.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("grading_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["grading_speed"] = module
    spec.loader.exec_module(module)
    return module


def test_options(bench):
    args = bench.parse_args([])
    assert args.students is None and args.methods == list(bench.DEFAULT_METHODS)
    args = bench.parse_args(["--students", "25", "--methods", "bare, grade-j2-cold"])
    assert args.students == 25 and args.methods == ["bare", "grade-j2-cold"]
    for bad in (["--methods", "bare,fast"], ["--students", "0"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad)


def test_honest_class_leaves_out_the_copier_and_the_empty_submitter():
    ten = honest_class()
    assert len(ten) == 10 and COPIER not in dict(ten) and all(q > 0 for _, q in ten)
    assert honest_class(3) == ten[:3]
    big = honest_class(25)
    assert len(big) == 25 and len({s for s, _ in big}) == 25


def _cell(source, busy, reply, setup=False):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["execution"] = {"iopub.status.busy": busy, "shell.execute_reply": reply}
    if setup:
        cell.metadata["course_lib_setup"] = True
    return cell


def test_cell_split_counts_setup_and_import_cells_as_imports(bench):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("print('setup')", "2026-11-30T10:00:00.000Z", "2026-11-30T10:00:00.100Z", True),
        _cell("import numpy as np\nx = 1", "2026-11-30T10:00:01.000Z", "2026-11-30T10:00:01.500Z"),
        _cell("def f():\n    import os", "2026-11-30T10:00:02.000Z", "2026-11-30T10:00:02.250Z"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("never run"),
    ]
    imports, cells = bench.cell_split(nb)
    assert imports == pytest.approx(0.6) and cells == pytest.approx(0.25)


def test_report_lists_each_method_with_ratios_and_the_split(bench):
    Split, Measure = bench.Split, bench.Measure
    stock = Measure("nbgrader", 4, 8.0, 6.0, (1.0, 1.5))
    bare = Measure("bare", 4, 4.0, 4.0, (1.5, 1.2), [Split("a1", 0.5, 0.2, 0.1, 1.0)] * 4)
    warm = Measure(
        "grade-j2", 4, 1.0, 1.0, (1.2, 0.9), [Split("a1", 0.1, 0.0, 0.1, 0.5)] * 4, "kernels: warm"
    )
    text = bench.format_report([stock, bare, warm], 1, 2)
    assert "1 honest students, 4 notebooks, 2 CPU cores" in text
    row = next(line for line in text.splitlines() if line.startswith("grade-j2 "))
    assert row.split()[1:6] == ["1.0", "0.250", "0.250", "8.00x", "0.25"]
    assert "1.20/0.90" in row
    split = next(line for line in text.splitlines() if line.startswith("bare") and "a1" in line)
    assert split.split()[2:] == ["4", "0.500", "0.200", "0.100", "0.200", "1.000"]
    assert "grade-j2: kernels: warm" in text
    assert bench.format_report([], 0, 2) == "nothing measured"
