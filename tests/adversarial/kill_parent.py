"""Kills its parent, its process group and every process it can signal (os.kill / os.killpg(0, 9))."""

BASE = "half"
WHERE = "end"
CELLS = [
    """
import os, signal
for action in (lambda: os.kill(os.getppid(), 9), lambda: os.kill(1, 9), lambda: os.kill(-1, 9)):
    try:
        action()
    except OSError as exc:
        print("refused", exc)
os.killpg(0, signal.SIGKILL)
""",
]
