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


def read_json(path: Path, max_bytes: int) -> Any:
    """Decode a save file, or raise ``ValueError`` saying why it is not one.

    Too large, not JSON (or not UTF-8), or nested too deeply for the decoder: each is a
    plain sentence naming the file, ready for :func:`set_aside`'s message.
    """
    path = Path(path)
    if path.stat().st_size > max_bytes:
        raise ValueError(f"{path.name} is larger than {max_bytes} bytes")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"{path.name} is nested too deeply to be a save file") from None


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


def adopt_legacy(path: Path, legacy_name: str) -> str | None:
    """Rename an older save file (``legacy_name``, same folder) to ``path`` if only it exists.

    Save files were renamed to one pattern, ``lessonNN.answers.json``; a student's answers
    under the old name must not be lost. Returns the message to show, or ``None``.
    """
    path = Path(path)
    legacy = path.with_name(legacy_name)
    if path.exists() or not legacy.is_file() or legacy.is_symlink():
        return None
    try:
        os.replace(legacy, path)
    except OSError as exc:
        return f"Your earlier answers in {legacy.name} could not be renamed to {path.name} ({exc})."
    return f"Your earlier answers were moved from {legacy.name} to {path.name}."
