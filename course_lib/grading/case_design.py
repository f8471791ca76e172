"""The instructor's check of the per-student case sets against the keys (run by ``validate``).

:mod:`course_lib.variants` lists the case sets without their keys (students' notebooks run
it). This module reads the keys and checks that the sets are fair and safe:

* every set gives Assignment 2 the same mix of (band, difficulty) pairs, and Assignment 3
  likewise: the strata are the key's band and the case's difficulty, taken together;
* Assignment 3's cases need all three opening stances; Assignment 2's span the three bands
  and hold both a trait and a state;
* a set's a2 and a3 cases never overlap (a2's feedback gives no a3 point away);
* there are at least :data:`MIN_SETS` distinct sets.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from course_lib.variants import CASE_SETS, CaseSet

MIN_SETS = 6
STANCES = {"self_directed", "collaborative", "structured"}
BANDS = {"low", "mid", "high"}


def _facts(case_ids: set[str], keys_dir: Path, assets: Path | None) -> dict[str, dict[str, Any]]:
    from course_lib.content import case_path, load_case, load_case_key, load_rubric

    rubric = load_rubric(assets)
    out = {}
    for case_id in sorted(case_ids):
        case = load_case(case_path(case_id, assets), rubric)
        key = load_case_key(case, Path(keys_dir) / "cases", rubric)
        out[case_id] = {
            "band": key.band,
            "difficulty": case.difficulty,
            "stance": key.stance,
            "trait_or_state": key.trait_or_state,
        }
    return out


def _mix(cases: tuple[str, ...], facts: dict[str, dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((facts[c]["band"], facts[c]["difficulty"]) for c in cases)


def design_problems(
    keys_dir: Path, assets: Path | None = None, sets: tuple[CaseSet, ...] = CASE_SETS
) -> list[str]:
    """What is wrong with the case sets (empty when they pass every rule above)."""
    problems: list[str] = []
    if len(set(sets)) < MIN_SETS:
        problems.append(f"only {len(set(sets))} distinct case sets; at least {MIN_SETS} needed")
    if not sets:
        return problems
    try:
        facts = _facts({c for s in sets for c in (*s.a2, *s.a3)}, keys_dir, assets)
    except Exception as exc:  # noqa: BLE001 - a missing case or key is a problem to report
        return [*problems, f"a case of the case sets cannot be loaded: {exc}"]
    for number, chosen in enumerate(sets, start=1):
        where = f"case set {number}"
        if set(chosen.a2) & set(chosen.a3):
            problems.append(f"{where}: a2 and a3 share {sorted(set(chosen.a2) & set(chosen.a3))}")
        for name, cases in (("a2", chosen.a2), ("a3", chosen.a3)):
            if _mix(cases, facts) != _mix(getattr(sets[0], name), facts):
                problems.append(f"{where}: its {name} mix of bands and difficulties differs")
        if {facts[c]["stance"] for c in chosen.a3} != STANCES:
            problems.append(f"{where}: a3's cases do not need all three stances")
        if {facts[c]["band"] for c in chosen.a2} != BANDS:
            problems.append(f"{where}: a2's cases do not span the three bands")
        if {facts[c]["trait_or_state"] for c in chosen.a2} != {"trait", "state"}:
            problems.append(f"{where}: a2's cases do not hold both a trait and a state")
    return problems
