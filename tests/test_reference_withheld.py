"""The real assignments graded in the sandbox, with the course's reference code withheld.

* the source solutions still earn full marks and the unchanged release zero;
* a solution that delegates to ``course_lib.scoring`` (a1) or ``course_lib.stats`` (a1, a2,
  a3) loses those questions, and its feedback and ``grades.csv`` say that the course's
  reference implementation is not available in graded assignments;
* a pasted copy of the reference ICC works (it is the student's code now) but is flagged
  for the instructor in ``grades.csv`` and nowhere in the feedback;
* without bubblewrap the delegation still fails, and the run says the guarantee does not hold.

Escape attempts (loading the files by path, ``sys.path``, reading the source) are in the
adversarial corpus (``tests/adversarial/reference_*.py``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pipeline_support import Graded, grade, options
from test_reference_copies import PASTED_ICC

from course_lib import paths
from course_lib.grading.course import prepare
from course_lib.grading.demo import solution_text
from course_lib.grading.reconstruct import grade_id, is_solution
from course_lib.grading.references import model_case_answers
from course_lib.grading.sandbox import Limits, detect_isolation
from course_lib.grading.spec import load_spec
from course_lib.grading.verdict import CourseContext
from course_lib.grading.withheld import NOT_AVAILABLE
from course_lib.variants import variant_for

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "course"
SALT = "withheld-test-salt"  # every student is graded on their own variant under it
ASSIGNMENTS = ("a1_inventory", "a2_cases", "a3_where_to_start")
LIMITS = Limits(cell_timeout=30.0, notebook_timeout=240.0)

#: Solution cells of a student who calls the course's code instead of writing their own.
DELEGATE: dict[str, dict[str, str]] = {
    "a1_inventory": {
        "a1_score_facets_code": """from course_lib.scoring.inventory import score_inventory


def score_facets(responses):
    score = score_inventory(responses, inventory)
    return {fid: (f.mean if f.scorable else None) for fid, f in score.facets.items()}""",
        "a1_score_total_code": """def score_total(responses):
    from course_lib.scoring.inventory import score_inventory

    return score_inventory(responses, inventory).total""",
        "a1_alpha_code": """import course_lib.stats


def cronbach_alpha(matrix):
    return course_lib.stats.cronbach_alpha(matrix)""",
    },
    "a2_cases": {
        "a2_quadratic_kappa_code": """from course_lib.stats import cohen_kappa


def quadratic_kappa(table):
    a = [row[0] for row in table]
    b = [row[1] for row in table]
    return cohen_kappa(a, b, weights="quadratic", categories=[0, 1, 2, 3])


quadratic_kappa(RATINGS)""",
    },
    "a3_where_to_start": {
        "a3_d_to_r_code": """from course_lib import stats


def d_to_r(d):
    return stats.d_to_r(d)""",
        "a3_pool_fixed_code": """def pool_fixed(studies):
    from course_lib.stats.effects import fixed_effect

    pooled = fixed_effect([s["d"] for s in studies], [s["variance"] for s in studies])
    return {k: getattr(pooled, k) for k in ("estimate", "se", "ci_low", "ci_high")}""",
    },
}
#: The questions each delegating submission must lose (every other one earns full marks).
#: a1's two "on your own dataset" values are computed with the delegating functions, so
#: they are lost with them (the documented dependence of those two questions).
LOST = {
    "a1_inventory": {"a1_facets", "a1_total", "a1_alpha", "a1_facet_means_data", "a1_alpha_data"},
    "a2_cases": {"a2_kappa"},
    "a3_where_to_start": {"a3_d_to_r", "a3_pool_fixed"},
}


def submission(assignment: str, answers: dict[str, str] | None) -> Any:
    """The source solutions as a student types them, ``answers`` replacing some cells;
    ``None``: the release unchanged."""
    path = COURSE / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = (answers or {}).get(grade_id(cell) or "", solution_text(cell.source))
    return nb


def write(subs: Path, student: str, assignment: str, nb: Any, saved: bool = True) -> None:
    """Write one submission; ``saved``: with the expert key's case ratings as its save file."""
    folder = subs / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    if not saved:
        return
    variant = variant_for(student, SALT)  # the grader grades the folder's own variant
    context = CourseContext(COURSE / "keys", paths.assets_dir(), variant)
    for question in (
        load_spec(COURSE / "keys" / f"{assignment}.yaml").notebooks[assignment].questions.values()
    ):
        if question.answers_file:
            data = model_case_answers(variant.a2_cases, course=context)
            (folder / question.answers_file).write_text(json.dumps(data))


def fractions(run: Graded, student: str, assignment: str) -> dict[str, float]:
    """grade id -> fraction of its points, from cell_scores.csv."""
    autograded = spec_questions(assignment)
    return {
        gid: float(cell["score"]) / float(cell["max_score"])
        for (sid, notebook, gid), cell in run.cells.items()
        if sid == student and notebook == assignment and gid in autograded
    }


