"""The class report on small hand-made grade folders: the awkward classes (missing
submissions, one student, a question nobody scored on) give clear notes, never NaN, and a
bad file is named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from report_support import nan_anywhere, rated, write_out

from course_lib.content import case_path, load_case, load_case_key, load_rubric
from course_lib.grading.cli_report import run_report
from course_lib.report.build import build_report
from course_lib.report.csv_files import write_tables
from course_lib.report.items import NO_VARIANCE
from course_lib.report.summary import terminal_summary

CASE = "a01-emyr-hill-farm"
RUBRIC = load_rubric()
KEY = load_case_key(load_case(case_path(CASE), RUBRIC))
KEY_RATINGS = {m: r.rating for m, r in KEY.ratings.items()}
FIRST = RUBRIC.marker_ids()[0]


def _ratings(**shift: int) -> dict[str, int]:
    return {m: KEY_RATINGS[m] + shift.get(m, 0) for m in RUBRIC.marker_ids()}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def _no_nan_written(report, folder: Path) -> None:
    assert not nan_anywhere(report)
    for path in write_tables(report, folder):
        assert "nan" not in path.read_text().lower()


def test_a_normal_class_gets_its_statistics(tmp_path: Path) -> None:
    q1, q2 = [2, 1, 0, 2, 1], [1, 1, 0, 1, 0]
    scores = {
        (s, "a1"): {"q1": a, "q2": b, "q3": 1.0} for s, a, b in zip("abcde", q1, q2, strict=True)
    }
    report = build_report(write_out(tmp_path, scores))
    item = {i.grade_id: i for i in report.items}
    assert item["q1"].n == 5 and item["q1"].difficulty == pytest.approx(6 / 10)
    rest = np.array(q2) + 1.0  # q2 and q3
    assert item["q1"].discrimination == pytest.approx(np.corrcoef(q1, rest)[0, 1], abs=1e-12)
    assert item["q3"].flag == "too easy" and item["q3"].discrimination is None
    assert item["q3"].note == NO_VARIANCE
    _no_nan_written(report, tmp_path / "report")


def test_missing_submissions_are_listed_and_left_out_of_the_statistics(tmp_path: Path) -> None:
    scores: dict = {(s, "a1"): {"q1": i % 3, "q2": i % 2} for i, s in enumerate("abcd")}
    scores[("e", "a1")] = "not-submitted"
    scores[("f", "a1")] = "malformed-notebook"
    scores[("a", "a2_cases")] = {"a2_ratings": 4.0}
    report = build_report(write_out(tmp_path, scores))
    a1, a2 = report.assignments
    assert a1.not_submitted == ("e",) and a1.students == 6
    assert a1.status_counts == {"graded": 4, "malformed-notebook": 1, "not-submitted": 1}
    assert "f" in a1.zero and "f" in a1.totals and "e" not in a1.totals
    assert a2.not_submitted == ("b", "c", "d", "e", "f")
    q1 = next(i for i in report.items if i.grade_id == "q1")
    assert q1.n == 5  # the malformed notebook's 0 counts, the missing one does not
    assert q1.mean == pytest.approx((0 + 1 + 2 + 0 + 0) / 5)
    _no_nan_written(report, tmp_path / "report")


def test_a_single_student_gets_notes_not_numbers(tmp_path: Path) -> None:
    answers = [rated("a", {CASE: {"ratings": _ratings(**{FIRST: 1}), "band": KEY.band}})]
    out = write_out(
        tmp_path, {("a", "a1"): {"q1": 2}, ("a", "a2_cases"): {"a2_ratings": 3}}, answers
    )
    report = build_report(out)
    assert all(i.discrimination is None and "only 1 student" in i.note for i in report.items)
    (agreement,) = report.agreement
    assert agreement.icc is None and agreement.raters == 1 and "at least 2" in agreement.note
    (kappa,) = report.kappas
    assert kappa.n == len(KEY_RATINGS) and kappa.kappa is not None
    marker = next(m for m in report.markers if m.marker == FIRST)
    assert marker.mean_signed_diff == 1 and marker.n == 1
    band = next(c for c in report.choices if c.field == "band")
    assert band.counts[KEY.band] == 1 and sum(band.counts.values()) == 1
    assert "over-rates" in terminal_summary(report)
    _no_nan_written(report, tmp_path / "report")
    rows = _csv(tmp_path / "report" / "item_analysis.csv")
    assert rows[0]["discrimination"] == "" and rows[0]["difficulty"] == "1"


def test_a_question_every_student_scored_zero_on_is_flagged_with_a_note(tmp_path: Path) -> None:
    scores = {(s, "a1"): {"q1": i % 3, "q2": i % 2, "q3": 0} for i, s in enumerate("abcdef")}
    report = build_report(write_out(tmp_path, scores))
    q3 = next(i for i in report.items if i.grade_id == "q3")
    assert q3.difficulty == 0 and q3.discrimination is None and q3.note == NO_VARIANCE
    assert q3.flag == "too hard"
    assert "q3" in terminal_summary(report) and "too hard" in terminal_summary(report)
    _no_nan_written(report, tmp_path / "report")


def test_students_who_all_rate_alike_and_unrated_markers_give_notes(tmp_path: Path) -> None:
    same = {"ratings": {m: 1 for m in RUBRIC.marker_ids()}}
    gaps = {"ratings": {m: None for m in RUBRIC.marker_ids()}}
    answers = [rated("a", {CASE: same}), rated("b", {CASE: same}), rated("c", {CASE: gaps})]
    scores = {(s, "a2_cases"): {"a2_ratings": 1} for s in "abc"}
    report = build_report(write_out(tmp_path, scores, answers))
    (agreement,) = report.agreement
    assert agreement.icc is None and agreement.raters == 2 and "identical" in agreement.note
    kappas = {k.student: k for k in report.kappas}
    assert kappas["c"].kappa is None and kappas["c"].n == 0 and kappas["c"].note
    assert all(m.n == 2 for m in report.markers)
    _no_nan_written(report, tmp_path / "report")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("grades.csv", None, "grades.csv is missing"),
        ("grades.csv", "student_id,assignment\n", "lacks the columns"),
        ("cell_scores.csv", None, "cell_scores.csv is missing"),
        ("case_answers.json", "{oops", "case_answers.json cannot be read"),
    ],
)
def test_a_missing_or_bad_file_is_named(
    tmp_path: Path, name: str, content: str | None, says: str
) -> None:
    out = write_out(tmp_path, {("a", "a1"): {"q1": 1}})
    if content is None:
        (out / name).unlink()
    else:
        (out / name).write_text(content)
    with pytest.raises(ValueError, match=says):
        build_report(out)
    assert run_report(out) == 2


def test_a_bad_score_names_the_file_and_line(tmp_path: Path) -> None:
    out = write_out(tmp_path, {("a", "a1"): {"q1": 1}})
    text = (out / "cell_scores.csv").read_text().replace(",1,2", ",lots,2")
    (out / "cell_scores.csv").write_text(text)
    with pytest.raises(ValueError, match=r"cell_scores.csv, line 2: score is not a number"):
        build_report(out)


def test_an_unknown_case_is_named(tmp_path: Path) -> None:
    out = write_out(tmp_path, {("a", "a1"): {"q1": 1}}, [rated("a", {"z99-nobody": {}})])
    with pytest.raises(ValueError, match="z99-nobody"):
        build_report(out)


def test_an_out_graded_before_case_answers_existed_still_reports(tmp_path: Path) -> None:
    out = write_out(tmp_path, {("a", "a1"): {"q1": 1}})
    (out / "case_answers.json").unlink()
    report = build_report(out)
    assert report.markers == () and "case_answers.json is missing" in report.notes[0]
    assert json.dumps(report.notes)  # plain text


def test_a_keys_folder_without_the_case_key_is_named(tmp_path: Path) -> None:
    answers = [rated("a", {CASE: {"ratings": _ratings()}})]
    out = write_out(tmp_path / "out", {("a", "a2_cases"): {"a2_ratings": 4}}, answers)
    with pytest.raises(ValueError, match=f"no instructor key for assignment case '{CASE}'"):
        build_report(out, tmp_path / "keys")
    assert run_report(out, tmp_path / "keys") == 2
    assert run_report(out) == 0
    assert (out / "report" / "case_agreement.csv").is_file()
