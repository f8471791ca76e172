"""The class report's HTML tables: students to follow up, questions, choices, agreement.

Every value from the report is escaped (student ids and titles are untrusted), a missing
statistic is shown as "—" with its note beside it, and a table that can grow with the
class (one row per student) is folded in a ``<details>`` element.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from course_lib.grading.feedback import points_text
from course_lib.plots.class_cases import NO_VALUE, choice_options, field_name
from course_lib.report.model import (
    AssignmentSummary,
    CaseAgreement,
    ChoiceTable,
    ItemStat,
    StudentKappa,
)

esc = html.escape


def number(value: float | None, digits: int = 2) -> str:
    """A statistic for the page: ``digits`` decimals, or "—" when it is missing."""
    return NO_VALUE if value is None else f"{value:.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str = "") -> str:
    """A table of already-escaped cells (headers are escaped here)."""
    head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def folded(summary: str, content: str, *, open_: bool = False) -> str:
    """``content`` inside ``<details>`` with ``summary`` (plain text) as its label."""
    flag = " open" if open_ else ""
    return f"<details{flag}><summary>{esc(summary)}</summary>{content}</details>"


def students_table(summary: AssignmentSummary) -> str:
    """Students who scored zero or did not submit, folded (it can be long)."""
    rows = [(esc(s), "scored 0") for s in sorted(summary.zero)]
    rows += [(esc(s), "did not submit") for s in sorted(summary.not_submitted)]
    if not rows:
        return "<p>Every student submitted and scored above zero.</p>"
    label = (
        f"Students who scored zero ({len(summary.zero)}) or did not submit "
        f"({len(summary.not_submitted)})"
    )
    return folded(label, table(("Student", "What happened"), rows))


def _item_row(item: ItemStat) -> list[str]:
    mean = NO_VALUE if item.mean is None else points_text(item.mean)
    return [
        esc(item.title),
        f"<code>{esc(item.grade_id)}</code>",
        esc(item.notebook),
        str(item.n),
        f"{mean} / {points_text(item.max_score)}",
        number(item.difficulty),
        number(item.discrimination),
        esc(item.flag),
        esc(item.note),
    ]


ITEM_HEADERS = (
    "Question",
    "Id",
    "Notebook",
    "Students",
    "Mean",
    "Difficulty",
    "Discrimination",
    "Flag",
    "Note",
)


def items_tables(items: Sequence[ItemStat]) -> str:
    """The flagged questions (always shown) and every question (folded)."""
    flagged = [_item_row(i) for i in items if i.flag]
    parts = [
        table(ITEM_HEADERS, flagged, caption="Flagged questions")
        if flagged
        else "<p>No question is flagged.</p>"
    ]
    parts.append(
        folded(f"Every question ({len(items)})", table(ITEM_HEADERS, [_item_row(i) for i in items]))
    )
    return "".join(parts)


def _choice_cell(t: ChoiceTable, option: str) -> str:
    count = str(t.counts.get(option, 0))
    if option == t.key:
        return f"<strong>{count} (key)</strong>"
    if option in t.alternatives:
        return f"{count} (partial credit)"
    return count


def confusion_table(tables: Sequence[ChoiceTable]) -> str:
    """Key against chosen, summed over an assignment's cases: the diagonal is agreement."""
    options = choice_options(tables)
    keys = [o for o in options if any(t.key == o for t in tables)]
    rows = []
    for key in keys:
        same = [t for t in tables if t.key == key]
        cells = []
        for option in options:
            count = str(sum(t.counts.get(option, 0) for t in same))
            cells.append(f"<strong>{count}</strong>" if option == key else count)
        rows.append([esc(key), str(len(same)), *cells])
    name = field_name(tables[0].field) if tables else ""
    headers = ("Key", "Cases", *(f"chose {o}" for o in options))
    return table(headers, rows, caption=f"{name}: key against chosen, all cases together")


def choices_table(tables: Sequence[ChoiceTable]) -> str:
    """One field's choices across an assignment's cases: a row per case, the key in bold."""
    options = choice_options(tables)
    headers = ("Case", "Key", *options, "Answers")
    rows = [
        [esc(t.case_id), esc(t.key), *(_choice_cell(t, o) for o in options)]
        + [str(sum(t.counts.values()))]
        for t in tables
    ]
    name = field_name(tables[0].field) if tables else ""
    return table(headers, rows, caption=f"{name}: chosen by the class, case by case")


def agreement_table(agreement: Sequence[CaseAgreement]) -> str:
    """Each case's ICC(A,1), its raters and, when it is missing, why."""
    rows = [
        [esc(a.case_id), esc(a.title), str(a.raters), number(a.icc), esc(a.note)] for a in agreement
    ]
    return table(("Case", "Title", "Raters", "ICC(A,1)", "Note"), rows)


def kappas_table(kappas: Sequence[StudentKappa]) -> str:
    """Every student's kappa with the key, lowest first (those without one last), folded."""
    ordered = sorted(kappas, key=lambda k: (k.kappa is None, k.kappa or 0.0, k.student))
    rows = [[esc(k.student), number(k.kappa), str(k.n), esc(k.note)] for k in ordered]
    return folded(
        f"Each student's kappa with the key, lowest first ({len(kappas)} students)",
        table(("Student", "Weighted kappa", "Ratings compared", "Note"), rows),
    )
