"""Response practice: client moments and the therapist responses offered for each.

A *moment* is a point in a session where the therapist has to say something: a client's
"yes, but", a too-quick agreement, a missed task. It gives who the client is, what just
happened, the client's words and three or four therapist responses written for the course.

* A lesson set (``assets/responses/lesson06_<pole>.yaml``) is practice material for one
  pole: every option carries its ``verdict`` (best, acceptable or poor) and ``feedback``
  tied to the evidence, shown after the student commits to one option.
* The assignment set (``assets/responses/a4_moments.yaml``) carries the moments and their
  options but **no verdicts**: students can read everything in ``assets/``. Its key lives
  instructor-side in ``notebooks/course/keys/responses/a4_moments.yaml``
  (:class:`ResponseKeyFile`). Its one ``worked_example`` is public, verdicts included, and
  its ``writing`` moments have no options: the student answers them in their own words.

A moment may carry a ``write_prompt``: the student also writes their own response.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from course_lib import paths
from course_lib.content.base import Identifier, Strict, Text
from course_lib.content.errors import ContentError, Problem
from course_lib.content.loader import load, load_cached

Pole = Literal["oppositional", "compliant"]
POLES: tuple[str, ...] = ("oppositional", "compliant")
Verdict = Literal["best", "acceptable", "poor"]
OptionId = Literal["a", "b", "c", "d"]
#: Share of a moment's credit each verdict earns in Assignment 4.
VERDICT_CREDIT: dict[str, float] = {"best": 1.0, "acceptable": 0.5, "poor": 0.0}
VERDICT_LABELS: dict[str, str] = {"best": "Best", "acceptable": "Acceptable", "poor": "Poor"}
MomentKind = Literal[
    "yes_but",
    "refused_task",
    "just_tell_me",
    "quick_agreement",
    "silent_non_completion",
    "reassurance",
    "suspicion",
    "missed_task",
    "dont_know",
    "challenge",
    "fine_not_done",
    "discord",
    "silence",
    "mandated",
    "legitimate_refusal",
    "wants_to_stop",
    "defers_decision",
    "crisis_dependency",
    "between_sessions",
    "apology",
]
KIND_LABELS: dict[str, str] = {
    "yes_but": "“Yes, but…”",
    "refused_task": "A refused task",
    "just_tell_me": "“Just tell me what to do”",
    "quick_agreement": "Too-quick agreement",
    "silent_non_completion": "A task left undone, and not mentioned",
    "reassurance": "A request for reassurance",
    "suspicion": "Suspicion of the therapist's motives",
    "missed_task": "A missed task",
    "dont_know": "“I don't know”",
    "challenge": "A challenge to the therapist",
    "fine_not_done": "“It was fine” (and it was not done)",
    "discord": "Discord in the room",
    "silence": "Silence",
    "mandated": "A mandated client",
    "legitimate_refusal": "A refusal that is the client's right",
    "wants_to_stop": "“What's the point?”",
    "defers_decision": "“You decide”",
    "crisis_dependency": "Dependence in a crisis",
    "between_sessions": "Checking in between sessions",
    "apology": "Apologising",
}
MIN_LESSON_MOMENTS = 10
LESSON_FILE = "responses/lesson06_{pole}.yaml"
ASSIGNMENT_FILE = "responses/a4_moments.yaml"
KEY_FILE = "responses/a4_moments.yaml"  # under notebooks/course/keys/


def _ids_in_order(ids: list[str]) -> None:
    expected = ["a", "b", "c", "d"][: len(ids)]
    if ids != expected:
        raise ValueError(
            f"option ids must be {', '.join(expected)} in order (got {', '.join(ids)})"
        )


def _verdicts_make_sense(verdicts: list[str]) -> None:
    if verdicts.count("best") != 1:
        raise ValueError(f"exactly one option must be best (found {verdicts.count('best')})")
    if "poor" not in verdicts:
        raise ValueError("at least one option must be poor (a moment teaches a contrast)")


class Option(Strict):
    """A therapist response offered for a moment, with its verdict and feedback (lessons)."""

    id: OptionId
    text: Text
    verdict: Verdict
    feedback: Text


class OfferedResponse(Strict):
    """A therapist response offered for an assignment moment: no verdict (that is the key)."""

    id: OptionId
    text: Text


class MomentBase(Strict):
    """What every moment has: the client, the situation and the client's words."""

    id: Identifier
    title: Text
    kind: MomentKind
    pole: Pole
    client: Text = Field(description="who the client is, in a sentence or two")
    context: Text = Field(description="what just happened in the session")
    client_says: Text
    write_prompt: Text | None = None

    @property
    def kind_label(self) -> str:
        """The moment's kind as shown to students."""
        return KIND_LABELS[self.kind]


