"""Helpers shared by the assignments' formative checks: never raise, compare with a tolerance."""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from course_lib.display import CheckResult

TOL = 1e-4
GRADED_LATER = "The grader tests it on other inputs after you submit."


def as_number(value: Any) -> float | None:
    """``value`` as a finite float (numpy numbers included), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def same(got: Any, want: float | None) -> bool:
    """True when ``got`` is ``want`` within :data:`TOL` (``None`` only matches ``None``)."""
    if want is None:
        return got is None
    number = as_number(got)
    return number is not None and abs(number - want) <= TOL


def fmt(value: Any) -> str:
    """A value for a check's message: numbers to 4 decimals, anything else as its repr."""
    number = as_number(value)
    return f"{number:.4f}" if number is not None else repr(value)


def call_safely(function: Any, argument: Any) -> tuple[bool, Any]:
    """Call the student's function on a copy of a public example; never raise."""
    if not callable(function):
        return False, f"expected a function, got {type(function).__name__}"
    try:
        return True, function(copy.deepcopy(argument))
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return False, f"it raised {type(exc).__name__}: {str(exc)[:200]}"


def mapping_problems(
    got: Any, want: Mapping[str, float | None], integers: bool = False
) -> list[str]:
    """What differs between a returned dict and the worked example's (empty when none)."""
    if not isinstance(got, Mapping):
        return [f"it returned {type(got).__name__}, not a dict"]
    problems = []
    missing = [k for k in want if k not in got]
    extra = [str(k) for k in got if k not in want]
    if missing:
        problems.append(f"keys missing: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected keys: {', '.join(extra)}")
    for key, value in want.items():
        if key not in got:
            continue
        mine = got[key]
        if (
            integers
            and mine is not None
            and (isinstance(mine, bool) or not isinstance(mine, numbers.Integral))
        ):
            problems.append(f"{key}: {mine!r} should be a whole number (or None)")
        elif not same(mine, value):
            problems.append(f"{key}: you gave {fmt(mine)}, the worked example gives {fmt(value)}")
    return problems


def result_of(title: str, problems: list[str], ok: str, hint: str) -> CheckResult:
    """A failed check listing ``problems`` (at most 8), or a passed one saying ``ok``."""
    if problems:
        return CheckResult(False, title, hint, tuple(problems[:8]))
    return CheckResult(True, title, f"{ok} {GRADED_LATER}")


def statistic_check(
    function: Callable[[list[list[int]]], Any],
    name: str,
    want: float,
    hint: str,
    table: list[list[int]],
    about: str,
) -> CheckResult:
    """Run a statistic on a public table and compare it with the worked example's value."""
    title = f"{name} on {about}"
    ok, got = call_safely(function, table)
    if not ok:
        return CheckResult(False, title, hint, (str(got),))
    if as_number(got) is None:
        return CheckResult(False, title, f"{name} should return a single number, not {got!r}.")
    if not same(got, want):
        return CheckResult(
            False, title, hint, (f"you gave {fmt(got)}; the worked example gives {fmt(want)}",)
        )
    return CheckResult(True, title, f"{fmt(got)}, as in the worked example. {GRADED_LATER}")
