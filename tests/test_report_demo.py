"""The class report on the graded demo class: every statistic against an independent
reference (scipy, pingouin, sklearn) recomputed here from what ``grade`` wrote, the case
answers ``grade`` keeps, and ``python -m course_lib report`` end to end.

The demo is graded once for this module (about a minute).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy.stats import pearsonr
from sklearn.metrics import cohen_kappa_score

from course_lib.content import case_path, load_case, load_case_key, load_rubric
from course_lib.content.rubric import LEVELS
from course_lib.grading.demo import DEMO_SALT
from course_lib.grading.rows import RAN_STATUSES
from course_lib.report.build import build_report
from course_lib.report.csv_files import CASE_FIELDS, ITEM_FIELDS
from course_lib.report.model import ClassReport
from course_lib.variants import variant_for

pytestmark = pytest.mark.slow
TOL = 1e-9


@pytest.fixture(scope="module")
def demo(demo_run: Path) -> Path:
    return demo_run / "course"


@pytest.fixture(scope="module")
def report(demo: Path) -> ClassReport:
    return build_report(demo)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def _answers(demo: Path) -> list[dict]:
    return json.loads((demo / "case_answers.json").read_text())["submissions"]


def _key(case_id: str):
    rubric = load_rubric()
    return load_case_key(load_case(case_path(case_id), rubric))


def test_grade_keeps_each_submissions_answers_on_its_own_cases(demo: Path) -> None:
    records = _answers(demo)
    ran = {
        (r["student_id"], r["assignment"])
        for r in _csv(demo / "grades.csv")
        if r["status"] in RAN_STATUSES
    }
    by_assignment = defaultdict(set)
    for rec in records:
        assert (rec["student"], rec["assignment"]) in ran
        assert tuple(rec["cases"]) == variant_for(rec["student"], DEMO_SALT).cases(
            rec["assignment"]
        )
        by_assignment[rec["assignment"]].add(rec["student"])
        if rec["assignment"] == "a2_cases":
            path = demo / "submitted" / rec["student"] / "a2_cases" / "a2_cases.answers.json"
            if not path.exists():  # a blank submission: nothing saved, nothing kept
                assert rec["answers"] == {}
                continue
            saved = json.loads(path.read_text())["cases"]
            for case_id, answer in rec["answers"].items():
                assert answer["ratings"] == saved[case_id]["ratings"]
                assert answer["band"] == saved[case_id].get("band")
        else:
            assert rec["grade_id"] == "a3_stances" and rec["asks"] == ["stance"]
    a2_ran = {s for s, a in ran if a == "a2_cases"}
    assert by_assignment["a2_cases"] == a2_ran and len(a2_ran) >= 10
    # instructor-side: beside the grades, never in what students get back
    outside = [*(demo / "feedback").rglob("*"), *(demo.parent / "student-release").rglob("*")]
    assert not [p for p in outside if p.name == "case_answers.json"]


def test_difficulty_and_discrimination_match_an_independent_computation(
    demo: Path, report: ClassReport
) -> None:
    cells = _csv(demo / "cell_scores.csv")
    status = {
        (r["student_id"], r["assignment"], r["notebook"]): r["status"]
        for r in _csv(demo / "grades.csv")
    }
    auto = {(i.assignment, i.notebook, i.grade_id) for i in report.items}
    checked = 0
    for item in report.items:
        mine = [
            c
            for c in cells
            if (c["assignment"], c["notebook"], c["grade_id"])
            == (item.assignment, item.notebook, item.grade_id)
            and c["score"] != ""
        ]
        scores = [float(c["score"]) for c in mine]
        assert item.n == len(scores)
        assert item.difficulty == pytest.approx(np.mean(scores) / item.max_score, abs=TOL)
        x, rest = [], []
        for c in mine:
            if status[(c["student_id"], c["assignment"], c["notebook"])] not in RAN_STATUSES:
                continue
            x.append(float(c["score"]))
            rest.append(
                sum(
                    float(o["score"])
                    for o in cells
                    if o["student_id"] == c["student_id"]
                    and o["assignment"] == item.assignment
                    and (o["assignment"], o["notebook"], o["grade_id"]) in auto
                    and o["grade_id"] != item.grade_id
                    and o["score"] != ""
                    and status[(o["student_id"], o["assignment"], o["notebook"])] in RAN_STATUSES
                )
            )
        if len(set(x)) > 1 and len(set(rest)) > 1:
            assert item.discrimination == pytest.approx(pearsonr(x, rest)[0], abs=TOL)
            checked += 1
        else:
            assert item.discrimination is None and item.note
    assert checked >= 10


def test_marker_differences_match_the_answers_and_the_keys(demo: Path, report: ClassReport) -> None:
    ratings = defaultdict(list)
    for rec in _answers(demo):
        for case_id, answer in rec["answers"].items():
            for marker, value in answer.get("ratings", {}).items():
                if value is not None:
                    ratings[(case_id, marker)].append(value)
    assert report.markers
    for m in report.markers:
        values = ratings[(m.case_id, m.marker)]
        key = _key(m.case_id).ratings[m.marker].rating
        assert (m.n, m.key_rating) == (len(values), key)
        assert m.mean_signed_diff == pytest.approx(np.mean(values) - key, abs=TOL)


def test_icc_between_students_matches_pingouin(demo: Path, report: ClassReport) -> None:
    marker_ids = load_rubric().marker_ids()
    checked = 0
    for agreement in report.agreement:
        long = [
            (marker, rec["student"], answer[marker])
            for rec in _answers(demo)
            if (answer := rec["answers"].get(agreement.case_id, {}).get("ratings"))
            and all(answer.get(m) is not None for m in marker_ids)
            for marker in marker_ids
        ]
        table = pd.DataFrame(long, columns=["marker", "student", "rating"])
        assert agreement.raters == table["student"].nunique()
        if agreement.raters < 2:
            assert agreement.icc is None and agreement.note
            continue
        icc = pingouin.intraclass_corr(table, "marker", "student", "rating")
        # pingouin < 0.7 labels the row "ICC2"; 0.7 renamed it "ICC(A,1)" (same coefficient)
        (want,) = icc.loc[icc["Type"].isin(["ICC2", "ICC(A,1)"]), "ICC"]
        assert agreement.icc == pytest.approx(want, abs=TOL)
        checked += 1
    assert checked >= 3


def test_each_students_kappa_matches_sklearn(demo: Path, report: ClassReport) -> None:
    pairs = defaultdict(lambda: ([], []))
    for rec in _answers(demo):
        for case_id, answer in rec["answers"].items():
            key = _key(case_id)
            for marker, value in answer.get("ratings", {}).items():
                if value is not None:
                    pairs[rec["student"]][0].append(value)
                    pairs[rec["student"]][1].append(key.ratings[marker].rating)
    a2_students = {r["student"] for r in _answers(demo) if r["assignment"] == "a2_cases"}
    assert {k.student for k in report.kappas} == a2_students and set(pairs) < a2_students
    for k in report.kappas:
        if k.student not in pairs:  # rated nothing (the blank submission)
            assert (k.kappa, k.n) == (None, 0) and k.note
            continue
        mine, keys = pairs[k.student]
        assert k.n == len(mine)
        want = cohen_kappa_score(mine, keys, weights="quadratic", labels=list(LEVELS))
        assert k.kappa == pytest.approx(want, abs=TOL)


def test_the_report_command_writes_both_tables_and_prints_the_summary(
    demo: Path, report: ClassReport
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "report", str(demo)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Most misjudged markers:" in done.stdout and "Flagged questions" in done.stdout
    assert "-rates" in done.stdout
    items, cases = demo / "report" / "item_analysis.csv", demo / "report" / "case_agreement.csv"
    assert str(items) in done.stdout and str(cases) in done.stdout
    with items.open() as handle:
        assert next(csv.reader(handle)) == ITEM_FIELDS
    with cases.open() as handle:
        assert next(csv.reader(handle)) == CASE_FIELDS
    rows = _csv(items)
    assert len(rows) == len(report.items)
    for row, item in zip(rows, report.items, strict=True):
        assert (row["grade_id"], row["flag"]) == (item.grade_id, item.flag)
        if item.discrimination is not None:
            assert float(row["discrimination"]) == pytest.approx(item.discrimination, abs=1e-12)
    assert len(_csv(cases)) == len(report.markers)
    assert "nan" not in items.read_text().lower() + cases.read_text().lower()
    bad = subprocess.run(
        [sys.executable, "-m", "course_lib", "report", str(demo / "feedback")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "grades.csv is missing" in bad.stderr
