"""Per-student variants: derivation, the case sets' design, identity and salt, the salt record.

The grading of whole submissions on their own variants (copies, another id typed, an edited
salt file, re-grading) is in ``test_variant_grading.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from course_lib.grading import per_student
from course_lib.grading.case_design import MIN_SETS, design_problems
from course_lib.grading.rows import Row
from course_lib.grading.similarity import annotate, similarity
from course_lib.grading.spec import load_spec
from course_lib.variants import (
    A2_ALWAYS,
    A3_ALWAYS,
    CASE_SETS,
    HUB_ENV,
    SALT_ENV,
    SALT_FILE,
    STUDENT_ENV,
    CaseSet,
    NotebookStop,
    course_salt,
    student_identity,
    variant_for,
    variant_note,
)

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "notebooks" / "course" / "keys"
SALT = "test-salt-0001"
CLASS = [f"student{n:02d}" for n in range(40)]


@pytest.fixture(autouse=True)
def no_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test with no identity or salt in the environment."""
    for name in (STUDENT_ENV, HUB_ENV, SALT_ENV):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- derivation


def test_a_variant_is_deterministic_and_ignores_case_and_spaces() -> None:
    first = variant_for("amara", SALT)
    assert variant_for("amara", SALT) == first  # a re-grade gives the same variant
    again = variant_for(" Amara ", SALT)
    assert (again.dataset_seed, again.case_set, again.a2_cases, again.a3_cases) == (
        first.dataset_seed,
        first.case_set,
        first.a2_cases,
        first.a3_cases,
    )
    assert first.dataset() == variant_for("amara", SALT).dataset()  # the same rows, twice


def test_students_get_different_variants_and_cohorts_get_new_ones() -> None:
    variants = [variant_for(s, SALT) for s in CLASS]
    assert len({v.dataset_seed for v in variants}) == len(CLASS)  # a dataset each
    used = Counter(v.case_set for v in variants)
    assert len(used) >= 10 and max(used.values()) <= 8  # the class spreads over the sets
    two = variant_for("amara", SALT), variant_for("bao", SALT)
    assert two[0].dataset() != two[1].dataset()
    assert two[0].case_set != two[1].case_set
    next_cohort = [variant_for(s, "another-cohort-salt") for s in CLASS]
    assert all(a.dataset_seed != b.dataset_seed for a, b in zip(variants, next_cohort, strict=True))
    assert sum(a.case_set != b.case_set for a, b in zip(variants, next_cohort, strict=True)) >= 30


def test_each_students_dataset_gives_other_facet_means_and_alpha() -> None:
    from course_lib.grading.references import REFERENCES
    from course_lib.grading.verdict import CourseContext

    values = []
    for student in ("amara", "bao", "carmen"):
        context = CourseContext(KEYS, REPO / "assets", variant_for(student, SALT))
        rows = context.variant.dataset()
        assert len(rows) == 300 and sum(v is None for r in rows for v in r.values()) > 0
        alpha = REFERENCES["dataset_alpha"](None, course=context)
        means = REFERENCES["dataset_facet_means"](None, course=context)
        assert 0.7 < alpha < 0.95 and all(1 <= m <= 5 for m in means.values())
        values.append((round(alpha, 6), tuple(round(m, 6) for m in means.values())))
    assert len({a for a, _ in values}) == 3 and len({m for _, m in values}) == 3
    with pytest.raises(ValueError, match="variant"):
        REFERENCES["dataset_alpha"](None, course=CourseContext(KEYS, REPO / "assets"))


# --------------------------------------------------------------------------- the case sets


def test_the_case_sets_are_balanced_disjoint_and_many() -> None:
    """The design documented in course_lib/variants.py and the README, against the keys."""
    assert design_problems(KEYS) == []
    assert len(set(CASE_SETS)) == len(CASE_SETS) == 12 >= MIN_SETS
    for chosen in CASE_SETS:
        assert len(chosen.a2) == len(chosen.a3) == 4
        assert not set(chosen.a2) & set(chosen.a3)
        assert set(A2_ALWAYS) <= set(chosen.a2) and set(A3_ALWAYS) <= set(chosen.a3)
    # every assignment case with a key is used by some set, except one kept out of balance
    used = {c for s in CASE_SETS for c in (*s.a2, *s.a3)}
    assert len(used) == 9
    # Variant numbers point at their set
    v = variant_for("amara", SALT)
    assert CASE_SETS[v.case_set - 1] == CaseSet(v.a2_cases, v.a3_cases)


