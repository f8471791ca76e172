"""What the class report holds: plain, frozen dataclasses, computed once and rendered three ways
(the HTML page, the two CSV files and the terminal summary).

A statistic that cannot be computed (one student, no variance, nothing answered) is ``None``
with a ``note`` saying why, in words an instructor understands; the page shows the note,
never ``NaN``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Item flags (``ItemStat.flag``): discrimination below this is flagged.
MIN_DISCRIMINATION = 0.2
#: Difficulty (mean proportion of points) outside this range is flagged.
DIFFICULTY_RANGE = (0.2, 0.95)


@dataclass(frozen=True)
class AssignmentSummary:
    """One assignment across the class (every notebook of it summed per student)."""

    assignment: str
    title: str
    max_points: float  # autograded points possible (sum over its notebooks)
    totals: dict[str, float]  # student -> autograded total, students with a graded notebook
    status_counts: dict[str, int]  # status -> number of notebook rows (graded, timeout, ...)
    students: int  # students in the class (roster, or everyone in grades.csv)
    zero: tuple[str, ...]  # students whose autograded total is 0
    not_submitted: tuple[str, ...]  # students with nothing submitted for it
    note: str = ""


@dataclass(frozen=True)
class ItemStat:
    """One autograded question (a line of item_analysis.csv)."""

    assignment: str
    notebook: str
    grade_id: str
    title: str  # the question as the student saw it (course_lib.grading.titles)
    max_score: float
    n: int  # students with a score for it
    mean: float | None
    difficulty: float | None  # mean proportion of points
    discrimination: float | None  # corrected point-biserial: item vs total without the item
    flag: str = ""  # "" or why it is flagged ("low discrimination", "too hard", "too easy")
    note: str = ""  # why a statistic is missing


@dataclass(frozen=True)
class MarkerStat:
    """The class's ratings of one marker of one case against the key (case_agreement.csv)."""

    assignment: str
    case_id: str
    marker: str
    key_rating: int
    class_mean: float | None
    mean_signed_diff: float | None  # class mean minus key: > 0 over-rates, < 0 under-rates
    n: int
    marker_name: str = ""  # the marker as the rubric names it (added by the computation)


@dataclass(frozen=True)
class ChoiceTable:
    """The class's choices for one case and one field (band, trait_or_state, stance)."""

    assignment: str
    case_id: str
    field: str
    key: str
    options: tuple[str, ...]  # every option, in display order
    counts: dict[str, int]  # option -> students who chose it (blank answers not counted)
    alternatives: tuple[str, ...] = ()  # options the key accepts for partial credit


@dataclass(frozen=True)
class CaseAgreement:
    """The class as raters of one case: agreement between students across the markers."""

    assignment: str
    case_id: str
    title: str
    raters: int  # students who rated every marker of the case
    icc: float | None  # ICC(A,1): markers as targets, students as raters
    note: str = ""


@dataclass(frozen=True)
class StudentKappa:
    """One student's quadratic-weighted kappa with the key, over every marker they rated."""

    assignment: str
    student: str
    kappa: float | None
    n: int  # ratings compared
    note: str = ""


@dataclass(frozen=True)
class ClassReport:
    """Everything the report shows, for one OUT folder."""

    out: str
    assignments: tuple[AssignmentSummary, ...]
    items: tuple[ItemStat, ...]
    markers: tuple[MarkerStat, ...]
    choices: tuple[ChoiceTable, ...]
    agreement: tuple[CaseAgreement, ...]
    kappas: tuple[StudentKappa, ...]
    notes: tuple[str, ...] = field(default=())  # class-wide notes (missing files, ...)
