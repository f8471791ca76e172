"""Hand-built class reports for the page and figure tests: small, realistic, made here.

``class_report()`` holds two assignments: a1 (five students, one hostile id, one who did not
submit, a question with no variance) and a2 (cases, with a case nobody rated and a student
with no kappa); ``empty_report()`` an assignment nobody submitted; ``single_report()`` one
student, where nothing that needs two can be computed.
"""

from __future__ import annotations

from course_lib.report.model import (
    AssignmentSummary,
    CaseAgreement,
    ChoiceTable,
    ClassReport,
    ItemStat,
    MarkerStat,
    StudentKappa,
)

HOSTILE = "<script>alert(1)</script>"
BANDS = ("low", "mid", "high")
TRAITS = ("trait", "state")
STANCES = ("self_directed", "directive")


def _item(
    gid: str,
    title: str,
    mean: float | None,
    diff: float | None,
    disc: float | None,
    flag: str = "",
    note: str = "",
    max_score: float = 2.0,
    n: int = 4,
) -> ItemStat:
    return ItemStat("a1", "a1", gid, title, max_score, n, mean, diff, disc, flag, note)


def class_report() -> ClassReport:
    """Two assignments with every kind of statistic, including missing ones."""
    a1 = AssignmentSummary(
        assignment="a1",
        title="Assignment 1: spotting reactance & <friends>",
        max_points=9.0,
        totals={"s01": 9.0, "s02": 6.5, HOSTILE: 0.0, "s04": 4.0},
        status_counts={"graded": 3, "timeout": 1, "missing-notebook": 1},
        students=5,
        zero=(HOSTILE,),
        not_submitted=("s05",),
    )
    a2 = AssignmentSummary(
        assignment="a2",
        title="Assignment 2: rating cases",
        max_points=12.0,
        totals={"s01": 10.0, "s02": 7.0, "s04": 8.5},
        status_counts={"graded": 3, "missing-notebook": 2},
        students=5,
        zero=(),
        not_submitted=(HOSTILE, "s05"),
    )
    items = (
        _item("q1_define", "Define reactance", 1.8, 0.9, 0.55),
        _item("q2_spot", "Spot the threat to freedom", 0.5, 0.25, 0.12, "low discrimination"),
        _item("q3_easy", "Name the theory", 2.0 * 0.97, 0.97, 0.3, "too easy"),
        _item(
            "q4_same",
            "Every student scored the same",
            1.0,
            0.5,
            None,
            note="no variance: every student scored the same",
        ),
        _item(
            "q5_none",
            "Nobody answered",
            None,
            None,
            None,
            n=0,
            note="no student has a score for it",
        ),
    )
    markers = (
        MarkerStat("a2", "a01", "counters_suggestions", 2, 2.25, 0.25, 4),
        MarkerStat("a2", "a01", "avoids_disagreement", 3, 1.5, -1.5, 4),
        MarkerStat("a2", "a03", "counters_suggestions", 0, 0.75, 0.75, 4),
        MarkerStat("a2", "a03", "avoids_disagreement", 2, None, None, 0),
    )
    choices = (
        ChoiceTable("a2", "a01", "band", "high", BANDS, {"low": 0, "mid": 1, "high": 3}, ("mid",)),
        ChoiceTable("a2", "a03", "band", "low", BANDS, {"low": 1, "mid": 2, "high": 1}),
        ChoiceTable("a2", "a01", "trait_or_state", "trait", TRAITS, {"trait": 3, "state": 1}),
        ChoiceTable("a2", "a03", "trait_or_state", "state", TRAITS, {"trait": 0, "state": 0}),
        ChoiceTable(
            "a2", "a01", "stance", "self_directed", STANCES, {"self_directed": 2, "directive": 2}
        ),
        ChoiceTable(
            "a2", "a03", "stance", "directive", STANCES, {"self_directed": 1, "directive": 3}
        ),
    )
    agreement = (
        CaseAgreement("a2", "a01", "Emyr, hill farm", 4, 0.62),
        CaseAgreement("a2", "a03", "Akosua's list", 1, None, "only one student rated every marker"),
    )
    kappas = (
        StudentKappa("a2", "s01", 0.81, 20),
        StudentKappa("a2", "s02", 0.35, 20),
        StudentKappa("a2", "s04", None, 10, "every rating the same"),
    )
    return ClassReport(
        out="/tmp/out",
        assignments=(a1, a2),
        items=items,
        markers=markers,
        choices=choices,
        agreement=agreement,
        kappas=kappas,
        notes=("grades.csv lists 1 notebook with status infrastructure-error & <more>",),
    )


def empty_report() -> ClassReport:
    """An assignment that nobody submitted: no totals, no statistics, empty choice tables."""
    a2 = AssignmentSummary(
        assignment="a2",
        title="Assignment 2: rating cases",
        max_points=12.0,
        totals={},
        status_counts={"missing-notebook": 3},
        students=3,
        zero=(),
        not_submitted=("s01", "s02", "s03"),
        note="nobody submitted this assignment",
    )
    choices = (ChoiceTable("a2", "a01", "band", "high", BANDS, {b: 0 for b in BANDS}),)
    markers = (MarkerStat("a2", "a01", "counters_suggestions", 2, None, None, 0),)
    agreement = (CaseAgreement("a2", "a01", "Emyr, hill farm", 0, None, "no student rated it"),)
    item = ItemStat(
        "a2",
        "a2",
        "q1",
        "Rate a case",
        3.0,
        0,
        None,
        None,
        None,
        "",
        "no student has a score for it",
    )
    return ClassReport("/tmp/out", (a2,), (item,), markers, choices, agreement, ())


def single_report() -> ClassReport:
    """One student: totals and choices exist; ICC, kappa spread and discrimination do not."""
    a1 = AssignmentSummary("a1", "Assignment 1", 4.0, {"s01": 3.0}, {"graded": 1}, 1, (), ())
    item = ItemStat(
        "a1",
        "a1",
        "q1",
        "Define reactance",
        4.0,
        1,
        3.0,
        0.75,
        None,
        "",
        "one student: discrimination needs at least two",
    )
    choices = (ChoiceTable("a1", "a01", "band", "mid", BANDS, {"low": 0, "mid": 1, "high": 0}),)
    markers = (MarkerStat("a1", "a01", "seeks_direction", 1, 2.0, 1.0, 1),)
    agreement = (CaseAgreement("a1", "a01", "Emyr", 1, None, "one rater: ICC needs two"),)
    kappas = (StudentKappa("a1", "s01", 0.5, 10),)
    return ClassReport("/tmp/out", (a1,), (item,), markers, choices, agreement, kappas)
