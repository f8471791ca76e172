"""Reference code withheld from graded kernels: which modules, how they are hidden, how a
submission that needed them is told.

The modules that implement what the assignments ask students to write
(:mod:`course_lib.scoring`, :mod:`course_lib.stats`) and the grader's own code (every
:mod:`course_lib.grading` module but the capture module the capture cells import) are
not importable in a student's kernel while it is graded:

``bubblewrap``
    The kernel sees a *filtered copy* of the package (:func:`graded_package`) bound
    read-only over the package's own path. The originals are not in its filesystem view
    at all, so no import trick, ``sys.path`` change or file read can reach them.
``setpriv`` and ``none``
    There is no private filesystem view. A ``sitecustomize`` hook (:func:`site_hook_dir`)
    makes importing those modules fail, so a solution that simply delegates fails in
    every mode alike, but student code can undo the hook or read the files: the guarantee
    holds only under bubblewrap, and ``grade`` says so (:func:`reference_status`).

Lessons never run here: they use the whole package as usual.
"""

from __future__ import annotations

import atexit
import dataclasses
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from course_lib import paths

#: Packages hidden from graded kernels, with everything in them ...
WITHHELD: tuple[str, ...] = ("course_lib.scoring", "course_lib.stats", "course_lib.grading")
#: ... except these modules (capture cells run ``import course_lib.grading.capture``).
KEPT: tuple[str, ...] = ("course_lib.grading", "course_lib.grading.capture")
#: What feedback and ``grades.csv`` say when a solution needed a withheld module.
NOT_AVAILABLE = "the course's reference implementation is not available in graded assignments"

_MISSING = re.compile(r"No module named '(course_lib(?:\.\w+)*)'")
_CANNOT = re.compile(r"cannot import name '(\w+)' from '(course_lib(?:\.\w+)*)'")
_lock = threading.Lock()
_built: dict[str, Path] = {}


def is_withheld(module: str) -> bool:
    """True if ``module`` (a dotted name) is hidden from graded kernels."""
    if module in KEPT:
        return False
    return any(module == w or module.startswith(f"{w}.") for w in WITHHELD)


def _module_of(rel: Path) -> str:
    """Dotted name a package file belongs to (``stats/__pycache__/x.cpython-311.pyc`` ->
    ``course_lib.stats.x``; a data file counts as a module named after its stem)."""
    parts = [p for p in rel.parts[:-1] if p != "__pycache__"]
    stem = rel.name.split(".", 1)[0]
    if stem != "__init__":
        parts.append(stem)
    return ".".join(["course_lib", *parts])


def copy_without_withheld(package: Path, dest: Path) -> Path:
    """Copy the package at ``package`` to ``dest/course_lib`` without the withheld modules
    (their compiled files included); world-readable, so a sandbox user can import it."""
    target = dest / "course_lib"
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if path.is_symlink() or not path.is_file() or is_withheld(_module_of(rel)):
            continue
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out)  # keeps mtimes, so the copied .pyc files stay valid
        out.chmod(0o644)
    for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    return target


def _scratch_root(name: str) -> Path:
    """A world-readable folder of this process, removed when it exits (rebuilt if missing)."""
    with _lock:
        root = _built.get(name)
        if root is None or not root.is_dir():
            base = Path("/var/tmp") if Path("/var/tmp").is_dir() else None
            root = Path(tempfile.mkdtemp(prefix=f"course-{name}-", dir=base))
            root.chmod(0o755)
            atexit.register(shutil.rmtree, root, True)
            if name == "graded-package":
                copy_without_withheld(paths.PACKAGE_DIR, root)
            else:
                (root / "sitecustomize.py").write_text(_site_hook_source(), encoding="utf-8")
                (root / "sitecustomize.py").chmod(0o644)
            _built[name] = root  # only once complete: a failed build is tried again
        return root


def graded_package() -> Path:
    """The filtered copy of the installed package that bubblewrap binds over it."""
    return _scratch_root("graded-package") / "course_lib"


