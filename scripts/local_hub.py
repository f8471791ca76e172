#!/usr/bin/env python3
"""make hub: the course on a local JupyterHub, for a person to try (needs root).

Creates an instructor and three students as Unix users, nbgrader's exchange and the
instructor's course folder, releases every assignment as the instructor (unless
--no-release), starts JupyterHub with configurable-http-proxy on 127.0.0.1, and prints the
logins. Ctrl-C stops the hub, the proxy and every single-user server, then removes the users
and their home folders (--keep-users keeps them and their work for the next run).
The same code (course_lib.hub) runs the whole-term test, tests/test_hub_term.py.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from course_lib.hub.classroom import release_all, set_up, tear_down
from course_lib.hub.local_hub import HubSettings, LocalHub, find_proxy
from course_lib.hub.users import users_python

INSTRUCTOR = "rx-teacher"
STUDENTS = ["rx-ana", "rx-bo", "rx-cy"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (8000)")
    parser.add_argument("--no-release", action="store_true", help="release nothing at start")
    parser.add_argument("--keep-users", action="store_true", help="keep the users on Ctrl-C")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("make hub creates Unix users for the instructor and the students: run it as root.")
        return 2
    if find_proxy() is None or not users_python().exists():
        print(
            "configurable-http-proxy or .venv/hub-env is missing: run make hub (it installs both)."
        )
        return 2
    base = Path(tempfile.mkdtemp(prefix="course-hub-"))
    print(f"Creating users {INSTRUCTOR} (instructor) and {', '.join(STUDENTS)} (students)...")
    room = set_up(INSTRUCTOR, STUDENTS, base)
    password = secrets.token_urlsafe(9)
    hub = LocalHub(
        HubSettings(
            state=base / "hub",
            instructors=[INSTRUCTOR],
            students=STUDENTS,
            password=password,
            salt_file=room.salt_file,
            port=args.port,
        )
    )
    try:
        if not args.no_release:
            print("Releasing every assignment as the instructor (about a minute)...")
            release_all(room)
        hub.start()
        print(
            f"""
JupyterHub for the course: {hub.settings.url}/  (127.0.0.1 only)
  password for every login: {password}
  instructor: {INSTRUCTOR}  (Nbgrader > Formgrader; course folder ~/course, exchange {room.exchange})
  students:   {", ".join(STUDENTS)}  (Assignments tab: fetch, then submit)
The instructor collects in a terminal of their server: cd ~/course && nbgrader collect a1_inventory
and grading runs as root here (it needs root for the sandbox), for example:
  COURSE_DIR={room.course} .venv/bin/python -m course_lib grade {room.course}/submitted \\
    --out {room.grades} --variant-salt {room.salt_file} && chown -R {INSTRUCTOR}: {room.grades}
(formgrader then opens {room.grades} after the instructor restarts their server).
Hub log: {hub.log_path}
Ctrl-C stops the hub, the proxy and every server, and {"keeps" if args.keep_users else "removes"} the users.""",
            flush=True,
        )
        # Ctrl-C (even when started with SIGINT ignored, as a background job is) or a kill.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        assert hub.process is not None
        code = hub.process.wait()
        print(f"jupyterhub exited by itself ({code}); see {hub.log_path}")
    except KeyboardInterrupt:
        print("\nStopping the hub, the proxy and the single-user servers...")
    finally:
        hub.stop()
        left = [u for u in [INSTRUCTOR, *STUDENTS] if _running(u)]
        if left:
            print(f"Processes the hub left running (ended now): {', '.join(left)}")
        if args.keep_users:
            for name in left:
                subprocess.run(["pkill", "-KILL", "-u", name], check=False)
            shutil.rmtree(base, ignore_errors=True)
            print(
                f"Stopped. Users kept: {INSTRUCTOR}, {', '.join(STUDENTS)} (userdel -r NAME removes one)."
            )
        else:
            tear_down(room, base)
            print("Stopped. Users and their home folders removed.")
    return 0


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _running(name: str) -> bool:
    return subprocess.run(["pgrep", "-u", name], capture_output=True).returncode == 0


if __name__ == "__main__":
    sys.exit(main())
