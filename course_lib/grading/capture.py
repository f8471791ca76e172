"""Runs inside the student's kernel: turns one answer into plain JSON and displays it.

The grader inserts a cell calling :func:`emit` after each autograded answer cell and reads
the payload from *that cell's* outputs only. Nothing here decides pass or fail, and nothing
here knows the expected answer: student code that tampers with this module can only change
its own submitted answers, which it could do anyway.

Before any cell of the student's, the grader's setup cell calls :func:`ready`, which says
which ``course_lib`` the kernel imported. The grader checks it (:mod:`preflight`): a kernel
that cannot import this module, or imports another copy of the package, is the grader's
failure (``infrastructure-error``), never the student's zero.
"""

from __future__ import annotations

import builtins
import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

MIME = "application/vnd.course-lib.capture+json"
SETUP_ID = "course_lib:setup"  # the setup payload's grade id (no grade id has a colon)
MAX_ITEMS = 10_000
MAX_DEPTH = 6
_UNBOUND = object()


def to_jsonable(value: Any, depth: int = 0) -> Any:
    """Convert an answer to JSON types (numpy values and arrays included); raise TypeError if impossible."""
    if depth > MAX_DEPTH:
        raise TypeError("the answer is nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy scalars and arrays
        return to_jsonable(value.tolist(), depth + 1)
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise TypeError("the answer has too many entries")
        return {str(k): to_jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise TypeError("the answer has too many entries")
        return [to_jsonable(v, depth + 1) for v in value]
    raise TypeError(f"an answer of type {type(value).__name__} cannot be collected")


def _publish(payload: dict[str, Any]) -> None:
    from IPython.display import display

    display(
        {MIME: payload, "text/plain": f"[answer collected for {payload['grade_id']}]"}, raw=True
    )


def ready() -> None:
    """Publish which ``course_lib`` this kernel runs (version and folder), for the grader.

    Called by the grader's setup cell, before any student cell. The kernel starts with the
    submission's folder off ``sys.path`` (``PYTHONSAFEPATH``), so a file the student
    submitted cannot stand in for the package; afterwards the folder is put back where
    IPython puts it (after the standard library), so the notebook can import its own
    modules as it does in JupyterLab.
    """
    import course_lib

    package = os.path.dirname(os.path.realpath(course_lib.__file__))
    version = str(getattr(course_lib, "__version__", "unknown"))
    _publish({"grade_id": SETUP_ID, "ok": True, "version": version, "package": package})
    if "" not in sys.path:
        site = [i for i, p in enumerate(sys.path) if p.endswith(("site-packages", "dist-packages"))]
        sys.path.insert(site[0] if site else len(sys.path), "")


def emit(grade_id: str, thunk: Callable[[], Any]) -> None:
    """Evaluate ``thunk`` (the student's answer) and publish it, or the error it raised."""
    try:
        payload = {"grade_id": grade_id, "ok": True, "value": to_jsonable(thunk())}
    except BaseException as exc:  # noqa: BLE001 - any failure is the student's answer failing
        payload = {"grade_id": grade_id, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    _publish(payload)


@contextlib.contextmanager
def stand_ins(sources: Mapping[str, str], namespace: dict[str, Any]) -> Iterator[None]:
    """Bind each name in ``namespace`` to the function its source defines; restore after.

    Used for a question whose function may call the student's answers to earlier questions
    (see :mod:`course_lib.grading.provided`): those are replaced by the grader's correct
    stand-ins while the hidden inputs run, and the student's own come back afterwards.
    """
    saved = {name: namespace.get(name, _UNBOUND) for name in sources}
    try:
        for name, source in sources.items():
            scope: dict[str, Any] = {"__builtins__": builtins}
            exec(compile(source, f"<grader's stand-in for {name}>", "exec"), scope)  # noqa: S102
            namespace[name] = scope[name]
        yield
    finally:
        for name, old in saved.items():
            if old is _UNBOUND:
                namespace.pop(name, None)
            else:
                namespace[name] = old


def emit_calls(
    grade_id: str,
    get_function: Callable[[], Any],
    inputs: Iterable[Any],
    provided: Mapping[str, str] | None = None,
    namespace: dict[str, Any] | None = None,
) -> None:
    """Call the student's function on each hidden input; publish each result or error.

    ``provided`` (name -> source) are stand-ins bound in ``namespace`` (the notebook's
    globals) for the duration of the calls.
    """
    results: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        try:
            function = get_function()
            stack.enter_context(stand_ins(provided or {}, {} if namespace is None else namespace))
        except BaseException as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"[:500]
            _publish({"grade_id": grade_id, "ok": False, "error": error})
            return
        for value in inputs:
            try:
                results.append({"ok": True, "value": to_jsonable(function(value))})
            except BaseException as exc:  # noqa: BLE001
                results.append({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]})
    _publish({"grade_id": grade_id, "ok": True, "calls": results})
