"""Content is data with a schema: every asset file validates, and a broken one is named."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ASSETS, REPO

from course_lib.content import ContentError, load_cases, load_inventory, load_rubric
from course_lib.content.catalog import load_case, load_case_key
from course_lib.content.validate import validate_assets

CASE_FILES = sorted((ASSETS / "cases").glob("*.yaml"))
KEYS_DIR = REPO / "notebooks" / "course" / "keys" / "cases"


def run_validate(assets: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course_lib", "validate", "--assets", str(assets)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_rubric_file_is_valid() -> None:
    rubric = load_rubric()
    assert 8 <= len(rubric.markers) <= 12
    assert {m.pole for m in rubric.markers} == {"oppositional", "compliant"}


def test_inventory_file_is_valid() -> None:
    inventory = load_inventory()
    assert 11 <= len(inventory.items) <= 14
    assert inventory.practice_material is True


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_file_is_valid(path: Path) -> None:
    case = load_case(path)
    key = load_case_key(case, KEYS_DIR)
    assert set(key.ratings) == set(load_rubric().marker_ids())


def test_case_set_spans_the_spectrum() -> None:
    cases = load_cases()
    keys = [load_case_key(c, KEYS_DIR) for c in cases]
    assert len(cases) >= 16
    assert sum(k.band == "high" and k.trait_or_state == "trait" for k in keys) >= 5
    assert sum(k.band == "low" and k.trait_or_state == "trait" for k in keys) >= 5
    assert sum(k.band == "mid" and k.trait_or_state == "trait" for k in keys) >= 3
    assert sum(k.trait_or_state == "state" for k in keys) >= 3


def test_assignment_keys_never_ship_in_assets() -> None:
    for case in load_cases(which="assignment"):
        assert case.key is None
        text = (ASSETS / "cases" / f"{case.id}.yaml").read_text()
        assert "rationale" not in text and "ratings" not in text


def test_validate_cli_reports_every_kind() -> None:
    done = run_validate(ASSETS)
    assert done.returncode == 0, done.stderr
    cases = re.search(r"^cases: (\d+) checked, (\d+) valid$", done.stdout, re.M)
    assert cases and int(cases[1]) >= 28 and cases[1] == cases[2], done.stdout
    assert "rubric: 1 checked, 1 valid" in done.stdout
    assert "inventory: 1 checked, 1 valid" in done.stdout
    assert "no band or kind mostly minority/migrant" in done.stdout
    for row in ("high", "mid", "low", "trait", "state"):  # the band x group table is printed
        assert re.search(rf"^ *{row} +\d+ +\d+ +\d+ ", done.stdout, re.M), done.stdout


def test_validate_fails_when_a_band_is_carried_by_minority_or_migrant_clients(
    assets_copy: Path,
) -> None:
    """Issue 9: no band may draw more than half its cases from minority or migrant clients."""
    from course_lib.content import load_case_key

    changed = 0
    for path in sorted((assets_copy / "cases").glob("*.yaml")):
        case = load_case(path)
        if load_case_key(case, KEYS_DIR).band == "low" and case.client.group == "majority":
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["client"]["migration"] = "first_generation"
            data["client"]["majority_group"] = False
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            changed += 1
    assert changed >= 2
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "validate", "--assets", str(assets_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "band low" in done.stderr and "minority or migrant clients" in done.stderr
    assert "breaks the rule" in done.stdout and re.search(r"^ +low +0 ", done.stdout, re.M)


def _corrupt_yaml(path: Path) -> None:
    path.write_text(path.read_text() + "\n  bad: [unclosed\n")


def _drop_field(path: Path, field: str) -> None:
    data = yaml.safe_load(path.read_text())
    data.pop(field)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    "target",
    [
        "instruments/marker_rubric.yaml",
        "instruments/practice_inventory.yaml",
        "cases/p01-marcus-fence.yaml",
    ],
)
def test_malformed_yaml_is_named_not_a_traceback(assets_copy: Path, target: str) -> None:
    _corrupt_yaml(assets_copy / target)
    done = run_validate(assets_copy)
    assert done.returncode != 0
    assert target.split("/")[-1] in done.stderr and "malformed YAML" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("target", "field"),
    [
        ("instruments/marker_rubric.yaml", "markers"),
        ("instruments/practice_inventory.yaml", "items"),
        ("cases/p05-bronwyn-careplan.yaml", "vignette"),
    ],
)
def test_missing_field_names_file_and_field(assets_copy: Path, target: str, field: str) -> None:
    _drop_field(assets_copy / target, field)
    done = run_validate(assets_copy)
    assert done.returncode != 0
    assert target.split("/")[-1] in done.stderr and field in done.stderr


def test_rating_out_of_range_names_file_and_field(assets_copy: Path) -> None:
    path = assets_copy / "cases" / "p01-marcus-fence.yaml"
    data = yaml.safe_load(path.read_text())
    data["key"]["ratings"]["seeks_direction"]["rating"] = 4
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    done = run_validate(assets_copy)
    assert done.returncode != 0
    assert (
        "p01-marcus-fence.yaml" in done.stderr
        and "key.ratings.seeks_direction.rating" in done.stderr
    )


def test_band_must_follow_the_placement_rule(assets_copy: Path) -> None:
    path = assets_copy / "cases" / "p01-marcus-fence.yaml"
    data = yaml.safe_load(path.read_text())
    data["key"]["band"] = "low"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError, match=r"key\.band"):
        load_case(path)


def test_cue_must_quote_the_vignette(assets_copy: Path) -> None:
    path = assets_copy / "cases" / "p01-marcus-fence.yaml"
    data = yaml.safe_load(path.read_text())
    data["key"]["ratings"]["counters_suggestions"]["cue"] = "words that are not in the case at all"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    reports = validate_assets(assets_copy, KEYS_DIR)
    problems = [str(p) for r in reports for p in r.problems]
    assert any("p01-marcus-fence.yaml" in p and "counters_suggestions.cue" in p for p in problems)


def test_assignment_case_with_inline_key_is_refused(assets_copy: Path) -> None:
    practice = yaml.safe_load((assets_copy / "cases" / "p01-marcus-fence.yaml").read_text())
    path = next((assets_copy / "cases").glob("a01-*.yaml"))
    data = yaml.safe_load(path.read_text())
    data["key"] = practice["key"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError, match="must not carry its key"):
        load_case(path)
