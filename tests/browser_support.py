"""Helpers for the real-browser test: a throwaway JupyterLab server and Chromium settings.

The recipe follows the engineering notes (section 4): a ``jupyter lab`` server on 127.0.0.1
with a random token, its own temporary settings, config, data, runtime and workspace
folders, news and update checks off, and the notebook ``windowingMode`` set to ``none`` so
that every cell stays in the DOM. Chromium is Debian's ``/usr/bin/chromium`` driven by the
``playwright`` package (never ``playwright install``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[1]
STUDENT_CONFIG = REPO_ROOT / "jupyter-config" / "student"  # what `make lab` gives students
LAB_SETTINGS = REPO_ROOT / "jupyter-config" / "lab-settings"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRACKER_PLUGIN = "@jupyterlab/notebook-extension:tracker"
STEP_TIMEOUT_MS = 60_000  # one step of a browser test (the page fixture's default timeout)


def require_browser() -> None:
    """Skip without Chromium or playwright, or fail if ``COURSE_REQUIRE_BROWSER=1`` (CI)."""
    import pytest

    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed"
    if reason is None:
        return
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"real-browser test skipped: {reason}")
NO_WINDOWING = {TRACKER_PLUGIN: {"windowingMode": "none"}}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_lab_settings(settings_dir: Path) -> None:
    """Turn off notebook windowing in a JupyterLab settings folder.

    ``overrides.json`` is what the engineering notes name; JupyterLab 4 reads that file from
    its *application* settings folder, so the same value is also written as a user setting
    (``<plugin package>/<plugin>.jupyterlab-settings``), which ``JUPYTERLAB_SETTINGS_DIR``
    does control. The test checks the effective value through the settings API.
    """
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "overrides.json").write_text(json.dumps(NO_WINDOWING), encoding="utf-8")
    package, plugin = TRACKER_PLUGIN.split(":")
    user_file = settings_dir / package / f"{plugin}.jupyterlab-settings"
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(json.dumps(NO_WINDOWING[TRACKER_PLUGIN]), encoding="utf-8")


@dataclass
class LabServer:
    """A running ``jupyter lab`` process serving ``root``."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """A server URL with the token attached."""
        joiner = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{joiner}token={self.token}"

    def get_json(self, path: str) -> object:
        """GET a server API path and decode the JSON reply."""
        with urllib.request.urlopen(self.url(path), timeout=10) as reply:
            return json.loads(reply.read().decode("utf-8"))

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log (for failure messages)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "<no server log>"

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Block until the server answers ``/api/status``; raise if it dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                self.get_json("api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (it shuts its kernels down); kill its process group if it hangs."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)  # clean shutdown, kernels included
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.terminate()
                    try:
                        self.process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        os.killpg(self.process.pid, signal.SIGKILL)  # our own session only
                        self.process.wait(timeout=10)
        finally:
            self._log.close()


def start_lab(root: Path, state: Path) -> LabServer:
    """Start ``jupyter lab`` on a free port serving ``root``; private folders under ``state``.

    It runs with the same student configuration as ``make lab`` (``jupyter-config/``).
    """
    port, token = free_port(), secrets.token_hex(24)
    folders = {
        name: state / name
        for name in ("settings", "workspaces", "config", "data", "runtime", "home-ipython")
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    write_lab_settings(folders["settings"])
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(folders["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(folders["workspaces"]),
        JUPYTER_CONFIG_DIR=str(folders["config"]),
        JUPYTER_CONFIG_PATH=str(STUDENT_CONFIG),
        JUPYTER_DATA_DIR=str(folders["data"]),
        JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
        IPYTHONDIR=str(folders["home-ipython"]),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONWARNINGS="ignore",
    )
    log_path = state / "jupyter-lab.log"
    log = log_path.open("wb")
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={LAB_SETTINGS}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return LabServer(root, port, token, process, log_path, log)


# --------------------------------------------------------------------------- driving a notebook
IDLE_TEXT = "| Idle"
OPEN_TIMEOUT_MS = 60_000


class StepFailed(AssertionError):
    """A named browser step failed; the message carries the screenshot's path."""


