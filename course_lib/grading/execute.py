"""Execute one reconstructed notebook in a sandboxed kernel, within limits.

Returns the executed notebook, the captured answers (by grade id) and a status:
``ok``, ``timeout`` (a cell or the whole notebook ran too long), ``memory``,
``output-limit``, ``process-limit``, ``killed`` (the kernel died or was stopped) or
``infrastructure`` (the grader could not start a kernel: retried once by the pipeline).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook

from course_lib.grading import proc_cpu
from course_lib.grading.capture import MIME
from course_lib.grading.kernel_ready import kernel_ready, until_listening
from course_lib.grading.sandbox import Isolation, Limits, kernel_command, kernel_pythonpath
from course_lib.grading.titles import describe_cell

if TYPE_CHECKING:
    from course_lib.grading.warm_slots import WarmSlot

KERNEL_NAME = "course-lib-sandbox"
KERNEL_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",
    # Nothing in the submission's folder runs before the grader's setup cell: the folder is
    # not on sys.path at start-up (the setup cell puts it back) and user site-packages are
    # off (hidden files, where IPython and pip keep theirs, are never copied in).
    "PYTHONSAFEPATH": "1",
    "PYTHONNOUSERSITE": "1",
}


#: How a ``detail`` starts when the whole notebook, not one cell, ran out of time.
NOTEBOOK_TIMEOUT = "the notebook ran longer than"
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "COURSE_ASSETS")


def kernel_environment(workdir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernel's environment: a short allowlist, never the grader's whole environment
    (which may hold tokens or passwords that student code could read), plus ``extra`` (the
    graded student's identity and the course's variant salt)."""
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["HOME"] = str(workdir)
    env.update(extra or {})
    return env


def _with_hook(isolation: Isolation, env: dict[str, str]) -> dict[str, str]:
    path = kernel_pythonpath(isolation, env.get("PYTHONPATH"))
    if path:
        env["PYTHONPATH"] = path
    return env


#: Told, with the notebook object run, ``("kernel-start", seconds)`` (launch to ready) and
#: ``("kernel-cpu", seconds)`` (the kernel's processes, read just before they are stopped).
#: ``None`` (the default) costs nothing. Set by benchmarks/grading_speed.py.
timing_hook: Callable[[Any, str, float], None] | None = None


class OutputLimitExceeded(RuntimeError):
    """The notebook produced more output than allowed."""


@dataclass
class Execution:
    """What running one notebook produced."""

    status: str
    detail: str
    notebook: Any
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)
    stopped_in: str = ""  # the cell a stopped run was in, as the student knows it


class _SandboxKernelManager(AsyncKernelManager):
    """Hands the connection file to the sandbox user (it is 0600 by default)."""

    sandbox_uid: int | None = None

    def write_connection_file(self, **kwargs: Any) -> Any:
        result = super().write_connection_file(**kwargs)
        if self.sandbox_uid is not None:
            os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)
        return result


class _LimitedClient(NotebookClient):
    """A notebook client that stops when the output grows past a cap, and knows which cell
    it is running (so a timeout can name it)."""

    max_output_bytes: int = 0
    _seen_bytes: int = 0
    running_index: int | None = None
    _launched: float = 0.0

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        self._launched = time.perf_counter()
        await super().async_start_new_kernel(**kwargs)

    async def async_start_new_kernel_client(self) -> Any:
        # nbclient's own, with a readiness check that does not idle (kernel_ready)
        await until_listening(self.km, self.startup_timeout)
        self.kc = self.km.client()
        await ensure_async(self.kc.start_channels())
        try:
            await kernel_ready(self.kc, self.km, self.startup_timeout)
        except Exception:
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        if timing_hook is not None:
            timing_hook(self.nb, "kernel-start", time.perf_counter() - self._launched)
        return self.kc

    async def async_execute_cell(
        self, cell: Any, cell_index: int, *args: Any, **kwargs: Any
    ) -> Any:
        self.running_index = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

    def output(self, outs: Any, msg: dict[str, Any], display_id: Any, cell_index: int) -> Any:
        self._seen_bytes += len(json.dumps(msg.get("content", {}), default=str))
        if self.max_output_bytes and self._seen_bytes > self.max_output_bytes:
            raise OutputLimitExceeded(f"output passed {self.max_output_bytes} bytes")
        return super().output(outs, msg, display_id, cell_index)