def test_the_design_check_fails_on_unbalanced_overlapping_or_too_few_sets() -> None:
    good = CASE_SETS[0]
    overlapping = CaseSet(good.a2, (good.a2[0], *good.a3[1:]))
    problems = design_problems(KEYS, sets=(overlapping, *CASE_SETS[1:]))
    assert any("share" in p for p in problems)
    # a case swapped for one of another band: the mix differs (tests name no key value)
    unbalanced = CaseSet(
        tuple(c if c != "a06-ramon-night-shift" else "a03-akosua-list" for c in good.a2), good.a3
    )
    assert any("mix" in p for p in design_problems(KEYS, sets=(*CASE_SETS, unbalanced)))
    # a3 with a case swapped for one that needs a stance a3 already has
    missing_stance = CaseSet(
        good.a2, tuple(c if c != "a02-tyler-first-winter" else "a03-akosua-list" for c in good.a3)
    )
    assert any("stances" in p for p in design_problems(KEYS, sets=(missing_stance,)))
    assert any("distinct" in p for p in design_problems(KEYS, sets=CASE_SETS[:3]))


def test_the_public_variant_module_names_no_key_value() -> None:
    """The case sets ship to students: no band, stance or trait/state value is in them."""
    text = (REPO / "course_lib" / "variants.py").read_text(encoding="utf-8")
    for value in ("self_directed", "collaborative", "structured", "'high'", '"high"', "state'"):
        assert value not in text, value


# --------------------------------------------------------------------------- identity and salt


def test_identity_precedence_grader_then_hub_then_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert student_identity("typed") == ("typed", "typed in the student id cell")
    monkeypatch.setenv(HUB_ENV, "hubuser")
    assert student_identity("typed")[0] == "hubuser"
    monkeypatch.setenv(STUDENT_ENV, "folder-name")
    assert student_identity("typed") == ("folder-name", "set by the grader from your submission")


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_a_missing_id_stops_with_a_message_not_a_traceback(typed: str | None) -> None:
    with pytest.raises(NotebookStop) as stop:
        student_identity(typed)
    lines = stop.value._render_traceback_()  # what IPython shows instead of a traceback
    assert len(lines) == 1 and "Type your student id" in lines[0]
    assert "Traceback" not in lines[0]


def test_an_invalid_typed_id_is_refused() -> None:
    with pytest.raises(NotebookStop, match="is not a student id"):
        student_identity("amara; rm -rf")


def test_the_salt_comes_from_the_environment_before_the_released_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotebookStop, match="is missing"):
        course_salt(tmp_path)
    per_student.write_released(tmp_path, "released-salt-1234")
    assert course_salt(tmp_path) == "released-salt-1234"
    monkeypatch.setenv(SALT_ENV, "graders-salt-5678")
    assert course_salt(tmp_path) == "graders-salt-5678"  # an edited file cannot win
    monkeypatch.delenv(SALT_ENV)
    (tmp_path / SALT_FILE).write_text("{ damaged")
    with pytest.raises(NotebookStop, match="damaged"):
        course_salt(tmp_path)


def test_the_note_says_which_variant_and_flags_a_typed_id_that_does_not_count() -> None:
    v = variant_for("amara", SALT)
    note = variant_note(v, "a2_cases", "your JupyterHub user name", "bao")
    assert "`amara`" in note and "You typed `bao`" in note
    assert f"case set {v.case_set} of 12" in note
    assert all(case_id in note for case_id in v.a2_cases)
    assert not any(case_id in note for case_id in v.a3_cases)
    a1 = variant_note(v, "a1_inventory", "typed in the student id cell", "amara")
    assert "Your dataset" in a1 and str(v.dataset_seed) in a1 and "You typed" not in a1


# --------------------------------------------------------------------------- the salt record


def test_the_salt_record_is_created_once_kept_and_renewed_per_cohort(tmp_path: Path) -> None:
    record = tmp_path / "keys" / per_student.RECORD
    salt, done = per_student.ensure_record(record)
    assert done == "created" and record.is_file()
    assert per_student.ensure_record(record) == (salt, "kept")
    new, done = per_student.ensure_record(record, new=True)
    assert done == "replaced" and new != salt
    kept = [p for p in record.parent.glob("variant_salt.*.json")]
    assert len(kept) == 1 and json.loads(kept[0].read_text())["salt"] == salt


def test_grading_needs_a_recorded_salt_only_for_a_course_with_variants(tmp_path: Path) -> None:
    specs = {a: load_spec(KEYS / f"{a}.yaml") for a in ("a1_inventory", "a4_what_to_say")}
    assert per_student.uses_variants(specs["a1_inventory"])
    assert not per_student.uses_variants(specs["a4_what_to_say"])
    record = tmp_path / per_student.RECORD
    with pytest.raises(per_student.SaltMissing, match="release the assignments first"):
        per_student.grading_salt(specs, None, record)
    assert per_student.grading_salt({"a4": specs["a4_what_to_say"]}, None, record) is None
    assert per_student.grading_salt(specs, "given-salt-123", record) == "given-salt-123"
    per_student.ensure_record(record)
    assert per_student.grading_salt(specs, None, record) == json.loads(record.read_text())["salt"]


