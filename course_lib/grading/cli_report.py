"""``python -m course_lib report OUT [--keys DIR]``: the class report of a grade output folder.

Writes ``OUT/report/index.html`` (the page), ``item_analysis.csv`` and ``case_agreement.csv``; prints the
terminal summary and the paths written. Exit code 2 when OUT is not a folder ``grade``
wrote (or a file in it is missing or malformed), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def run_report(out: Path, keys_dir: Path | None = None) -> int:
    """Build the report of ``out``, write its files, print the summary; return the exit code."""
    from course_lib.report.build import build_report  # imported when used: the CLI starts fast
    from course_lib.report.csv_files import FOLDER, write_tables
    from course_lib.report.page import write_page
    from course_lib.report.summary import terminal_summary

    out = Path(out)
    try:
        report = build_report(out, keys_dir)
    except ValueError as exc:
        print(
            f"error: {out} is not a grade output folder that can be reported on: {exc}",
            file=sys.stderr,
        )
        return 2
    folder = out / FOLDER
    written = [write_page(report, folder / "index.html"), *write_tables(report, folder)]
    print(terminal_summary(report))
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    return run_report(Path(args.out), Path(args.keys) if args.keys else None)


def add_command(sub: Any) -> None:
    """Register ``report`` on the main CLI's subparsers."""
    p = sub.add_parser(
        "report",
        help="the class report of a grade output folder: item analysis, the class against "
        "the case keys (OUT/report/)",
    )
    p.add_argument("out", help="the folder grade wrote (grade --out)")
    p.add_argument(
        "--keys",
        default=None,
        metavar="DIR",
        help="the instructor keys folder (default: the course's, notebooks/course/keys)",
    )
    p.set_defaults(func=_cmd_report)
