"""reconciliation.json: submitted = graded + other statuses, every notebook file has a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course_lib.grading.rows import Row


def reconciliation(rows: list[Row], submissions: Path) -> dict[str, Any]:
    """Submitted = graded + errors: every notebook file found has exactly one row."""
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    files = {(p.parts[-3], p.parts[-2], p.stem) for p in Path(submissions).glob("*/*/*.ipynb")}
    covered = {(r.student, r.assignment, r.notebook) for r in rows}
    graded = by_status.get("graded", 0)
    return {
        "submitted_notebooks": len(files),
        "rows": len(rows),
        "graded": graded,
        "errors": len(rows) - graded,
        "by_status": dict(sorted(by_status.items())),
        "files_without_a_row": sorted("/".join(f) for f in files - covered),
        "balanced": files <= covered,
    }
