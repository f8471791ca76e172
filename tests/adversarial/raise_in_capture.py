"""Makes the capture raise KeyboardInterrupt / SystemExit (patched emit) to derail the grader."""

BASE = "half"
CELLS = [
    """
import course_lib.grading.capture as cap

def boom(*args, **kwargs):
    raise KeyboardInterrupt("stop grading")

def bye(*args, **kwargs):
    raise SystemExit(0)

cap.emit = boom
cap.emit_calls = bye
""",
]