# --------------------------------------------------------------------------- similarity


def _row(student: str, assignment: str, variant: str, **captured: object) -> Row:
    row = Row(student, assignment, assignment, "graded", variant=variant)
    row.captured = dict(captured)
    return row


def test_similarity_flags_identical_files_and_values_across_variants(tmp_path: Path) -> None:
    specs = {a: load_spec(KEYS / f"{a}.yaml") for a in ("a1_inventory", "a2_cases")}
    answers = {"format": "course-lib-answers", "version": 1, "cases": {"a06": {"band": "low"}}}
    for student, data in (("ann", answers), ("bo", answers), ("cy", {**answers, "cases": {}})):
        folder = tmp_path / student / "a2_cases"
        folder.mkdir(parents=True)
        text = json.dumps(data, indent=1 if student == "ann" else None)  # re-saved: same content
        (folder / "a2_cases.answers.json").write_text(text)
    (tmp_path / "cy" / "a2_cases" / "a2_cases.answers.json").write_text("{}")  # empty: ignored
    rows = [
        _row("ann", "a2_cases", "case set 1 of 12"),
        _row("bo", "a2_cases", "case set 2 of 12"),
        _row("cy", "a2_cases", "case set 1 of 12"),
        _row("ann", "a1_inventory", "dataset seed 1", a1_alpha_data=0.84),
        _row("bo", "a1_inventory", "dataset seed 2", a1_alpha_data=0.84),
        _row("cy", "a1_inventory", "dataset seed 3", a1_alpha_data=None),  # no answer: ignored
        _row("dee", "a1_inventory", "dataset seed 4", a1_alpha_data=0.81),
        # same case set, same (correct) values: honest students are not flagged
        _row("ed", "a3", "case set 5 of 12", a3_stances={"a01": "x"}),
        _row("fay", "a3", "case set 5 of 12", a3_stances={"a01": "x"}),
    ]
    report = similarity(rows, specs, tmp_path)
    assert [e["students"] for e in report["answers_files"]] == [["ann", "bo"]]
    assert [e["students"] for e in report["values"]] == [["ann", "bo"]]
    assert report["values"][0]["questions"] == ["a1_alpha_data"]
    annotate(rows, report)
    flagged = {(r.student, r.assignment): r.detail for r in rows if r.detail}
    assert set(flagged) == {
        ("ann", "a2_cases"),
        ("bo", "a2_cases"),
        ("ann", "a1_inventory"),
        ("bo", "a1_inventory"),
    }
    assert flagged[("ann", "a2_cases")] == (
        "similarity: a2_cases.answers.json is identical to bo's (similarity.json)"
    )
    assert "the same a1_alpha_data as ann, on another variant" in flagged[("bo", "a1_inventory")]


@pytest.mark.slow
def test_release_records_the_salt_once_ships_copies_and_starts_a_new_cohort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from course_lib.cli import main

    course = tmp_path / "course"
    shutil.copytree(REPO / "notebooks" / "course" / "source", course / "source")
    shutil.copytree(KEYS, course / "keys", ignore=shutil.ignore_patterns("variant_salt*"))
    monkeypatch.setenv("COURSE_DIR", str(course))
    record = course / "keys" / per_student.RECORD
    assert main(["release", "--out", str(tmp_path / "out")]) == 0
    assert "recorded a new variant salt" in capsys.readouterr().out
    salt = json.loads(record.read_text())["salt"]
    shipped = {
        p.parent.name: json.loads(p.read_text()) for p in (tmp_path / "out").glob("*/" + SALT_FILE)
    }
    assert set(shipped) == {"a1_inventory", "a2_cases", "a3_where_to_start"}  # not a4
    assert all(copy["salt"] == salt for copy in shipped.values())
    assert main(["release", "--out", str(tmp_path / "out")]) == 0
    assert "use the salt recorded in" in capsys.readouterr().out
    assert json.loads(record.read_text())["salt"] == salt  # the same cohort, the same variants
    assert main(["release", "--out", str(tmp_path / "out"), "--new-salt"]) == 0
    assert "new cohort" in capsys.readouterr().out
    assert json.loads(record.read_text())["salt"] != salt
    assert len(list(record.parent.glob("variant_salt.*.json"))) == 1
