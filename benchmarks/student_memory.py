"""Memory of one student's server after every lesson: the figure behind the hub's memory requests.

Run: ``.venv/bin/python benchmarks/student_memory.py`` (``make bench``; prints figures, not a test).

Starts JupyterLab as a student's server (the student configuration, on 127.0.0.1), loads
the JupyterLab page once, starts one python3 kernel through the server's REST API and runs
every lesson (``notebooks/lessons/``, copied to a temporary folder) top to bottom in that
one kernel, as a student who works through the module in one sitting without restarting.
Then it prints, from ``/proc``: the kernel's peak resident memory (``VmHWM``), the
kernel's and the server's resident (RSS) and proportional (PSS) memory, and their sum,
which ``deploy/z2jh-values.yaml`` quotes for ``singleuser.memory``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "notebooks" / "lessons"
CELL_TIMEOUT = 300
MIB = 2**20


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (bytes) from /proc/PID/status, Pss from smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            values["Pss"] = int(line.split()[1]) * 1024
    return values


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, method: str = "GET") -> dict | str:
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read().decode()
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        return body


def _start_server(work: Path, port: int, token: str) -> subprocess.Popen[bytes]:
    flags = [
        f"--port={port}",
        "--ip=127.0.0.1",
        "--no-browser",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        f"--LabApp.app_settings_dir={REPO / 'jupyter-config' / 'lab-settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        flags.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(REPO / "jupyter-config" / "student")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", *flags],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _get(f"http://127.0.0.1:{port}/api/status?token={token}")
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("JupyterLab did not start within 120 s")


def _kernel_pid(kernel_id: str, server_pid: int) -> int:
    """The server's child process running the kernel (its command names the connection file)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and f"kernel-{kernel_id}" in cmdline:
            return int(entry.name)
    raise RuntimeError(f"no process for kernel {kernel_id}")


def _run_lessons(client: BlockingKernelClient, work: Path) -> tuple[int, float]:
    """Run every lesson's code cells in order; return (cells run, seconds)."""
    problems: list[str] = []
    cells, started = 0, time.monotonic()

    def watch(msg: dict) -> None:
        if msg["msg_type"] == "error":
            problems.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    for path in sorted(work.glob("[0-9][0-9]_*.ipynb")):
        client.execute_interactive(f"import os; os.chdir({str(work)!r})", timeout=60)
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            reply = client.execute_interactive(cell.source, timeout=CELL_TIMEOUT, output_hook=watch)
            cells += 1
            if reply["content"]["status"] != "ok" or problems:
                raise RuntimeError(f"{path.name}: a cell failed: {problems or reply['content']}")
        print(f"  ran {path.name}", flush=True)
    return cells, time.monotonic() - started


def main() -> int:
    token, port = secrets.token_hex(16), _free_port()
    with tempfile.TemporaryDirectory(prefix="student-memory-") as tmp:
        work = Path(tmp) / "lessons"
        shutil.copytree(LESSONS, work)
        server = _start_server(work, port, token)
        base = f"http://127.0.0.1:{port}"
        try:
            _get(f"{base}/lab?token={token}")  # the page a student opens first
            kernel = _get(f"{base}/api/kernels?token={token}", method="POST")
            assert isinstance(kernel, dict)
            connection = Path(jupyter_runtime_dir()) / f"kernel-{kernel['id']}.json"
            client = BlockingKernelClient()
            client.load_connection_file(str(connection))
            client.start_channels()
            client.wait_for_ready(timeout=60)
            kernel_pid = _kernel_pid(kernel["id"], server.pid)
            print("running every lesson in one kernel:")
            cells, seconds = _run_lessons(client, work)
            time.sleep(2)  # let the server settle after the last messages
            k, s = _status(kernel_pid), _status(server.pid)
            client.stop_channels()
        finally:
            server.terminate()
            server.wait(30)
    total_rss = k["VmHWM"] + s["VmRSS"]
    print(f"{cells} cells in {seconds:.0f} s")
    print(
        f"kernel: peak RSS {k['VmHWM'] / MIB:.0f} MiB, now RSS {k['VmRSS'] / MIB:.0f} MiB, "
        f"PSS {k['Pss'] / MIB:.0f} MiB"
    )
    print(f"server (JupyterLab): RSS {s['VmRSS'] / MIB:.0f} MiB, PSS {s['Pss'] / MIB:.0f} MiB")
    print(
        f"one student, kernel peak + server: {total_rss / MIB:.0f} MiB RSS "
        f"({(k['Pss'] + s['Pss']) / MIB:.0f} MiB PSS after the last lesson)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
