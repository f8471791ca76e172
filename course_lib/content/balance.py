"""The case set must not map the poles onto groups (issue 9): counts and the rule.

Every case's client is ``majority`` (the majority ethnic group where they live, not a
migrant), ``minority`` (not a migrant) or ``migrant`` (first or second generation). The rule:
every band and every trait/state kind includes all three groups, and none draws more than
half its cases from minority and migrant clients together. ``validate`` prints the band x
group table and fails when the rule breaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course_lib.content.cases import Case, CaseKey
from course_lib.content.errors import Problem

GROUPS = ("majority", "minority", "migrant")
BANDS = ("high", "mid", "low")
KINDS = ("trait", "state")


@dataclass(frozen=True)
class GroupTable:
    """Case counts by row (a band or a trait/state kind) and client group."""

    counts: dict[str, dict[str, int]]

    def text(self) -> str:
        """The table as aligned text, one line per row, with each row's non-majority share."""
        head = f"{'':>6} " + " ".join(f"{g:>9}" for g in GROUPS) + "  minority+migrant"
        lines = [head]
        for row, by_group in self.counts.items():
            total = sum(by_group.values())
            share = (by_group["minority"] + by_group["migrant"]) / total if total else 0.0
            cells = " ".join(f"{by_group[g]:>9}" for g in GROUPS)
            lines.append(f"{row:>6} {cells}  {share:>6.0%} of {total}")
        return "\n".join(lines)


def group_table(cases: Iterable[tuple[Case, CaseKey]]) -> GroupTable:
    """Count cases per band and per trait/state kind, by client group."""
    counts = {row: dict.fromkeys(GROUPS, 0) for row in (*BANDS, *KINDS)}
    for case, key in cases:
        counts[key.band][case.client.group] += 1
        counts[key.trait_or_state][case.client.group] += 1
    return GroupTable(counts)


def balance_problems(table: GroupTable, where: Path) -> list[Problem]:
    """Where the set breaks the rule: a group missing from a row, or a row mostly non-majority."""
    problems = []
    for row, by_group in table.counts.items():
        total = sum(by_group.values())
        what = "band" if row in BANDS else "trait/state kind"
        absent = [g for g in GROUPS if by_group[g] == 0]
        if absent:
            problems.append(
                Problem(where, f"{what} {row}", f"has no {' or '.join(absent)} client")
            )
        others = by_group["minority"] + by_group["migrant"]
        if total and others * 2 > total:
            problems.append(
                Problem(
                    where,
                    f"{what} {row}",
                    f"{others} of its {total} cases are minority or migrant clients "
                    "(at most half may be)",
                )
            )
    return problems
