"""Exercises and instant checks: the quiz machinery behind the ``check_...`` functions and
:class:`ChoiceStore`, the save file behind choice widgets.

A :class:`Quiz` shows its questions in the notebook (it renders itself as Markdown) and
:func:`check_quiz` marks a dict of answers, with feedback aimed at the likely error that
does not give the answer away.

A choice widget (the lesson 00 demo, the lesson 02 sorting exercise) records one choice
per question. ``ChoiceStore`` writes them to a JSON file in the working folder on every
change (atomically) and reads them back on re-run. A corrupt file is moved aside, never
deleted, and the student starts fresh with a message instead of a traceback.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course_lib.display import CheckResult
from course_lib.savefile import read_json, set_aside, write_json_atomic

FORMAT = "course-lib-choices"
VERSION = 1
MAX_FILE_BYTES = 1_000_000


def parse_choices(
    data: Any, kind: str, allowed: Mapping[str, Sequence[str]]
) -> tuple[dict[str, str | None], bool]:
    """Validate a decoded save file; return ``(choices, checked)`` or raise ``ValueError``.

    Choices for questions that no longer exist are dropped (the content may have changed
    since the file was written); a choice outside a question's allowed values is an error.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    if data.get("kind") != kind:
        raise ValueError(f"holds answers for {data.get('kind')!r}, not {kind!r}")
    raw = data.get("choices")
    if not isinstance(raw, dict):
        raise ValueError("choices must be an object")
    choices: dict[str, str | None] = {}
    for key, value in raw.items():
        if key not in allowed:
            continue
        if value is not None and value not in allowed[key]:
            raise ValueError(f"the answer to {key!r} must be one of {', '.join(allowed[key])}")
        choices[key] = value
    checked = data.get("checked", False)
    if not isinstance(checked, bool):
        raise ValueError("checked must be true or false")
    return choices, checked


