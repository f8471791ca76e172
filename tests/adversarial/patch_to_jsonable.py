"""Monkeypatches capture.to_jsonable so every answer is collected as True ("passed")."""

BASE = "half"
CELLS = [
    """
import course_lib.grading.capture as cap
cap.to_jsonable = lambda value, depth=0: True
""",
]
