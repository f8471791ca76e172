"""Command-line interface: ``python -m course_lib <command>``.

Commands: ``validate`` (content and notebook metadata), ``simulate`` (rebuild the
simulated dataset), ``app`` (the practice app in Voilà), ``release``, ``grade``, ``demo``,
``export`` and ``report`` (the instructor pipeline).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _cmd_validate(args: argparse.Namespace) -> int:
    from course_lib.content.validate import validate_assets
    from course_lib.grading.notebook_checks import validate_notebooks

    reports = validate_assets(args.assets)
    reports.append(validate_notebooks())
    problems = [p for r in reports for p in r.problems]
    for report in reports:
        print(report.summary())
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("all content valid")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from course_lib.simulate import rebuild_dataset

    path = rebuild_dataset(args.assets)
    print(f"wrote {path}")
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from course_lib.app import voila_command, voila_environment

    notebook = Path(args.notebook).resolve()
    if not notebook.is_file():
        print(f"no app notebook at {notebook}", file=sys.stderr)
        return 2
    command = voila_command(notebook, args.port)
    print(
        f"Serving {notebook.name} at http://127.0.0.1:{args.port}/ (Ctrl+C stops it).",
        flush=True,
    )
    os.execvpe(command[0], command, voila_environment(os.environ))  # Voilà owns Ctrl+C now


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    from course_lib.app import APP_NOTEBOOK, DEFAULT_PORT
    from course_lib.grading.cli_commands import add_commands

    parser = argparse.ArgumentParser(prog="python -m course_lib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every asset file and notebook's nbgrader metadata")
    p.add_argument("--assets", default=None, help="assets folder (default: the course's own)")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("simulate", help="rebuild assets/data/inventory_simulated.csv from its seed")
    p.add_argument("--assets", default=None, help="assets folder (default: the course's own)")
    p.set_defaults(func=_cmd_simulate)
    p = sub.add_parser("app", help="serve the practice app with Voila on 127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    p.add_argument("--notebook", default=str(APP_NOTEBOOK), help="the app notebook to serve")
    p.set_defaults(func=_cmd_app)
    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
