"""Response-practice content: lesson 06's moments, Assignment 4's moments and key, sessions.

The real files load and cover what the lesson promises; broken copies fail with errors
that name the file and the field; ``validate`` reports them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from course_lib.content import ContentError
from course_lib.content.responses import (
    POLES,
    assignment_path,
    key_path,
    lesson_path,
    load_assignment_moments,
    load_lesson_moments,
    load_response_key,
)
from course_lib.content.sessions import load_session, session_path
from course_lib.content.validate import validate_assets

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "notebooks" / "course" / "keys"
#: Kinds of moment the issue asks lesson 06 to practise.
REQUIRED_KINDS = {
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
}
#: Authors a feedback text may cite; each one cited must be in the set's references.
CITED = ("Beutler", "Brehm", "Wicklund", "Miller", "Mitchell", "Norcross", "Seibel", "Dowd")


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def keys_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "keys"
    shutil.copytree(KEYS, dest)
    return dest


# --------------------------------------------------------------------------- the real files


@pytest.mark.parametrize("pole", POLES)
def test_each_pole_has_ten_or_more_moments_with_feedback_on_every_option(pole: str) -> None:
    moments = load_lesson_moments(pole)
    assert moments.pole == pole and len(moments.moments) >= 10
    assert sum(1 for m in moments.moments if m.write_prompt) >= 2
    for moment in moments.moments:
        assert 3 <= len(moment.options) <= 4
        assert [o.verdict for o in moment.options].count("best") == 1
        assert all(len(o.feedback.split()) >= 15 for o in moment.options), moment.id


def test_the_lesson_practises_every_kind_of_moment_the_issue_names() -> None:
    kinds = {m.kind for pole in POLES for m in load_lesson_moments(pole).moments}
    assert kinds >= REQUIRED_KINDS, REQUIRED_KINDS - kinds


def test_the_best_option_is_not_always_in_the_same_place() -> None:
    for pole in POLES:
        places = [m.best.id for m in load_lesson_moments(pole).moments]
        assert max(places.count(x) for x in set(places)) <= len(places) // 2, places


def test_every_author_cited_in_feedback_is_in_the_references() -> None:
    for pole in POLES:
        moments = load_lesson_moments(pole)
        refs = " ".join(moments.references)
        text = " ".join(o.feedback for m in moments.moments for o in m.options)
        text += " ".join(m.takeaway for m in moments.moments)
        for author in CITED:
            if author in text:
                assert author in refs, (pole, author)
        session = load_session(pole)
        notes = " ".join(t.note or "" for t in session.turns) + session.after
        for author in CITED:
            if author in notes:
                assert author in " ".join(session.references), (pole, author)


def test_no_option_is_judged_on_paradox() -> None:
    """The reference sheet: check the 2018 recommendations before grading anything on paradox."""
    texts = [
        o.text + o.feedback
        for pole in POLES
        for m in load_lesson_moments(pole).moments
        for o in m.options
    ]
    key = load_response_key()
    texts += [v.feedback for m in key.moments.values() for v in m.verdicts.values()]
    assert not [t for t in texts if re.search(r"paradox", t, re.I)]


def test_assignment_moments_carry_no_verdicts_and_the_key_covers_them() -> None:
    moments = load_assignment_moments()
    raw = assignment_path().read_text(encoding="utf-8")
    body = raw.split("\nmoments:\n", 1)[1]
    assert "verdict" not in body and "feedback" not in body
    key = load_response_key(moments)
    assert set(key.moments) == {m.id for m in moments.moments}
    assert {m.pole for m in moments.moments} == set(POLES)
    assert moments.writing and all(m.write_prompt for m in moments.writing)
    lesson_ids = {m.id for pole in POLES for m in load_lesson_moments(pole).moments}
    assert not lesson_ids & {m.id for m in moments.moments}


@pytest.mark.parametrize("pole", POLES)
def test_worked_sessions_span_ten_minutes_with_every_therapist_move_annotated(pole: str) -> None:
    session = load_session(pole)
    assert session.turns[0].minute == 0 and session.turns[-1].minute == 10
    assert all(t.note and t.directiveness is not None for t in session.therapist_turns())


def test_the_compliant_session_is_more_directive_than_the_oppositional_one() -> None:
    from course_lib.plots.responses import mean_directiveness

    assert mean_directiveness(load_session("compliant")) > mean_directiveness(
        load_session("oppositional")
    )


# --------------------------------------------------------------------------- broken copies


def _problem_text(exc: pytest.ExceptionInfo[ContentError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def test_two_best_options_are_reported_with_file_and_field(assets_copy: Path) -> None:
    path = lesson_path("oppositional", assets_copy)

    def two_best(data: dict) -> None:
        for option in data["moments"][1]["options"]:
            option["verdict"] = "best"

    _edit(path, two_best)
    with pytest.raises(ContentError) as exc:
        load_lesson_moments("oppositional", assets_copy)
    text = _problem_text(exc)
    assert f"{path}: moments[1]:" in text and "exactly one option must be best" in text


def test_a_missing_feedback_and_an_unknown_field_name_the_field(assets_copy: Path) -> None:
    path = lesson_path("compliant", assets_copy)

    def damage(data: dict) -> None:
        del data["moments"][0]["options"][2]["feedback"]
        data["moments"][3]["options"][0]["verdikt"] = "poor"

    _edit(path, damage)
    with pytest.raises(ContentError) as exc:
        load_lesson_moments("compliant", assets_copy)
    text = _problem_text(exc)
    assert f"{path}: moments[0].options[2].feedback: Field required" in text
    assert f"{path}: moments[3].options[0].verdikt:" in text


def test_a_verdict_in_the_assignment_set_is_refused(assets_copy: Path) -> None:
    path = assignment_path(assets_copy)
    _edit(path, lambda d: d["moments"][2]["options"][0].update(verdict="best"))
    with pytest.raises(ContentError) as exc:
        load_assignment_moments(assets_copy)
    assert f"{path}: moments[2].options[0].verdict:" in _problem_text(exc)


def test_a_key_that_misses_a_moment_or_an_option_is_refused(keys_copy: Path) -> None:
    path = key_path(keys_copy)

    def damage(data: dict) -> None:
        data["moments"].pop("a4-o2-how-old")
        data["moments"]["a4-c2-am-i-better"]["verdicts"]["d"] = {
            "verdict": "poor",
            "feedback": "An option the moment does not have.",
        }

    _edit(path, damage)
    with pytest.raises(ContentError) as exc:
        load_response_key(keys_dir=keys_copy)
    text = _problem_text(exc)
    assert f"{path}: moments: no key for moments: a4-o2-how-old" in text
    assert f"{path}: moments.a4-c2-am-i-better.verdicts:" in text


def test_a_session_turn_without_its_annotation_is_refused(assets_copy: Path) -> None:
    path = session_path("oppositional", assets_copy)
    _edit(path, lambda d: d["turns"][2].pop("note"))
    with pytest.raises(ContentError) as exc:
        load_session("oppositional", assets_copy)
    assert f"{path}: turns[2]:" in _problem_text(exc)


def test_validate_reports_a_reused_lesson_moment_and_a_broken_key(
    assets_copy: Path, keys_copy: Path
) -> None:
    lesson = load_lesson_moments("compliant", assets_copy)
    path = assignment_path(assets_copy)
    _edit(path, lambda d: d["moments"][0].update(client_says=lesson.moments[4].client_says))
    _edit(key_path(keys_copy), lambda d: d.update(set_id="something-else"))
    reports = {r.kind: r for r in validate_assets(assets_copy, keys_copy / "cases")}
    moments = reports["response moments"]
    assert moments.checked == 3 and moments.valid == 2
    assert [str(p) for p in moments.problems] == [
        f"{path}: a4-o1-apps.client_says: the same words appear in lesson 06"
    ]
    key_problems = [str(p) for p in reports["assignment response keys"].problems]
    assert key_problems == [
        f"{key_path(keys_copy)}: set_id: must be 'a4-moments' (the moment set's id)"
    ]
    assert reports["worked sessions"].valid == 2


def test_validate_passes_on_the_real_files() -> None:
    reports = validate_assets()
    for kind in ("response moments", "worked sessions", "assignment response keys"):
        report = next(r for r in reports if r.kind == kind)
        assert report.checked >= 1 and report.valid == report.checked and not report.problems