def spec_questions(assignment: str) -> set[str]:
    return set(load_spec(COURSE / "keys" / f"{assignment}.yaml").notebooks[assignment].questions)


def feedback(run: Graded, student: str, assignment: str) -> str:
    path = run.out / "feedback" / student / assignment / f"{assignment}.html"
    return html.unescape(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    if not detect_isolation().full:
        pytest.skip("needs bubblewrap: only full isolation withholds the reference code")
    tmp = tmp_path_factory.mktemp("withheld")
    out, subs = tmp / "out", tmp / "subs"
    prepare(out)
    for assignment in ASSIGNMENTS:
        write(subs, "source", assignment, submission(assignment, {}))
        write(
            subs,
            "release",
            assignment,
            nbformat.read(out / "release" / assignment / f"{assignment}.ipynb", as_version=4),
            saved=False,
        )
        write(subs, "delegate", assignment, submission(assignment, DELEGATE[assignment]))
    write(
        subs,
        "pasted",
        "a2_cases",
        submission("a2_cases", {"a2_icc_code": f"{PASTED_ICC}\n\nicc_a1(RATINGS)"}),
    )
    return grade(subs, out, COURSE, options(limits=LIMITS, variant_salt=SALT))


def row(run: Graded, student: str, assignment: str) -> dict[str, str]:
    return run.grades[(student, assignment, assignment)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_earns_full_marks_and_release_zero(graded: Graded, assignment: str) -> None:
    best, blank = row(graded, "source", assignment), row(graded, "release", assignment)
    assert best["status"] == "graded" and float(best["auto_score"]) == float(best["auto_max"]), best
    assert blank["status"] == "graded" and float(blank["auto_score"]) == 0, blank
    for r in (best, blank):
        assert NOT_AVAILABLE not in r["detail"] and "near-copy" not in r["detail"]
    assert graded.recon["isolation"]["reference_code"].startswith("withheld")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_delegating_to_the_library_loses_those_questions_and_says_why(
    graded: Graded, assignment: str
) -> None:
    r = row(graded, "delegate", assignment)
    assert r["status"] == "graded"
    assert float(r["auto_score"]) < float(r["auto_max"])
    scores = fractions(graded, "delegate", assignment)
    assert {gid for gid, f in scores.items() if f < 1} == LOST[assignment], scores
    assert all(scores[gid] == 0 for gid in LOST[assignment])
    assert f"{NOT_AVAILABLE} (the code imports course_lib." in r["detail"]
    for gid in LOST[assignment]:
        assert gid in r["detail"].split(NOT_AVAILABLE)[0]
    page = feedback(graded, "delegate", assignment)
    assert page.count(NOT_AVAILABLE) == len(LOST[assignment])
    named = re.findall(r"your code imports ([^)]*)\)", page)  # each names its own import(s)
    assert len(named) == len(LOST[assignment]), named
    # a function question names its own import only; a value computed on the student's own
    # dataset (a1's *_data questions) used both packages and may name both
    singles = [n for n in named if " and " not in n]
    functions = {g for g in LOST[assignment] if not g.endswith("_data")}
    assert len(singles) >= len(functions), named
    assert all(set(n.split(" and ")) <= {"course_lib.scoring", "course_lib.stats"} for n in named)
    assert "No module named" not in page and "cannot import name" not in page


def test_a_pasted_copy_of_the_reference_code_is_flagged_for_the_instructor_only(
    graded: Graded,
) -> None:
    r = row(graded, "pasted", "a2_cases")
    assert float(r["auto_score"]) == float(r["auto_max"]), r  # it is working code
    assert "possible near-copy of the course's reference code" in r["detail"]
    assert "icc_a1 in a2_icc_code ~ course_lib.stats.agreement.icc_a1" in r["detail"]
    assert "near-copy" not in feedback(graded, "pasted", "a2_cases")


def test_without_bubblewrap_delegation_still_fails_and_the_run_says_it_is_no_guarantee(
    tmp_path: Path,
) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write(
        subs,
        "delegate",
        "a3_where_to_start",
        submission("a3_where_to_start", DELEGATE["a3_where_to_start"]),
    )
    run = grade(
        subs, out, COURSE, options(limits=LIMITS, isolation="none", jobs=1, variant_salt=SALT)
    )
    r = row(run, "delegate", "a3_where_to_start")
    assert 0 < float(r["auto_score"]) < float(r["auto_max"]) and NOT_AVAILABLE in r["detail"]
    assert run.recon["isolation"]["mode"] == "none"
    assert "NOT out of reach" in run.recon["isolation"]["reference_code"]
