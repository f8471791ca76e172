"""The save file behind response practice: one committed choice and one written answer per moment.

:class:`ResponseStore` writes ``lesson06.answers.json`` (atomically) on every change and
reads it back on re-run. A choice can change until the student commits it; after that it
is locked, so the feedback on every option is only ever shown for a committed choice. A
written answer can be edited at any time. An unreadable file is moved aside (kept, never
deleted) and the student starts fresh with a message. Entries for moments the lesson no
longer has are kept as they are, so content changes never lose a student's writing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course_lib.savefile import read_json, set_aside, write_json_atomic

FORMAT = "course-lib-responses"
VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_WRITTEN = 4000  # characters in one written answer


@dataclass(frozen=True)
class MomentAnswer:
    """A student's work on one moment: the option chosen, whether it is committed, the text."""

    choice: str | None = None
    committed: bool = False
    written: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored in the save file."""
        return {"choice": self.choice, "committed": self.committed, "written": self.written}


def _parse_answer(moment_id: str, raw: Any, options: Sequence[str] | None) -> MomentAnswer:
    if not isinstance(raw, dict):
        raise ValueError(f"moment {moment_id!r}: must be an object")
    unknown = set(raw) - {"choice", "committed", "written"}
    if unknown:
        raise ValueError(f"moment {moment_id!r}: unknown fields {sorted(unknown)}")
    choice, committed, written = (
        raw.get("choice"),
        raw.get("committed", False),
        raw.get("written", ""),
    )
    if choice is not None and not isinstance(choice, str):
        raise ValueError(f"moment {moment_id!r}: choice must be a string or null")
    if options is not None and choice is not None and choice not in options:
        raise ValueError(f"moment {moment_id!r}: choice must be one of {', '.join(options)}")
    if not isinstance(committed, bool):
        raise ValueError(f"moment {moment_id!r}: committed must be true or false")
    if committed and choice is None:
        raise ValueError(f"moment {moment_id!r}: committed without a choice")
    if not isinstance(written, str) or len(written) > MAX_WRITTEN:
        raise ValueError(
            f"moment {moment_id!r}: written must be text of at most {MAX_WRITTEN} characters"
        )
    return MomentAnswer(choice, committed, written)


def parse_responses(
    data: Any, kind: str, allowed: Mapping[str, Sequence[str]]
) -> dict[str, MomentAnswer]:
    """Validate a decoded save file; return the answers by moment id (raises ``ValueError``).

    ``allowed`` maps each known moment to its option ids; an entry for another moment is
    checked for shape only and kept.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    if data.get("kind") != kind:
        raise ValueError(f"holds answers for {data.get('kind')!r}, not {kind!r}")
    moments = data.get("moments")
    if not isinstance(moments, dict):
        raise ValueError("moments must be an object")
    return {
        str(mid): _parse_answer(str(mid), raw, allowed.get(str(mid)))
        for mid, raw in moments.items()
    }


class ResponseStore:
    """Answers to a set of moments, saved to ``path`` on every change.

    ``allowed`` maps each moment id to its option ids. ``message`` is set when an
    unreadable file was moved aside.
    """

    def __init__(self, path: Path | str, kind: str, allowed: Mapping[str, Sequence[str]]):
        self.path = Path(path)
        self.kind = kind
        self.allowed = {k: tuple(v) for k, v in allowed.items()}
        self.answers: dict[str, MomentAnswer] = {}
        self.message: str | None = None
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = read_json(self.path, MAX_FILE_BYTES)
            self.answers = parse_responses(data, self.kind, self.allowed)
        except (ValueError, OSError) as exc:
            self.message = set_aside(self.path, exc)
            self.answers = {}

    def get(self, moment_id: str) -> MomentAnswer:
        """The answer to one moment (empty if none yet)."""
        return self.answers.get(moment_id, MomentAnswer())

    def _known(self, moment_id: str) -> None:
        if moment_id not in self.allowed:
            raise KeyError(f"unknown moment {moment_id!r}")

    def _update(self, moment_id: str, answer: MomentAnswer) -> MomentAnswer:
        previous = self.answers.get(moment_id)
        self.answers[moment_id] = answer
        try:
            self.save()
        except BaseException:
            if previous is None:
                del self.answers[moment_id]
            else:
                self.answers[moment_id] = previous
            raise
        return answer

    def choose(self, moment_id: str, option: str | None) -> MomentAnswer:
        """Record the option chosen (refused once the moment is committed)."""
        self._known(moment_id)
        if option is not None and option not in self.allowed[moment_id]:
            raise ValueError(f"the option must be one of {', '.join(self.allowed[moment_id])}")
        current = self.get(moment_id)
        if current.committed:
            raise PermissionError(f"moment {moment_id} is committed; its choice is locked")
        return self._update(moment_id, replace(current, choice=option))

    def commit(self, moment_id: str) -> MomentAnswer:
        """Lock the chosen option: it is committed before any feedback is shown."""
        self._known(moment_id)
        current = self.get(moment_id)
        if current.choice is None:
            raise ValueError("choose a response before committing")
        return self._update(moment_id, replace(current, committed=True))

    def write(self, moment_id: str, text: str) -> MomentAnswer:
        """Save the student's own response (editable at any time)."""
        self._known(moment_id)
        if len(text) > MAX_WRITTEN:
            raise ValueError(f"a written response can be at most {MAX_WRITTEN} characters")
        return self._update(moment_id, replace(self.get(moment_id), written=text))

    def to_json(self) -> dict[str, Any]:
        """The whole save file as JSON-ready data."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "moments": {mid: a.to_json() for mid, a in sorted(self.answers.items())},
        }

    def save(self) -> None:
        """Write the file atomically: a crash mid-write never leaves a half-written file."""
        write_json_atomic(self.path, self.to_json())
