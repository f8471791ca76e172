"""The files of a submission the grader reads: regular files inside the submission folder only.

The grader reads the notebook and the answers files its spec names, and copies every other
ordinary file of the folder into the sandbox (the notebook's data and saved answers). Each
must be a regular file inside the submission folder. A symbolic link (to another student's
answers file, a key, anything), a named pipe, a device, a socket, a folder where a file is
expected, or a path that leads out of the folder makes the notebook ``unsafe-file``: nothing
of it is graded, and the detail names the file. Before this, links were skipped silently
when copying and followed when reading an answers file.

Hidden files and folders (``.ipynb_checkpoints``, ``.ipython``, ``.local``, ...) are neither
read nor copied: they are where IPython and Python look for start-up code, which must not
run before the grader's setup cell.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

UNSAFE_FILE = "unsafe-file"
MAX_NAMED = 3  # problems named in one detail


def _kind(mode: int) -> str | None:
    """What a non-regular entry is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _hidden(name: str) -> bool:
    return name.startswith(".")


def copied_entries(folder: Path) -> Iterator[Path]:
    """Every entry the grader would copy into the sandbox: not hidden, not a notebook.

    Folders are walked without following links (a linked folder is itself an entry).
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name) and not name.endswith(".ipynb"):
                yield Path(root) / name
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                yield Path(root) / name  # os.walk lists a linked folder but never enters it


def _named_problem(folder: Path, name: str, required: bool) -> str | None:
    """Why ``folder/name`` may not be read (``None`` if it is a regular file, or is absent and
    not ``required``)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return f"{name} leads out of the submission folder"
    here = folder
    for i, part in enumerate(relative.parts):
        here = here / part
        try:
            mode = here.lstat().st_mode
        except FileNotFoundError:
            return f"{name} is missing" if required else None
        last = i == len(relative.parts) - 1
        if not last and not stat.S_ISDIR(mode):
            return f"{'/'.join(relative.parts[: i + 1])} (on the way to {name}) is {_kind(mode)}"
        if last and (kind := _kind(mode)) is not None:
            return f"{name} is {kind}"
    return None


def unsafe_files(folder: Path, notebook: str, named: Iterable[str] = ()) -> list[str]:
    """Why the grader may not read ``folder`` for ``notebook`` (empty if it may).

    ``named``: the files the notebook's spec reads (answers files, extra files), relative
    to the folder. Checked: the student's and the assignment's folders are real folders,
    the notebook and every named file present are regular files reached through real
    folders, and every entry that would be copied into the sandbox is a regular file.
    """
    for level in (folder.parent, folder):
        if level.is_symlink() or not level.is_dir():
            return [f"the submission folder {level.name} is a symbolic link or not a folder"]
    problems = [p for p in [_named_problem(folder, f"{notebook}.ipynb", True)] if p]
    problems += [p for name in named if (p := _named_problem(folder, name, False))]
    for path in copied_entries(folder):
        kind = _kind(path.lstat().st_mode)
        rel = path.relative_to(folder).as_posix()
        if kind is not None and not any(p.startswith(f"{rel} ") for p in problems):
            problems.append(f"{rel} is {kind}")
    return problems


def unsafe_detail(problems: list[str]) -> str:
    """The ``detail`` of an ``unsafe-file`` row: the files, and what the grader did."""
    shown = "; ".join(problems[:MAX_NAMED])
    more = f" (and {len(problems) - MAX_NAMED} more)" if len(problems) > MAX_NAMED else ""
    return (
        f"{shown}{more}: the grader reads only regular files inside the submission folder, "
        "so nothing in this notebook was graded"
    )


def copy_regular_files(src: Path, dest: Path, max_bytes: int) -> None:
    """Copy every entry :func:`copied_entries` lists into ``dest``, regular files only.

    Each file is opened without following a link and checked again once open, so an entry
    that changed after :func:`unsafe_files` looked at it is skipped, never followed. Stops
    after ``max_bytes`` in all.
    """
    total = 0
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    for path in copied_entries(src):
        try:
            fd = os.open(path, flags)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                continue
            total += info.st_size
            if total > max_bytes:
                break
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(handle, out)
