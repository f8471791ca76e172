"""The practice app: lesson 04's case scorer and lesson 06's response practice as one page.

Voilà serves the app notebook (``notebooks/app/practice.ipynb``) as a standalone web page,
without JupyterLab around it. ``make app`` and the browser test both start it with
``python -m course_lib app``, which runs :func:`voila_command` in :func:`voila_environment`:
127.0.0.1 only, no code cells, no tracebacks, no port other than the one asked for, and the
course's template (``jupyter-config/app/``), which drops the lab template's CDN links so
that the page needs nothing from the internet.

The app practises on lesson 04's practice cases only: their keys ship with the course,
while the assignment cases' keys stay instructor-side, and the other lessons' practice
cases are kept for those lessons' own exercises.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from course_lib.paths import REPO_DIR

if TYPE_CHECKING:
    from course_lib.content.cases import Case

APP_NOTEBOOK = REPO_DIR / "notebooks" / "app" / "practice.ipynb"
APP_JUPYTER_PATH = REPO_DIR / "jupyter-config" / "app"  # holds voila/templates/course-app
TEMPLATE = "course-app"
# The front-end extensions the page loads: the widget managers (ipywidgets' registers the
# widget modules that Voilà's uses), the course's anywidget controls and plotly's renderer.
# Others installed for JupyterLab (nbgrader's, Notebook 7's) cannot load outside JupyterLab
# and would only log errors in the page.
EXTENSIONS = (
    "@voila-dashboards/widgets-manager8",
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "jupyterlab-plotly",
)
DEFAULT_PORT = 8866
# What the page says, instead of a traceback, if a cell fails (Voilà's default tells the
# reader to restart Voilà with tracebacks on, which a student cannot act on).
CELL_ERROR_MESSAGE = (
    "This part of the page could not be prepared. Reload the page; if this message comes "
    "back, stop the app (Ctrl+C in its terminal), start it again with make app, and tell "
    "your instructor if it still appears."
)
APP_LESSON = 4  # the lesson whose practice cases the app offers
CASES_FILE = "practice_cases.answers.json"
RESPONSES_FILE = "practice_responses.answers.json"


def voila_command(
    notebook: Path = APP_NOTEBOOK, port: int = DEFAULT_PORT, python: str = sys.executable
) -> list[str]:
    """The command that serves ``notebook`` with Voilà on ``127.0.0.1:port``.

    Voilà refuses a port in use instead of trying another (``port_retries=0``), so the
    address it prints is the one asked for. Voilà has no root check: none is needed as root.
    """
    return [
        python,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExecutor.cell_error_instruction={CELL_ERROR_MESSAGE}",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in EXTENSIONS),
    ]


def voila_environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` with the course's template folder first on ``JUPYTER_PATH``."""
    env = dict(base)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(APP_JUPYTER_PATH), base.get("JUPYTER_PATH", "")) if p
    )
    return env


def practice_cases() -> list[Case]:
    """The cases the app offers: lesson 04's practice cases, whose keys ship with the course."""
    from course_lib.content import load_cases

    cases = load_cases(which="practice", lesson=APP_LESSON)
    if not cases or any(c.key is None for c in cases):  # a practice case always has its key
        raise ValueError(f"lesson {APP_LESSON} has no practice cases with keys")
    return cases


def saved_where_html(*names: str) -> str:
    """A note naming the full path of each save file (the kernel's folder holds them)."""
    items = "".join(f"<li><code>{escape(str(Path(n).resolve()))}</code></li>" for n in names)
    return (
        '<div class="course-save-note"><p>Your answers are saved on every change in these '
        "files, and restored when you open the page again:</p>"
        f"<ul>{items}</ul><p>Delete them to start afresh.</p></div>"
    )
