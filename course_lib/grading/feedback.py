"""The feedback page a student receives for one notebook, written for the student to read.

Questions are named by their titles in the assignment notebook (see :mod:`titles`), scores
are shown to 2 decimals as "score / maximum" with a total line, and a notebook that could
not be graded gets a plain sentence saying what happened and what to do, never the
technical reason (that stays in the instructor's ``grades.csv``). The page shows the
student's own scores and the spec's feedback texts only: no hidden input, expected value,
key or exception text from the kernel.
"""

from __future__ import annotations

import html
from typing import Any

from course_lib.grading.execute import NOTEBOOK_TIMEOUT
from course_lib.grading.reconstruct import grade_id, is_autograded_answer
from course_lib.grading.rows import Row, points
from course_lib.grading.titles import heading_of, question_titles

STYLE = (
    "body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;"
    "text-align:left;vertical-align:top}ul{margin:0;padding-left:1.2em}"
)
#: What a student reads when their notebook did not simply run to the end.
STATUS_SENTENCES: dict[str, str] = {
    "malformed-notebook": (
        "Your notebook file could not be opened as a notebook; it may have been damaged "
        "while saving. Nothing in it could be graded. Talk to your instructor."
    ),
    "missing-notebook": (
        "No notebook called {notebook}.ipynb was found in your submission, so nothing could "
        "be graded. A notebook saved under another name is not graded: if you renamed it, "
        "talk to your instructor."
    ),
    "timeout": (
        "Grading stopped in {where}, which ran for longer than the time allowed. Answers "
        "collected before that point were graded; the questions after it could not be. "
        "Look there for a loop that never ends or a step that is very slow."
    ),
    "notebook-timeout": (
        "Your notebook as a whole ran for longer than the time allowed, and grading stopped "
        "in {where}. Answers collected before that point were graded; the questions after it "
        "could not be. Look for slow steps, or for cells that repeat work."
    ),
    "killed": (
        "Your notebook's Python process stopped unexpectedly in {where} (for example, the "
        "code exited or crashed). Answers collected before that point were graded; the "
        "questions after it could not be."
    ),
    "output-limit": (
        "Your notebook printed more output than the grader allows, so grading stopped in "
        "{where}. Answers collected before that point were graded; the questions after it "
        "could not be."
    ),
    "memory": (
        "A cell of your notebook needed more memory than the grader allows, so that cell "
        "failed; the rest of the notebook was graded."
    ),
    "process-limit": (
        "A cell of your notebook tried to start more processes than the grader allows, so "
        "that cell failed; the rest of the notebook was graded."
    ),
    "file-limit": (
        "A cell of your notebook tried to write a file larger than the grader allows, so "
        "that cell failed; the rest of the notebook was graded."
    ),
    "disk-limit": (
        "Your notebook filled the disk space the grader allows, so the cell that did so "
        "failed; the rest of the notebook was graded."
    ),
    "unsafe-file": (
        "Your submission holds something the grader does not read ({files}). The grader "
        "reads only ordinary files inside your submission folder, never links, pipes or "
        "devices, so nothing in this notebook was graded. Submit ordinary files only, and "
        "talk to your instructor."
    ),
    "infrastructure-error": (
        "Your notebook could not be graded because of a problem on the grader's side, not "
        "in your work. Your instructor will grade it again."
    ),
}
OTHER_STATUS = "Your notebook could not be graded. Talk to your instructor."
#: How an ungraded written answer is shown, by the notebook's status.
WRITTEN_UNGRADED = {
    "missing-notebook": "not submitted",
    "malformed-notebook": "not graded: the notebook could not be opened",
    "unsafe-file": "not graded: the submission holds a file the grader does not read",
}


