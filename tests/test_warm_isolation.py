"""Consecutive submissions in one warm slot cannot affect each other, nor the slot's parent.

One slot (``--jobs 1``) grades, in this order: an attacker who leaves files in its folder and
/tmp, background processes (one listening on a port), environment variables, a patched
course_lib and capture module, a signal handler, a listening socket and a SysV shared memory
segment, and who tries to kill, read and reach the warm parent; then an honest student who
looks for every one of those and must get the grade they get alone; then a student who
removes the folder bound as /tmp; then an honest student whose /tmp must work again.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import shutil
import socket
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    answered,
    copy_course,
    grade,
    options,
    prepare_release,
    write_submission,
)

from course_lib.grading.sandbox import detect_isolation
from course_lib.grading.warm_slots import tmp_skeleton

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("bwrap") is None,
        reason="warm slots need root and bubblewrap",
    ),
]

GOOD = ("x = 42", "def double(v):\n    return 2 * v")

ATTACK = r"""
import ctypes, glob, json, os, signal, socket, subprocess, sys
import course_lib, course_lib.variants
import course_lib.grading.capture as capture
open("@MARK@-scratch.txt", "w").write("left")
open(os.path.expanduser("~/@MARK@-home.txt"), "w").write("left")
open("/tmp/@MARK@-tmp.txt", "w").write("left")
os.makedirs("/tmp/@MARK@-dir/deep", exist_ok=True)
os.environ["@MARK@_ENV"] = "1"
os.putenv("@MARK@_PUT", "1")
subprocess.Popen([sys.executable, "-c", "import time  # @MARK@\ntime.sleep(300)"],
                 start_new_session=True)
subprocess.Popen([sys.executable, "-c", "import socket, time  # @MARK@\n"
                  "s = socket.socket(); s.bind(('127.0.0.1', @PORT2@)); s.listen(); time.sleep(300)"],
                 start_new_session=True)
if os.fork() == 0:  # a double fork, re-parented away from the kernel
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time  # @MARK@\ntime.sleep(300)"])
    os._exit(0)
setattr(course_lib, "@MARK@", True)
course_lib.variants.variant_for = lambda *a, **k: "@MARK@"
capture.to_jsonable = lambda value, depth=0: "@MARK@"
capture.MIME = "text/@MARK@"
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
listener = socket.socket()
listener.bind(("127.0.0.1", @PORT@))
listener.listen()
libc = ctypes.CDLL(None, use_errno=True)
segment = libc.shmget(@SHMKEY@, 4096, 0o1000 | 0o666)
tries = {"shm_created": segment != -1}
try:
    os.kill(os.getppid(), signal.SIGKILL)
    tries["kill_parent"] = "sent"
except OSError as exc:
    tries["kill_parent"] = type(exc).__name__
try:
    open(f"/proc/{os.getppid()}/mem", "rb")
    tries["parent_mem"] = "opened"
except OSError as exc:
    tries["parent_mem"] = type(exc).__name__
tries["control_listing"] = glob.glob("/var/tmp/course-slot-*/ctl/*")
for path in glob.glob("/var/tmp/course-slot-*/ctl"):
    try:
        c = socket.socket(socket.AF_UNIX)
        c.connect(path + "/parent.sock")
        tries["control_connect"] = "connected"
    except OSError as exc:
        tries["control_connect"] = type(exc).__name__
import time; time.sleep(0.5)  # the background processes are up
print("ATTACK " + json.dumps(tries))
"""

CHECK = r"""
import ctypes, json, os, signal, socket
import course_lib, course_lib.variants
import course_lib.grading.capture as capture
found = {}
folders = ["/tmp", os.getcwd(), os.path.expanduser("~")]
found["files"] = sorted(os.path.join(d, n) for d in folders for n in os.listdir(d) if "@MARK@" in n)
found["env"] = sorted(k for k, v in os.environ.items() if "@MARK@" in k + v)
procs = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        if b"@MARK@" in open(f"/proc/{pid}/cmdline", "rb").read():
            procs.append(pid)
    except OSError:
        pass
found["processes"] = procs
found["patched"] = [
    hasattr(course_lib, "@MARK@"),
    course_lib.variants.variant_for.__name__ != "variant_for",
    capture.to_jsonable.__name__ != "to_jsonable",
    "@MARK@" in capture.MIME,
]
found["signals"] = [signal.getsignal(signal.SIGUSR1) is not signal.SIG_DFL,
                    signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL]
open_ports = []
for port in (@PORT@, @PORT2@):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        open_ports.append(port)
    except OSError:
        pass
    s.close()
