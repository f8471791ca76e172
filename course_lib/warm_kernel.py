"""A warm kernel parent: runs *inside* a grading slot's sandbox and forks one fresh kernel per
submission (see :mod:`course_lib.grading.warm_slots` for the grader's side and the design).

Started as ``python -m course_lib.warm_kernel CONTROL_SOCKET UID`` by the grader, under the
same ``prlimit`` and bubblewrap sandbox as a cold kernel, as the sandbox's root (so the
students' kernels, which run as ``UID``, can neither signal nor trace it). It imports the
kernel machinery, numpy and the course package once, then, for each connection on its
control socket (a folder only root can enter):

1. forks; the child reads the request (connection file, environment, working folder and the
   stdout/stderr descriptors of the grader's launcher), closes every other descriptor, gets
   a private IPC namespace, drops to ``UID`` (no groups, no capabilities, no new privileges),
   replaces its environment and starts an ipykernel, exactly as ``ipykernel_launcher`` would;
2. waits for that kernel to exit, or for the launcher to hang up (then kills it);
3. kills every process of ``UID`` (from a child that becomes ``UID`` and signals -1), and
   only then accepts the next connection.

The parent never reads a submission, never runs student code and never imports anything
after start-up; this module is not in the graded package's withheld list, and holds nothing
a student could not read in the course package.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import select
import signal
import socket
import sys
import threading
import time

PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.debugger",
    "IPython.core.completer",
    "IPython.display",
    "jupyter_client.session",
    "numpy",
    "course_lib",
    "course_lib.grading.capture",
    "course_lib.variants",
    "course_lib.content",
    "course_lib.content.responses",
    "course_lib.exercises.assignment_checks",
    "course_lib.widgets",
    "course_lib.widgets.feedback",
    "course_lib.widgets.response_html",
)
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 4, 24, 38
CLONE_NEWIPC = 0x08000000
MAX_REQUEST = 1 << 20
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def preload() -> list[str]:
    """Import what every graded kernel imports; return the modules that failed to import."""
    import importlib

    failed = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a kernel that needs it imports it itself
            failed.append(name)
    return failed


def drop_privileges(uid: int) -> None:
    """Become ``uid`` for good: no groups, an empty capability bounding set, no new privileges."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    last = int(open("/proc/sys/kernel/cap_last_cap").read())  # noqa: SIM115, PTH123
    for cap in range(last + 1):
        _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "drop capability")
    os.setresuid(uid, uid, uid)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds = b"", []
    while not data.endswith(b"\n"):
        chunk, new_fds, _flags, _addr = socket.recv_fds(conn, 65536, 4)
        fds += new_fds
        if not chunk or len(data) > MAX_REQUEST:
            raise ConnectionError("incomplete request")
        data += chunk
    return json.loads(data), fds


def become_kernel(conn: socket.socket, uid: int) -> None:
    """In the forked child: turn into the submission's kernel. Never returns."""
    code = 1
    try:
        request, fds = _read_request(conn)
        conn.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        _check(_libc.unshare(CLONE_NEWIPC), "unshare ipc")
        os.setsid()
        drop_privileges(uid)
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        env = {k: v for k, v in request["env"].items() if k != "JPY_PARENT_PID"}
        os.environ.clear()
        os.environ.update(env)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # not the parent's (shared) global state
        import ipykernel_launcher  # noqa: F401 - the launcher's path, as a fresh kernel's argv[0]

        sys.argv = [sys.modules["ipykernel_launcher"].__file__, "-f", request["connection_file"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - report, then leave without unwinding the parent's stack
        with contextlib.suppress(OSError):
            os.write(2, f"warm kernel: could not start: {type(exc).__name__}: {exc}\n".encode())
    finally:
        os._exit(code)


def _user_pids(uid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as status:  # noqa: PTH123
                    line = next((ln for ln in status if ln.startswith("Uid:")), "")
            except OSError:
                continue
            if line and int(line.split()[1]) == uid:
                pids.append(int(entry))
    return pids


def kill_user(uid: int) -> None:
    """Kill every process of ``uid`` in this PID namespace (the kernel's and anything it left):
    first from a child that becomes ``uid`` and signals -1 (one atomic sweep, which a fork
    loop cannot outrun), then by name from /proc until none is left."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal, not this one
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    for _round in range(1000):
        pids = _user_pids(uid)
        if not pids:
            return
        for victim in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        time.sleep(0.002)
    raise RuntimeError(f"processes of user {uid} kept appearing")


def _wait(conn: socket.socket, child: int) -> int:
    """Wait for the kernel ``child`` to exit, killing it if the launcher hangs up first. The
    request on ``conn`` is the child's to read: here only a hang-up is watched for."""
    pidfd = os.pidfd_open(child)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    poller.register(conn.fileno(), select.POLLRDHUP)
    try:
        while True:
            events = dict(poller.poll())
            if pidfd in events:
                break
            if events.get(conn.fileno(), 0) & (select.POLLRDHUP | select.POLLHUP | select.POLLERR):
                os.kill(child, signal.SIGKILL)
                break
    finally:
        os.close(pidfd)
    while True:
        try:
            return os.waitpid(child, 0)[1]
        except ChildProcessError:
            return -1
        except InterruptedError:
            continue


def serve(path: str, uid: int) -> None:
    """Accept one launcher at a time until the grader stops this process."""
    failed = preload()
    if threading.active_count() != 1:
        raise RuntimeError("a preloaded module started a thread: forking would be unsafe")
    _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    os.write(1, json.dumps({"ready": True, "not_preloaded": failed}).encode() + b"\n")
    while True:
        conn, _ = server.accept()
        child = os.fork()
        if child == 0:
            server.close()
            become_kernel(conn, uid)
        status = _wait(conn, child)
        kill_user(uid)
        try:
            conn.sendall(json.dumps({"status": status}).encode() + b"\n")
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.ECONNRESET):
                raise
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
