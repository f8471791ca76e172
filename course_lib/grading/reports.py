"""What the grade command writes: grades.csv, cell_scores.csv, per-student feedback, a summary.

Feedback shows the student's own answers, their scores and the per-question feedback text
from the grading spec. It never shows hidden inputs, expected values or keys (the spec's
feedback strings are written not to reveal answers, and capture cells are stripped).
"""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any

from course_lib.grading.course import Course
from course_lib.grading.roster import Roster
from course_lib.grading.rows import Row, in_course

GRADE_FIELDS = [
    "student_id",
    "assignment",
    "notebook",
    "auto_score",
    "auto_max",
    "manual_max",
    "needs_manual_grade",
    "status",
    "detail",
    "manual_score",
    "submission_sha256",
    "lms_id",
]
CELL_FIELDS = ["student_id", "assignment", "notebook", "grade_id", "score", "max_score"]


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_grades(path: Path, rows: list[Row], roster: Roster | None = None) -> None:
    """One line per student x assignment x notebook (``lms_id`` from the roster, if any)."""
    entries = roster.students if roster else {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADE_FIELDS)
        for r in rows:
            writer.writerow(
                [
                    r.student,
                    r.assignment,
                    r.notebook,
                    _fmt(r.auto_score),
                    _fmt(r.auto_max),
                    _fmt(r.manual_max),
                    str(r.needs_manual_grade).lower(),
                    r.status,
                    r.detail,
                    _fmt(r.manual_score),
                    r.sha256,
                    entries[r.student].lms_id if r.student in entries else "",
                ]
            )


def write_cell_scores(
    path: Path, rows: list[Row], course: Course, manual: dict[tuple[str, str, str], dict[str, Any]]
) -> None:
    """One line per graded cell (autograded and manual)."""
    import nbformat

    from course_lib.grading.rows import points

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CELL_FIELDS)
        for r in rows:
            if not in_course(r, course.specs):
                continue
            template = nbformat.read(
                course.release_notebook(r.assignment, r.notebook), as_version=4
            )
            _, _, per_cell = points(template)
            fractions = {q.grade_id: q.fraction for q in r.questions}
            manual_cells = manual.get((r.student, r.assignment, r.notebook), {}).get("cells", {})
            for gid, max_score in per_cell.items():
                if gid in manual_cells:
                    score = manual_cells[gid]["score"]
                elif r.auto_score is None:
                    score = None
                else:
                    score = max_score * fractions.get(gid, 0.0)
                writer.writerow(
                    [r.student, r.assignment, r.notebook, gid, _fmt(score), _fmt(max_score)]
                )


def feedback_html(row: Row, course: Course, manual: dict[str, Any]) -> str:
    """A self-contained feedback page for one notebook."""
    import nbformat

    from course_lib.grading.rows import points

    template = nbformat.read(course.release_notebook(row.assignment, row.notebook), as_version=4)
    _, _, per_cell = points(template)
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Feedback: {esc(row.assignment)} / {esc(row.notebook)}</title>",
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style>",
        "</head><body>",
        f"<h1>Feedback: {esc(row.assignment)}, {esc(row.notebook)}</h1>",
        f"<p>Student: <strong>{esc(row.student)}</strong>. Status: <strong>{esc(row.status)}</strong>.</p>",
    ]
    if row.status != "graded" and row.detail:
        parts.append(f"<p>What happened: {esc(row.detail.split(' | ')[0])}</p>")
    auto = "not graded" if row.auto_score is None else f"{row.auto_score:g} of {row.auto_max:g}"
    parts.append(f"<p>Autograded score: <strong>{auto}</strong>.</p>")
    parts.append(
        "<h2>Autograded questions</h2><table><tr><th>Question</th><th>Score</th><th>Feedback</th></tr>"
    )
    for q in row.questions:
        pts = per_cell.get(q.grade_id, 0.0)
        parts.append(
            f"<tr><td>{esc(q.grade_id)}</td><td>{pts * q.fraction:g} / {pts:g}</td><td>{esc(q.feedback)}</td></tr>"
        )
    parts.append("</table>")
    cells = manual.get("cells", {})
    if cells:
        parts.append(
            "<h2>Written answers (graded by your instructor)</h2><table><tr><th>Question</th><th>Score</th><th>Comment</th></tr>"
        )
        for gid, info in cells.items():
            score = (
                "awaiting grading"
                if info["score"] is None
                else f"{info['score']:g} / {info['max']:g}"
            )
            comment = manual.get("comments", {}).get(gid, "")
            parts.append(
                f"<tr><td>{esc(gid)}</td><td>{esc(score)}</td><td>{esc(comment)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_feedback(
    course: Course, rows: list[Row], manual: dict[tuple[str, str, str], dict[str, Any]]
) -> int:
    """Write ``feedback/<student>/<assignment>/<notebook>.html``; return how many were written."""
    count = 0
    for row in rows:
        if not in_course(row, course.specs):
            continue
        dest = course.root / "feedback" / row.student / row.assignment / f"{row.notebook}.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(
            feedback_html(row, course, manual.get((row.student, row.assignment, row.notebook), {})),
            encoding="utf-8",
        )
        count += 1
    return count


def summary_table(rows: list[Row]) -> str:
    """A plain-text table of every row, for the terminal."""
    header = f"{'student':<14} {'assignment':<18} {'auto':>11} {'manual':>9} status"
    lines = [header, "-" * len(header)]
    for r in rows:
        auto = "-" if r.auto_score is None else f"{r.auto_score:g}/{r.auto_max:g}"
        manual = (
            "pending"
            if r.needs_manual_grade
            else ("-" if r.manual_score is None else f"{r.manual_score:g}/{r.manual_max:g}")
        )
        lines.append(f"{r.student:<14} {r.assignment:<18} {auto:>11} {manual:>9} {r.status}")
    return "\n".join(lines)
