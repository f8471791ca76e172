"""Assignment 4 (what to say): the grader's verdicts, the public checks and the leak check.

* the reference reads the instructor-side key and gives, per moment, each option's verdict,
  credit and feedback; the ``response_credit`` comparison gives best 1, acceptable 0.5 and
  poor 0 of a moment's share, and the feedback names the verdict of the chosen option;
* the public checks test only the shape of a student's dict, never read the key, and judge
  only the public worked example;
* the release leak check refuses a student file holding the key's answers or feedback, and
  lets a feedback page returned after grading quote the feedback on a chosen option.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course_lib.content import responses
from course_lib.content.responses import load_assignment_moments, load_response_key
from course_lib.exercises import assignment_checks as ac
from course_lib.grading.references import REFERENCES, response_verdicts
from course_lib.grading.release import find_leaks
from course_lib.grading.response_verdicts import response_credits
from course_lib.grading.spec import Compare, Question
from course_lib.grading.verdict import CourseContext, compare_value, judge_capture

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "course"
CONTEXT = CourseContext(keys_dir=COURSE / "keys", assets=REPO / "assets")
RULE = Compare(kind="response_credit")
QUESTION = Question(capture="choice", reference="a4_oppositional_verdicts", compare=RULE)


def _verdicts(pole: str) -> dict:
    return response_verdicts(pole, course=CONTEXT)


def _pick(want: dict, verdict: str) -> dict[str, str]:
    """For every moment, an option with ``verdict`` (moments without one are left out)."""
    out = {}
    for moment_id, entry in want.items():
        found = [o for o, v in entry["options"].items() if v["verdict"] == verdict]
        if found:
            out[moment_id] = found[0]
    return out


def test_the_references_give_each_poles_moments_from_the_key() -> None:
    moments = load_assignment_moments()
    key = load_response_key(moments)
    for pole, name, ids in (
        ("oppositional", "a4_oppositional_verdicts", ac.A4_OPPOSITIONAL_MOMENTS),
        ("compliant", "a4_compliant_verdicts", ac.A4_COMPLIANT_MOMENTS),
    ):
        want = REFERENCES[name](None, course=CONTEXT)
        assert tuple(want) == ids == tuple(m.id for m in moments.of_pole(pole))
        assert json.loads(json.dumps(want)) == want
        for moment_id, entry in want.items():
            assert entry["title"] == moments.moment(moment_id).title
            for option, verdict in entry["options"].items():
                keyed = key.moments[moment_id].verdicts[option]
                assert verdict["verdict"] == keyed.verdict
                assert (
                    verdict["credit"]
                    == {"best": 1.0, "acceptable": 0.5, "poor": 0.0}[keyed.verdict]
                )


def test_best_earns_full_acceptable_half_and_poor_no_credit() -> None:
    want = _verdicts("oppositional")
    assert compare_value(_pick(want, "best"), want, RULE) == 1.0
    acceptable = _pick(want, "acceptable")
    assert len(acceptable) == len(want)
    assert compare_value(acceptable, want, RULE) == 0.5
    assert compare_value(_pick(want, "poor"), want, RULE) == 0.0
    mixed = {**_pick(want, "best"), **dict(list(_pick(want, "poor").items())[:1])}
    assert compare_value(mixed, want, RULE) == pytest.approx(0.75)
    for nothing in (None, {}, "d", ["a"], {m: 3 for m in want}):
        assert compare_value(nothing, want, RULE) == 0.0


def test_a_choice_is_read_leniently_but_never_guessed() -> None:
    want = _verdicts("compliant")
    best = _pick(want, "best")
    spaced = {m: f" ({o.upper()}) " for m, o in best.items()}
    assert compare_value(spaced, want, RULE) == 1.0
    first = next(iter(want))
    judged = dict((t, (c, text)) for t, c, text in response_credits({first: "z"}, want))
    title = want[first]["title"]
    assert judged[title][0] == 0.0 and "not one of the options" in judged[title][1]


def test_feedback_names_the_verdict_and_reasoning_of_each_chosen_option() -> None:
    want = _verdicts("oppositional")
    moment_ids = list(want)
    got = {moment_ids[0]: _pick(want, "best")[moment_ids[0]]}
    got[moment_ids[1]] = _pick(want, "poor")[moment_ids[1]]
    result = judge_capture("a4_oppositional", QUESTION, {"ok": True, "value": got}, [want])
    assert result.fraction == pytest.approx(0.25)  # best, poor and two left blank
    assert result.feedback == QUESTION.feedback
    first, second, third, _ = result.details
    entry = want[moment_ids[0]]
    choice = got[moment_ids[0]]
    assert first == (
        f"“{entry['title']}”: you chose ({choice}), rated best (full credit): "
        f"{entry['options'][choice]['feedback']}"
    )
    assert "rated poor (no credit)" in second
    assert third.endswith("not answered (no credit).")
    full = judge_capture(
        "a4_oppositional", QUESTION, {"ok": True, "value": _pick(want, "best")}, [want]
    )
    assert full.fraction == 1.0 and full.feedback.startswith("Every response")
    missing = judge_capture("a4_oppositional", QUESTION, None, [want])
    assert missing.fraction == 0.0


# --------------------------------------------------------------------------- public checks


def test_the_public_ids_match_the_moments_in_assets() -> None:
    moments = load_assignment_moments()
    assert tuple(m.id for m in moments.of_pole("oppositional")) == ac.A4_OPPOSITIONAL_MOMENTS
    assert tuple(m.id for m in moments.of_pole("compliant")) == ac.A4_COMPLIANT_MOMENTS
    assert tuple(m.id for m in moments.writing) == ac.A4_WRITING_MOMENTS


def test_the_public_checks_never_read_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a public check read the instructor key")

    monkeypatch.setattr(responses, "load_response_key", refuse)
    monkeypatch.setattr(responses, "key_path", refuse)
    # Every letter passes the shape check, whatever its verdict: the check cannot be an oracle.
    for letter in "abc":
        assert ac.check_oppositional_choices(dict.fromkeys(ac.A4_OPPOSITIONAL_MOMENTS, letter))
        assert ac.check_compliant_choices(dict.fromkeys(ac.A4_COMPLIANT_MOMENTS, letter))
    ac.check_worked_example("a")


def test_the_worked_example_check_explains_every_option() -> None:
    example = load_assignment_moments().worked_example
    best = ac.check_worked_example(example.best.id.upper())
    assert best.passed and f"You chose ({example.best.id}), rated best" in best.feedback
    assert len(best.details) == len(example.options)
    poor = next(o for o in example.options if o.verdict == "poor")
    result = ac.check_worked_example(poor.id)
    assert not result.passed and "rated poor" in result.feedback
    assert any(" ".join(poor.feedback.split()) in d for d in result.details)


# --------------------------------------------------------------------------- the leak check


def _released(folder: Path, extra: str) -> Path:
    """A released a4 notebook with ``extra`` added as a markdown cell (as an instructor might)."""
    nb = nbformat.read(COURSE / "source" / "a4_what_to_say" / "a4_what_to_say.ipynb", 4)
    nb.cells = [c for c in nb.cells if not c.metadata["nbgrader"].get("solution")]
    nb.cells.append(nbformat.v4.new_markdown_cell(extra))
    path = folder / "a4_what_to_say" / "a4_what_to_say.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def test_a_release_without_solutions_has_no_leak(tmp_path: Path) -> None:
    _released(tmp_path, "An ordinary hint: read the context first.")
    assert find_leaks(tmp_path, COURSE) == []


def test_the_leak_check_catches_the_keys_answers_and_feedback(tmp_path: Path) -> None:
    key = load_response_key()
    moment_id, entry = next(iter(key.moments.items()))
    best = next(o for o, v in entry.verdicts.items() if v.verdict == "best")
    feedback = " ".join(next(iter(entry.verdicts.values())).feedback.split())
    _released(tmp_path / "a", f'Hint: `{{"{moment_id}": "{best}"}}`')
    _released(tmp_path / "b", f"Note for students: {feedback}")
    assert any("instructor-only" in leak for leak in find_leaks(tmp_path / "a", COURSE))
    assert any("instructor-only" in leak for leak in find_leaks(tmp_path / "b", COURSE))
    # A feedback page returned after grading may quote the feedback, never the answers.
    assert find_leaks(tmp_path / "b", COURSE, graded=True) == []
    assert find_leaks(tmp_path / "a", COURSE, graded=True) != []


def test_the_assets_hold_no_verdict_of_an_assignment_moment() -> None:
    key = load_response_key()
    assets_text = " ".join(
        " ".join(p.read_text(encoding="utf-8").split())
        for p in (REPO / "assets").rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".json", ".csv"}
    )
    for entry in key.moments.values():
        for verdict in entry.verdicts.values():
            assert " ".join(verdict.feedback.split())[:80] not in assets_text
