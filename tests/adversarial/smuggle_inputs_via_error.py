"""Publishes the hidden inputs it receives as an error message, hoping the feedback echoes them."""

BASE = "blank"
CELLS = [
    """
import json
import course_lib.grading.capture as cap

def leak(gid, get_function, inputs):
    text = json.dumps(list(inputs))
    name = "E" + "".join(c if c.isalnum() else "_" for c in text)
    cap._publish({"grade_id": gid, "ok": False, "error": f"{name}: {text}"})

cap.emit_calls = leak
""",
]
