"""One loader for every kind of content: read YAML, validate against a pydantic schema.

Every failure becomes a :class:`ContentError` naming the file, the field and the problem;
malformed YAML never escapes as a traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from course_lib.content.errors import ContentError, Problem

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning I/O and syntax errors into a :class:`ContentError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError.single(path, "<file>", f"cannot be read: {exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError.single(path, "<document>", f"malformed YAML{where}: {reason}") from None


def field_path(loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as ``markers[2].levels``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "<document>"


def validate_data(path: Path, data: Any, model: type[M]) -> M:
    """Validate already-parsed data against ``model``; errors name ``path`` and the field."""
    if data is None:
        raise ContentError.single(path, "<document>", "file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(Path(path), field_path(err["loc"]), err["msg"]) for err in exc.errors()]
        raise ContentError(problems) from None


def load(path: Path, model: type[M]) -> M:
    """Read and validate one YAML content file."""
    return validate_data(Path(path), read_yaml(Path(path)), model)


@lru_cache(maxsize=256)
def _load_stamped(path: Path, stamp: tuple[int, int], model: type[M]) -> M:
    return load(path, model)


def load_cached(path: Path, model: type[M]) -> M:
    """:func:`load`, cached per file, modification time and size: for the (frozen) content
    models the grader reads again for every notebook it judges."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise ContentError.single(path, "<file>", f"cannot be read: {exc}") from None
    return _load_stamped(path, (st.st_mtime_ns, st.st_size), model)
