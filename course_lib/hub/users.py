"""Real Unix users for a local hub: create them, remove them, run commands as them.

Creating and removing users needs root (``useradd``/``userdel`` from Debian's ``passwd``).
Debian's ``useradd -m`` makes home folders readable by everyone (``UMASK 022``), so every
home folder made here is set to 0700: a student must not read the instructor's course
folder or another student's work.
"""

from __future__ import annotations

import pwd
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from course_lib import paths

# The hub users' environment (scripts/ensure-hub-env): made with a Python every user can run.
HUB_ENV = paths.REPO_DIR / ".venv" / "hub-env"


@dataclass(frozen=True)
class UnixUser:
    """A user account: name, ids and home folder."""

    name: str
    uid: int
    gid: int
    home: Path


def lookup(name: str) -> UnixUser | None:
    """The account called ``name``, or None when there is none."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return UnixUser(entry.pw_name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def users_python() -> Path:
    """The Python of the hub users' environment; missing until ``scripts/ensure-hub-env`` ran."""
    return HUB_ENV / "bin" / "python"


def create_user(name: str) -> UnixUser:
    """Create ``name`` with a private home folder (``useradd -m``); an existing account is
    reused as it is, with its home folder made private."""
    if lookup(name) is None:
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name],
            check=True,
            capture_output=True,
            text=True,
        )
    user = lookup(name)
    if user is None:
        raise RuntimeError(f"useradd did not create {name}")
    user.home.chmod(0o700)
    return user


def remove_user(name: str) -> None:
    """Remove ``name``, its home folder and every process it still runs."""
    user = lookup(name)
    if user is None:
        return
    subprocess.run(["pkill", "-KILL", "-u", str(user.uid)], check=False, capture_output=True)
    subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
    if user.home.exists() and user.home.is_relative_to("/home"):
        shutil.rmtree(user.home, ignore_errors=True)


def user_env(user: UnixUser, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment for ``user``: their HOME and names, the hub users' environment
    first on PATH (``nbgrader``, ``jupyter``), and ``extra``."""
    scripts = str(HUB_ENV / "bin")
    env = {
        "HOME": str(user.home),
        "USER": user.name,
        "LOGNAME": user.name,
        "PATH": f"{scripts}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }
    env.update(extra or {})
    return env


def run_as(
    user: UnixUser,
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as ``user`` (``runuser``) with :func:`user_env` and ``env`` added, in
    ``cwd`` (default: their home folder). ``check`` raises with the output on failure."""
    command = ["runuser", "-u", user.name, "--", "env", "-i"]
    command += [f"{k}={v}" for k, v in user_env(user, env).items()]
    done = subprocess.run(
        [*command, *argv],
        cwd=cwd or user.home,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} as {user.name} exited {done.returncode}:\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


def give_to(user: UnixUser, path: Path) -> None:
    """Make ``user`` the owner of ``path`` and everything under it."""
    subprocess.run(["chown", "-R", f"{user.uid}:{user.gid}", str(path)], check=True)
