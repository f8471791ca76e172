"""Registers a pre_run_cell hook that publishes a forged payload before each capture cell's own."""

BASE = "blank"
CELLS = [
    """
from IPython.display import publish_display_data
MIME = "application/vnd.course-lib.capture+json"

def pre(info=None):
    publish_display_data({MIME: {"grade_id": "t1_q2", "ok": True, "calls": [{"ok": True, "value": 0}] * 3}})
    publish_display_data({MIME: {"grade_id": "t1_q1", "ok": True, "value": True}})

get_ipython().events.register("pre_run_cell", pre)
""",
]
