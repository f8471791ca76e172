"""Warm grading slots: one sandboxed, pre-imported kernel parent per parallel slot, which forks a
fresh kernel for each submission (the parent: :mod:`course_lib.warm_kernel`).

A cold start pays for a new interpreter and for importing the kernel machinery, numpy and the
course package, for every notebook. A slot pays that once: its parent runs under the same
``prlimit`` caps and bubblewrap sandbox as a cold kernel (no network, the filtered package,
the slot's size-limited work folder as the only writable place besides its own sockets), and
the kernel it forks for a submission is what a cold start would have produced.

Between two submissions of a slot (:meth:`WarmSlot.submission`), the grader, from outside:
kills every process of the slot's user id (the parent runs as the sandbox's root, so it
survives), empties the work folder (its ``.tmp``, the sandbox's /tmp, included) and the
socket folder, and checks that ``.tmp`` is still the folder bound as /tmp (a submission that
removed it gets the slot restarted). Environment, signal handlers, imported modules and
their state live in the forked kernel's memory and die with it; SysV IPC objects die with the
kernel's private IPC namespace. Only bubblewrap mode as root has warm slots: elsewhere (and
with ``grade --no-warm``, or when a slot cannot start) each notebook gets a cold kernel.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from course_lib import paths, warm_stub
from course_lib.grading import proc_cpu, withheld
from course_lib.grading.sandbox import (
    WORK_ROOT,
    Isolation,
    Limits,
    _bwrap_base,
    limit_disk,
    python_executable,
    release_disk,
    runtime_paths,
)

START_TIMEOUT = 60.0


class SlotUnavailable(RuntimeError):
    """The slot's warm parent could not start; the slot grades with cold kernels."""


def supported(isolation: Isolation) -> str | None:
    """Why warm slots cannot be used here (``None``: they can)."""
    if isolation.mode != "bubblewrap":
        return f"warm slots need bubblewrap isolation (this run uses {isolation.mode})"
    if os.geteuid() != 0:
        return "warm slots need root (the parent drops each kernel to the slot's user id)"
    return None


def kill_user(uid: int) -> int:
    """SIGKILL every process whose real user id is ``uid`` until none is left; return how
    many were killed. Host-side and authoritative (whatever the slot's parent did)."""
    killed = 0
    for _round in range(100):
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    status = Path(f"/proc/{entry}/status").read_text()
                except OSError:
                    continue
                line = next((ln for ln in status.splitlines() if ln.startswith("Uid:")), "")
                if line and int(line.split()[1]) == uid:
                    found.append(int(entry))
        if not found:
            return killed
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        time.sleep(0.01)
    raise RuntimeError(f"processes of user {uid} kept appearing")


def empty_folder(folder: Path, keep: tuple[str, ...] = ()) -> None:
    """Remove everything in ``folder`` but the entries named in ``keep`` (never followed)."""
    for entry in os.scandir(folder):
        if entry.name in keep:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def tmp_skeleton() -> tuple[str, ...]:
    """The top-level names that bubblewrap creates in the slot's /tmp folder to bind paths
    that live under /tmp (a checkout or venv in /tmp): mount points while the parent runs.

    Removing one from outside the sandbox detaches its bind mounts inside (Linux unmounts a
    mount point deleted from another mount namespace), so every later kernel of the slot
    would lose Python's packages: the slot's clean-up keeps them, and a parent whose
    skeleton was changed (by a submission: the slot's user owns /tmp) is restarted."""
    bound = [*runtime_paths(), paths.PACKAGE_DIR]
    tmp = Path("/tmp")
    return tuple(sorted({p.relative_to(tmp).parts[0] for p in bound if p.is_relative_to(tmp)}))


