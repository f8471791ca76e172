"""Writes files to /tmp, home, /dev/shm, /var/tmp and host paths to leave something for the next student."""

BASE = "blank"
CELLS = [
    """
import os
for folder in ["/tmp", os.path.expanduser("~"), ".", "/dev/shm", "/var/tmp", "@DROP@", "/root", "/work/main", "@OUT@"]:
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "@MARK@-left.txt"), "w") as handle:
            handle.write("x = 42")
        print("wrote", folder)
    except OSError as exc:
        print("BLOCKED:", folder, type(exc).__name__)
""",
]
