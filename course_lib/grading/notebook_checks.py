"""``validate`` for the nbgrader course: source notebooks' metadata against their grading specs."""

from __future__ import annotations

import json
from pathlib import Path

from course_lib import paths
from course_lib.content.errors import ContentError, Problem
from course_lib.content.report import KindReport
from course_lib.grading.per_student import uses_variants
from course_lib.grading.spec import load_spec
from course_lib.grading.titles import untitled_graded_cells

ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def notebook_problems(
    path: Path, autograded_ids: set[str], relies_on: dict[str, list[str]] | None = None
) -> list[Problem]:
    """Problems in one source notebook's nbgrader metadata.

    ``relies_on``: grade id -> the grade ids whose answers its stand-ins replace (the spec's
    ``provides``); each of those must come earlier in the notebook, so that its answer is
    collected before any stand-in for it enters the kernel.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(path, "<notebook>", f"not a readable notebook: {exc}")]
    problems: list[Problem] = []
    seen: set[str] = set()
    graded_code: set[str] = set()
    for i, cell in enumerate(cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        where = f"cells[{i}].metadata.nbgrader"
        gid = meta.get("grade_id")
        if meta.get("schema_version") != 3:
            problems.append(Problem(path, f"{where}.schema_version", "must be 3"))
        if not isinstance(gid, str) or not gid or set(gid) - ID_CHARS:
            problems.append(
                Problem(
                    path, f"{where}.grade_id", "must be a non-empty id of letters, digits, _ and -"
                )
            )
            continue
        if gid in seen:
            problems.append(Problem(path, f"{where}.grade_id", f"{gid!r} is used twice"))
        seen.add(gid)
        if meta.get("grade"):
            pts = meta.get("points")
            if not isinstance(pts, int | float) or pts <= 0:
                problems.append(
                    Problem(path, f"{where}.points", f"grade cell {gid!r} needs points > 0")
                )
            if cell.get("cell_type") == "code" and not meta.get("solution"):
                graded_code.add(gid)
                if not meta.get("locked"):
                    problems.append(
                        Problem(path, f"{where}.locked", f"autograded cell {gid!r} must be locked")
                    )
        if cell.get("cell_type") == "code" and cell.get("outputs"):
            problems.append(
                Problem(path, f"cells[{i}].outputs", "source notebooks carry no outputs")
            )
    position = {
        meta["grade_id"]: i
        for i, cell in enumerate(cells)
        if isinstance(meta := cell.get("metadata", {}).get("nbgrader"), dict) and "grade_id" in meta
    }
    for gid, earlier in (relies_on or {}).items():
        for other in earlier:
            if position.get(other, -1) >= position.get(gid, -1):
                problems.append(
                    Problem(
                        path,
                        gid,
                        f"its stand-in replaces the answer to {other!r}, which must come "
                        "earlier in the notebook",
                    )
                )
    for gid in untitled_graded_cells(cells):
        problems.append(
            Problem(
                path,
                gid,
                "the nearest locked markdown cell before this graded cell has no heading "
                "(feedback pages use it as the question's title)",
            )
        )
    for gid in sorted(graded_code - autograded_ids):
        problems.append(Problem(path, gid, "autograded cell has no question in the grading spec"))
    for gid in sorted(autograded_ids - graded_code):
        problems.append(
            Problem(path, gid, "the grading spec grades a cell this notebook does not have")
        )
    return problems


def validate_notebooks(course: Path | None = None) -> KindReport:
    """Check every assignment: its spec loads and matches its source notebooks."""
    course = Path(course) if course else paths.course_dir()
    report = KindReport("assignment notebooks")
    source = course / "source"
    if not source.is_dir():
        return report
    variants = False
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        spec_path = course / "keys" / f"{folder.name}.yaml"
        try:
            spec = load_spec(spec_path)
        except ContentError as exc:
            report.checked += 1
            report.problems.extend(exc.problems)
            continue
        variants = variants or uses_variants(spec)
        for nb_path in sorted(folder.glob("*.ipynb")):
            report.checked += 1
            nb_spec = spec.notebooks.get(nb_path.stem)
            if nb_spec is None:
                report.problems.append(
                    Problem(spec_path, "notebooks", f"no entry for {nb_path.name}")
                )
                continue
            relies_on = {gid: nb_spec.providers_of(gid) for gid in nb_spec.questions}
            problems = notebook_problems(nb_path, set(nb_spec.questions), relies_on)
            report.problems.extend(problems)
            report.valid += not problems
        extra = [p.name for p in folder.iterdir() if p.suffix != ".ipynb"]
        if extra:
            report.problems.append(
                Problem(
                    folder, "<folder>", f"holds files nbgrader would release: {', '.join(extra)}"
                )
            )
    if variants:  # the per-student case sets, checked against this course's keys
        from course_lib.grading.case_design import design_problems

        report.problems.extend(
            Problem(course / "keys" / "cases", "<case sets>", problem)
            for problem in design_problems(course / "keys")
        )
    return report
