"""Replaces the locked autograded cells with code that emits forged payloads."""

BASE = "blank"
CELLS: list[str] = []
EDIT = {
    "t1_q1": "import course_lib.grading.capture as c\nc.emit('t1_q1', lambda: 1)",
    "t1_q2": "import course_lib.grading.capture as c\nc.emit_calls('t1_q2', lambda: (lambda v: 1), [1, 2, 3])",
}
