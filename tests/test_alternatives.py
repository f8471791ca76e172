"""Keys may list defensible alternatives with partial credit (issue 9): the schema refuses
bad ones, and the case scorer, Assignment 2 and Assignment 3 honour them and say why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ASSETS

from course_lib.answers import CaseAnswer
from course_lib.content import ContentError, load_rubric
from course_lib.content.catalog import load_case
from course_lib.grading.case_credit import case_credit
from course_lib.grading.spec import Compare, Question
from course_lib.grading.verdict import compare_value, judge_choice_credit
from course_lib.scoring.compare import compare_case
from course_lib.widgets.feedback import feedback_html

P01 = "p01-marcus-fence"
REASON = "A self-directed start also respects the history of leaving people who decided for him."


def _with_alternatives(folder: Path, alternatives: list[dict]) -> Path:
    source = ASSETS / "cases" / f"{P01}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["key"]["alternatives"] = alternatives
    path = folder / f"{P01}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _other_stance(stance: str) -> str:
    return next(s for s in ("self_directed", "collaborative", "structured") if s != stance)


def test_a_key_lists_an_alternative_with_its_credit_and_reason(tmp_path: Path) -> None:
    original = load_case(ASSETS / "cases" / f"{P01}.yaml")
    other = _other_stance(original.key.stance)
    path = _with_alternatives(
        tmp_path, [{"choice": "stance", "value": other, "credit": 0.5, "reason": REASON}]
    )
    key = load_case(path).key
    assert key.credit("stance", key.stance) == 1.0
    assert key.credit("stance", other) == 0.5
    assert key.credit("stance", None) == 0.0 and key.credit("band", "low") == 0.0
    assert key.alternative("stance", other).reason == REASON


@pytest.mark.parametrize(
    ("alternative", "words"),
    [
        ({"choice": "stance", "value": "laissez_faire", "credit": 0.5, "reason": "x"}, "one of"),
        ({"choice": "band", "value": "high", "credit": 0.5, "reason": "x"}, "key's own answer"),
        ({"choice": "stance", "value": "structured", "credit": 1.0, "reason": "x"}, "less than 1"),
        ({"choice": "colour", "value": "red", "credit": 0.5, "reason": "x"}, "choice"),
    ],
)
def test_a_bad_alternative_names_the_file_and_the_field(
    tmp_path: Path, alternative: dict, words: str
) -> None:
    path = _with_alternatives(tmp_path, [alternative])
    with pytest.raises(ContentError) as caught:
        load_case(path)
    text = str(caught.value)
    assert f"{P01}.yaml" in text and "key.alternatives" in text and words in text


def test_the_case_scorer_feedback_says_why_an_alternative_earns_credit(tmp_path: Path) -> None:
    rubric = load_rubric()
    original = load_case(ASSETS / "cases" / f"{P01}.yaml")
    other = _other_stance(original.key.stance)
    case = load_case(
        _with_alternatives(
            tmp_path, [{"choice": "stance", "value": other, "credit": 0.5, "reason": REASON}]
        )
    )
    key = case.key
    ratings = {m: r.rating for m, r in key.ratings.items()}
    answer = CaseAnswer(ratings, key.band, key.trait_or_state, other, checked=True)
    comparison = compare_case(case.id, answer, key, rubric)
    assert comparison.credit("stance") == 0.5 and comparison.credit("band") == 1.0
    html = feedback_html(comparison, rubric, answer)
    assert "≈ Opening stance: defensible (50% of the credit)." in html
    assert REASON in html and "✗ Opening stance" not in html


def test_assignment_2_gives_an_alternative_its_share_and_names_the_reason(tmp_path: Path) -> None:
    rubric = load_rubric()
    original = load_case(ASSETS / "cases" / f"{P01}.yaml")
    other = _other_stance(original.key.stance)
    key = load_case(
        _with_alternatives(
            tmp_path, [{"choice": "stance", "value": other, "credit": 0.5, "reason": REASON}]
        )
    ).key
    ratings = {m: r.rating for m, r in key.ratings.items()}
    exact = case_credit(
        CaseAnswer(ratings, key.band, key.trait_or_state, key.stance), key, rubric.marker_ids()
    )
    partly = case_credit(
        CaseAnswer(ratings, key.band, key.trait_or_state, other), key, rubric.marker_ids()
    )
    wrong = next(
        s for s in ("self_directed", "collaborative", "structured") if s not in (key.stance, other)
    )
    missed = case_credit(
        CaseAnswer(ratings, key.band, key.trait_or_state, wrong), key, rubric.marker_ids()
    )
    assert exact.total == pytest.approx(1.0)
    assert partly.total == pytest.approx(0.9)  # half of the stance's 0.2
    assert missed.total == pytest.approx(0.8)
    assert f"opening stance: defensible (50% of its credit: {REASON})" in partly.describe()
    assert "opening stance: did not match" in missed.describe()


def test_assignment_3_stances_earn_partial_credit_per_case() -> None:
    question = Question(
        capture="opening_stance",
        reference="opening_stances",
        compare=Compare(kind="choice_credit"),
        feedback="Decide band and trait or state first.",
    )
    want = {
        "c1": {"title": "One", "answer": "structured", "alternatives": []},
        "c2": {
            "title": "Two",
            "answer": "collaborative",
            "alternatives": [{"value": "self_directed", "credit": 0.5, "reason": REASON}],
        },
    }
    got = {"c1": "Structured", "c2": "self_directed"}
    result = judge_choice_credit("a3_stances", question, got, want)
    assert result.fraction == pytest.approx(0.75)
    assert result.details == (
        "“One”: matched the key.",
        f"“Two”: defensible, 50% of its credit: {REASON}.",
    )
    assert compare_value(got, want, question.compare) == pytest.approx(0.75)
    assert judge_choice_credit("a3_stances", question, {"c1": "x"}, want).fraction == 0.0
