"""The answers save file: atomic saves, restore, and never a traceback on a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_lib import answers, savefile
from course_lib.answers import FORMAT, VERSION, AnswerStore, CaseAnswer, parse_answers


def _file(cases: dict) -> dict:
    return {"format": FORMAT, "version": VERSION, "cases": cases}


def _aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.corrupt-*{path.suffix}"))


def test_missing_file_is_a_fresh_start_without_a_message(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "a.json")
    assert store.answers == {} and store.message is None
    assert store.get("p01") == CaseAnswer()
    assert not (tmp_path / "a.json").exists()  # nothing written until the first answer


def test_every_change_is_saved_atomically_and_restored(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.json"
    store = AnswerStore(path)
    store.set_rating("p01", "counters_suggestions", 3)
    store.set_choice("p01", "band", "high")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert data["cases"]["p01"]["ratings"] == {"counters_suggestions": 3}
    assert data["cases"]["p01"]["band"] == "high"
    assert data["cases"]["p01"]["checked"] is False
    assert [p.name for p in path.parent.iterdir()] == ["a.json"]  # no temp files left
    again = AnswerStore(path)
    assert again.message is None
    assert again.get("p01") == store.get("p01")


def test_a_failed_save_leaves_the_old_file_and_memory_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    store = AnswerStore(path)
    store.set_rating("p01", "m1", 1)
    before = path.read_text(encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(savefile.json, "dump", boom)  # the write inside write_json_atomic
    with pytest.raises(OSError, match="disk full"):
        store.set_rating("p01", "m1", 2)
    with pytest.raises(OSError):
        store.set_rating("p02", "m1", 2)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
    assert store.get("p01").ratings == {"m1": 1}
    assert "p02" not in store.answers


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"format": "something-else", "version": 1, "cases": {}}), "not a"),
        (json.dumps({"format": FORMAT, "version": 99, "cases": {}}), "unsupported version"),
        (json.dumps(_file({"p01": {"ratings": {"m1": 4}}})), "must be 0-3"),
        (json.dumps(_file({"p01": {"band": "extreme"}})), "band must be one of"),
        (json.dumps(_file({"p01": {"checked": "yes"}})), "checked must be"),
        (json.dumps(_file({"p01": {"score": 10}})), "unknown fields"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
    ids=[
        "corrupt-json",
        "wrong-format",
        "wrong-version",
        "rating-out-of-range",
        "bad-choice",
        "checked-not-bool",
        "unknown-field",
        "deeply-nested",
    ],
)
def test_an_unreadable_file_is_kept_aside_and_the_student_starts_fresh(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    store = AnswerStore(path)
    assert store.answers == {}
    assert store.message is not None
    assert reason in store.message
    assert "starting fresh" in store.message
    kept = _aside(path)
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    assert kept[0].name in store.message
    assert not path.exists()
    store.set_rating("p01", "m1", 0)  # and the fresh file works
    assert AnswerStore(path).get("p01").ratings == {"m1": 0}


def test_undecodable_bytes_are_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    store = AnswerStore(path)
    assert store.message and "could not be read" in store.message
    assert len(_aside(path)) == 1


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(_file({"p01": {"ratings": {"m1": 1}}})), encoding="utf-8")
    monkeypatch.setattr(answers, "MAX_FILE_BYTES", 20)
    store = AnswerStore(path)
    assert store.answers == {}
    assert store.message and "larger than 20 bytes" in store.message


def test_if_the_file_cannot_be_moved_aside_the_student_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.json"
    path.write_text("{", encoding="utf-8")

    def refuse(*args: object) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(savefile.os, "replace", refuse)
    store = AnswerStore(path)
    assert store.message and "left in place" in store.message
    assert path.read_text(encoding="utf-8") == "{"


@pytest.mark.parametrize("value", [4, -1, True, "2", 1.5, [1]])
def test_parse_answers_rejects_ratings_outside_0_to_3(value: object) -> None:
    with pytest.raises(ValueError, match="0-3"):
        parse_answers(_file({"p01": {"ratings": {"m1": value}}}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "not a"),
        ([], "not a"),
        ({"format": FORMAT, "version": VERSION}, "cases must be an object"),
        (_file({"p01": []}), "must be an object"),
        (_file({"p01": {"ratings": [1, 2]}}), "ratings must be an object"),
        (_file({"p01": {"stance": "paradoxical"}}), "stance must be one of"),
        (_file({"p01": {"trait_or_state": "both"}}), "trait_or_state must be one of"),
    ],
)
def test_parse_answers_is_strict(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_answers(data)


def test_parse_answers_accepts_a_complete_file_and_nulls() -> None:
    parsed = parse_answers(
        _file(
            {
                "p01": {
                    "ratings": {"m1": 0, "m2": 3, "m3": None},
                    "band": "low",
                    "trait_or_state": "state",
                    "stance": "structured",
                    "checked": True,
                }
            }
        )
    )
    answer = parsed["p01"]
    assert answer.ratings == {"m1": 0, "m2": 3, "m3": None}
    assert (answer.band, answer.trait_or_state, answer.stance, answer.checked) == (
        "low",
        "state",
        "structured",
        True,
    )
    assert answer.missing(["m1", "m2", "m3", "m4"]) == ["m3", "m4"]


def test_missing_lists_markers_then_choices() -> None:
    answer = CaseAnswer(ratings={"a": 1, "b": None}, band="mid")
    assert answer.missing(["a", "b", "c"]) == ["b", "c", "trait_or_state", "stance"]


def test_setters_validate_their_input(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "a.json")
    with pytest.raises(ValueError, match="0-3"):
        store.set_rating("p01", "m1", 5)
    with pytest.raises(ValueError, match="0-3"):
        store.set_rating("p01", "m1", True)
    with pytest.raises(ValueError, match="unknown choice"):
        store.set_choice("p01", "score", "high")
    with pytest.raises(ValueError, match="band must be one of"):
        store.set_choice("p01", "band", "extreme")
    assert store.answers == {}
    store.set_rating("p01", "m1", None)  # clearing an answer is allowed
    assert store.get("p01").ratings == {"m1": None}


def test_a_locked_case_refuses_changes_and_stays_locked_after_restore(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = AnswerStore(path)
    store.set_rating("p01", "m1", 2)
    store.lock("p01")
    with pytest.raises(PermissionError, match="locked"):
        store.set_rating("p01", "m1", 3)
    with pytest.raises(PermissionError, match="locked"):
        store.set_choice("p01", "band", "low")
    store.set_rating("p02", "m1", 1)  # other cases are unaffected
    again = AnswerStore(path)
    assert again.get("p01").checked is True
    assert again.get("p01").ratings == {"m1": 2}
    with pytest.raises(PermissionError):
        again.set_rating("p01", "m1", 0)
