"""The practice app (`make app`): its notebook, its cases, its Voilà command line and make target.

The app in a real browser is tested in ``test_app_browser.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

from course_lib.app import (
    APP_JUPYTER_PATH,
    APP_NOTEBOOK,
    CASES_FILE,
    CELL_ERROR_MESSAGE,
    EXTENSIONS,
    RESPONSES_FILE,
    TEMPLATE,
    practice_cases,
    voila_command,
    voila_environment,
)
from course_lib.cli import main
from course_lib.content import load_cases

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def test_app_notebook_is_committed_without_outputs() -> None:
    nb = json.loads(APP_NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "the app notebook has code cells"
    for i, cell in enumerate(code):
        assert cell.get("outputs") == [], f"code cell {i} has outputs"
        assert cell.get("execution_count") is None, f"code cell {i} has an execution count"
    assert nb["metadata"].get("title"), "the page title comes from the notebook's metadata"


def test_app_offers_lesson_04s_practice_cases_only() -> None:
    cases = practice_cases()
    assert [c.id for c in cases] == [c.id for c in load_cases(which="practice", lesson=4)]
    assert all(c.set == "practice" and c.key is not None for c in cases)
    assignment = {c.id for c in load_cases(which="assignment")}
    assert assignment and not assignment & {c.id for c in cases}


def test_voila_command_serves_on_loopback_without_code_or_tracebacks(tmp_path: Path) -> None:
    notebook = tmp_path / "app.ipynb"
    command = voila_command(notebook, 9123, python="PY")
    assert command[:4] == ["PY", "-m", "voila", str(notebook)]
    for option in (
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--Voila.port=9123",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaConfiguration.template={TEMPLATE}",
    ):
        assert option in command, option
    for name in EXTENSIONS:
        assert f"--VoilaConfiguration.extension_allowlist={name}" in command, name
    assert not any("allow-root" in part or "0.0.0.0" in part for part in command)


def test_voila_environment_puts_the_course_template_first() -> None:
    assert (APP_JUPYTER_PATH / "voila" / "templates" / TEMPLATE / "index.html.j2").is_file()
    env = voila_environment({"JUPYTER_PATH": "/elsewhere", "HOME": "/home/x"})
    assert env["JUPYTER_PATH"] == os.pathsep.join([str(APP_JUPYTER_PATH), "/elsewhere"])
    assert env["HOME"] == "/home/x"
    assert voila_environment({})["JUPYTER_PATH"] == str(APP_JUPYTER_PATH)


def test_course_template_has_no_cdn_link() -> None:
    template = APP_JUPYTER_PATH / "voila" / "templates" / TEMPLATE / "index.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "https://" not in text and "http://" not in text


@pytest.mark.parametrize(("args", "port"), [(["PORT=9123"], "9123"), ([], "8866")])
def test_make_app_passes_the_port_through(args: list[str], port: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    out = subprocess.run(
        ["make", "-n", "app", *args], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert f"-m course_lib app --port {port}" in out, out


def test_app_command_refuses_a_missing_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app", "--notebook", str(tmp_path / "none.ipynb")]) == 2
    assert "no app notebook" in capsys.readouterr().err


@pytest.mark.slow
def test_app_refuses_a_port_in_use_instead_of_taking_another(tmp_path: Path) -> None:
    """The address `make app` prints is the one asked for, or it stops and says why."""
    notebook = tmp_path / APP_NOTEBOOK.name
    shutil.copy(APP_NOTEBOOK, notebook)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "course_lib", "app", "--port", str(port), "--notebook", str(notebook)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        )
    assert run.returncode != 0
    assert "could not be started" in run.stderr + run.stdout, run.stderr[-2000:]


@pytest.mark.slow
def test_a_failing_cell_shows_a_message_not_a_traceback(tmp_path: Path) -> None:
    """Served as `make app` serves it, a notebook whose cell raises shows the app's message,
    with neither the exception nor its traceback in the page."""
    from browser_support import free_port

    notebook = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("raise ValueError('detail-for-developers-only')")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, notebook)
    port = free_port()
    with (tmp_path / "voila.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "course_lib", "app", "--port", str(port), "--notebook", str(notebook)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
            start_new_session=True,
        )
        try:
            page, deadline = "", time.monotonic() + 60
            while not page:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "voila.log").read_text()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as reply:
                        page = reply.read().decode("utf-8")
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.3)
        finally:
            server.send_signal(2)  # SIGINT, as Ctrl+C
            server.wait(timeout=30)
    assert "detail-for-developers-only" not in page and "Traceback" not in page
    assert json.dumps(CELL_ERROR_MESSAGE)[1:-1] in page


def _widget_states(nb: nbformat.NotebookNode) -> list[dict]:
    return [w["state"] for w in nb.metadata["widgets"][WIDGET_STATE]["state"].values()]


@pytest.mark.slow
def test_app_notebook_runs_clean_on_a_fresh_kernel(tmp_path: Path) -> None:
    """Top to bottom, no error or stderr; the case picker lists exactly lesson 04's practice
    cases; the page names the save files in the kernel's folder."""
    work = tmp_path / APP_NOTEBOOK.name
    shutil.copy(APP_NOTEBOOK, work)
    nb = nbformat.read(work, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    problems, html, widgets = [], "", 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i} wrote to stderr: {out.text[:300]}")
            data = out.get("data", {})
            html += data.get("text/html", "")
            widgets += "application/vnd.jupyter.widget-view+json" in data
    assert not problems, "\n".join(problems)
    assert widgets == 3, "the case scorer and the response practice at both poles"
    for name in (CASES_FILE, RESPONSES_FILE):
        assert str(tmp_path / name) in html, name
    pickers = [
        s for s in _widget_states(nb) if s.get("_model_name") == "DropdownModel" and s.get("description") == "Case"
    ]
    assert len(pickers) == 1
    shown = [label.rsplit("(", 1)[1].rstrip(")") for label in pickers[0]["_options_labels"]]
    assert shown == [c.id for c in load_cases(which="practice", lesson=4)]