class WarmSlot:
    """One parallel slot: its folders, its user id and its warm parent."""

    def __init__(self, isolation: Isolation, limits: Limits, uid: int) -> None:
        self.isolation, self.limits, self.uid = isolation, limits, uid
        self.root = Path(
            tempfile.mkdtemp(
                prefix=f"course-slot-{uid}-", dir=WORK_ROOT if WORK_ROOT.is_dir() else None
            )
        )
        self.root.chmod(0o711)
        self.work, self.sockdir, self.ctl = (
            self.root / "work",
            self.root / "sock",
            self.root / "ctl",
        )
        for folder in (self.work, self.sockdir, self.ctl):
            folder.mkdir()
        self.mounted = limit_disk(self.work, limits.max_disk_bytes, isolation)
        self.tmp = self.work / ".tmp"
        self.tmp.mkdir()
        for folder in (self.work, self.tmp, self.sockdir):
            os.chown(folder, uid, uid)
            folder.chmod(0o700)
        self.ctl.chmod(0o700)  # root only: a kernel cannot reach its parent's control socket
        self._tmp_id = self._identity()
        self._skeleton = tmp_skeleton()
        self._skeleton_ids: dict[str, tuple[int, int]] = {}
        self.process: subprocess.Popen[str] | None = None
        self.not_preloaded: list[str] = []
        self.disabled = False

    def _skeleton_identity(self) -> dict[str, tuple[int, int]]:
        """(device, inode) of each skeleton entry present in the slot's /tmp folder."""
        found = {}
        for name in self._skeleton:
            with contextlib.suppress(OSError):
                st = os.stat(self.tmp / name, follow_symlinks=False)
                found[name] = (st.st_dev, st.st_ino)
        return found

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.tmp, follow_symlinks=False)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    @property
    def control(self) -> Path:
        return self.ctl / "parent.sock"

    def parent_command(self) -> list[str]:
        """The warm parent's argv: the cold kernel's prlimit and sandbox, as the sandbox's root."""
        box = _bwrap_base(
            runtime_paths(), [self.work, self.sockdir, self.ctl], private_tmp=self.tmp
        )
        box += ["--ro-bind", str(withheld.graded_package()), str(paths.PACKAGE_DIR)]
        box += ["--chdir", "/", "--setenv", "HOME", str(self.work), "--unsetenv", "JPY_PARENT_PID"]
        python = [python_executable(), "-m", "course_lib.warm_kernel", str(self.control)]
        return [
            "prlimit",
            *self.limits.prlimit_args(),
            "--",
            *box,
            "--",
            *python,
            str(self.uid),
        ]

    def kernel_command(self) -> list[str]:
        """What the kernel manager launches: the stub that asks the parent for a kernel."""
        stub = [python_executable(), "-I", "-S", warm_stub.__file__, str(self.control)]
        return [*stub, "{connection_file}"]

    def base_env(self) -> dict[str, str]:
        """The parent's environment: a cold kernel's, without the per-student values (each
        kernel gets its own whole environment from its launcher)."""
        from course_lib.grading.execute import KERNEL_ENV, _with_hook, kernel_environment

        return _with_hook(self.isolation, {**kernel_environment(self.work), **KERNEL_ENV})

    def start(self) -> None:
        """Start the warm parent and wait until it listens; raises :class:`SlotUnavailable`
        if it does not."""
        with contextlib.suppress(FileNotFoundError):
            self.control.unlink()
        with open(self.root / "parent.log", "ab") as log:
            self.process = subprocess.Popen(
                self.parent_command(),
                env=self.base_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        try:
            report = json.loads(line)
        except ValueError:
            report = {}
        if not report.get("ready"):
            self.stop()
            tail = (self.root / "parent.log").read_bytes()[-300:].decode("utf-8", "replace")
            raise SlotUnavailable(f"the warm kernel parent did not start: {tail.strip()}")
        self.not_preloaded = report.get("not_preloaded", [])

    @staticmethod
    def stop_launcher(km: object) -> None:
        """Kill a kernel manager's launcher (its kernel goes with it) and reap it, so that
        the manager's shutdown finds it gone instead of polling for it."""
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def clean(self) -> None:
        """No process of the slot's user left, the work and socket folders emptied."""
        kill_user(self.uid)
        empty_folder(self.work, keep=(".tmp",))
        if self._identity() == self._tmp_id:
            empty_folder(self.tmp, keep=self._skeleton if self.alive() else ())
        empty_folder(self.sockdir)

    def usable(self) -> bool:
        """True if the parent is running and /tmp is still the folder it was started with."""
        return (
            self.alive()
            and self._identity() == self._tmp_id
            and self._skeleton_identity() == self._skeleton_ids
        )

    def ensure(self) -> bool:
        """Restart the parent if it died or /tmp was replaced; False (and cold kernels from
        then on) if it cannot be restarted."""
        if self.disabled:
            return False
        if not self.usable():
            self.clean()
            try:
                self.restart()
            except (SlotUnavailable, OSError):
                self.disabled = True
                self.stop()
                return False
        return True

    @contextlib.contextmanager
    def submission(self) -> Iterator[Path]:
        """The slot's work folder, clean, for one submission; cleaned again afterwards
        (call :meth:`ensure` first)."""
        self.clean()
        try:
            yield self.work
        finally:
            self.clean()

    def restart(self) -> None:
        """A new parent (and a new /tmp folder if the old one was removed or replaced)."""
        self.stop()
        if self._identity() != self._tmp_id:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir()
            os.chown(self.tmp, self.uid, self.uid)
            self.tmp.chmod(0o700)
            self._tmp_id = self._identity()
        empty_folder(self.tmp)  # no parent: no mount points in it; bubblewrap makes new ones
        self.start()
        self._skeleton_ids = self._skeleton_identity()

    def stop(self) -> None:
        """Stop the parent (and every kernel of the slot's user)."""
        if self.process is not None:
            from course_lib.grading import execute  # the benchmark's hook, if set

            if execute.timing_hook is not None and self.alive():
                # the parent and its sandbox alone: each kernel was counted before it stopped
                cpu = proc_cpu.cpu_seconds({self.process.pid}, own=True)
                execute.timing_hook(None, "slot-cpu", cpu)
            self.process.kill()
            self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None
        kill_user(self.uid)

    def close(self) -> None:
        """Stop the parent and remove the slot's folders."""
        self.stop()
        if self.mounted:
            release_disk(self.work)
        shutil.rmtree(self.root, ignore_errors=True)


def open_slots(
    isolation: Isolation, limits: Limits, uids: list[int], wanted: bool
) -> tuple[dict[int, WarmSlot], str]:
    """A started warm slot per user id where possible, and a line saying which path runs."""
    why = "turned off (--no-warm)" if not wanted else supported(isolation)
    if why is not None:
        return {}, f"a new sandboxed interpreter per notebook (cold start; warm slots {why})"
    slots, failed = {}, []
    for uid in uids:
        slot = WarmSlot(isolation, limits, uid)
        try:
            slot.start()
        except (SlotUnavailable, OSError) as exc:
            slot.close()
            failed.append(f"{uid}: {exc}")
            continue
        slots[uid] = slot
    how = (
        f"warm: {len(slots)} sandboxed parent(s), one forked kernel per notebook, "
        "each slot wiped between notebooks"
    )
    if failed:
        how += f"; cold starts in {len(failed)} slot(s) whose parent failed ({'; '.join(failed)})"
    return slots, how
