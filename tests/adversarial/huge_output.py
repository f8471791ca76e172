"""Prints tens of megabytes of output."""

BASE = "half"
CELLS = ["for _ in range(50):\n    print('A' * 1_000_000)"]
