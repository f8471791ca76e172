"""Worked sessions: an annotated first ten minutes with a client at one pole.

``assets/sessions/first_ten_minutes_<pole>.yaml`` holds a fictional transcript written for
the course. Every therapist turn carries an annotation (what the move is and the evidence
or reasoning behind it) and a directiveness rating on the course's own 0-3 scale
(:data:`DIRECTIVENESS_LEVELS`), which lesson 06 charts across the ten minutes. Client
turns may carry a note on what to notice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from course_lib import paths
from course_lib.content.base import Identifier, Strict, Text
from course_lib.content.loader import load
from course_lib.content.responses import POLES, Pole

SESSION_FILE = "sessions/first_ten_minutes_{pole}.yaml"
#: The course's coding of how directive a therapist turn is (a teaching convention).
DIRECTIVENESS_LEVELS: dict[int, str] = {
    0: "follows: reflects, summarises or asks an open question; the client leads",
    1: "offers: gives information or a menu of options, and the client chooses",
    2: "proposes: suggests one plan or task and asks for the client's view",
    3: "directs: sets the task, the agenda or the rule",
}


class SessionTurn(Strict):
    """One turn of a worked session, with its annotation."""

    speaker: Literal["Therapist", "Client"]
    minute: float = Field(ge=0, le=10, description="minutes into the session")
    text: Text
    note: Text | None = None
    directiveness: int | None = Field(default=None, ge=0, le=3)

    @model_validator(mode="after")
    def _therapist_annotated(self) -> SessionTurn:
        if self.speaker == "Therapist" and (self.note is None or self.directiveness is None):
            raise ValueError("every therapist turn needs a note and a directiveness rating (0-3)")
        if self.speaker == "Client" and self.directiveness is not None:
            raise ValueError("directiveness is rated for therapist turns only")
        return self


class WorkedSession(Strict):
    """An annotated first ten minutes with one (fictional) client."""

    id: Identifier
    title: Text
    pole: Pole
    practice_material: Literal[True]
    notice: Text
    client: Text
    setting: Text
    turns: list[SessionTurn] = Field(min_length=12)
    after: Text = Field(description="where the session goes next, and what to take from it")
    references: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _dialogue_in_time(self) -> WorkedSession:
        if {t.speaker for t in self.turns} != {"Therapist", "Client"}:
            raise ValueError("a session needs both Therapist and Client turns")
        minutes = [t.minute for t in self.turns]
        if minutes != sorted(minutes):
            raise ValueError("turn minutes must not go backwards")
        return self

    def therapist_turns(self) -> list[SessionTurn]:
        """The therapist's turns, in order."""
        return [t for t in self.turns if t.speaker == "Therapist"]


def session_path(pole: str, assets: Path | None = None) -> Path:
    """Path of one pole's worked session."""
    folder = Path(assets) if assets is not None else paths.assets_dir()
    return folder / SESSION_FILE.format(pole=pole)


def load_session(pole: str, assets: Path | None = None) -> WorkedSession:
    """Load and validate one pole's worked first ten minutes."""
    from course_lib.content.errors import ContentError

    if pole not in POLES:
        raise ValueError(f"pole must be one of {', '.join(POLES)} (got {pole!r})")
    path = session_path(pole, assets)
    session = load(path, WorkedSession)
    if session.pole != pole:
        raise ContentError.single(path, "pole", f"must be {pole!r} (the file name)")
    return session