class Moment(MomentBase):
    """A practice moment: every option carries its verdict and feedback."""

    options: list[Option] = Field(min_length=3, max_length=4)
    takeaway: Text

    @model_validator(mode="after")
    def _options_consistent(self) -> Moment:
        _ids_in_order([o.id for o in self.options])
        _verdicts_make_sense([o.verdict for o in self.options])
        return self

    def option(self, option_id: str) -> Option:
        """Look up one option by id."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def best(self) -> Option:
        """The best option."""
        return next(o for o in self.options if o.verdict == "best")


class AssignmentMoment(MomentBase):
    """An assignment moment: the options without verdicts."""

    options: list[OfferedResponse] = Field(min_length=3, max_length=4)

    @model_validator(mode="after")
    def _option_ids(self) -> AssignmentMoment:
        _ids_in_order([o.id for o in self.options])
        return self

    def option_ids(self) -> list[str]:
        """Option ids in order."""
        return [o.id for o in self.options]


class WritingMoment(MomentBase):
    """A moment the student answers only in their own words (graded by hand)."""

    write_prompt: Text


class _SetBase(Strict):
    id: Identifier
    title: Text
    practice_material: Literal[True]
    notice: Text
    references: list[Text] = Field(min_length=1)


def _unique(ids: list[str], what: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{what} ids must be unique; repeated: {', '.join(dupes)}")


class LessonMoments(_SetBase):
    """A lesson's practice moments for one pole."""

    pole: Pole
    moments: list[Moment] = Field(min_length=MIN_LESSON_MOMENTS)

    @model_validator(mode="after")
    def _one_pole(self) -> LessonMoments:
        _unique([m.id for m in self.moments], "moment")
        stray = [m.id for m in self.moments if m.pole != self.pole]
        if stray:
            raise ValueError(f"moments of another pole in the {self.pole} set: {', '.join(stray)}")
        return self

    def moment(self, moment_id: str) -> Moment:
        """Look up one moment by id."""
        for moment in self.moments:
            if moment.id == moment_id:
                return moment
        raise KeyError(moment_id)


