"""Validate every content file (and notebook nbgrader metadata); collect problems, never raise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_lib import paths
from course_lib.content.balance import GroupTable, balance_problems, group_table
from course_lib.content.cases import Case, CaseKey
from course_lib.content.catalog import (
    CASES_DIR,
    INVENTORY_FILE,
    RUBRIC_FILE,
    load_case,
    load_case_key,
)
from course_lib.content.errors import Problem
from course_lib.content.inventory import Inventory
from course_lib.content.loader import load
from course_lib.content.report import KindReport, check_one
from course_lib.content.rubric import Rubric


@dataclass
class BalanceReport(KindReport):
    """The band x client-group table of the keyed cases, and where it breaks the rule."""

    table: GroupTable | None = None

    def summary(self) -> str:
        """The rule's verdict, then the table (every case with a key is counted)."""
        verdict = "breaks the rule" if self.problems else "no band or kind mostly minority/migrant"
        table = f"\n{self.table.text()}" if self.table is not None else ""
        return f"{self.kind}: {self.checked} cases counted, {verdict}{table}"


def validate_assets(assets: Path | None = None, keys_dir: Path | None = None) -> list[KindReport]:
    """Check the rubric, the inventory, the exercises, every case and instructor-side case key,
    the response-practice moments and sessions, and the assignment moments' key."""
    assets = Path(assets) if assets is not None else paths.assets_dir()
    keys_dir = Path(keys_dir) if keys_dir is not None else paths.instructor_keys_dir() / "cases"
    rubric_report, inv_report = KindReport("rubric"), KindReport("inventory")
    cases_report, keys_report = KindReport("cases"), KindReport("assignment case keys")
    rubric_path = assets / RUBRIC_FILE
    rubric = check_one(rubric_report, rubric_path, lambda: load(rubric_path, Rubric))
    inventory_path = assets / INVENTORY_FILE
    check_one(inv_report, inventory_path, lambda: load(inventory_path, Inventory))
    from course_lib.content.exercises import load_sorting_statements, sorting_path

    ex_report = KindReport("exercises")
    check_one(ex_report, sorting_path(assets), lambda: load_sorting_statements(assets))
    reports = [rubric_report, inv_report, ex_report, cases_report]
    from course_lib.content.response_checks import validate_responses

    reports += validate_responses(assets, keys_dir.parent)
    if not isinstance(rubric, Rubric):
        cases_report.problems.append(
            Problem(assets / CASES_DIR, "<all cases>", "not checked: the rubric is invalid")
        )
        return reports
    case_files = sorted((assets / CASES_DIR).glob("*.yaml"))
    if not case_files:
        cases_report.problems.append(Problem(assets / CASES_DIR, "<folder>", "holds no case files"))
    keyed: list[tuple[Case, CaseKey]] = []
    for path in case_files:
        case = check_one(cases_report, path, lambda p=path: load_case(p, rubric))
        if isinstance(case, Case) and case.key is not None:
            keyed.append((case, case.key))
        if isinstance(case, Case) and case.set == "assignment" and keys_dir.exists():
            key = check_one(
                keys_report,
                keys_dir / f"{case.id}.yaml",
                lambda c=case: load_case_key(c, keys_dir, rubric),
            )
            if isinstance(key, CaseKey):
                keyed.append((case, key))
    if keys_dir.exists():
        known = {p.stem for p in case_files}
        for orphan in sorted(p for p in keys_dir.glob("*.yaml") if p.stem not in known):
            keys_report.checked += 1
            keys_report.problems.append(
                Problem(orphan, "<file>", "key for a case that does not exist")
            )
        reports.append(keys_report)
    balance = BalanceReport("case set balance")
    balance.table = group_table(keyed)
    balance.checked = balance.valid = len(keyed)
    balance.problems = balance_problems(balance.table, assets / CASES_DIR)
    if balance.problems:
        balance.valid = 0
    reports.append(balance)
    return reports
