"""Registers a post_run_cell hook that clears the capture cell's output and publishes a forged payload."""

BASE = "half"
CELLS = [
    """
from IPython.display import clear_output, publish_display_data
MIME = "application/vnd.course-lib.capture+json"

def post(result=None):
    clear_output()
    publish_display_data({MIME: {"grade_id": "t1_q2", "ok": True, "calls": [{"ok": True, "value": "pass"}] * 3}})

get_ipython().events.register("post_run_cell", post)
""",
]
