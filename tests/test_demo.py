"""`demo` on the real course: release, the simulated class, grading, every output written.

This is also the instructor's self-check on the real assignments: the student who submits
the source solutions gets full autograded marks on her own variant, the one who submits the
release unchanged gets zero, the students work on different variants, the one who copies a
classmate's values scores less and is flagged, and the broken submissions end as named
statuses.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from course_lib.grading.course import COURSE_ID
from course_lib.grading.demo import ALTERNATIVE_TAKER, CLASS, COPIED, COPIER, DEMO_SALT
from course_lib.grading.release import find_leaks

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(demo_run: Path) -> Path:
    return demo_run


def rows(demo: Path, name: str = "grades.csv") -> list[dict[str, str]]:
    with (demo / "course" / name).open() as handle:
        return list(csv.DictReader(handle))


def test_outputs_exist(demo: Path) -> None:
    course = demo / "course"
    for name in (
        "grades.csv",
        "cell_scores.csv",
        "gradebook.db",
        "reconciliation.json",
        "nbgrader_config.py",
    ):
        assert (course / name).is_file(), name
    assert list((course / "feedback").glob("*/*/*.html"))
    assert list((demo / "student-release").glob("*/*.ipynb"))


def test_source_solutions_earn_full_marks_and_release_earns_zero(demo: Path) -> None:
    by = {(r["student_id"], r["assignment"]): r for r in rows(demo)}
    assignments = {r["assignment"] for r in rows(demo)}
    assert len(assignments) >= 3
    for assignment in assignments:
        best, blank = by[("amara", assignment)], by[("liam", assignment)]
        assert (
            best["status"] == "graded" and float(best["auto_score"]) == float(best["auto_max"]) > 0
        ), best
        assert blank["status"] == "graded" and float(blank["auto_score"]) == 0, blank
        assert best["needs_manual_grade"] == "true"


def test_scores_spread_across_the_class(demo: Path) -> None:
    totals = {}
    for r in rows(demo):
        if r["status"] == "graded":
            totals[r["student_id"]] = totals.get(r["student_id"], 0.0) + float(r["auto_score"])
    assert len(set(round(v, 2) for v in totals.values())) >= 6


def test_broken_submissions_have_named_statuses(demo: Path) -> None:
    statuses = {(r["student_id"], r["status"]) for r in rows(demo)}
    assert ("mei", "malformed-notebook") in statuses
    assert ("noa", "missing-notebook") in statuses
    assert ("noa", "unexpected-notebook") in statuses
    assert ("noa", "timeout") in statuses


def test_reconciliation_balances(demo: Path) -> None:
    recon = json.loads((demo / "course" / "reconciliation.json").read_text())
    assert recon["balanced"] and not recon["files_without_a_row"]
    assert recon["rows"] == recon["graded"] + recon["errors"]


def test_nothing_instructor_only_is_released_or_in_feedback(demo: Path) -> None:
    course_src = REPO / "notebooks" / "course"
    assert find_leaks(demo / "student-release", course_src) == []
    # Feedback pages are returned after grading: they may quote Assignment 4's feedback on the
    # response a student chose (by design, docs/threat-model.md), never a key's answers.
    assert find_leaks(demo / "course" / "feedback", course_src, graded=True) == []


def test_the_roster_shows_who_submitted_nothing_and_who_is_not_on_it(demo: Path) -> None:
    from nbgrader.api import Gradebook

    all_rows = rows(demo)
    assignments = sorted({r["assignment"] for r in all_rows})
    priya = [r for r in all_rows if r["student_id"] == "priya"]
    assert sorted(r["assignment"] for r in priya) == assignments  # one row per assignment
    assert all(r["status"] == "not-submitted" and r["auto_score"] == "" for r in priya)
    # noa submitted no first assignment, mei only the first
    statuses = {(r["student_id"], r["assignment"]): r["status"] for r in all_rows}
    assert statuses[("noa", assignments[0])] == "not-submitted"
    assert statuses[("mei", assignments[1])] == statuses[("mei", assignments[2])] == "not-submitted"
    jomo = [r for r in all_rows if r["student_id"] == "jomo"]
    assert jomo and all(r["detail"].endswith("not on the roster (roster.csv)") for r in jomo)
    assert all(r["status"] == "graded" and r["lms_id"] == "" for r in jomo)
    assert {r["lms_id"] for r in all_rows if r["student_id"] == "amara"} == {"100201"}
    a2_sets = {r["variant"] for r in all_rows if r["assignment"] == "a2_cases" and r["variant"]}
    assert len(a2_sets) >= 3 and all(v.startswith("case set ") for v in a2_sets), a2_sets
    recon = json.loads((demo / "course" / "reconciliation.json").read_text())["roster"]
    assert (recon["rostered"], recon["submitted"]) == (14, 13)
    assert recon["not_submitted"] == ["priya"] and recon["not_on_roster"] == ["jomo"]
    printed = (demo / "demo-stdout.txt").read_text()
    assert "submitted nothing: priya; not on the roster: jomo" in printed
    assert re.search(r"^priya +a1_inventory +- +- not-submitted$", printed, re.M)
    db_url = f"sqlite:///{demo / 'course' / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        amara, priya_gb = gb.find_student("amara"), gb.find_student("priya")
        assert (amara.first_name, amara.last_name, amara.lms_user_id) == (
            "Amara",
            "Okafor",
            "100201",
        )
        assert (priya_gb.first_name, priya_gb.last_name) == ("Priya", "Nair")


def test_the_readme_regrade_command_is_the_one_the_demo_prints(demo: Path) -> None:
    readme = (REPO / "README.md").read_text()
    documented = re.search(r"^\.venv/bin/(python -m course_lib grade demo-out/.*)$", readme, re.M)
    assert documented, "the README shows how to re-grade the demo"
    command = documented.group(1).replace("demo-out", str(demo))
    printed = (demo / "demo-stdout.txt").read_text()
    assert f"To re-grade (manual grades are kept): {command}\n" in printed
    args = shlex.split(command)[3:]  # after "python -m course_lib"
    assert args[0] == "grade" and Path(args[1]).is_dir()
    assert Path(args[args.index("--roster") + 1]).is_file()


def test_regrading_the_demo_as_documented_keeps_manual_grades(demo: Path) -> None:
    from nbgrader.api import Gradebook

    printed = (demo / "demo-stdout.txt").read_text()
    command = printed.split("To re-grade (manual grades are kept): ")[1].splitlines()[0]
    before = {(r["student_id"], r["assignment"]): r for r in rows(demo)}
    written = next(  # a written answer of amara's first assignment, graded in formgrader
        r for r in rows(demo, "cell_scores.csv") if r["student_id"] == "amara" and r["score"] == ""
    )
    db_url = f"sqlite:///{demo / 'course' / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        gb.find_grade(
            written["grade_id"], written["notebook"], written["assignment"], "amara"
        ).manual_score = 1.0
        gb.db.commit()
    args = shlex.split(command)[1:]  # the venv's python instead of "python"
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    after = {(r["student_id"], r["assignment"]): r for r in rows(demo)}
    assert after.keys() == before.keys()
    for key, row in after.items():
        assert (row["status"], row["auto_score"]) == (
            before[key]["status"],
            before[key]["auto_score"],
        )
    cell = next(
        r
        for r in rows(demo, "cell_scores.csv")
        if (r["student_id"], r["grade_id"]) == ("amara", written["grade_id"])
    )
    assert cell["score"] == "1"


def page(demo: Path, student: str, assignment: str) -> str:
    return (demo / "course" / "feedback" / student / assignment / f"{assignment}.html").read_text()


def test_feedback_pages_read_as_the_student_sees_the_assignment(demo: Path) -> None:
    a1 = page(demo, "bao", "a1_inventory")
    assert "<td>Question 2 (2 points): facet scores</td>" in a1
    assert (
        "<td>Question 7 (4 points, marked by your instructor): what alpha and the bands mean</td>"
        in a1
    )
    assert "a1_facets" not in a1 and "a1_interpretation" not in a1
    assert "Total so far:" in a1 and "4 points still awaiting your instructor" in a1
    assert "NotJSONError" not in page(demo, "mei", "a1_inventory")
    assert "could not be opened as a notebook" in page(demo, "mei", "a1_inventory")
    missing = page(demo, "noa", "a2_cases")
    assert "<td>not submitted</td>" in missing and "awaiting" not in missing
    stopped = page(demo, "noa", "a3_where_to_start")
    assert "Grading stopped in a cell you added under “Assignment 3: Where to start”" in stopped
    for r in rows(demo):  # no float noise in the instructor's files either
        assert re.fullmatch(r"(\d+(\.\d{1,2})?)?", r["auto_score"]), r


def test_case_feedback_says_per_case_what_earned_credit_without_the_key(demo: Path) -> None:
    from course_lib.exercises.assignment_checks import BANDS, STANCES

    choice = r"(matched|did not match|defensible \(\d+% of its credit: .+?\))"
    line = re.compile(
        rf"<li>“[^”]+”: ratings: \d\.\d\d of 0\.40; band: {choice}; trait or state: {choice}; "
        rf"opening stance: {choice} \(case total (\d\.\d\d) of 1\)\.</li>"
    )
    for student in ("dev", ALTERNATIVE_TAKER):
        a2 = page(demo, student, "a2_cases")
        cases = line.findall(a2)
        assert len(cases) == 4
        score = re.search(
            r"<td>Part A \(4 points\): rate your four cases</td><td>([\d.]+) / 4</td>", a2
        )
        assert score and float(score[1]) == pytest.approx(sum(float(c[3]) for c in cases), abs=0.03)
        for item in re.findall(r"<li>.*?</li>", a2):  # no key value is named in any case's line
            assert not re.search(rf"\b({'|'.join((*BANDS, *STANCES))})\b", item), item
    dev = line.findall(page(demo, "dev", "a2_cases"))
    assert any("did not match" in c[:3] for c in dev)  # the simulated student made mistakes
    # The student who argues for the defensible answers earns part of those choices' credit,
    # and the page says why (Assignment 2 per choice, Assignment 3 per case).
    takers = line.findall(page(demo, ALTERNATIVE_TAKER, "a2_cases"))
    assert any(c[i].startswith("defensible (50% of its credit: ") for c in takers for i in range(3))
    a3 = page(demo, ALTERNATIVE_TAKER, "a3_where_to_start")
    assert re.search(r"<li>“[^”]+”: defensible, 50% of its credit: .+?\.</li>", a3), a3


def test_a4_feedback_gives_the_verdict_of_each_chosen_response(demo: Path) -> None:
    a4 = page(demo, "elif", "a4_what_to_say")
    lines = re.findall(r"<li>“[^”]+”: you chose \(([a-d])\), rated (best|acceptable|poor) \(", a4)
    assert len(lines) == 8  # four moments in each of the two autograded questions
    assert len({verdict for _, verdict in lines}) >= 2  # the simulated student made mistakes
    title = "Question 1 (4 points): four clients near the oppositional pole"
    assert f"<td>{title}</td>" in a4
    assert "Question 3 (3 points, marked by your instructor): Kai" in a4


def test_students_work_on_their_own_variants(demo: Path) -> None:
    """Different students rate different cases; every honest submission fits its variant."""
    from course_lib.content import case_path, load_case
    from course_lib.variants import variant_for

    by = {(r["student_id"], r["assignment"]): r for r in rows(demo)}
    rated = {}
    for student, quality in CLASS:
        if quality == 0:
            continue
        titles = re.findall(
            r"<li>“([^”]+)”: (?:ratings|not rated)", page(demo, student, "a2_cases")
        )
        mine = variant_for(student, DEMO_SALT).a2_cases
        assert titles == [load_case(case_path(c)).title for c in mine], student
        rated[student] = frozenset(titles)
        if student != COPIER:
            for assignment in ("a2_cases", "a3_where_to_start"):
                assert "outside this student's case set" not in by[(student, assignment)]["detail"]
    assert len(set(rated.values())) >= 6
    seeds = {variant_for(s, DEMO_SALT).dataset_seed for s, _ in CLASS}
    assert len(seeds) == len(CLASS)  # an a1 dataset each
    assert (demo / "student-release" / "a2_cases" / "variant_salt.json").is_file()


def test_the_copier_scores_less_and_the_copy_is_flagged(demo: Path) -> None:
    from course_lib.variants import variant_for

    assert variant_for(COPIER, DEMO_SALT).case_set != variant_for(COPIED, DEMO_SALT).case_set
    cells = {(r["student_id"], r["grade_id"]): r["score"] for r in rows(demo, "cell_scores.csv")}
    assert cells[(COPIER, "a1_facet_means_data")] == cells[(COPIER, "a1_alpha_data")] == "0"
    assert cells[(COPIED, "a1_facet_means_data")] == cells[(COPIED, "a1_alpha_data")] == "1"
    assert float(cells[(COPIER, "a2_ratings")]) < 4 and float(cells[(COPIER, "a3_stances")]) < 4
    by = {(r["student_id"], r["assignment"]): r["detail"] for r in rows(demo)}
    assert "a2_ratings: answers cases outside this student's case set" in by[(COPIER, "a2_cases")]
    assert f"a2_cases.answers.json is identical to {COPIED}'s" in by[(COPIER, "a2_cases")]
    assert f"a2_cases.answers.json is identical to {COPIER}'s" in by[(COPIED, "a2_cases")]
    report = json.loads((demo / "course" / "similarity.json").read_text())
    assert [e["students"] for e in report["answers_files"]] == [sorted([COPIED, COPIER])]
    flagged = {(e["assignment"], tuple(e["students"])) for e in report["values"]}
    assert flagged == {
        ("a1_inventory", tuple(sorted([COPIED, COPIER]))),
        ("a3_where_to_start", tuple(sorted([COPIED, COPIER]))),
    }


def test_the_demo_exports_to_canvas_blank_never_zero_for_what_was_not_graded(
    demo: Path, tmp_path: Path
) -> None:
    from course_lib.cli import main
    from course_lib.grading.rows import RAN_STATUSES

    course, dest = demo / "course", tmp_path / "canvas.csv"
    command = ["export", str(course), "--format", "canvas", "--out", str(dest), "--roster"]
    assert main([*command, str(demo / "roster.csv")]) == 2  # jomo enrolled after the roster
    assert not dest.exists()
    roster = tmp_path / "roster.csv"
    roster.write_text((demo / "roster.csv").read_text() + "jomo,Jomo,Kamau,,100299\n")
    assert main([*command, str(roster)]) == 0
    with dest.open(newline="") as handle:
        table = list(csv.reader(handle))
    assignments = table[0][5:]
    expected: dict[tuple[str, str], float | None] = {}
    possible: dict[str, float] = {}
    for r in rows(demo):
        key = (r["student_id"], r["assignment"])
        graded = r["status"] in RAN_STATUSES and r["auto_score"] != ""
        pending = float(r["manual_max"] or 0) > 0 and (
            r["needs_manual_grade"] == "true" or r["manual_score"] == ""
        )
        score = float(r["auto_score"] or 0) + float(r["manual_score"] or 0)
        if key in expected and expected[key] is None:
            continue
        expected[key] = None if not graded or pending else (expected.get(key) or 0) + score
        if r["status"] == "graded":
            possible[r["assignment"]] = float(r["auto_max"]) + float(r["manual_max"])
    assert sorted(assignments) == sorted(possible) and table[1][0] == "Points Possible"
    assert [float(p) for p in table[1][5:]] == [possible[a] for a in assignments]
    with roster.open(newline="") as handle:
        by_lms = {r["lms_id"]: r["student_id"] for r in csv.DictReader(handle)}
    for row in table[2:]:
        student = by_lms[row[2]]
        for assignment, cell in zip(assignments, row[5:], strict=True):
            want = expected.get((student, assignment))
            assert (cell == "") == (want is None), (student, assignment, cell)
            if want is not None:
                assert float(cell) == pytest.approx(want, abs=0.01)
    priya = next(r for r in table[2:] if by_lms[r[2]] == "priya")
    assert priya[5:] == [""] * len(assignments)  # submitted nothing: blank, never 0


def test_reveal_keys_on_the_command_line_adds_the_key_to_the_a2_page_only(
    demo: Path, tmp_path: Path
) -> None:
    import shutil

    subs = tmp_path / "subs"
    shutil.copytree(demo / "course" / "submitted" / "dev" / "a2_cases", subs / "dev" / "a2_cases")
    out = tmp_path / "out"
    salt = demo / "variant_salt.json"
    command = [sys.executable, "-m", "course_lib", "grade", str(subs), "--out", str(out)]
    command += ["--variant-salt", str(salt), "--timeout", "10", "--reveal-keys"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "keys revealed: Assignment 2's feedback states the expert key" in done.stdout
    assert json.loads((out / "reconciliation.json").read_text())["keys_revealed"] is True
    shown = (out / "feedback" / "dev" / "a2_cases" / "a2_cases.html").read_text()
    assert len(re.findall(r"your ratings against the expert&#x27;s: ", shown)) == 4
    assert "The expert key: band" in shown
    hidden = page(demo, "dev", "a2_cases")  # the demo graded without the flag
    assert (
        json.loads((demo / "course" / "reconciliation.json").read_text())["keys_revealed"] is False
    )
    for text in ("against the expert", "than the expert", "The expert key"):
        assert text not in hidden
    assert re.findall(r"case total [\d.]+ of 1", shown) == re.findall(
        r"case total [\d.]+ of 1", hidden
    )


def test_the_demo_leaves_the_class_report_and_says_where(demo: Path) -> None:
    folder = demo / "course" / "report"
    printed = (demo / "demo-stdout.txt").read_text()
    assert f"Class report: {(folder / 'index.html').resolve()} " in printed
    assert "Most misjudged markers:" in printed
    with (folder / "item_analysis.csv").open() as handle:
        items = list(csv.DictReader(handle))
    graded = {(r["assignment"], r["grade_id"]) for r in rows(demo, "cell_scores.csv")}
    autograded = {(r["assignment"], r["grade_id"]) for r in items}
    assert autograded and autograded <= graded
    with (folder / "case_agreement.csv").open() as handle:
        assert {r["assignment"] for r in csv.DictReader(handle)} >= {"a2_cases"}
