"""Calls sys.exit() before the answers are collected."""

BASE = "half"
CELLS = ["import sys\nsys.exit(0)"]