class ChoiceStore:
    """One choice per question, saved to ``path`` on every change.

    ``allowed`` maps each question id to the values it may take. ``message`` is set when
    an unreadable file was moved aside; ``restored`` counts the answers read back.
    """

    def __init__(self, path: Path | str, kind: str, allowed: Mapping[str, Sequence[str]]):
        self.path = Path(path)
        self.kind = kind
        self.allowed = {k: tuple(v) for k, v in allowed.items()}
        self.choices: dict[str, str | None] = {}
        self.checked = False
        self.message: str | None = None
        self.notice: str | None = None  # e.g. the file was renamed from an older name
        self._load()

    @property
    def restored(self) -> int:
        """How many answered questions the store holds (after loading: how many were restored)."""
        return sum(1 for v in self.choices.values() if v is not None)

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = read_json(self.path, MAX_FILE_BYTES)
            self.choices, self.checked = parse_choices(data, self.kind, self.allowed)
        except (ValueError, OSError) as exc:
            self._move_aside(exc)

    def _move_aside(self, exc: Exception) -> None:
        self.message = set_aside(self.path, exc)
        self.choices, self.checked = {}, False

    def get(self, key: str) -> str | None:
        """The saved choice for one question (``None`` if unanswered)."""
        return self.choices.get(key)

    def set(self, key: str, value: str | None) -> None:
        """Record one choice and save at once (refused once the answers are checked)."""
        if key not in self.allowed:
            raise KeyError(f"unknown question {key!r}")
        if value is not None and value not in self.allowed[key]:
            raise ValueError(f"the answer to {key!r} must be one of {', '.join(self.allowed[key])}")
        if self.checked:
            raise PermissionError("these answers have been checked; start again to change them")
        self.choices[key] = value
        self.save()

    def missing(self) -> list[str]:
        """Question ids still unanswered, in the order of ``allowed``."""
        return [k for k in self.allowed if self.choices.get(k) is None]

    def mark_checked(self) -> None:
        """Lock the answers: they were checked and the feedback is showing."""
        self.checked = True
        self.save()

    def reset(self) -> None:
        """Clear every answer and unlock (a fresh attempt)."""
        self.choices, self.checked = {}, False
        self.save()

    def to_json(self) -> dict[str, Any]:
        """The whole save file as JSON-ready data."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "checked": self.checked,
            "choices": {k: self.choices.get(k) for k in self.allowed},
        }

    def save(self) -> None:
        """Write the file atomically: a crash mid-write never leaves a half-written file."""
        write_json_atomic(self.path, self.to_json())


def demonstrate_corrupt_file(folder: Path | str) -> str:
    """Write a deliberately broken save file in ``folder``, open it, return the message shown.

    Used in lesson 00 to show, in a throwaway folder, what happens to a corrupt save file.
    """
    path = Path(folder) / "demo_answers.json"
    path.write_text('{"format": "course-lib-choices", "choices": {', encoding="utf-8")
    store = ChoiceStore(path, kind="demo", allowed={"q": ("a", "b")})
    return store.message or ""


@dataclass(frozen=True)
class Question:
    """One question: options as ``(key, text)`` pairs, the key, and feedback per wrong key."""

    id: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    answer: str
    explanation: str
    feedback: Mapping[str, str] = field(default_factory=dict)

    def option_text(self, key: str) -> str:
        """The text of one option."""
        return dict(self.options)[key]


@dataclass(frozen=True)
class Quiz:
    """A titled list of questions; displays itself as Markdown."""

    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]

    def __repr__(self) -> str:
        return f"{self.title} ({len(self.questions)} questions)"

    def blank(self) -> dict[str, None]:
        """An answers dict with every question unanswered."""
        return dict.fromkeys((q.id for q in self.questions), None)

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.title}**", "", self.intro, ""]
        for q in self.questions:
            lines.append(f"- **{q.id}**: {q.prompt}")
            lines.extend(f"    - `{key}`: {text}" for key, text in q.options)
        return "\n".join(lines)


def normalise_choice(value: Any) -> str | None:
    """Trim and lower-case a typed choice; ``None`` or blank means unanswered."""
    if value is None:
        return None
    text = str(value).strip().strip("()").strip().lower()
    return text or None


#: What a numeric check says when the student has not replaced ``None`` yet.
NOT_ANSWERED = "not answered yet: replace None with your answer"


def is_number(value: object) -> bool:
    """True for a real number (``True`` and ``False`` are not numbers here)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_quiz(quiz: Quiz, answers: Mapping[str, Any]) -> CheckResult:
    """Mark ``answers`` (question id -> option key) against ``quiz``."""
    if not isinstance(answers, Mapping):
        return CheckResult(
            False, quiz.title, "Give your answers as a dict, e.g. {'q1': 'b', 'q2': 'a'}."
        )
    unknown = sorted(set(map(str, answers)) - {q.id for q in quiz.questions})
    details, right, unanswered = [], 0, 0
    for q in quiz.questions:
        choice = normalise_choice(answers.get(q.id))
        keys = [k for k, _ in q.options]
        if choice is None:
            unanswered += 1
            details.append(f"? {q.id}: not answered yet.")
        elif choice not in keys:
            details.append(f"✗ {q.id}: {choice!r} is not one of the options ({', '.join(keys)}).")
        elif choice == q.answer:
            right += 1
            details.append(f"✓ {q.id}: correct. {q.explanation}")
        else:
            hint = q.feedback.get(choice, "Look again at the part of the lesson it comes from.")
            details.append(f"✗ {q.id}: not {choice}. {hint}")
    if unknown:
        details.append(f"Ignored unknown question ids: {', '.join(unknown)}.")
    n = len(quiz.questions)
    if unanswered == n:
        return CheckResult(
            False,
            quiz.title,
            "Nothing answered yet: replace each None with the key of an option (in quotes), "
            "then run the cell again.",
            tuple(details),
        )
    passed = right == n
    feedback = f"{right} of {n} correct." + ("" if passed else " Read the notes, then try again.")
    return CheckResult(passed, quiz.title, feedback, tuple(details))


def quiz_from_yaml(text: str) -> Quiz:
    """Build a quiz from YAML: ``id``, ``title``, ``intro``, optional shared ``options``, and
    ``questions`` (each ``id``, ``prompt``, ``options`` unless shared, ``answer``,
    ``explanation``, optional ``feedback`` per wrong option). Raises ``ValueError`` if
    inconsistent."""
    import yaml

    data = yaml.safe_load(text)
    shared = data.get("options")
    questions = []
    for raw in data["questions"]:
        options = raw.get("options", shared)
        if not options:
            raise ValueError(f"{data['id']}.{raw['id']}: no options")
        keys = [str(k) for k in options]
        feedback = {str(k): str(v) for k, v in (raw.get("feedback") or {}).items()}
        if raw["answer"] not in keys or not set(feedback) <= set(keys) - {raw["answer"]}:
            raise ValueError(f"{data['id']}.{raw['id']}: answer or feedback keys not in options")
        questions.append(
            Question(
                str(raw["id"]),
                str(raw["prompt"]),
                tuple((str(k), str(v)) for k, v in options.items()),
                str(raw["answer"]),
                str(raw["explanation"]),
                feedback,
            )
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{data['id']}: question ids repeat")
    return Quiz(str(data["id"]), str(data["title"]), str(data["intro"]), tuple(questions))
