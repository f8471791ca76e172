"""Isolation for student kernels: what this machine offers, and the kernel command that uses it.

Modes, strongest first (detected at start-up; ``--isolation`` can force one):

``bubblewrap``
    The kernel runs under ``bwrap`` in fresh PID, network, IPC and UTS namespaces: no
    network at all, a private filesystem view holding only the Python runtime, the
    installed ``course_lib`` *without its reference code* (a filtered copy bound over it:
    :mod:`course_lib.grading.withheld`) and the submission's throwaway folder (read-write),
    and an unprivileged user id (as root: dropped with ``setpriv`` inside the sandbox).
``setpriv``
    No namespaces (bubblewrap missing or refused), but as root the kernel still runs as an
    unprivileged user id in the throwaway folder. Files readable by "others" stay readable,
    the course's reference code included (importing it is blocked, reading it is not), and
    the network is *not* blocked: weaker, and said so on every run.
``none``
    Resource limits only (reference imports blocked as in ``setpriv``). Only for trusted
    test runs; ``require_isolation`` refuses it.

In every mode the kernel gets resource limits through ``prlimit`` (address space, process
count, file size, open files, no core dumps) and talks to the grader over Unix sockets
(ZeroMQ ``ipc`` transport), which work across the network namespace.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from course_lib import paths
from course_lib.grading import withheld

Mode = Literal["bubblewrap", "setpriv", "none"]
SANDBOX_UID_BASE = 61000  # one uid per parallel slot, so process caps are per submission
UID_BASE_ENV = "COURSE_SANDBOX_UID_BASE"


def sandbox_uid_base() -> int:
    """First sandbox user id: ``$COURSE_SANDBOX_UID_BASE`` if set, else 61000.

    Slot *n* of a grading run uses base + *n*. The process cap counts every process of a
    user id, so two grading runs on one machine (or a real user with the same id) must not
    share ids: give each run its own base.
    """
    raw = os.environ.get(UID_BASE_ENV, "").strip()
    if not raw:
        return SANDBOX_UID_BASE
    if not raw.isdigit() or not 1000 <= int(raw) <= 2**31 - 1000:
        raise ValueError(f"{UID_BASE_ENV} must be a user id from 1000 to 2147482647 (got {raw!r})")
    return int(raw)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission (all configurable from the CLI)."""

    cell_timeout: float = 30.0
    notebook_timeout: float = 300.0
    memory_bytes: int = 2 * 1024**3
    max_processes: int = 64
    max_output_bytes: int = 2 * 1024**2
    max_file_bytes: int = 64 * 1024**2
    max_open_files: int = 256
    max_disk_bytes: int = 512 * 1024**2

    def prlimit_args(self) -> list[str]:
        """The ``prlimit`` options that enforce these limits on the kernel process tree."""
        return [
            f"--as={self.memory_bytes}",
            f"--nproc={self.max_processes}",
            f"--fsize={self.max_file_bytes}",
            f"--nofile={self.max_open_files}",
            "--core=0",
        ]


@dataclass(frozen=True)
class Isolation:
    """The isolation mode in use and why."""

    mode: Mode
    reason: str

    @property
    def full(self) -> bool:
        """True when the student kernel has no network and a private filesystem view."""
        return self.mode == "bubblewrap"

    @property
    def reference_code(self) -> str:
        """Whether the course's reference code is out of the kernels' reach, for the output."""
        return withheld.reference_status(self.mode)