def points_text(value: float) -> str:
    """A score for people: at most 2 decimals, no trailing zeros (``2.6666`` -> ``2.67``)."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(value: float) -> str:
    text = points_text(value)
    return f"{text} point" if text == "1" else f"{text} points"


def status_sentence(row: Row) -> str | None:
    """The plain sentence for a notebook that did not simply run to the end (else ``None``)."""
    if row.status == "graded":
        return None
    status = row.status
    if status == "timeout" and row.detail.startswith(NOTEBOOK_TIMEOUT):
        status = "notebook-timeout"
    template = STATUS_SENTENCES.get(status, OTHER_STATUS)
    where = row.stopped_in or "a cell of your notebook"
    return template.format(notebook=row.notebook, where=where, files="; ".join(row.unsafe))


def _autograded_rows(row: Row, titles: dict[str, str], per_cell: dict[str, float]) -> list[str]:
    """One table row per autograded question (``titles``: those questions only)."""
    esc = html.escape
    out = []
    if row.questions:
        for q in row.questions:
            pts = per_cell.get(q.grade_id, 0.0)
            notes = "".join(f"<li>{esc(d)}</li>" for d in q.details)
            out.append(
                f"<tr><td>{esc(titles.get(q.grade_id, q.grade_id))}</td>"
                f"<td>{points_text(pts * q.fraction)} / {points_text(pts)}</td>"
                f"<td>{esc(q.feedback)}{f'<ul>{notes}</ul>' if notes else ''}</td></tr>"
            )
        return out
    for gid, title in titles.items():
        shown = {
            "missing-notebook": "not submitted",
            "malformed-notebook": f"0 / {points_text(per_cell.get(gid, 0.0))}",
            "unsafe-file": "not graded",
        }.get(row.status, "not graded yet")
        out.append(f"<tr><td>{esc(title)}</td><td>{esc(shown)}</td><td></td></tr>")
    return out


def _written_rows(row: Row, titles: dict[str, str], manual: dict[str, Any]) -> list[str]:
    """One table row per written answer, with the instructor's score and comment."""
    esc = html.escape
    out = []
    for gid, info in manual.get("cells", {}).items():
        if info["score"] is not None:
            score = f"{points_text(info['score'])} / {points_text(info['max'])}"
        else:
            score = WRITTEN_UNGRADED.get(row.status, "awaiting grading by your instructor")
        comment = manual.get("comments", {}).get(gid, "")
        out.append(
            f"<tr><td>{esc(titles.get(gid, gid))}</td><td>{esc(score)}</td><td>{esc(comment)}</td></tr>"
        )
    return out


def total_sentence(row: Row, auto_max: float, manual: dict[str, Any]) -> str:
    """The notebook's total line, saying what is still awaiting the instructor."""
    cells = list(manual.get("cells", {}).values())
    written_max = sum(c["max"] for c in cells)
    written = sum(c["score"] for c in cells if c["score"] is not None)
    pending = sum(c["max"] for c in cells if c["score"] is None)
    full = points_text(auto_max + written_max)
    auto = row.auto_score
    parts = [
        f"Autograded questions: {points_text(auto)} / {points_text(auto_max)}."
        if auto is not None
        else f"Autograded questions: not graded (out of {points_text(auto_max)})."
    ]
    if cells and not pending:
        parts.append(f"Written answers: {points_text(written)} / {points_text(written_max)}.")
    elif cells:
        state = WRITTEN_UNGRADED.get(row.status, "awaiting your instructor")
        so_far = f"{points_text(written)} so far, " if pending < written_max else ""
        parts.append(f"Written answers: {so_far}{state} ({_points(pending)}).")
    if auto is None and written == 0 and (not cells or pending == written_max):
        parts.append(f"Total: nothing could be graded (out of {full}).")
    elif pending and row.status not in WRITTEN_UNGRADED:
        parts.append(
            f"Total so far: {points_text((auto or 0.0) + written)} / {full}, with "
            f"{_points(pending)} still awaiting your instructor."
        )
    else:
        parts.append(f"Total: {points_text((auto or 0.0) + written)} / {full}.")
    return " ".join(parts)


def feedback_html(row: Row, template: Any, manual: dict[str, Any]) -> str:
    """A self-contained feedback page for one notebook (``template``: its released version)."""
    esc = html.escape
    auto_max, _, per_cell = points(template)
    titles = question_titles(template)
    autograded = {
        gid: titles[gid]
        for cell in template.cells
        if is_autograded_answer(cell) and (gid := grade_id(cell)) in titles
    }
    heading = next((h for c in template.cells if (h := heading_of(c))), None)
    name = heading or f"{row.assignment} / {row.notebook}"
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Feedback: {esc(name)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>Feedback: {esc(name)}</h1>",
        f"<p>Student: <strong>{esc(row.student)}</strong>. Notebook: {esc(row.notebook)}.ipynb.</p>",
    ]
    if sentence := status_sentence(row):
        parts.append(f"<p><strong>What happened:</strong> {esc(sentence)}</p>")
    parts.append(f"<p><strong>{esc(total_sentence(row, auto_max, manual))}</strong></p>")
    parts.append(
        "<h2>Autograded questions</h2><table><tr><th>Question</th><th>Score</th>"
        "<th>Feedback</th></tr>"
    )
    parts += _autograded_rows(row, autograded, per_cell)
    parts.append("</table>")
    written = _written_rows(row, titles, manual)
    if written:
        parts.append(
            "<h2>Written answers (graded by your instructor)</h2><table><tr><th>Question</th>"
            "<th>Score</th><th>Comment</th></tr>"
        )
        parts += written
        parts.append("</table>")
    parts.append(
        "<p>Scores are rounded to 2 decimals; totals are added up before rounding.</p>"
        "</main></body></html>"
    )
    return "\n".join(parts)
