"""Save files that are never lost: atomic JSON writes, and unreadable files kept aside.

Every widget that records a student's answers uses these two functions, so the promise
"your work is saved on every change; a damaged file is kept and you start fresh" holds
the same way everywhere.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON via a temp file and a rename: a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_aside(path: Path, problem: Exception) -> str:
    """Move an unreadable save file aside (never delete it) and return the student's message."""
    path = Path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    try:
        os.replace(path, aside)
        kept = f"The unreadable file was kept as {aside.name}."
    except OSError:
        kept = "The unreadable file could not be moved aside and was left in place."
    return f"Your saved answers in {path.name} could not be read ({problem}). You are starting fresh. {kept}"
