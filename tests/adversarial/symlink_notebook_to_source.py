"""Submits t1.ipynb as a symlink to the instructor's source notebook (the solutions)."""

BASE = "blank"
CELLS: list[str] = []
NOTEBOOK = False
LINKS = {"t1.ipynb": "@COPY_SOURCE_NB@"}
