"""Displays well-formed capture payloads (q1 = 42) from the student's own cells, outside capture cells."""

BASE = "blank"
WHERE = "end"
CELLS = [
    """
from IPython.display import publish_display_data
MIME = "application/vnd.course-lib.capture+json"
publish_display_data({MIME: {"grade_id": "t1_q1", "ok": True, "value": 42}})
publish_display_data({MIME: {"grade_id": "t1_q2", "ok": True, "calls": [{"ok": True, "value": 26}] * 3}})
""",
]
