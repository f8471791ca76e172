"""Item analysis: how hard each autograded question was and how well it told students apart.

Definitions (per question, i.e. per autograded cell):

* ``n``, ``mean`` and **difficulty** are over the students with a score for the question in
  cell_scores.csv: difficulty = mean score / max_score (the mean proportion of points; high
  means easy).
* **discrimination** is the corrected point-biserial: the Pearson correlation between the
  question's score and the student's autograded total on the rest of the assignment (the
  sum of their other autograded questions across all the assignment's notebooks; a notebook
  that did not run counts 0), over the students whose notebook ran (a status in
  :data:`course_lib.grading.rows.RAN_STATUSES`).
* **flag**: "low discrimination" below :data:`~course_lib.report.model.MIN_DISCRIMINATION`,
  "too hard" / "too easy" outside :data:`~course_lib.report.model.DIFFICULTY_RANGE`.

A statistic that cannot be computed (fewer than 3 students, or no variance) is ``None`` with
a ``note`` saying why.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from course_lib.grading.rows import RAN_STATUSES
from course_lib.report.inputs import ClassData, Question
from course_lib.report.model import DIFFICULTY_RANGE, MIN_DISCRIMINATION, ItemStat

MIN_STUDENTS = 3
NO_VARIANCE = "every student scored the same: no discrimination to measure"
REST_CONSTANT = (
    "every student had the same total on the rest of the assignment: no discrimination to measure"
)


def _pearson(x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    dx, dy = x - x.mean(), y - y.mean()
    return float((dx * dy).sum() / np.sqrt((dx * dx).sum() * (dy * dy).sum()))


def _flag(difficulty: float | None, discrimination: float | None) -> str:
    flags = []
    if discrimination is not None and discrimination < MIN_DISCRIMINATION:
        flags.append("low discrimination")
    if difficulty is not None and difficulty < DIFFICULTY_RANGE[0]:
        flags.append("too hard")
    if difficulty is not None and difficulty > DIFFICULTY_RANGE[1]:
        flags.append("too easy")
    return "; ".join(flags)


def _matrix(
    data: ClassData, questions: list[Question]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Students x questions: the scores (NaN: none) and whether that notebook ran."""
    students = sorted({c.student for c in data.cells if c.assignment == questions[0].assignment})
    row = {s: i for i, s in enumerate(students)}
    col = {(q.notebook, q.grade_id): j for j, q in enumerate(questions)}
    scores = np.full((len(students), len(questions)), np.nan)
    for c in data.cells:
        j = col.get((c.notebook, c.grade_id))
        if c.assignment == questions[0].assignment and j is not None and c.score is not None:
            scores[row[c.student], j] = c.score
    ran_notebooks = {
        (g.student, g.notebook)
        for g in data.grades
        if g.assignment == questions[0].assignment and g.status in RAN_STATUSES
    }
    ran = np.array(
        [[(s, q.notebook) in ran_notebooks for q in questions] for s in students], dtype=bool
    ).reshape(len(students), len(questions))
    return scores, ran


def _discrimination(x: NDArray[np.float64], rest: NDArray[np.float64]) -> tuple[float | None, str]:
    if len(x) < MIN_STUDENTS:
        return None, (
            f"only {len(x)} student(s) whose notebook ran: discrimination needs at least "
            f"{MIN_STUDENTS}"
        )
    if np.ptp(x) == 0:
        return None, NO_VARIANCE
    if np.ptp(rest) == 0:
        return None, REST_CONSTANT
    return _pearson(x, rest), ""


def assignment_items(data: ClassData, questions: list[Question]) -> list[ItemStat]:
    """Item statistics for the autograded ``questions`` of one assignment."""
    scores, ran = _matrix(data, questions)
    ran_scores = np.where(ran & ~np.isnan(scores), scores, 0.0)
    totals = ran_scores.sum(axis=1)
    out = []
    for j, q in enumerate(questions):
        have = ~np.isnan(scores[:, j])
        n = int(have.sum())
        mean = float(scores[have, j].mean()) if n else None
        difficulty = mean / q.points if mean is not None and q.points > 0 else None
        notes = []
        if n == 0:
            notes.append("no student has a score for this question")
        elif q.points <= 0:
            notes.append("the question is worth 0 points: no difficulty")
        among = ran[:, j] & have
        x = scores[among, j]
        discrimination, why = _discrimination(x, totals[among] - x)
        if why:
            notes.append(why)
        out.append(
            ItemStat(
                q.assignment,
                q.notebook,
                q.grade_id,
                q.title,
                q.points,
                n,
                mean,
                difficulty,
                discrimination,
                _flag(difficulty, discrimination),
                "; ".join(notes),
            )
        )
    return out


def item_stats(data: ClassData) -> list[ItemStat]:
    """Item statistics for every autograded question of every assignment, in notebook order."""
    by_assignment: dict[str, list[Question]] = defaultdict(list)
    for q in data.questions:
        if q.autograded:
            by_assignment[q.assignment].append(q)
    return [s for a in sorted(by_assignment) for s in assignment_items(data, by_assignment[a])]
