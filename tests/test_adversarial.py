"""Adversarial corpus: each attack (tests/adversarial/<scenario>.py) is added to a wrong or blank
submission and must gain nothing, read nothing secret, leave nothing behind, and must not
disturb the gradebook, the batch or an honest student graded in the same run.

Everything is graded in one run (module fixture); the honest student is also graded alone
to compare, and an honest-but-curious student is graded after the attacks.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import secrets
import socket
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from pipeline_support import (
    EXPECTED,
    HIDDEN_INPUTS,
    KEY_TEXTS,
    REPO,
    REPO_KEYS,
    Graded,
    answered,
    cell_index,
    copy_course,
    grade,
    prepare_release,
    snapshot,
    write_submission,
)

from course_lib.grading.course import COURSE_ID
from course_lib.grading.release import find_leaks

pytestmark = pytest.mark.slow

SCENARIO_DIR = Path(__file__).parent / "adversarial"
SCENARIOS = sorted(p.stem for p in SCENARIO_DIR.glob("*.py") if not p.name.startswith("_"))
GOOD_DOUBLE = "def double(v):\n    return 2 * v"
BASES = {  # base name -> (x cell, double cell); None keeps the released stub
    "blank": (None, None),
    "half": ("x = 41", GOOD_DOUBLE),  # 2 of 3 points
}
CURIOUS = """
import os
seen = []
for folder in ["/tmp", os.path.expanduser("~"), ".", "/dev/shm", "/var/tmp", "@DROP@"]:
    try:
        seen += [os.path.join(folder, n) for n in os.listdir(folder) if "@MARK@" in n]
    except OSError:
        pass
