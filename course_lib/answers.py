"""Student answers for the case scorer: a plain JSON save file that is never lost.

Answers are saved on every change (atomic write: temp file, then rename) and restored
when the notebook is re-run or the kernel restarts. A corrupt file is moved aside (kept,
never deleted) and the student starts fresh with a clear message. The same file is what
an assignment grades, so :func:`parse_answers` is strict and never trusts its input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course_lib.savefile import read_json, set_aside, write_json_atomic

FORMAT = "course-lib-answers"
VERSION = 1
CHOICES = {
    "band": ("low", "mid", "high"),
    "trait_or_state": ("trait", "state"),
    "stance": ("self_directed", "collaborative", "structured"),
}
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class CaseAnswer:
    """A student's answers for one case; ``None`` means not answered yet."""

    ratings: dict[str, int | None] = field(default_factory=dict)
    band: str | None = None
    trait_or_state: str | None = None
    stance: str | None = None
    checked: bool = False

    def missing(self, marker_ids: list[str]) -> list[str]:
        """Names of what is still unanswered (marker ids, then choice fields)."""
        gaps = [m for m in marker_ids if self.ratings.get(m) is None]
        return gaps + [name for name in CHOICES if getattr(self, name) is None]

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored in the save file."""
        return {
            "ratings": dict(self.ratings),
            "band": self.band,
            "trait_or_state": self.trait_or_state,
            "stance": self.stance,
            "checked": self.checked,
        }


def _parse_case(case_id: str, raw: Any) -> CaseAnswer:
    if not isinstance(raw, dict):
        raise ValueError(f"case {case_id!r}: must be an object")
    unknown = set(raw) - {"ratings", "band", "trait_or_state", "stance", "checked"}
    if unknown:
        raise ValueError(f"case {case_id!r}: unknown fields {sorted(unknown)}")
    ratings_raw = raw.get("ratings", {})
    if not isinstance(ratings_raw, dict):
        raise ValueError(f"case {case_id!r}: ratings must be an object")
    ratings: dict[str, int | None] = {}
    for marker, value in ratings_raw.items():
        if value is not None and (isinstance(value, bool) or value not in (0, 1, 2, 3)):
            raise ValueError(f"case {case_id!r}: rating for {marker!r} must be 0-3 or null")
        ratings[str(marker)] = None if value is None else int(value)
    choices: dict[str, str | None] = {}
    for name, allowed in CHOICES.items():
        value = raw.get(name)
        if value is not None and value not in allowed:
            raise ValueError(f"case {case_id!r}: {name} must be one of {', '.join(allowed)}")
        choices[name] = value
    checked = raw.get("checked", False)
    if not isinstance(checked, bool):
        raise ValueError(f"case {case_id!r}: checked must be true or false")
    return CaseAnswer(ratings=ratings, checked=checked, **choices)


def parse_answers(data: Any) -> dict[str, CaseAnswer]:
    """Validate a decoded save file and return its answers by case id (raises ``ValueError``)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    cases = data.get("cases")
    if not isinstance(cases, dict):
        raise ValueError("cases must be an object")
    return {str(cid): _parse_case(str(cid), raw) for cid, raw in cases.items()}


def read_answers(path: Path) -> dict[str, CaseAnswer]:
    """Read and validate a save file; raises ``ValueError`` (or ``OSError``) on any problem."""
    return parse_answers(read_json(Path(path), MAX_FILE_BYTES))


class AnswerStore:
    """Answers for a set of cases, persisted to ``path`` on every change."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.message: str | None = None
        self.answers: dict[str, CaseAnswer] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            self.answers = read_answers(self.path)
        except (ValueError, OSError) as exc:
            self.message = set_aside(self.path, exc)
            self.answers = {}

    def get(self, case_id: str) -> CaseAnswer:
        """The answers for one case (empty if none yet)."""
        return self.answers.get(case_id, CaseAnswer())

    def update(self, case_id: str, answer: CaseAnswer) -> None:
        """Replace one case's answers and save at once (unchanged in memory if saving fails)."""
        previous = self.answers.get(case_id)
        self.answers[case_id] = answer
        try:
            self.save()
        except BaseException:
            if previous is None:
                del self.answers[case_id]
            else:
                self.answers[case_id] = previous
            raise

    def set_rating(self, case_id: str, marker_id: str, value: int | None) -> CaseAnswer:
        """Record one marker rating (refused once the case is checked)."""
        current = self.get(case_id)
        if current.checked:
            raise PermissionError(f"case {case_id} is checked; its answers are locked")
        if value is not None and (isinstance(value, bool) or value not in (0, 1, 2, 3)):
            raise ValueError(f"a rating must be 0-3 (got {value!r})")
        answer = replace(current, ratings={**current.ratings, marker_id: value})
        self.update(case_id, answer)
        return answer

    def set_choice(self, case_id: str, name: str, value: str | None) -> CaseAnswer:
        """Record the band, trait_or_state or stance (refused once the case is checked)."""
        if name not in CHOICES:
            raise ValueError(f"unknown choice {name!r}")
        if value is not None and value not in CHOICES[name]:
            raise ValueError(f"{name} must be one of {', '.join(CHOICES[name])}")
        current = self.get(case_id)
        if current.checked:
            raise PermissionError(f"case {case_id} is checked; its answers are locked")
        answer = replace(current, **{name: value})
        self.update(case_id, answer)
        return answer

    def lock(self, case_id: str) -> CaseAnswer:
        """Mark a case as checked: its answers are committed before the key is revealed."""
        answer = replace(self.get(case_id), checked=True)
        self.update(case_id, answer)
        return answer

    def to_json(self) -> dict[str, Any]:
        """The whole save file as JSON-ready data."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "cases": {cid: a.to_json() for cid, a in sorted(self.answers.items())},
        }

    def save(self) -> None:
        """Write the file atomically: a crash mid-write never leaves a half-written file."""
        write_json_atomic(self.path, self.to_json())
