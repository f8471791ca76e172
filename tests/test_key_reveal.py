"""``grade --reveal-keys``: Assignment 2's feedback adds, per case, the student's rating of
every marker minus the expert's and the key; without the flag it names no key rating, and
the flag reaches the judging only from the instructor's command line."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_lib.content import case_path, load_case, load_case_key, load_rubric
from course_lib.grading import cli_commands
from course_lib.grading.feedback import feedback_html
from course_lib.grading.per_student import context_for, for_student
from course_lib.grading.references import model_case_answers
from course_lib.grading.rows import Row
from course_lib.grading.spec import load_spec
from course_lib.grading.verdict import CourseContext, judge_answers_file
from course_lib.variants import variant_for

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "notebooks" / "course" / "keys"
TEMPLATE = REPO / "notebooks" / "course" / "source" / "a2_cases" / "a2_cases.ipynb"
CONTEXT = CourseContext(keys_dir=KEYS, assets=REPO / "assets")
RUBRIC = load_rubric()


def _key(case_id: str) -> Any:
    return load_case_key(load_case(case_path(case_id), RUBRIC), KEYS / "cases", RUBRIC)


@pytest.fixture
def graded(tmp_path: Path) -> dict[str, Any]:
    """One student's a2 judged and rendered without and with the flag: the first case's
    first marker one point off the key, the second's two points lower, the third unrated."""
    variant = variant_for("amara", "test-salt-0001")
    spec = load_spec(KEYS / "a2_cases.yaml").notebooks["a2_cases"].questions["a2_ratings"]
    question = for_student(spec, variant, "a2_cases")
    answers = model_case_answers(question.cases, course=CONTEXT)
    first, second, third, _ = question.cases
    m1, m2 = RUBRIC.markers[0].id, RUBRIC.markers[1].id
    ratings = answers["cases"][first]["ratings"]
    ratings[m1] = ratings[m1] + 1 if ratings[m1] < 3 else ratings[m1] - 1
    answers["cases"][second]["ratings"][m2] = None
    del answers["cases"][third]
    path = tmp_path / question.answers_file
    path.write_text(json.dumps(answers))
    template = nbformat.read(TEMPLATE, as_version=4)
    out: dict[str, Any] = {"cases": question.cases, "answers": answers}
    for name, reveal in (("hidden", False), ("shown", True)):
        context = context_for(replace(CONTEXT, reveal_keys=reveal), variant)
        result = judge_answers_file("a2_ratings", question, path, context)
        row = Row("amara", "a2_cases", "a2_cases", "graded", auto_score=0.0, questions=[result])
        out[name] = (result, feedback_html(row, template, {}))
    return out


def test_without_the_flag_the_page_names_no_key_rating(graded: dict[str, Any]) -> None:
    result, page = graded["hidden"]
    assert len(result.details) == 4  # one credit line per case, as before
    items = re.findall(r"<li>(.*?)</li>", page)
    assert len(items) == 4
    for marker in RUBRIC.markers:
        assert marker.name not in page
    for text in ("than the expert", "expert key:", "the expert's ratings", "released"):
        assert text not in page
    for band in RUBRIC.placement.bands:
        assert f"“{band.label}”" not in page


def test_with_the_flag_each_case_gets_its_marker_differences_and_key(
    graded: dict[str, Any],
) -> None:
    hidden, _ = graded["hidden"]
    result, page = graded["shown"]
    cases, answers = graded["cases"], graded["answers"]
    assert result.fraction == hidden.fraction  # revealing changes no score
    assert "released the expert key for your cases (after the due date)" in result.feedback
    assert len(result.details) == 8  # the credit line, then the comparison, per case
    assert result.details[0::2] == hidden.details
    first, second, third, fourth = cases
    m1, m2 = RUBRIC.markers[0], RUBRIC.markers[1]
    title = {c: load_case(case_path(c), RUBRIC).title for c in cases}
    one = result.details[1]
    yours, expert = answers["cases"][first]["ratings"][m1.id], _key(first).ratings[m1.id].rating
    way = "higher" if yours > expert else "lower"
    assert one.startswith(f"“{title[first]}”, your ratings against the expert's: ")
    assert (
        f"“{m1.name}” {yours - expert:+d}: you rated it 1 point {way} than the expert "
        f"(you {yours}, expert {expert})"
    ) in one
    assert one.count(": the same as the expert (") == len(RUBRIC.markers) - 1
    key = _key(first)
    band = next(b.label for b in RUBRIC.placement.bands if b.id == key.band)
    stance = next(s.label for s in RUBRIC.stances if s.id == key.stance)
    assert one.endswith(
        f"The expert key: band “{band}”; trait or state: {key.trait_or_state}; "
        f"opening stance “{stance}”."
    )
    assert (
        f"“{m2.name}”: not rated (expert {_key(second).ratings[m2.id].rating})"
        in (result.details[3])
    )
    assert result.details[5].startswith(f"“{title[third]}”, not rated; the expert's ratings: ")
    assert "than the expert" not in result.details[7]  # the model answers: all the same
    assert f"“{title[fourth]}”, your ratings against the expert's" in result.details[7]
    assert "you rated it 1 point" in page and "The expert key: band" in page


def test_the_flag_is_off_by_default_and_reaches_the_grading_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from course_lib.cli import main

    seen: list[Any] = []
    monkeypatch.setattr(cli_commands, "run_grade", lambda s, o, options: seen.append(options) or 0)
    (tmp_path / "subs").mkdir()
    base = ["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out")]
    assert main(base) == 0 and main([*base, "--reveal-keys"]) == 0
    assert [o.reveal_keys for o in seen] == [False, True]
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    assert "for after the due date" in " ".join(capsys.readouterr().out.split())
