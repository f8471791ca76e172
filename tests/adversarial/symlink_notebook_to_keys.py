"""Submits t1.ipynb as a symlink to the instructor's key file (its text could be echoed back)."""

BASE = "blank"
CELLS: list[str] = []
NOTEBOOK = False
LINKS = {"t1.ipynb": "@REPO_KEYS@"}
