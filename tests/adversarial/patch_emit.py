"""Monkeypatches capture.emit / emit_calls to publish all-ok payloads without computing anything."""

BASE = "blank"
CELLS = [
    """
import course_lib.grading.capture as cap

def fake_emit(gid, thunk):
    cap._publish({"grade_id": gid, "ok": True, "value": "42"})

def fake_calls(gid, get_function, inputs):
    cap._publish({"grade_id": gid, "ok": True, "calls": [{"ok": True, "value": True}] * 3})

cap.emit = fake_emit
cap.emit_calls = fake_calls
""",
]