found["ports"] = open_ports
found["shm"] = ctypes.CDLL(None).shmget(@SHMKEY@, 0, 0) != -1
open("/tmp/check-write.txt", "w").write("ok")
print("ISOLATION " + json.dumps(found))
"""

REMOVE_TMP = r"""
import os, shutil
shutil.rmtree(os.path.expanduser("~/.tmp"), ignore_errors=True)
print("REMOVED", os.path.exists(os.path.expanduser("~/.tmp")))
"""


def _with_cell(nb: Any, source: str) -> Any:
    nb = copy.deepcopy(nb)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def _printed(run: Any, student: str, prefix: str) -> dict[str, Any]:
    text = run.outputs(student)
    match = re.search(rf"{prefix} (\{{[^{{}}]*\}})", text)  # one flat JSON object
    assert match, f"{student} printed no {prefix} line: {text[-2000:]}"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def slot_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if detect_isolation().mode != "bubblewrap":
        pytest.skip("bubblewrap does not run here")
    tmp = tmp_path_factory.mktemp("warm")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    honest = answered(released, *GOOD)
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(str(probe.getsockname()[1]))
    tokens = {
        "@MARK@": f"warmmark{secrets.token_hex(4)}",
        "@PORT@": ports[0],
        "@PORT2@": ports[1],
        "@SHMKEY@": str(0x5EED0000 + secrets.randbelow(0xFFFF)),
    }

    def fill(text: str) -> str:
        for key, value in tokens.items():
            text = text.replace(key, value)
        return text

    subs = tmp / "submitted"
    write_submission(subs, "a_attacker", _with_cell(honest, fill(ATTACK)))
    write_submission(subs, "b_checker", _with_cell(honest, fill(CHECK)))
    write_submission(subs, "c_remover", _with_cell(honest, REMOVE_TMP))
    write_submission(subs, "d_after", _with_cell(honest, fill(CHECK)))
    run = grade(subs, tmp / "out", course, options(jobs=1))
    alone = tmp / "alone"
    write_submission(alone, "b_checker", _with_cell(honest, fill(CHECK)))
    cold = grade(alone, tmp / "out-alone", course, options(jobs=1, warm=False))
    return {"run": run, "cold": cold, "mark": tokens["@MARK@"]}


def test_the_run_used_a_warm_slot(slot_run: dict[str, Any]) -> None:
    assert slot_run["run"].recon["kernels"].startswith("warm: 1 sandboxed parent")
    assert slot_run["cold"].recon["kernels"].startswith("a new sandboxed interpreter")


def test_the_attacker_cannot_reach_the_warm_parent(slot_run: dict[str, Any]) -> None:
    tries = _printed(slot_run["run"], "a_attacker", "ATTACK")
    assert tries["shm_created"], "the attack itself ran"
    assert tries["kill_parent"] == "PermissionError"
    assert tries["parent_mem"] == "PermissionError"
    assert tries["control_listing"] == []
    assert tries.get("control_connect", "PermissionError") == "PermissionError"


def test_nothing_the_attacker_left_is_visible_to_the_next_submission(
    slot_run: dict[str, Any],
) -> None:
    found = _printed(slot_run["run"], "b_checker", "ISOLATION")
    assert found == {
        "files": [],
        "env": [],
        "processes": [],
        "patched": [False, False, False, False],
        "signals": [False, False],
        "ports": [],
        "shm": False,
    }


def test_the_next_submission_gets_the_grade_it_gets_alone(slot_run: dict[str, Any]) -> None:
    run, cold = slot_run["run"], slot_run["cold"]
    assert run.row("b_checker")["status"] == "graded"
    assert run.score("b_checker") == cold.score("b_checker") == 3.0
    assert run.row("d_after")["status"] == "graded" and run.score("d_after") == 3.0
    assert _printed(cold, "b_checker", "ISOLATION")["files"] == []


def test_a_removed_tmp_folder_gets_the_slot_restarted(slot_run: dict[str, Any]) -> None:
    run = slot_run["run"]
    # The submission removes its /tmp folder; with a checkout or venv under /tmp the bind
    # mount points inside it cannot go (EBUSY), so part of it stays: the restart must follow
    # either way (the skeleton's mount points are checked too: warm_slots.tmp_skeleton).
    removed = "REMOVED False" in run.outputs("c_remover")
    assert removed or (tmp_skeleton() and "REMOVED True" in run.outputs("c_remover"))
    found = _printed(run, "d_after", "ISOLATION")  # printed after writing to /tmp
    assert found["files"] == [] and found["processes"] == []
