"""Where the course's files live: the assets folder and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def assets_dir() -> Path:
    """Return the assets folder (``COURSE_ASSETS`` overrides it, e.g. in tests)."""
    override = os.environ.get("COURSE_ASSETS")
    if override:
        return Path(override)
    return REPO_DIR / "assets"


def course_dir() -> Path:
    """Return the instructor's nbgrader course folder (``notebooks/course``)."""
    override = os.environ.get("COURSE_DIR")
    if override:
        return Path(override)
    return REPO_DIR / "notebooks" / "course"


def instructor_keys_dir() -> Path:
    """Return the folder of instructor-only answer keys (never released to students)."""
    return course_dir() / "keys"
