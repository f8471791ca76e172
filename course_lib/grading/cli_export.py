"""The ``export`` command: OUT's grades as a gradebook file for Canvas, Moodle or a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from course_lib.grading.lms_formats import FORMATS, MATCHES


def run_export(args: argparse.Namespace) -> int:
    """Write the export and its notes; print what was written; 2 (nothing written) on bad input."""
    from course_lib.grading.feedback import points_text
    from course_lib.grading.lms_export import ExportError, export
    from course_lib.grading.roster import RosterError, load_roster

    try:
        roster = load_roster(Path(args.roster)) if args.roster else None
        done = export(Path(args.grades), args.format, Path(args.out), roster, args.match)
    except (ExportError, RosterError) as exc:
        print(f"error: nothing was exported:\n{exc}", file=sys.stderr)
        return 2
    possible = ", ".join(f"{a} {points_text(p)}" for a, p in done.possible.items())
    print(
        f"wrote {done.path} ({args.format}, {done.students} students; points possible: {possible})"
    )
    print(
        f"wrote {done.notes_path}: {done.notes} notes, {done.blank} cells left blank "
        "(not graded, never zero), each listed with its status and detail"
    )
    return 0


def add_export_command(sub: Any) -> None:
    """Register ``export`` on the main CLI's subparsers."""
    choices = "; ".join(f"{fmt}: {', '.join(m)}" for fmt, m in MATCHES.items() if fmt != "csv")
    p = sub.add_parser(
        "export", help="write OUT's grades as a gradebook file for Canvas, Moodle or a spreadsheet"
    )
    p.add_argument("grades", metavar="OUT", help="the folder grade wrote (its grades.csv)")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument(
        "--out", required=True, metavar="FILE", help="the file to write (notes: FILE.notes.csv)"
    )
    p.add_argument(
        "--roster",
        default=None,
        metavar="CSV",
        help="the class roster (grade's format) for names, emails and lms_id; only its students "
        "are exported (default: everyone in grades.csv, with the lms_id grades.csv holds)",
    )
    p.add_argument(
        "--match",
        default=None,
        help=f"what the LMS matches students by ({choices}; the first is the default)",
    )
    p.set_defaults(func=run_export)
