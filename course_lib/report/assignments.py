"""Per assignment: the class's autograded totals, status counts, and who scored zero or
submitted nothing.

* ``totals``: each student with a score for at least one notebook of the assignment, summed
  over its notebooks (a malformed notebook scores 0, so it counts here as in grades.csv);
* ``status_counts``: notebook rows of grades.csv by status;
* ``students``: the class, i.e. every student id in grades.csv's rows for the course's
  assignments (the roster's students, when ``grade --roster`` was used, all have rows);
* ``not_submitted``: students of the class with a ``not-submitted`` row for the assignment
  (rostered, nothing submitted), or with no row for it at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from course_lib.grading.rows import NOT_SUBMITTED
from course_lib.report.inputs import ClassData
from course_lib.report.model import AssignmentSummary

#: Rows that belong to no student of the course (their student or assignment is unknown).
NOT_A_STUDENT = {"bad-student-id", "unknown-assignment"}


def assignment_summaries(data: ClassData) -> list[AssignmentSummary]:
    """One summary per released assignment, sorted by id."""
    assignments = sorted(data.titles)
    lines = [
        g for g in data.grades if g.assignment in data.titles and g.status not in NOT_A_STUDENT
    ]
    klass = {g.student for g in lines}
    max_points: dict[str, float] = defaultdict(float)
    for q in data.questions:
        if q.autograded:
            max_points[q.assignment] += q.points
    out = []
    for a in assignments:
        mine = [g for g in lines if g.assignment == a]
        totals: dict[str, float] = {}
        for g in mine:
            if g.auto_score is not None:
                totals[g.student] = totals.get(g.student, 0.0) + g.auto_score
        with_rows = {g.student for g in mine if g.status != NOT_SUBMITTED}
        not_submitted = tuple(sorted(klass - with_rows))
        note = "" if totals else "nobody has a score for this assignment"
        out.append(
            AssignmentSummary(
                a,
                data.titles[a],
                max_points[a],
                dict(sorted(totals.items())),
                dict(sorted(Counter(g.status for g in mine).items())),
                len(klass),
                tuple(sorted(s for s, t in totals.items() if t == 0)),
                not_submitted,
                note,
            )
        )
    return out
