"""`make lab` as a student meets it: it starts (as root too), without nbgrader's instructor
tools and without the news pop-up. The server is started by the real make target."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
from typing import Any

import pytest
from browser_support import free_port
from conftest import REPO

pytestmark = pytest.mark.slow

INSTRUCTOR_PLUGINS = {
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
}


class _Lab:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def get(self, path: str) -> tuple[int, str]:
        import urllib.request

        url = f"{self.base}/{path}{'&' if '?' in path else '?'}token={self.token}"
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.status, reply.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``make lab`` on a free port, with private runtime and user-settings folders."""
    state = tmp_path_factory.mktemp("make-lab")
    port, token = free_port(), "course-test-token"
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
    )
    env.pop("JUPYTER_CONFIG_PATH", None)
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --port-retries=0 --IdentityProvider.token={token}"
    log = (state / "make-lab.log").open("wb")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    lab = _Lab(port, token)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"make lab exited: {(state / 'make-lab.log').read_text()[-3000:]}")
            try:
                if lab.get("api/status")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"make lab never answered: {(state / 'make-lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        lab.log = state / "make-lab.log"  # type: ignore[attr-defined]
        yield lab
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def test_make_lab_starts_on_the_lessons_as_whoever_runs_it(make_lab: Any) -> None:
    import json

    status, body = make_lab.get("api/contents")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert status == 200 and "04_scoring_sample_cases.ipynb" in names
    if os.geteuid() == 0:
        assert "Running as root: starting JupyterLab with --allow-root." in make_lab.log.read_text()


def test_students_get_no_formgrader_no_validate_and_no_create_assignment(make_lab: Any) -> None:
    assert make_lab.get("formgrader")[0] == 404
    import json
    import re

    status, page = make_lab.get("lab")
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    assert status == 200 and found, "no page config in /lab"
    disabled = set(json.loads(found.group(1))["disabledExtensions"])
    assert disabled >= INSTRUCTOR_PLUGINS
    assert "@jupyter/nbgrader:assignment-list" not in disabled  # students still fetch and submit


def test_the_news_pop_up_and_update_checks_are_off(make_lab: Any) -> None:
    import json

    status, body = make_lab.get("lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert status == 200
    defaults = json.loads(body)["schema"]["properties"]  # the overrides replace the defaults
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False
