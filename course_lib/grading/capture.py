"""Runs inside the student's kernel: turns one answer into plain JSON and displays it.

The grader inserts a cell calling :func:`emit` after each autograded answer cell and reads
the payload from *that cell's* outputs only. Nothing here decides pass or fail, and nothing
here knows the expected answer: student code that tampers with this module can only change
its own submitted answers, which it could do anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

MIME = "application/vnd.course-lib.capture+json"
MAX_ITEMS = 10_000
MAX_DEPTH = 6


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


def emit(grade_id: str, thunk: Callable[[], Any]) -> None:
    """Evaluate ``thunk`` (the student's answer) and publish it, or the error it raised."""
    try:
        payload = {"grade_id": grade_id, "ok": True, "value": to_jsonable(thunk())}
    except BaseException as exc:  # noqa: BLE001 - any failure is the student's answer failing
        payload = {"grade_id": grade_id, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    _publish(payload)


def emit_calls(grade_id: str, get_function: Callable[[], Any], inputs: Iterable[Any]) -> None:
    """Call the student's function on each hidden input; publish each result or error."""
    results: list[dict[str, Any]] = []
    try:
        function = get_function()
    except BaseException as exc:  # noqa: BLE001
        _publish({"grade_id": grade_id, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]})
        return
    for value in inputs:
        try:
            results.append({"ok": True, "value": to_jsonable(function(value))})
        except BaseException as exc:  # noqa: BLE001
            results.append({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]})
    _publish({"grade_id": grade_id, "ok": True, "calls": results})
