"""Adds cells with forged nbgrader metadata: a second t1_q1 worth 100 points and a new graded cell."""

BASE = "blank"
CELLS: list[str] = []
FORGE = [
    {"before": "t1_q1", "grade_id": "t1_q1", "points": 100, "source": "x = 41"},
    {"before": "q2_text", "grade_id": "bonus", "points": 100, "source": "pass"},
    {"before": "q3_text", "grade_id": "t1_q2", "points": 100, "source": "assert True"},
]