class AssignmentMoments(_SetBase):
    """The assignment's moments (no verdicts) and one public worked example (with them)."""

    worked_example: Moment
    moments: list[AssignmentMoment] = Field(min_length=2)
    writing: list[WritingMoment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _both_poles(self) -> AssignmentMoments:
        every = [self.worked_example.id, *(m.id for m in self.moments)]
        _unique(every + [m.id for m in self.writing], "moment")
        for pole in POLES:
            if not any(m.pole == pole for m in self.moments):
                raise ValueError(f"the assignment needs moments of both poles (none: {pole})")
        return self

    def of_pole(self, pole: str) -> list[AssignmentMoment]:
        """The moments of one pole, in file order."""
        return [m for m in self.moments if m.pole == pole]

    def moment(self, moment_id: str) -> AssignmentMoment:
        """Look up one moment with options by id."""
        for moment in self.moments:
            if moment.id == moment_id:
                return moment
        raise KeyError(moment_id)

    def writing_moment(self, moment_id: str) -> WritingMoment:
        """Look up one writing moment by id."""
        for moment in self.writing:
            if moment.id == moment_id:
                return moment
        raise KeyError(moment_id)


class OptionVerdict(Strict):
    """The key's verdict on one assignment option and the feedback returned after grading."""

    verdict: Verdict
    feedback: Text


class MomentKey(Strict):
    """The key of one assignment moment: a verdict on every option."""

    verdicts: dict[OptionId, OptionVerdict]

    @model_validator(mode="after")
    def _one_best(self) -> MomentKey:
        _verdicts_make_sense([v.verdict for v in self.verdicts.values()])
        return self


class ResponseKeyFile(Strict):
    """The instructor-side key of the assignment moments (never released)."""

    set_id: Identifier
    moments: dict[Identifier, MomentKey]


def lesson_path(pole: str, assets: Path | None = None) -> Path:
    """Path of one pole's lesson moments."""
    folder = Path(assets) if assets is not None else paths.assets_dir()
    return folder / LESSON_FILE.format(pole=pole)


def assignment_path(assets: Path | None = None) -> Path:
    """Path of the assignment moments."""
    folder = Path(assets) if assets is not None else paths.assets_dir()
    return folder / ASSIGNMENT_FILE


def key_path(keys_dir: Path | None = None) -> Path:
    """Path of the assignment moments' instructor-side key."""
    folder = Path(keys_dir) if keys_dir is not None else paths.instructor_keys_dir()
    return folder / KEY_FILE


def load_lesson_moments(pole: str, assets: Path | None = None) -> LessonMoments:
    """Load and validate one pole's practice moments (errors name the file and field)."""
    if pole not in POLES:
        raise ValueError(f"pole must be one of {', '.join(POLES)} (got {pole!r})")
    path = lesson_path(pole, assets)
    moments = load(path, LessonMoments)
    if moments.pole != pole:
        raise ContentError.single(path, "pole", f"must be {pole!r} (the file name)")
    return moments


def load_assignment_moments(assets: Path | None = None) -> AssignmentMoments:
    """Load and validate the assignment moments (no verdicts)."""
    return load_cached(assignment_path(assets), AssignmentMoments)


def key_problems(path: Path, moments: AssignmentMoments, key: ResponseKeyFile) -> list[Problem]:
    """Check the key against the moments: one entry per moment, a verdict per option."""
    problems = []
    if key.set_id != moments.id:
        problems.append(Problem(path, "set_id", f"must be {moments.id!r} (the moment set's id)"))
    ids = [m.id for m in moments.moments]
    missing = [i for i in ids if i not in key.moments]
    extra = [i for i in key.moments if i not in ids]
    if missing:
        problems.append(Problem(path, "moments", f"no key for moments: {', '.join(missing)}"))
    if extra:
        problems.append(Problem(path, "moments", f"keys for unknown moments: {', '.join(extra)}"))
    for moment in moments.moments:
        entry = key.moments.get(moment.id)
        if entry is not None and sorted(entry.verdicts) != moment.option_ids():
            problems.append(
                Problem(
                    path,
                    f"moments.{moment.id}.verdicts",
                    f"must give a verdict for exactly the options {', '.join(moment.option_ids())}",
                )
            )
    return problems


def load_response_key(
    moments: AssignmentMoments | None = None,
    keys_dir: Path | None = None,
    assets: Path | None = None,
) -> ResponseKeyFile:
    """Load the instructor-side key of the assignment moments, checked against them."""
    moments = moments or load_assignment_moments(assets)
    path = key_path(keys_dir)
    key = load(path, ResponseKeyFile)
    problems = key_problems(path, moments, key)
    if problems:
        raise ContentError(problems)
    return key


def overlap_problems(
    lessons: list[LessonMoments], assignment: AssignmentMoments, path: Path
) -> list[Problem]:
    """An assignment moment must not reuse a lesson moment's id or the client's words."""
    used = {m.id: m for lesson in lessons for m in lesson.moments}
    words = {" ".join(m.client_says.lower().split()) for m in used.values()}
    problems = []
    for moment in [assignment.worked_example, *assignment.moments, *assignment.writing]:
        if moment.id in used:
            problems.append(Problem(path, moment.id, "this moment id is used in lesson 06"))
        elif " ".join(moment.client_says.lower().split()) in words:
            problems.append(
                Problem(path, f"{moment.id}.client_says", "the same words appear in lesson 06")
            )
    return problems
