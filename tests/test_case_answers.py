"""``case_answers.json``: what a submission answered on its own cases, as ``grade`` keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_lib.grading import case_answers
from course_lib.grading.spec import Question

RATED = Question(answers_file="a2.answers.json", cases=["c1", "c2"], reference="case_agreement")
STANCES = Question(
    capture="opening_stance",
    cases=["c1", "c2", "c3"],
    reference="opening_stances",
    compare={"kind": "choice_credit"},
)


def _save(folder: Path, cases: dict) -> None:
    data = {"format": "course-lib-answers", "version": 1, "cases": cases}
    (folder / "a2.answers.json").write_text(json.dumps(data))


def test_a_rated_question_keeps_the_saved_answers_of_the_students_own_cases(
    tmp_path: Path,
) -> None:
    _save(
        tmp_path,
        {
            "c1": {"ratings": {"m1": 2, "m2": None}, "band": "high", "stance": "structured"},
            "c9": {"ratings": {"m1": 3}, "band": "low"},  # not one of the student's cases
        },
    )
    assert case_answers.asks(RATED) == ("ratings", "band", "trait_or_state", "stance")
    got = case_answers.collect(RATED, tmp_path, None)
    assert set(got) == {"c1"}
    assert got["c1"]["ratings"] == {"m1": 2, "m2": None}
    assert (got["c1"]["band"], got["c1"]["trait_or_state"]) == ("high", None)


def test_a_missing_or_corrupt_answers_file_records_nothing(tmp_path: Path) -> None:
    assert case_answers.collect(RATED, tmp_path, None) == {}
    (tmp_path / "a2.answers.json").write_text("{not json")
    assert case_answers.collect(RATED, tmp_path, None) == {}


def test_stances_are_read_as_the_grader_reads_them_and_invalid_ones_left_out() -> None:
    payload = {"ok": True, "value": {"c1": " Structured ", "c2": "hug them", "c4": "structured"}}
    assert case_answers.asks(STANCES) == ("stance",)
    assert case_answers.collect(STANCES, Path("."), payload) == {"c1": {"stance": "structured"}}
    assert case_answers.collect(STANCES, Path("."), {"ok": False, "error": "x"}) == {}
    assert case_answers.collect(STANCES, Path("."), None) == {}


def test_other_questions_are_not_case_questions() -> None:
    plain = Question(capture="x", expected=1)
    other_credit = Question(capture="x", reference="other", compare={"kind": "choice_credit"})
    assert case_answers.asks(plain) == () == case_answers.asks(other_credit)


def test_the_file_round_trips_and_a_bad_file_is_named(tmp_path: Path) -> None:
    record = case_answers.entry(
        "ana", "a3", "a3", "a3_stances", STANCES, {"c1": {"stance": "structured"}}
    )
    path = tmp_path / case_answers.FILE
    case_answers.write(path, [record])
    assert case_answers.load(path) == [record]
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match=str(path)):
        case_answers.load(path)
    path.write_text(json.dumps({"format": case_answers.FORMAT, "version": 1, "submissions": [{}]}))
    with pytest.raises(ValueError, match="malformed"):
        case_answers.load(path)
