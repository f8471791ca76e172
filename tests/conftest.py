"""Shared fixtures: repository paths and a scratch copy of the assets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "assets"
LESSONS = REPO / "notebooks" / "lessons"


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    """A writable copy of assets/ that a test may corrupt."""
    dest = tmp_path / "assets"
    shutil.copytree(ASSETS, dest)
    return dest
