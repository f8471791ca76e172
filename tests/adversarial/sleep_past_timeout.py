"""Sleeps just under the cell timeout in many cells, to outlast the notebook timeout."""

BASE = "half"
CELLS = ["import time\ntime.sleep(4.5)"] * 12
