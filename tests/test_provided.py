"""Stand-ins for earlier answers: correct, temporary, and only where the spec allows them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_lib.content import ContentError, load_inventory
from course_lib.grading import capture
from course_lib.grading.notebook_checks import validate_notebooks
from course_lib.grading.provided import PROVIDERS, provided_sources
from course_lib.grading.references import REFERENCES
from course_lib.grading.spec import Compare, load_spec
from course_lib.grading.verdict import CourseContext, compare_value
from course_lib.simulate import DATA_FILE, read_csv

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "notebooks" / "course" / "keys"
CONTEXT = CourseContext(keys_dir=KEYS, assets=REPO / "assets")
MINI = REPO / "tests" / "fixtures" / "mini_course"
#: Stand-in name -> the reference that defines its right answer.
REFERENCE_OF = {"reverse_keyed": "reverse_keyed", "score_facets": "facet_scores"}


def stand_in(name: str) -> Any:
    scope: dict[str, Any] = {}
    exec(provided_sources([name])[name], scope)  # noqa: S102 - the grader's own code
    return scope[name]


def response_sets() -> list[dict[str, Any]]:
    """Every a1 hidden response set, and every respondent of the simulated dataset."""
    questions = load_spec(KEYS / "a1_inventory.yaml").notebooks["a1_inventory"].questions
    sets = [h for gid in ("a1_reverse_keyed", "a1_facets") for h in questions[gid].hidden]
    rows = read_csv(REPO / "assets" / DATA_FILE, load_inventory())
    return sets + [{k: v for k, v in row.items() if k != "respondent_id"} for row in rows]


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_stand_in_agrees_with_the_reference(name: str) -> None:
    function = stand_in(name)
    reference = REFERENCES[REFERENCE_OF[name]]
    rule = Compare(kind="mapping", tol=1e-12)
    for responses in response_sets():
        want = reference(responses, course=CONTEXT)
        assert compare_value(function(dict(responses)), want, rule) == 1.0, responses
    extra = {**response_sets()[0], "respondent_id": "r001"}  # a dataset row's extra key
    assert function(extra) == function(response_sets()[0])


def test_stand_ins_use_nothing_from_the_kernel() -> None:
    for source in provided_sources(sorted(PROVIDERS)).values():
        assert "import" not in source and "course_lib" not in source
        for name in ("FACETS", "ITEM_IDS", "RULE", "REVERSE_KEYED", "SCALE_MIN"):
            assert name not in source


def test_stand_ins_are_bound_only_during_the_calls() -> None:
    def own(responses: Any) -> Any:
        raise NotImplementedError

    namespace: dict[str, Any] = {"reverse_keyed": own}
    seen = []

    def score_facets(responses: Any) -> Any:  # the student's function, calling reverse_keyed
        seen.append(namespace["reverse_keyed"] is own)
        return namespace["reverse_keyed"](responses)

    published: list[dict[str, Any]] = []
    original = capture._publish
    capture._publish = published.append  # type: ignore[assignment]
    try:
        capture.emit_calls(
            "q",
            lambda: score_facets,
            [{"i06": 2}, {"i06": 5}],
            provided_sources(["reverse_keyed", "score_facets"]),
            namespace,
        )
    finally:
        capture._publish = original  # type: ignore[assignment]
    assert seen == [False, False]
    assert namespace == {"reverse_keyed": own}  # restored, and no stray score_facets left
    calls = published[0]["calls"]
    assert [c["value"]["i06"] for c in calls] == [4, 1]


def _spec_with(tmp_path: Path, change: dict[str, Any]) -> Path:
    data = yaml.safe_load((KEYS / "a1_inventory.yaml").read_text())
    data["notebooks"]["a1_inventory"]["questions"]["a1_facets"].update(change)
    path = tmp_path / "a1_inventory.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"provides": ["band_for"]}, "no stand-in for band_for"),
        ({"provides": ["reverse_keyed"], "hidden": None}, "only for a function tested on hidden"),
        ({"capture": "facets", "provides": ["score_facets"]}, "no other question collects"),
    ],
)
def test_the_spec_refuses_a_stand_in_it_cannot_justify(
    tmp_path: Path, change: dict[str, Any], words: str
) -> None:
    with pytest.raises(ContentError, match=words):
        load_spec(_spec_with(tmp_path, change))


def test_a_stand_in_for_a_later_answer_is_a_validation_problem(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    spec = course / "keys" / "t1.yaml"
    data = yaml.safe_load(spec.read_text())
    data["notebooks"]["t1"]["questions"]["t1_q2"]["capture"] = "reverse_keyed"
    data["notebooks"]["t1"]["questions"]["t1_q2"]["hidden"] = [{"i01": 1}]
    data["notebooks"]["t1"]["questions"]["t1_q2"]["expected"] = [{"i01": 1}]
    data["notebooks"]["t1"]["questions"]["t1_q1"].update(  # q1 relies on q2's answer
        {"capture": "score_facets", "hidden": [{"i01": 2}], "expected": [{}]}
    )
    data["notebooks"]["t1"]["questions"]["t1_q1"]["provides"] = ["reverse_keyed"]
    spec.write_text(yaml.safe_dump(data))
    problems = validate_notebooks(course).problems
    assert [(p.field, "must come earlier" in p.problem) for p in problems] == [("t1_q1", True)]