print("SAW: " + repr(seen) if seen else "CLEAN")
"""


def load(name: str) -> ModuleType:
    """Import one scenario file."""
    spec = importlib.util.spec_from_file_location(
        f"adversarial_{name}", SCENARIO_DIR / f"{name}.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill(text: str, tokens: dict[str, str]) -> str:
    """Replace the @TOKEN@ placeholders of a scenario."""
    for key, value in tokens.items():
        text = text.replace(f"@{key}@", value)
    return text


def build(name: str, base: Any, subs: Path, tokens: dict[str, str]) -> None:
    """Write one scenario's submission: its base notebook with the attack applied."""
    scenario = load(name)
    nb = copy.deepcopy(base)
    cells = [nbformat.v4.new_code_cell(fill(c, tokens)) for c in scenario.CELLS]
    if getattr(scenario, "WHERE", "start") == "end":
        nb.cells.extend(cells)
    else:
        at = cell_index(nb, "q1_text")
        nb.cells[at:at] = cells
    for gid, source in getattr(scenario, "EDIT", {}).items():
        nb.cells[cell_index(nb, gid)].source = source
    for gid in getattr(scenario, "DELETE", []):
        del nb.cells[cell_index(nb, gid)]
    for forged in getattr(scenario, "FORGE", []):
        cell = nbformat.v4.new_code_cell(forged["source"])
        cell.metadata["nbgrader"] = {
            "grade": True,
            "grade_id": forged["grade_id"],
            "locked": True,
            "points": forged["points"],
            "schema_version": 3,
            "solution": False,
        }
        nb.cells.insert(cell_index(nb, forged["before"]), cell)
    folder = subs / name / "t1"
    folder.mkdir(parents=True)
    if getattr(scenario, "NOTEBOOK", True):
        nbformat.write(nb, folder / "t1.ipynb")
    for link, target in getattr(scenario, "LINKS", {}).items():
        (folder / link).symlink_to(fill(target, tokens))
    for name, text in getattr(scenario, "FILES", {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(fill(text, tokens))


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Grade every scenario, the baselines, an honest and a curious student in one run."""
    tmp = tmp_path_factory.mktemp("adversarial")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    bases = {k: answered(released, *v) for k, v in BASES.items()}
    honest = answered(released, "x = 42", GOOD_DOUBLE)
    subs, out, drop = tmp / "submitted", tmp / "out", tmp / "drop"
    mark = f"advmark{secrets.token_hex(4)}"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    tokens = {
        "REPO_KEYS": str(REPO_KEYS),
        "COPY_KEYS": str(course / "keys" / "t1.yaml"),
        "COURSE_KEYS": str(REPO / "notebooks" / "course" / "keys"),
        "SOURCE_NB": str(
            REPO / "tests" / "fixtures" / "mini_course" / "source" / "t1" / "t1.ipynb"
        ),
        "COPY_SOURCE_NB": str(course / "source" / "t1" / "t1.ipynb"),
        "OUT": str(out),
        "SUBS": str(subs),
        "DROP": str(drop),
        "MARK": mark,
        "PORT": str(listener.getsockname()[1]),
        "CANARY": f"canary-{secrets.token_hex(8)}",
    }
    for name in SCENARIOS:
        build(name, bases[load(name).BASE], subs, tokens)
    for name, nb in bases.items():
        write_submission(subs, f"base_{name}", nb)
    write_submission(subs, "honest", honest)
    curious = copy.deepcopy(honest)
    curious.cells.append(nbformat.v4.new_code_cell(fill(CURIOUS, tokens)))
    write_submission(subs, "zz_curious", curious)
    before = snapshot(subs)
    run = grade(subs, out, course, COURSE_GRADER_CANARY=tokens["CANARY"])
    (tmp / "grades-attacks.csv").write_text(run.grades_text)  # kept for a look after the run
    # the next student, graded after all the attacks (same course folder and gradebook)
    later = tmp / "later"
    write_submission(later, "next_student", curious)
    after_run = grade(later, out, course, COURSE_GRADER_CANARY=tokens["CANARY"])
    # the honest student alone, for comparison
    alone_subs = tmp / "alone"
    write_submission(alone_subs, "honest", honest)
    alone = grade(alone_subs, tmp / "out-alone", course)
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return {
        "run": run,
        "later": after_run,
        "alone": alone,
        "tokens": tokens,
        "course": course,
        "before": before,
        "after": snapshot(subs),
        "connected": connected,
        "out": out,
    }


@pytest.mark.parametrize("name", SCENARIOS)
def test_attack_gains_nothing_and_reads_nothing(attacked: dict[str, Any], name: str) -> None:
    run: Graded = attacked["run"]
    scenario = load(name)
    row = run.row(name)
    assert row["status"], "every scenario gets a row with a status"
    assert row["auto_max"] == "3" and row["manual_max"] == "2"
    assert run.score(name) <= run.score(f"base_{scenario.BASE}"), row
    page = run.feedback(name)
    for secret in [*HIDDEN_INPUTS, *EXPECTED, *KEY_TEXTS, attacked["tokens"]["CANARY"]]:
        assert secret not in page, f"feedback of {name} contains {secret!r}"
        assert secret not in row["detail"], f"detail of {name} contains {secret!r}"
    outputs = run.outputs(name)
    assert "LEAKED" not in outputs, [ln for ln in outputs.splitlines() if "LEAKED" in ln]
    for secret in [*EXPECTED, *KEY_TEXTS, attacked["tokens"]["CANARY"]]:
        assert secret not in outputs, f"{name} read {secret!r}"
    if hasattr(scenario, "EXPECT"):
        assert scenario.EXPECT in outputs, f"{name} did not run as intended"


STATUSES = {
    "fork_bomb": {"process-limit"},
    "memory_bomb": {"memory"},
    "infinite_loop": {"timeout"},
    "sleep_past_timeout": {"timeout"},
    "huge_output": {"output-limit"},
    "os_exit": {"killed"},
    "kill_parent": {"killed"},
    "symlink_notebook_to_keys": {"unsafe-file"},
    "symlink_notebook_to_source": {"unsafe-file"},
    "symlink_extra_files": {"unsafe-file"},
    "shadow_startup_files": {"graded"},  # not a grader failure: nothing of it ran first
}


@pytest.mark.parametrize("name", sorted(STATUSES))
def test_resource_attacks_get_the_right_status(attacked: dict[str, Any], name: str) -> None:
    row = attacked["run"].row(name)
    assert row["status"] in STATUSES[name], row
    assert row["detail"]


def test_symlinks_are_not_followed(attacked: dict[str, Any]) -> None:
    run: Graded = attacked["run"]
    for name in ("symlink_notebook_to_keys", "symlink_notebook_to_source", "symlink_extra_files"):
        assert run.row(name)["auto_score"] == "", "unsafe-file: not graded, not a score"
        assert "is a symbolic link" in run.row(name)["detail"]
        assert not run.executed(name), "nothing of it ran"


def test_the_batch_goes_on_and_honest_rows_are_untouched(attacked: dict[str, Any]) -> None:
    run, alone = attacked["run"], attacked["alone"]
    for student, score in [("honest", 3), ("zz_curious", 3), ("base_blank", 0), ("base_half", 2)]:
        assert run.row(student)["status"] == "graded", run.row(student)
        assert run.score(student) == score
    assert run.row("honest") == alone.row("honest")
    for gid in ("t1_q1", "t1_q2", "t1_written"):
        assert run.cells[("honest", "t1", gid)] == alone.cells[("honest", "t1", gid)]
    assert run.recon["balanced"] is True
    # + honest and curious, + the symlinked source.ipynb of symlink_extra_files (not followed)
    assert run.recon["rows"] == len(SCENARIOS) + len(BASES) + 3
    assert run.row("symlink_extra_files", "source")["status"] == "unexpected-notebook"
    assert run.code == 0


def test_nothing_is_left_for_the_next_student(attacked: dict[str, Any]) -> None:
    run, later = attacked["run"], attacked["later"]
    mark = attacked["tokens"]["MARK"]
    assert "CLEAN" in run.outputs("zz_curious")
    assert "CLEAN" in later.outputs("next_student")
    assert later.row("next_student")["status"] == "graded" and later.score("next_student") == 3
    assert not Path(attacked["tokens"]["DROP"]).exists()
    for folder in (Path("/tmp"), Path.home(), REPO, Path("/var/tmp"), Path("/dev/shm")):
        assert not list(folder.glob(f"{mark}*")), folder
    for path in Path(attacked["out"]).rglob("*"):
        assert mark not in path.name and "loot" not in path.name
    assert attacked["before"] == attacked["after"], "a submission folder changed"
    assert attacked["connected"] is False, "a kernel reached the host's loopback"


def test_the_gradebook_is_only_written_by_the_grader(attacked: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{attacked['out'] / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        students = {s.id for s in gb.students}
        expected = {
            *SCENARIOS,
            "honest",
            "zz_curious",
            "next_student",
            *(f"base_{b}" for b in BASES),
        }
        assert students == expected
        for name in SCENARIOS:
            assert gb.find_grade("t1_written", "t1", "t1", name).manual_score is None
        assert gb.find_grade("t1_q1", "t1", "t1", "honest").auto_score == 1
        assert gb.find_grade("t1_q2", "t1", "t1", "honest").auto_score == 2


def test_no_feedback_page_leaks(attacked: dict[str, Any]) -> None:
    out: Path = attacked["out"]
    assert find_leaks(out / "feedback", attacked["course"]) == []
    assert os.environ.get("COURSE_GRADER_CANARY") is None
