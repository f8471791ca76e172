"""Reference code withheld from graded kernels: what is hidden, how, and what a student is told.

The sandboxed runs (real kernels) are in ``test_reference_withheld.py`` and the adversarial
corpus (``tests/adversarial/reference_*.py``); these tests check the pieces directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib import paths
from course_lib.grading import withheld
from course_lib.grading.sandbox import Isolation, Limits, kernel_command, kernel_pythonpath
from course_lib.grading.verdict import QuestionResult

NAMES = {
    "course_lib.stats": True,
    "course_lib.stats.agreement": True,
    "course_lib.scoring": True,
    "course_lib.scoring.inventory": True,
    "course_lib.grading.references": True,
    "course_lib.grading.verdict": True,
    "course_lib.grading.provided": True,
    "course_lib.grading.spec": True,
    "course_lib.grading": False,
    "course_lib.grading.capture": False,
    "course_lib": False,
    "course_lib.content": False,
    "course_lib.exercises.assignment_checks.a1": False,
    "course_lib.simulate": False,
    "course_lib.statsmodels": False,  # a prefix of a name is not the package
}


@pytest.mark.parametrize(("name", "hidden"), NAMES.items())
def test_which_modules_are_withheld(name: str, hidden: bool) -> None:
    assert withheld.is_withheld(name) is hidden


def test_the_filtered_copy_keeps_what_assignments_need_and_nothing_of_the_references(
    tmp_path: Path,
) -> None:
    copy = withheld.copy_without_withheld(paths.PACKAGE_DIR, tmp_path)
    kept = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()}
    assert not [k for k in kept if k.startswith(("stats/", "scoring/"))]
    assert {k for k in kept if k.startswith("grading/") and k.endswith(".py")} == {
        "grading/__init__.py",
        "grading/capture.py",
    }
    for needed in (
        "__init__.py",
        "exercises/assignment_checks/a1.py",
        "content/catalog.py",
        "simulate.py",
        "widgets/case_scorer.py",
        "widgets/static/choice_group.js",
    ):
        assert needed in kept, needed
    # compiled files only of kept modules
    for pyc in (k for k in kept if k.endswith(".pyc")):
        assert not withheld.is_withheld(withheld._module_of(Path(pyc))), pyc
    text = "\n".join((copy / k).read_text(errors="replace") for k in kept if k.endswith(".py"))
    for marker in ("def cohen_kappa", "def score_inventory", "def icc_a1(ratings", "REFERENCES"):
        assert marker not in text


def test_bubblewrap_binds_the_filtered_copy_over_the_package_last(tmp_path: Path) -> None:
    argv = kernel_command(
        Isolation("bubblewrap", "test"), Limits(), tmp_path / "w", tmp_path / "s", 63000
    )
    target = str(paths.PACKAGE_DIR)
    binds = [i for i in range(len(argv) - 2) if argv[i] == "--ro-bind" and argv[i + 2] == target]
    assert binds and argv[binds[-1] + 1] == str(withheld.graded_package())
    later = [a for a in argv[binds[-1] + 3 : argv.index("--chdir")] if a.endswith("bind")]
    assert later == [], "nothing may be mounted over the filtered copy"
    assert "PYTHONPATH" not in " ".join(argv)


@pytest.mark.parametrize("mode", ["setpriv", "none"])
def test_weaker_modes_use_the_import_hook_and_say_it_is_not_a_guarantee(
    mode: str, tmp_path: Path
) -> None:
    isolation = Isolation(mode, "test")  # type: ignore[arg-type]
    assert kernel_pythonpath(isolation, None) == str(withheld.site_hook_dir())
    kept = kernel_pythonpath(isolation, "/kernel/path")  # the kernel's own path stays, behind it
    assert kept == f"{withheld.site_hook_dir()}{os.pathsep}/kernel/path"
    assert kernel_pythonpath(Isolation("bubblewrap", "t"), "/kernel/path") == "/kernel/path"
    assert "NOT out of reach" in Isolation(mode, "test").reference_code  # type: ignore[arg-type]
    assert "withheld" in Isolation("bubblewrap", "test").reference_code


def test_the_site_hook_blocks_reference_imports_and_nothing_else() -> None:
    code = (
        "import importlib\n"
        "for name in ['course_lib.stats', 'course_lib.scoring.inventory',"
        " 'course_lib.grading.references', 'course_lib.evidence']:\n"
        "    try:\n"
        "        importlib.import_module(name); print('imported', name)\n"
        "    except ImportError as exc:\n"
        "        print('blocked', name, exc)\n"
        "import course_lib.grading.capture, course_lib.exercises.assignment_checks, course_lib.simulate\n"
        "print('assignment modules ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(withheld.site_hook_dir()), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "imported" not in done.stdout
    assert "blocked course_lib.stats No module named 'course_lib.stats'" in done.stdout
    assert "blocked course_lib.evidence No module named 'course_lib.stats'" in done.stdout
    assert "assignment modules ok" in done.stdout


@pytest.mark.parametrize(
    ("text", "package"),
    [
        ("ModuleNotFoundError: No module named 'course_lib.stats'", "course_lib.stats"),
        ("ModuleNotFoundError: No module named 'course_lib.scoring'", "course_lib.scoring"),
        (
            "ModuleNotFoundError: No module named 'course_lib.grading.references'",
            "course_lib.grading",
        ),
        (
            "ImportError: cannot import name 'stats' from 'course_lib' (/x/__init__.py)",
            "course_lib.stats",
        ),
        (
            "ImportError: cannot import name 'verdict' from 'course_lib.grading' (/x)",
            "course_lib.grading",
        ),
        # a student-made name is reduced to its fixed package, never echoed
        ("No module named 'course_lib.stats.x1000001'", "course_lib.stats"),
        ("ModuleNotFoundError: No module named 'course_lib.grading.capture'", None),
        ("ModuleNotFoundError: No module named 'scipy'", None),
        ("ImportError: cannot import name 'emit' from 'course_lib.grading.capture'", None),
        (None, None),
    ],
)
def test_withheld_import_names_only_a_fixed_package(text: str | None, package: str | None) -> None:
    assert withheld.withheld_import(text) == package


def _executed(*cells: tuple[str, list[dict]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for source, outputs in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        nb.cells.append(cell)
    return nb


MISSING = {
    "output_type": "error",
    "ename": "ModuleNotFoundError",
    "evalue": "No module named 'course_lib.stats'",
    "traceback": [],
}


def test_explain_tells_each_question_that_lost_credit_through_a_withheld_import() -> None:
    nb = _executed(
        ("def a(t): ...", []),  # 0: q_a's answer (full marks)
        ("capture a", []),  # 1
        ("from course_lib.stats import cohen_kappa", [MISSING]),  # 2: q_b's answer cell
        ("capture b", []),  # 3
        ("def c(t): ...", []),  # 4: q_c, wrong for its own reasons... but after the import
        ("capture c", []),  # 5
        (
            "import course_lib.scoring",
            [{**MISSING, "evalue": "No module named 'course_lib.scoring'"}],
        ),
        ("capture e", []),  # 7: q_e is told about its own cell's import only
    )
    answers = {
        "q_a": {"ok": True, "calls": [{"ok": True, "value": 1}]},
        "q_b": {"ok": False, "error": "NameError: name 'quadratic_kappa' is not defined"},
        "q_c": {"ok": True, "calls": [{"ok": True, "value": 0}]},
        # its own calls failed on the import (the import is inside the function)
        "q_d": {
            "ok": True,
            "calls": [
                {"ok": False, "error": "ModuleNotFoundError: No module named 'course_lib.scoring'"}
            ],
        },
    }
    answers["q_e"] = {"ok": False, "error": "NameError: name 'score_facets' is not defined"}
    captures = {"q_a": 1, "q_b": 3, "q_c": 5, "q_d": 0, "q_e": 7}
    results = [
        QuestionResult("q_a", 1.0, "Correct."),
        QuestionResult("q_b", 0.0, "Your answer could not be collected (NameError)."),
        QuestionResult("q_c", 0.5, "Half right."),
        QuestionResult("q_d", 0.0, "Wrong."),
        QuestionResult("q_file", 0.2, "Case ratings."),  # answers_file question: no capture
        QuestionResult("q_e", 0.0, "Your answer could not be collected (NameError)."),
    ]
    out, note = withheld.explain(results, answers, captures, nb)
    by = {r.grade_id: r for r in out}
    assert by["q_a"] == results[0]
    assert by["q_file"] == results[4]
    for gid, package in (
        ("q_b", "course_lib.stats"),
        ("q_c", "course_lib.stats"),
        ("q_d", "course_lib.scoring"),
    ):
        assert withheld.NOT_AVAILABLE in by[gid].feedback, gid
        assert package in by[gid].feedback
        assert by[gid].fraction == {r.grade_id: r for r in results}[gid].fraction
    assert "course_lib.scoring" in by["q_e"].feedback and "stats" not in by["q_e"].feedback
    assert note.startswith("q_b, q_c, q_d, q_e: " + withheld.NOT_AVAILABLE)
    assert "course_lib.scoring, course_lib.stats" in note


def test_explain_leaves_results_alone_without_withheld_imports() -> None:
    nb = _executed(
        ("1/0", [{**MISSING, "ename": "ZeroDivisionError", "evalue": "division by zero"}])
    )
    results = [QuestionResult("q", 0.0, "Wrong.")]
    answers = {"q": {"ok": False, "error": "ModuleNotFoundError: No module named 'pandas_extra'"}}
    assert withheld.explain(results, answers, {"q": 0}, nb) == (results, "")


@pytest.mark.parametrize(
    "assignment", ["a1_inventory", "a2_cases", "a3_where_to_start", "a4_what_to_say"]
)
def test_every_assignment_says_up_front_that_the_modules_are_not_available(
    assignment: str,
) -> None:
    source = paths.course_dir() / "source" / assignment / f"{assignment}.ipynb"
    intro = nbformat.read(source, as_version=4).cells[0]
    assert intro.metadata["nbgrader"]["locked"] and intro.cell_type == "markdown"
    text = " ".join(intro.source.split())
    assert "When your work is graded, the course's scoring and statistics" in text
    assert "(`course_lib.scoring`, `course_lib.stats`) are not available" in text
