"""Calls IPython's exit() before the answers are collected."""

BASE = "half"
CELLS = ["exit()"]
