"""Calls os._exit() before the answers are collected (the kernel process ends)."""

BASE = "half"
CELLS = ["import os\nos._exit(0)"]
