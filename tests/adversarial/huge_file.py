"""Writes a huge file in its folder, its home and /tmp."""

BASE = "half"
EXPECT = "BLOCKED"
CELLS = [
    """
import os
chunk = b"0" * (1 << 20)
for where in (".", os.path.expanduser("~"), "/tmp"):
    written = 0
    try:
        with open(os.path.join(where, "huge.bin"), "wb") as handle:
            for _ in range(300):
                handle.write(chunk)
                handle.flush()
                written += 1
        print("wrote", written, "MiB to", where)
    except OSError as exc:
        print("BLOCKED: file size at", written, "MiB in", where, type(exc).__name__)
    finally:
        try:
            os.remove(os.path.join(where, "huge.bin"))
        except OSError:
            pass
""",
]
