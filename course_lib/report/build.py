"""Build the class report of a grade output folder: :func:`build_report`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from course_lib import paths
from course_lib.content import case_path, load_case, load_case_key, load_rubric
from course_lib.content.cases import Case, CaseKey
from course_lib.content.errors import ContentError
from course_lib.report.assignments import assignment_summaries
from course_lib.report.cases import case_figures
from course_lib.report.inputs import read_class
from course_lib.report.items import item_stats
from course_lib.report.model import ClassReport


def build_report(out: Path, keys_dir: Path | None = None) -> ClassReport:
    """Compute every figure of the report for ``out`` (a folder ``grade`` wrote).

    ``keys_dir`` is the instructor keys folder (default
    :func:`course_lib.paths.instructor_keys_dir`); the case keys are in its ``cases/``.
    Raises ``ValueError`` naming a missing or malformed file, or a case whose key is missing
    or invalid.
    """
    data = read_class(Path(out))
    keys = Path(keys_dir) if keys_dir is not None else paths.instructor_keys_dir()
    rubric = load_rubric()

    @cache
    def load(case_id: str) -> tuple[Case, CaseKey]:
        try:
            case = load_case(case_path(case_id), rubric)
            return case, load_case_key(case, keys / "cases", rubric)
        except ContentError as exc:
            raise ValueError(f"case {case_id!r} of case_answers.json: {exc}") from None

    figures = case_figures(list(data.answers), load, rubric)
    return ClassReport(
        out=str(data.out),
        assignments=tuple(assignment_summaries(data)),
        items=tuple(item_stats(data)),
        markers=figures.markers,
        choices=figures.choices,
        agreement=figures.agreement,
        kappas=figures.kappas,
        notes=data.notes,
    )