def _site_hook_source() -> str:
    return f'''"""Written by the course grader: the course's reference modules are not importable."""
import sys

_WITHHELD = {WITHHELD!r}
_KEPT = {KEPT!r}


class _Withheld:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in _KEPT and any(name == w or name.startswith(w + ".") for w in _WITHHELD):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _Withheld)
'''


def site_hook_dir() -> Path:
    """A folder holding the ``sitecustomize`` hook used without bubblewrap (best effort)."""
    return _scratch_root("site-hook")


def reference_status(mode: str) -> str:
    """One line for the grade output: whether reference code was out of reach in ``mode``."""
    if mode == "bubblewrap":
        return "withheld (not in the kernels' filesystem view)"
    return (
        f"NOT out of reach in isolation mode {mode}: importing it fails, but student code can "
        "undo that or read the files (only bubblewrap withholds it)"
    )


def withheld_import(text: Any) -> str | None:
    """The withheld package an error text failed to import (one of :data:`WITHHELD`), else None.

    Only that fixed name is returned, never the student-controlled text around it.
    """
    if not isinstance(text, str):
        return None
    names = [m.group(1) for m in _MISSING.finditer(text)]
    # "cannot import name X from M": X is a withheld submodule of a package we partly keep,
    # or M itself is withheld (X is then an attribute of it, never a module of ours).
    packages = {"course_lib", *(k for k in KEPT if k in WITHHELD)}
    names += [
        f"{m.group(2)}.{m.group(1)}" if m.group(2) in packages else m.group(2)
        for m in _CANNOT.finditer(text)
    ]
    for name in names:
        if is_withheld(name):
            return next(w for w in WITHHELD if name == w or name.startswith(f"{w}."))
    return None


def _payload_errors(payload: Mapping[str, Any] | None) -> list[Any]:
    if not isinstance(payload, Mapping):
        return []
    calls = payload.get("calls")
    errors = (
        [c.get("error") for c in calls if isinstance(c, Mapping)] if isinstance(calls, list) else []
    )
    return [payload.get("error"), *errors]


def cell_import_failures(nb: Any) -> list[tuple[int, str]]:
    """(cell index, withheld package) for every cell whose error was a withheld import."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                name = withheld_import(f"{out.get('ename')}: {out.get('evalue')}")
                if name:
                    found.append((index, name))
    return found


def explain(
    results: Iterable[Any],
    answers: Mapping[str, Any],
    captures: Mapping[str, int],
    executed: Any,
) -> tuple[list[Any], str]:
    """Add :data:`NOT_AVAILABLE` to the feedback of each question that lost credit after its
    code reached for a withheld module; return the results and a note for ``grades.csv``.

    A question is affected when its collected answer failed on such an import, or a cell of
    its own (after the previous capture cell, up to its own) did: ``from course_lib.stats
    import ...`` at the top of the answer cell leaves the function undefined. Failing that,
    an earlier cell's failed import counts (a name imported there and used here). The note
    is empty if no question is affected.
    """
    failures = cell_import_failures(executed)
    starts = sorted(captures.values())
    out, hit, packages = [], [], set()
    for result in results:
        index = captures.get(result.grade_id)
        start = max((i for i in starts if index is not None and i < index), default=-1)
        names = {withheld_import(e) for e in _payload_errors(answers.get(result.grade_id))}
        names |= {n for i, n in failures if index is not None and start < i <= index}
        names.discard(None)
        if not names and index is not None:
            names = {n for i, n in failures if i <= index}
        if result.fraction < 1 and names:
            packages.update(names)
            hit.append(result.grade_id)
            result = dataclasses.replace(
                result,
                feedback=f"{result.feedback} Note: {NOT_AVAILABLE} (your code imports "
                f"{' and '.join(sorted(names))}): write the function yourself.",
            )
        out.append(result)
    if not hit:
        return out, ""
    return (
        out,
        f"{', '.join(hit)}: {NOT_AVAILABLE} (the code imports {', '.join(sorted(packages))})",
    )
