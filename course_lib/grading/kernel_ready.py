"""Starting a kernel without idle waits: connect once it listens, ready once it answered.

Used by :mod:`course_lib.grading.execute` for cold and warm kernels alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from queue import Empty
from typing import Any


async def until_listening(km: Any, timeout: float) -> None:
    """Wait until the kernel has bound its five ipc sockets (or died, or ``timeout``).

    Connecting before that costs ZeroMQ's reconnect interval, and a subscription that misses
    the kernel's first status message costs jupyter_client's 0.2 s IOPub check: together
    about a quarter of a warm kernel's start. Whatever happens here, the client's own
    readiness check follows and decides."""
    info = km.get_connection_info()
    if info.get("transport") != "ipc":
        return
    ports = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
    paths = [Path(f"{info['ip']}-{info[p]}") for p in ports]
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths) and time.monotonic() < deadline:
        if not await km.is_alive():
            return
        await asyncio.sleep(0.003)


async def kernel_ready(kc: Any, km: Any, timeout: float) -> None:
    """Return once the kernel has answered a ``kernel_info`` request on the shell channel and
    reported itself idle after it on IOPub (so IOPub is connected and everything the kernel
    said before is consumed); raise as jupyter_client does if it dies or never answers.

    jupyter_client's ``wait_for_ready`` checks the same, then always waits 0.2 s more for
    IOPub to fall silent: a fifth of a second per notebook, for nothing, since nbclient only
    reads messages whose parent is the cell it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        replied = idle = False
        round_end = time.monotonic() + 1.0
        while not (replied and idle) and time.monotonic() < round_end:
            if not replied:
                with contextlib.suppress(Empty):
                    msg = await kc.shell_channel.get_msg(timeout=0.01)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        replied = msg["msg_type"] == "kernel_info_reply"
                        if replied:
                            kc._handle_kernel_info_reply(msg)
            if not idle:
                with contextlib.suppress(Empty):
                    msg = await kc.iopub_channel.get_msg(timeout=0.01)
                    idle = (
                        msg["msg_type"] == "status"
                        and msg["parent_header"].get("msg_id") == msg_id
                        and msg["content"].get("execution_state") == "idle"
                    )
        if replied and idle:
            return
        if not await km.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