def _kernel_dir(root: Path, argv: list[str]) -> Path:
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": argv,
        "display_name": "sandboxed grading kernel",
        "language": "python",
        "env": KERNEL_ENV,
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return root / "kernels"


def _report_cpu(km: Any, nb: Any, uid: int | None) -> None:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    pids = {process.pid} if process is not None else set()
    if timing_hook is not None:
        timing_hook(nb, "kernel-cpu", proc_cpu.cpu_seconds(pids, uid))


def collect_answers(nb: Any, captures: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Read each capture cell's payload from that cell's own outputs (first payload only)."""
    answers: dict[str, dict[str, Any]] = {}
    for gid, index in captures.items():
        if index >= len(nb.cells):
            continue
        for out in nb.cells[index].get("outputs", []):
            payload = (
                out.get("data", {}).get(MIME) if out.get("output_type") == "display_data" else None
            )
            if isinstance(payload, dict):
                answers[gid] = payload
                break
    return answers


def _tail(path: Path, limit: int = 400) -> str:
    try:
        return path.read_bytes()[-limit:].decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _running_cell(client: _LimitedClient, nb: Any) -> str:
    """The cell the client was running when it stopped, described for the student."""
    index = client.running_index
    return "a cell of your notebook" if index is None else describe_cell(nb, index)


def _cell_errors(nb: Any) -> list[str]:
    errors = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"cell {i + 1}: {out.get('ename')}: {str(out.get('evalue'))[:120]}")
    return errors


def _classify(errors: list[str]) -> tuple[str, str] | None:
    text = " ".join(errors)
    if "MemoryError" in text:
        return "memory", "the notebook ran out of its memory allowance"
    if "No space left on device" in text:
        return "disk-limit", "the notebook filled its disk allowance"
    if "File too large" in text:
        return "file-limit", "the notebook tried to write a file larger than allowed"
    if "BlockingIOError" in text or "Resource temporarily unavailable" in text:
        return "process-limit", "the notebook tried to start more processes than allowed"
    return None


async def _run(
    nb: Any,
    workdir: Path,
    isolation: Isolation,
    limits: Limits,
    uid: int,
    env: Mapping[str, str] | None = None,
    warm: WarmSlot | None = None,
) -> Execution:
    # Beside the work folder, never under /tmp: the sandbox's own /tmp is mounted over that.
    scratch = Path(tempfile.mkdtemp(prefix="course-kernel-", dir=workdir.parent))
    sockdir = warm.sockdir if warm is not None else scratch / "sock"
    sockdir.mkdir(exist_ok=True)
    try:
        if isolation.mode != "none" and os.geteuid() == 0:
            (workdir / ".tmp").mkdir(exist_ok=True)
            for path in (workdir, sockdir):
                os.chown(path, uid, uid)
            # Without a private mount view (setpriv), the kernel's user must reach its socket
            # folder through the scratch folder: traverse only, no listing; the socket folder
            # itself is that user's alone, so parallel sandbox users cannot reach each other's.
            scratch.chmod(0o711)
            sockdir.chmod(0o700)
            for path in workdir.rglob("*"):
                os.chown(path, uid, uid, follow_symlinks=False)
        if warm is not None:  # a kernel forked by the slot's warm parent, in the same sandbox
            argv = warm.kernel_command()
        else:
            argv = kernel_command(isolation, limits, workdir, sockdir, uid)
        ksm = KernelSpecManager(kernel_dirs=[str(_kernel_dir(scratch, argv))])
        km = _SandboxKernelManager(
            kernel_name=KERNEL_NAME, kernel_spec_manager=ksm, transport="ipc", ip=str(sockdir / "k")
        )
        km.connection_file = str(sockdir / "connection.json")
        km.sandbox_uid = uid if (isolation.mode != "none" and os.geteuid() == 0) else None
        client = _LimitedClient(
            nb,
            km=km,
            timeout=int(limits.cell_timeout),
            allow_errors=True,
            startup_timeout=60,
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.max_output_bytes = limits.max_output_bytes
        status, detail, stopped_in = "ok", "", ""
        started = time.monotonic()
        try:
            with open(scratch / "kernel.log", "wb") as log:
                run = client.async_execute(
                    cwd=str(workdir),
                    env=_with_hook(isolation, kernel_environment(workdir, env)),
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
                await asyncio.wait_for(run, limits.notebook_timeout)
        except CellTimeoutError:  # a subclass of TimeoutError: catch it first
            stopped_in = _running_cell(client, nb)
            status, detail = "timeout", f"{stopped_in} ran longer than {limits.cell_timeout:g} s"
        except TimeoutError:
            stopped_in = _running_cell(client, nb)
            status = "timeout"
            detail = f"{NOTEBOOK_TIMEOUT} {limits.notebook_timeout:g} s (in {stopped_in})"
        except OutputLimitExceeded as exc:
            stopped_in = _running_cell(client, nb)
            status, detail = "output-limit", f"{exc} (in {stopped_in})"
        except DeadKernelError:
            stopped_in = _running_cell(client, nb)
            status, detail = "killed", f"the kernel died or was stopped during {stopped_in}"
            if time.monotonic() - started >= limits.notebook_timeout:
                # cancelling nbclient at the notebook timeout can surface as a dead kernel
                status = "timeout"
                detail = f"{NOTEBOOK_TIMEOUT} {limits.notebook_timeout:g} s (in {stopped_in})"
        except RuntimeError as exc:
            if any(
                t in str(exc)
                for t in ("Kernel died before replying", "did not start", "didn't respond")
            ):
                status = "infrastructure"
                detail = f"the kernel could not start: {exc}; {_tail(scratch / 'kernel.log')}"
            else:
                stopped_in = _running_cell(client, nb)
                status, detail = "killed", f"execution stopped in {stopped_in}: {exc}"
        finally:
            if timing_hook is not None:
                _report_cpu(km, nb, uid if km.sandbox_uid is not None else None)
            if warm is not None:  # the launcher's exit stops the kernel: no need to wait
                warm.stop_launcher(km)
            try:
                if km.has_kernel:
                    await km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - the kernel may already be gone
                pass
            # nbclient leaves the client's channels open when it does not own the manager:
            # close them, or every submission leaks its ZeroMQ sockets until garbage collection.
            if getattr(client, "kc", None) is not None:
                client.kc.stop_channels()
        errors = _cell_errors(nb)
        if status in ("ok", "killed") and (kind := _classify(errors)):
            status, detail = kind
            stopped_in = ""
        return Execution(status, detail, nb, {}, errors, stopped_in)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def execute(
    nb: Any,
    captures: dict[str, int],
    workdir: Path,
    isolation: Isolation,
    limits: Limits,
    uid: int,
    env: Mapping[str, str] | None = None,
    warm: WarmSlot | None = None,
) -> Execution:
    """Run ``nb`` in a sandboxed kernel in ``workdir`` (``env``: added to the kernel's
    environment; ``warm``: the slot whose warm parent forks the kernel, ``workdir`` being
    its work folder); collect the captured answers."""
    result = asyncio.run(_run(nb, workdir, isolation, limits, uid, env, warm))
    result.answers = collect_answers(result.notebook, captures)
    return result