class NotebookDriver:
    """What a student does to one notebook in JupyterLab, step by named step.

    Every step that fails raises :class:`StepFailed` naming the step and the full-page
    screenshot written to ``shots`` at that moment.
    """

    def __init__(self, page: object, lab: LabServer, notebook: str, shots: Path) -> None:
        self.page = page
        self.lab = lab
        self.notebook = notebook
        self.shots = shots
        self.count = 0

    def shoot(self, name: str) -> str:
        """A full-page screenshot named after the step; its path (or why there is none)."""
        self.shots.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = self.shots / f"{self.count:02d}-{name.replace(' ', '-')[:60]}.png"
        try:
            self.page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the page may be gone; never mask the failure
            return f"<screenshot failed: {exc}>"
        return str(path)

    def step(self, name: str) -> _Step:
        """``with driver.step("press Check"): ...`` names the step in any failure."""
        return _Step(self, name)

    def wait_kernel_idle(self, timeout: float = 90.0) -> None:
        """Wait until the server has a session for the notebook whose kernel is idle."""
        deadline = time.monotonic() + timeout
        sessions: object = []
        while time.monotonic() < deadline:
            sessions = self.lab.get_json("api/sessions")
            for session in sessions if isinstance(sessions, list) else []:
                kernel = session.get("kernel") or {}
                if session.get("path") == self.notebook and kernel.get("execution_state") == "idle":
                    return
            time.sleep(0.3)
        raise AssertionError(f"no idle kernel for {self.notebook} after {timeout:.0f} s: {sessions}")

    def open(self) -> object:
        """Open the notebook and wait for its kernel; returns the notebook panel locator."""
        from playwright.sync_api import expect

        page = self.page
        page.goto(self.lab.url(f"lab/tree/{self.notebook}"), wait_until="domcontentloaded")  # type: ignore[attr-defined]
        panel = page.locator(".jp-NotebookPanel").first  # type: ignore[attr-defined]
        # expect() waits 5 s by default: too short for JupyterLab's first load on busy cores.
        expect(panel).to_be_visible(timeout=OPEN_TIMEOUT_MS)
        self.wait_kernel_idle()
        expect(page.locator(".jp-StatusBar-TextItem", has_text=IDLE_TEXT)).to_be_visible(  # type: ignore[attr-defined]
            timeout=OPEN_TIMEOUT_MS
        )
        return panel

    def menu(self, menu: str, item: str) -> None:
        """Choose ``item`` from the menu bar's ``menu``."""
        page = self.page
        page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()  # type: ignore[attr-defined]
        page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()  # type: ignore[attr-defined]

    def run_all(self) -> None:
        """Run ▸ Run All Cells."""
        self.menu("Run", "Run All Cells")

    def restart_and_run_all(self) -> None:
        """Kernel ▸ Restart Kernel and Run All Cells…, confirming the dialog."""
        from playwright.sync_api import expect

        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        dialog = self.page.locator(".jp-Dialog")  # type: ignore[attr-defined]
        expect(dialog).to_contain_text("Restart Kernel?")
        dialog.locator("button.jp-mod-accept").click()  # "Restart" (its aria-label differs)
        expect(dialog).to_have_count(0)

    def wait_all_ran(self, timeout_ms: int) -> None:
        """Wait until the last code cell has an execution count and the kernel is idle."""
        from playwright.sync_api import expect

        page = self.page
        last = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").last  # type: ignore[attr-defined]
        expect(last).to_have_text(re.compile(r"\[\d+\]"), timeout=timeout_ms)
        expect(page.locator(".jp-StatusBar-TextItem", has_text=IDLE_TEXT)).to_be_visible(  # type: ignore[attr-defined]
            timeout=timeout_ms
        )

    def errors(self) -> list[str]:
        """Text of every error output in the notebook."""
        return self.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").all_inner_texts()  # type: ignore[attr-defined]


class _Step:
    def __init__(self, driver: NotebookDriver, name: str) -> None:
        self.driver, self.name = driver, name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, _tb: object) -> bool:
        if exc is None or isinstance(exc, StepFailed):
            return False
        path = self.driver.shoot(self.name)
        raise StepFailed(f"step '{self.name}' failed: {exc}\nscreenshot: {path}") from exc
