"""Spins forever in the first cell."""

BASE = "half"
CELLS = ["while True:\n    pass"]
