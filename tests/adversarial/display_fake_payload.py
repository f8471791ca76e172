"""Patches IPython.display.display and sys.displayhook to publish a forged t1_q2 payload in every cell."""

BASE = "blank"
CELLS = [
    """
import json, sys
import IPython.display
from IPython.display import publish_display_data
MIME = "application/vnd.course-lib.capture+json"
fake = {"grade_id": "t1_q2", "ok": True, "calls": [{"ok": True, "value": 1}] * 3}
real_display = IPython.display.display

def display(*args, **kwargs):
    publish_display_data({MIME: fake, "text/plain": "forged"})
    return real_display(*args, **kwargs)

IPython.display.display = display
real_hook = sys.displayhook

def hook(value):
    publish_display_data({MIME: fake, "text/plain": "forged"})
    return real_hook(value)

sys.displayhook = hook
print(json.dumps(fake))
""",
]
