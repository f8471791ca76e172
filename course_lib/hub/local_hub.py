"""JupyterHub on 127.0.0.1 with configurable-http-proxy and one server per Unix user.

:class:`LocalHub` writes a ``jupyterhub_config.py`` into a private state folder, starts
``jupyterhub`` (which starts the proxy and, on request, each user's single-user server as
that user with the default ``LocalProcessSpawner``), and drives it through the REST API with
a service token. Logins use JupyterHub's ``DummyAuthenticator`` with one shared password:
for a machine's loopback interface only, never for a real class.

Students' servers get the course's student configuration (``jupyter-config/student``:
formgrader, Create Assignment and Validate off) and the course's variant salt, as the
README's "A whole class on JupyterHub" shows; the instructor's server starts without it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib import paths
from course_lib.hub.users import HUB_ENV

SERVICE = "course-admin"
SERVICE_SCOPES = ["admin:users", "admin:servers", "tokens", "list:users", "access:servers"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_proxy(repo: Path = paths.REPO_DIR) -> Path | None:
    """configurable-http-proxy: the project's copy (``make setup`` installs it with npm into
    ``.venv/node``), else one on PATH; None when there is neither."""
    local = repo / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return local
    found = shutil.which("configurable-http-proxy")
    return Path(found) if found else None


@dataclass
class HubSettings:
    """What the hub is started with."""

    state: Path  # private folder: config, hub database, cookie secret, log
    instructors: list[str]
    students: list[str]
    password: str
    salt_file: Path | None = None  # the instructor's variant_salt.json, read at each spawn
    proxy: Path | None = None
    port: int = field(default_factory=free_port)
    service_token: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


CONFIG = '''"""JupyterHub for the course on 127.0.0.1, written by course_lib.hub.local_hub."""
import json
import os

c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = os.path.join({state!r}, "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join({state!r}, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join({state!r}, "cookie_secret")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = set({users!r})
c.Authenticator.admin_users = set()  # the service token does the admin work

c.JupyterHub.services = [{{"name": {service!r}, "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{"name": {service!r}, "scopes": {scopes!r}, "services": [{service!r}]}}
]

# The default LocalProcessSpawner: each server runs as its user, in their home folder.
# Their programs come from the hub users' environment (scripts/ensure-hub-env).
c.Spawner.cmd = [{users_bin!r} + "/jupyterhub-singleuser"]
c.Spawner.environment = {{
    "PATH": {users_bin!r} + ":/usr/local/bin:/usr/bin:/bin",
    "VIRTUAL_ENV": os.path.dirname({users_bin!r}),
}}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.args = [
    "--LabApp.app_settings_dir={repo}/jupyter-config/lab-settings",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
INSTRUCTORS = set({instructors!r})
SALT_FILE = {salt_file!r}


def course_settings(spawner):
    """Students get the student configuration and the course's variant salt (README)."""
    if spawner.user.name in INSTRUCTORS:
        return
    spawner.environment["JUPYTER_CONFIG_PATH"] = "{repo}/jupyter-config/student"
    if SALT_FILE and os.path.exists(SALT_FILE):
        with open(SALT_FILE) as handle:
            spawner.environment["COURSE_VARIANT_SALT"] = json.load(handle)["salt"]


c.Spawner.pre_spawn_hook = course_settings
'''


class HubError(RuntimeError):
    """The hub did not start, or a REST call failed."""


class LocalHub:
    """A running JupyterHub; use as a context manager (stops hub, proxy and servers)."""

    def __init__(self, settings: HubSettings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = settings.state / "jupyterhub.log"

    # -- life cycle -------------------------------------------------------------------
    def write_config(self) -> Path:
        s = self.settings
        proxy = s.proxy or find_proxy()
        if proxy is None:
            raise HubError("configurable-http-proxy not found: run make setup (needs npm)")
        s.state.mkdir(parents=True, exist_ok=True)
        s.state.chmod(0o700)  # the config holds the service token and the password
        text = CONFIG.format(
            port=s.port,
            hub_port=free_port(),
            api_port=free_port(),
            proxy=str(proxy),
            state=str(s.state),
            password=s.password,
            users=sorted(s.instructors + s.students),
            instructors=sorted(s.instructors),
            service=SERVICE,
            token=s.service_token,
            scopes=SERVICE_SCOPES,
            users_bin=str(HUB_ENV / "bin"),
            repo=str(paths.REPO_DIR),
            salt_file=str(s.salt_file) if s.salt_file else "",
        )
        path = s.state / "jupyterhub_config.py"
        path.write_text(text)
        return path

    def start(self, timeout: float = 90) -> LocalHub:
        """Start the hub (it starts the proxy) and wait until its API answers."""
        config = self.write_config()
        scripts = str(Path(sys.executable).parent)
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["PATH"] = f"{scripts}:{os.environ.get('PATH', '/usr/bin:/bin')}"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.settings.state,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # Ctrl-C in a terminal reaches the launcher, which stops us
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"jupyterhub exited {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/")
                return self
            except (HubError, OSError):
                time.sleep(0.3)
        raise HubError(f"jupyterhub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 60) -> None:
        """Stop the hub; it stops the proxy and every single-user server on the way out."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    # -- REST API ------------------------------------------------------------------------
    def request(
        self, method: str, url: str, token: str, body: Any = None, timeout: float = 60
    ) -> tuple[int, bytes]:
        """One HTTP request through the proxy with ``Authorization: token ...``."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.settings.url + url, data=data, method=method)
        req.add_header("Authorization", f"token {token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the hub's REST API (``/hub/api`` + path) as the service; the JSON reply."""
        status, data = self.request(method, "/hub/api" + path, self.settings.service_token, body)
        if status >= 400:
            raise HubError(f"{method} /hub/api{path}: HTTP {status} {data[:500]!r}")
        return json.loads(data) if data else None

    def start_servers(self, names: Iterable[str], timeout: float = 180) -> float:
        """Start each user's server through the API and wait until all are ready; seconds."""
        began = time.monotonic()
        names = list(names)
        for name in names:
            self.api("POST", f"/users/{name}/server")
        pending = set(names)
        while pending:
            if time.monotonic() - began > timeout:
                raise HubError(f"servers not ready after {timeout:.0f} s: {sorted(pending)}")
            for name in sorted(pending):
                server = self.api("GET", f"/users/{name}").get("servers", {}).get("")
                if server and server.get("ready"):
                    pending.discard(name)
            time.sleep(0.5)
        return time.monotonic() - began

    def stop_server(self, name: str, timeout: float = 60) -> None:
        """Stop one user's server and wait until the hub says it is gone."""
        self.api("DELETE", f"/users/{name}/server")
        deadline = time.monotonic() + timeout
        while self.api("GET", f"/users/{name}").get("servers"):
            if time.monotonic() > deadline:
                raise HubError(f"{name}'s server did not stop within {timeout:.0f} s")
            time.sleep(0.5)

    def user_token(self, name: str, note: str = "course_lib.hub") -> str:
        """A new API token owned by ``name`` (it can reach only what ``name`` can)."""
        return str(self.api("POST", f"/users/{name}/tokens", {"note": note})["token"])
