"""CPU time of live processes, read from /proc (Linux): what a benchmark counts for a sandboxed
kernel that is killed at the end of its run, and so never waited for by the grader."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int, own: bool = False) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its waited-for children, or with ``own``
    of the process alone), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), sum(int(f) for f in fields[11 : 13 if own else 15]) / _TICK


def _uid(pid: int) -> int | None:
    try:
        return Path(f"/proc/{pid}").stat().st_uid
    except OSError:
        return None


def cpu_seconds(root_pids: set[int], uid: int | None = None, own: bool = False) -> float:
    """CPU seconds of ``root_pids``, their descendants and (with ``uid``) every process owned
    by that user id, each counted once (``own``: without the children they waited for)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry), own)) is not None:
            stats[int(entry)] = st
    chosen = {p for p in stats if p in root_pids or (uid is not None and _uid(p) == uid)}
    grew = True
    while grew:
        more = {p for p, (parent, _) in stats.items() if parent in chosen} - chosen
        chosen |= more
        grew = bool(more)
    return sum(stats[p][1] for p in chosen)
