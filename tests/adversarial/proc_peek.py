"""Reads /proc/1/environ, the parent's command line and memory, and its own environment for secrets."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import os
canary = "@CANARY@"
if canary in repr(dict(os.environ)):
    print("LEAKED: the grader's environment is in the kernel")
for pid in ["1", str(os.getppid())] + [p for p in os.listdir("/proc") if p.isdigit()]:
    for what in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as handle:
                text = handle.read().decode(errors="replace")
        except OSError as exc:
            print("BLOCKED:", pid, what, type(exc).__name__)
            continue
        if canary in text or "pytest" in text or "course_lib grade" in text:
            print("LEAKED:", pid, what, text[:200])
try:
    with open(f"/proc/{os.getppid()}/mem", "rb") as handle:
        handle.seek(0x400000)
        handle.read(64)
    print("LEAKED: read the parent's memory")
except OSError as exc:
    print("BLOCKED: mem", type(exc).__name__)
x = 41
""",
]