def _bwrap_base(
    readonly: list[Path], writable: list[Path], private_tmp: Path | None = None
) -> list[str]:
    args = [
        "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.exists():
            args += ["--ro-bind", str(target), str(target)]
    # /proc, /dev and /tmp first: a later bind under /tmp must not be hidden by the tmpfs.
    args += ["--proc", "/proc", "--dev", "/dev"]
    if private_tmp is not None and not private_tmp.is_relative_to("/tmp"):
        # /tmp is a folder of the submission's own size-limited scratch space, not a RAM
        # tmpfs that no limit counts. Bound first, so runtime paths under /tmp (a checkout
        # in /tmp, say) are bound on top of it rather than hidden by it.
        args += ["--bind", str(private_tmp), "/tmp"]
    else:
        args += ["--perms", "1777", "--tmpfs", "/tmp"]
    made: set[Path] = {Path("/"), Path("/tmp")}
    for path in [*readonly, *writable]:
        for parent in reversed(path.parents):
            if parent not in made and not str(parent).startswith("/usr"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
    for path in readonly:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    return args


def python_executable() -> str:
    """This interpreter's path with ``..`` and ``.`` collapsed (lexically: a venv's python is
    a symlink that must stay as it is). Started as ``../.venv/bin/python``, the raw path does
    not exist inside the sandbox, whose view holds only the resolved runtime folders."""
    return os.path.normpath(os.path.abspath(sys.executable))


def runtime_paths() -> list[Path]:
    """What a student kernel must be able to read: Python, the venv and course_lib (nothing else).

    The course's assets are included (students install them anyway); the repository's
    ``notebooks/`` folder (sources, keys) is not.
    """
    candidates = {
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix).resolve(),
        paths.PACKAGE_DIR,
        paths.assets_dir().resolve(),
    }
    # Keep only the outermost paths, so a bind never hides another.
    ordered = sorted(candidates, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for p in ordered:
        if p.exists() and not any(p.is_relative_to(k) for k in kept):
            kept.append(p)
    return kept


def kernel_command(
    isolation: Isolation, limits: Limits, workdir: Path, sockdir: Path, uid: int
) -> list[str]:
    """The argv that starts an ipykernel for one submission ({connection_file} filled by jupyter)."""
    python = [python_executable(), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    # The kernel dies with the grading process (a grade or Dask worker killed mid-run), not
    # left running student code: a parent-death signal, set again after the user id changes
    # (which clears it); under bubblewrap, --die-with-parent covers the inner processes.
    die = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
    prefix = [*die, "prlimit", *limits.prlimit_args(), "--"]
    drop = [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--bounding-set=-all",
        "--no-new-privs",
        "--pdeathsig",
        "KILL",
        "--",
    ]
    if isolation.mode == "bubblewrap":
        box = _bwrap_base(runtime_paths(), [workdir, sockdir], private_tmp=workdir / ".tmp")
        # Bound last, so it hides the package's own files: no reference code in view.
        box += ["--ro-bind", str(withheld.graded_package()), str(paths.PACKAGE_DIR)]
        box += [
            "--chdir",
            str(workdir),
            "--setenv",
            "HOME",
            str(workdir),
            "--unsetenv",
            "JPY_PARENT_PID",
            "--",
        ]
        inner = ["/usr/bin/setpriv", *drop[1:]] if os.geteuid() == 0 else []
        return [*prefix, *box, *inner, *python]
    # No private filesystem view: a site hook only blocks the imports (grading.withheld); it
    # goes first on the kernel environment's PYTHONPATH (kernel_pythonpath).
    if isolation.mode == "setpriv":
        return [*prefix, *drop, *python]
    return [*prefix, *python]


def kernel_pythonpath(isolation: Isolation, pythonpath: str | None) -> str | None:
    """The kernel's PYTHONPATH: in the modes without a private view (setpriv, none) the
    import-blocking site hook of :mod:`course_lib.grading.withheld` goes first, before
    whatever the kernel environment already had; under bubblewrap it is left as it is."""
    if isolation.mode == "bubblewrap":
        return pythonpath
    return os.pathsep.join(filter(None, [str(withheld.site_hook_dir()), pythonpath or ""]))


def _probe(cmd: list[str]) -> tuple[bool, str]:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return done.returncode == 0, (done.stderr or done.stdout).strip()[:300]


@lru_cache(maxsize=1)
def detect_isolation() -> Isolation:
    """Find the strongest isolation this machine allows, by trying it."""
    root = os.geteuid() == 0
    has_setpriv = shutil.which("setpriv") is not None and shutil.which("prlimit") is not None
    if shutil.which("bwrap"):
        probe_dir = Path("/tmp")
        cmd = [*_bwrap_base(runtime_paths(), []), "--chdir", str(probe_dir), "--"]
        if root:
            cmd += [
                "/usr/bin/setpriv",
                f"--reuid={sandbox_uid_base()}",
                f"--regid={sandbox_uid_base()}",
                "--clear-groups",
                "--bounding-set=-all",
                "--no-new-privs",
                "--",
            ]
        ok, why = _probe([*cmd, python_executable(), "-c", "import ipykernel"])
        if ok:
            return Isolation("bubblewrap", "bubblewrap namespaces work here")
        bwrap_problem = f"bubblewrap is installed but refused to run ({why})"
    else:
        bwrap_problem = "bubblewrap (bwrap) is not installed"
    if root and has_setpriv:
        return Isolation(
            "setpriv", f"{bwrap_problem}; kernels run as an unprivileged user, network NOT blocked"
        )
    return Isolation(
        "none", f"{bwrap_problem}; not root, so kernels run as you with resource limits only"
    )


def isolation_for(mode: str | None) -> Isolation:
    """The isolation to use: detected (``None``/``auto``) or forced by name."""
    if mode in (None, "auto"):
        return detect_isolation()
    if mode not in ("bubblewrap", "setpriv", "none"):
        raise ValueError(f"unknown isolation mode {mode!r}")
    return Isolation(mode, f"forced with --isolation {mode}")  # type: ignore[arg-type]


def limit_disk(workdir: Path, limit_bytes: int, isolation: Isolation) -> bool:
    """Make ``workdir`` a size-limited tmpfs (root only); True if mounted.

    Where mounting is not allowed the folder stays an ordinary one and only the per-file
    cap applies (said in docs/threat-model.md).
    """
    if isolation.mode == "none" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={limit_bytes},mode=0700", "tmpfs", str(workdir)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def release_disk(workdir: Path) -> None:
    """Unmount a folder mounted by :func:`limit_disk` (lazily, so a busy mount never blocks)."""
    subprocess.run(["umount", "-l", str(workdir)], capture_output=True, check=False)


#: Where work folders are made: outside /tmp, so the sandbox's own /tmp can live inside one.
WORK_ROOT = Path("/var/tmp")


@contextlib.contextmanager
def work_folder(isolation: Isolation, limits: Limits) -> Iterator[Path]:
    """A fresh, private, size-limited folder for one kernel run; removed afterwards."""
    workdir = Path(
        tempfile.mkdtemp(prefix="course-grade-", dir=WORK_ROOT if WORK_ROOT.is_dir() else None)
    )
    mounted = limit_disk(workdir, limits.max_disk_bytes, isolation)
    try:
        workdir.chmod(0o700)
        yield workdir
    finally:
        if mounted:
            release_disk(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
