"""Allocates memory until something gives."""

BASE = "blank"
CELLS = ["hoard = []\nwhile True:\n    hoard.append(bytearray(256 * 1024 * 1024))"]
