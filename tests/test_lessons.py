"""Every lesson runs top to bottom on a fresh kernel, with no error and no stderr output,
and committed lessons carry no outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS
from nbclient import NotebookClient

LESSON_FILES = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_at_least_seven_lessons() -> None:
    assert len(LESSON_FILES) >= 7, [p.name for p in LESSON_FILES]


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_committed_lesson_has_no_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_lesson_runs_clean_on_a_fresh_kernel(path: Path, tmp_path: Path) -> None:
    work = tmp_path / path.name
    shutil.copy(path, work)
    nb = nbformat.read(work, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    problems = []
    widgets = charts = 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i} wrote to stderr: {out.text[:300]}")
            data = out.get("data", {})
            widgets += "application/vnd.jupyter.widget-view+json" in data
            charts += "application/vnd.plotly.v1+json" in data
    assert not problems, "\n".join(problems)
    assert widgets >= 1, "each lesson shows at least one widget"
    assert charts >= 1, "each lesson shows at least one plotly chart"
