"""A throwaway PostgreSQL server for tests, from Debian's ``postgresql`` package.

API (the pytest fixtures are in ``conftest.py``)::

    with postgres_server(tmp_path) as url:   # a SQLAlchemy URL, e.g. for --gradebook
        ...                                   # postgresql+psycopg://course:PW@127.0.0.1:PORT/gradebook

    def test_x(postgres_url): ...             # a fresh, empty database per test on one
                                              # server shared by the whole session

``postgres_server`` runs ``initdb`` in a new private folder, starts ``postgres`` on
127.0.0.1 (a free port) and on a Unix socket in that folder, creates the database
``gradebook`` owned by the superuser ``course`` (password auth over TCP, a random password
in the URL), yields the URL, and on exit stops the server and removes the folder; the
server's log is copied to ``WORKDIR/postgres.log`` first. PostgreSQL refuses to run as
root: as root the server runs as Debian's ``postgres`` system user (or ``course-postgres``,
created when that is missing), and its folder is made under the system's temporary folder,
since pytest's ``tmp_path`` is private to root (and a Unix socket path must stay short).

``initdb``/``pg_ctl`` are looked for under ``/usr/lib/postgresql/*/bin/`` (newest first),
then on PATH. Missing, the tests skip with the reason, but fail when
``COURSE_REQUIRE_POSTGRES=1`` or when running as root, where ``make test`` has installed
the package (``scripts/ensure-system-deps``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "course"
DATABASE = "gradebook"
SERVER_USERS = ("postgres", "course-postgres")  # as root: Debian's, else one made for tests
START_TIMEOUT = 60


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)

    candidates = sorted(PG_ROOT.glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def require_binaries() -> Path:
    """The binaries' folder; skip the test without them, or fail where they are required."""
    found = find_binaries()
    if found:
        return found
    reason = (
        f"PostgreSQL's initdb/pg_ctl are not under {PG_ROOT}/*/bin/ nor on PATH "
        "(apt-get install postgresql; make test installs it when root)"
    )
    if os.environ.get("COURSE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"COURSE_REQUIRE_POSTGRES=1 but {reason}")
    if os.geteuid() == 0:
        pytest.fail(f"running as root, where make test installs PostgreSQL, but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged user the server runs as (None: the current user, when not root)."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USERS[1]],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(SERVER_USERS[1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Runner:
    """Runs the server's commands as its user, in its folder."""

    def __init__(self, bindir: Path, folder: Path, user: pwd.struct_passwd | None) -> None:
        self.bindir, self.folder, self.user = bindir, folder, user

    def __call__(self, tool: str, *args: str, timeout: float = START_TIMEOUT) -> None:
        command = [str(self.bindir / tool), *args]
        if self.user is not None:
            command = [
                "setpriv",
                f"--reuid={self.user.pw_uid}",
                f"--regid={self.user.pw_gid}",
                "--clear-groups",
                *command,
            ]
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(self.folder)}
        done = subprocess.run(
            command,
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            log = self.folder / "postgres.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout[-2000:]}{done.stderr[-2000:]}\n{tail}"
            )


@contextlib.contextmanager
def postgres_server(workdir: Path) -> Iterator[str]:
    """Start a throwaway PostgreSQL server; yield a SQLAlchemy URL of its ``gradebook`` database.

    ``workdir`` receives the server's log (``postgres.log``) when it stops. Skips (or fails,
    see the module's docstring) when PostgreSQL is not installed.
    """
    bindir = require_binaries()
    user = _server_user()
    workdir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=None if user else workdir))
    if len(str(folder)) > 80:  # a Unix socket path has at most 107 bytes
        shutil.rmtree(folder)
        folder = Path(tempfile.mkdtemp(prefix="pg-"))
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    folder.chmod(0o700)
    run = _Runner(bindir, folder, user)
    password = secrets.token_urlsafe(18)
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    if user is not None:
        os.chown(pwfile, user.pw_uid, user.pw_gid)
    data, log = folder / "data", folder / "postgres.log"
    started = False
    try:
        run(
            "initdb",
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",  # the socket is in a private folder
            "--auth-host=scram-sha-256",
            "--no-locale",
            "--encoding=UTF8",
            "--no-sync",
        )
        pwfile.unlink()
        for attempt in range(3):  # a free port can be taken between the check and the start
            port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
                started = True
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        run("createdb", "-h", str(folder), "-p", str(port), "-U", SUPERUSER, DATABASE)
        yield f"postgresql+psycopg://{SUPERUSER}:{password}@127.0.0.1:{port}/{DATABASE}"
    finally:
        try:
            if started:
                run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        finally:
            if log.exists():
                shutil.copyfile(log, workdir / "postgres.log")
            shutil.rmtree(folder, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """Create an empty database ``name`` on the server of ``server_url``; return its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    engine = create_engine(server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)
