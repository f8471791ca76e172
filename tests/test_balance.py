"""The case-set balance rule (issue 9): counted per band and kind, enforced with named rows."""

from __future__ import annotations

from pathlib import Path

from conftest import ASSETS

from course_lib.content.balance import balance_problems, group_table
from course_lib.content.catalog import load_case

BASE = load_case(ASSETS / "cases" / "p01-marcus-fence.yaml")


def _case(group: str, band: str, kind: str):
    """A copy of a real case with the client's group, band and kind set (rule inputs only)."""
    majority, migration = {
        "majority": (True, "none"),
        "minority": (False, "none"),
        "migrant": (False, "first_generation"),
    }[group]
    client = BASE.client.model_copy(update={"majority_group": majority, "migration": migration})
    key = BASE.key.model_copy(update={"band": band, "trait_or_state": kind})
    return BASE.model_copy(update={"client": client}), key


def _balanced() -> list:
    cases = []
    for band, (a, b) in {
        "high": ("minority", "migrant"),
        "mid": ("migrant", "minority"),
        "low": ("minority", "migrant"),
    }.items():
        cases += [_case("majority", band, "trait"), _case("majority", band, "state")]
        cases += [_case(a, band, "trait"), _case(b, band, "state")]
    return cases


def test_a_balanced_set_passes_and_prints_its_table() -> None:
    table = group_table(_balanced())
    assert balance_problems(table, Path("cases")) == []
    assert table.counts["high"] == {"majority": 2, "minority": 1, "migrant": 1}
    assert table.counts["state"] == {"majority": 3, "minority": 1, "migrant": 2}
    text = table.text()
    assert "majority" in text.splitlines()[0] and "minority+migrant" in text
    assert "50% of 4" in text  # each band: 2 of 4 non-majority


def test_a_band_carried_mostly_by_minority_or_migrant_clients_fails() -> None:
    cases = _balanced() + [_case("migrant", "low", "trait")]
    problems = [str(p) for p in balance_problems(group_table(cases), Path("cases"))]
    assert any("band low" in p and "3 of its 5 cases" in p for p in problems), problems


def test_a_band_without_one_group_fails_naming_it() -> None:
    cases = [c for c in _balanced() if not (c[1].band == "mid" and c[0].client.group == "minority")]
    cases.append(_case("majority", "mid", "trait"))  # still at most half non-majority
    problems = [str(p) for p in balance_problems(group_table(cases), Path("cases"))]
    assert any("band mid" in p and "no minority client" in p for p in problems), problems
