"""reconciliation.json: submitted = graded + other statuses, every notebook file has a row.

With a roster it also says who was expected: how many rostered students submitted, who
submitted nothing at all, who submitted without being on the roster, and whether every
rostered student has a row for every assignment graded in the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course_lib.grading.roster import Roster
from course_lib.grading.rows import NOT_SUBMITTED, Row, submitted_assignments


def _roster_counts(rows: list[Row], roster: Roster) -> dict[str, Any]:
    rostered = set(roster.students)
    submitters = {r.student for r in rows if r.status not in {NOT_SUBMITTED, "bad-student-id"}}
    assignments = sorted(submitted_assignments(rows))
    have = {(r.student, r.assignment) for r in rows}
    return {
        "file": str(roster.path),
        "rostered": len(rostered),
        "submitted": len(rostered & submitters),
        "not_submitted": sorted(rostered - submitters),
        "not_on_roster": sorted(submitters - rostered),
        "assignments": assignments,
        "rostered_without_a_row": sorted(
            f"{s}/{a}" for s in rostered for a in assignments if (s, a) not in have
        ),
    }


def reconciliation(
    rows: list[Row], submissions: Path, roster: Roster | None = None
) -> dict[str, Any]:
    """Submitted = graded + errors: every notebook file found has exactly one row.

    ``errors`` counts every row whose status is not ``graded`` (``not-submitted`` included;
    ``by_status`` breaks them down). With a roster, ``balanced`` also needs a row for every
    rostered student and assignment graded in the run.
    """
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    files = {(p.parts[-3], p.parts[-2], p.stem) for p in Path(submissions).glob("*/*/*.ipynb")}
    covered = {(r.student, r.assignment, r.notebook) for r in rows}
    graded = by_status.get("graded", 0)
    counts = _roster_counts(rows, roster) if roster else None
    return {
        "submitted_notebooks": len(files),
        "rows": len(rows),
        "graded": graded,
        "errors": len(rows) - graded,
        "by_status": dict(sorted(by_status.items())),
        "files_without_a_row": sorted("/".join(f) for f in files - covered),
        "roster": counts,
        "balanced": files <= covered and not (counts and counts["rostered_without_a_row"]),
    }
