"""The report's two CSV files: ``item_analysis.csv`` and ``case_agreement.csv``.

A figure that is undefined (see the notes in :mod:`course_lib.report.model`) is a blank cell,
never ``NaN``; numbers are written with 15 significant digits.
"""

from __future__ import annotations

import csv
from pathlib import Path

from course_lib.report.model import ClassReport

FOLDER = "report"
ITEM_FILE = "item_analysis.csv"
CASE_FILE = "case_agreement.csv"
ITEM_FIELDS = [
    "assignment",
    "notebook",
    "grade_id",
    "max_score",
    "n",
    "mean",
    "difficulty",
    "discrimination",
    "flag",
]
CASE_FIELDS = [
    "assignment",
    "case_id",
    "marker",
    "key_rating",
    "class_mean",
    "mean_signed_diff",
    "n",
]


def number(value: float | None) -> str:
    """A figure as written in the CSV files: blank when undefined."""
    return "" if value is None else f"{value:.15g}"


def item_rows(report: ClassReport) -> list[list[str]]:
    """The lines of item_analysis.csv (without the header)."""
    return [
        [
            i.assignment,
            i.notebook,
            i.grade_id,
            number(i.max_score),
            str(i.n),
            number(i.mean),
            number(i.difficulty),
            number(i.discrimination),
            i.flag,
        ]
        for i in report.items
    ]


def case_rows(report: ClassReport) -> list[list[str]]:
    """The lines of case_agreement.csv (without the header)."""
    return [
        [
            m.assignment,
            m.case_id,
            m.marker,
            str(m.key_rating),
            number(m.class_mean),
            number(m.mean_signed_diff),
            str(m.n),
        ]
        for m in report.markers
    ]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_tables(report: ClassReport, folder: Path) -> tuple[Path, Path]:
    """Write item_analysis.csv and case_agreement.csv into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    return (
        _write(folder / ITEM_FILE, ITEM_FIELDS, item_rows(report)),
        _write(folder / CASE_FILE, CASE_FIELDS, case_rows(report)),
    )
