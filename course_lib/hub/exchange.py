"""nbgrader's exchange on one machine, and each hub user's nbgrader configuration.

The exchange root is world-writable, as nbgrader's documentation sets it up
(``chmod ugo+rw``); ``nbgrader release_assignment`` then creates the course's folders with
the modes it needs: ``outbound`` readable by everyone, ``inbound`` writable but not
listable by students (``-wx`` for others, so one student cannot find another's submission).

Every user gets ``~/.jupyter/nbgrader_config.py`` naming the exchange and the course. The
instructor's also loads the graded output folder's configuration (``OUT/nbgrader_config.py``,
written by ``python -m course_lib grade``) when it exists, so formgrader in the instructor's
server opens that gradebook; nbgrader commands run inside ``~/course`` use the course
folder's own configuration, which is read after it and wins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from course_lib.hub.users import UnixUser, give_to

EXCHANGE_MODE = 0o777  # nbgrader's docs: the exchange root is writable by every user
# Never copied into an instructor's course folder: generated, per-course or secret files.
NOT_COPIED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "variant_salt*")


def make_exchange(root: Path) -> Path:
    """Create the exchange root with the mode nbgrader documents; return it."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(EXCHANGE_MODE)
    return root


def user_config_text(exchange_root: Path, course_id: str, grades: Path | None = None) -> str:
    """The text of a user's ``~/.jupyter/nbgrader_config.py``; ``grades`` for an instructor."""
    lines = [
        '"""nbgrader settings of a hub user: the exchange and the course (course_lib.hub)."""',
        "import os",
        "",
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {str(exchange_root)!r}",
        f"c.CourseDirectory.course_id = {course_id!r}",
    ]
    if grades is not None:
        lines += [
            "# Formgrader opens the graded output folder (python -m course_lib grade --out ...).",
            f"GRADES = {str(grades)!r}",
            'if os.path.exists(os.path.join(GRADES, "nbgrader_config.py")):',
            '    load_subconfig(os.path.join(GRADES, "nbgrader_config.py"))  # noqa: F821',
        ]
    return "\n".join(lines) + "\n"


def write_user_config(
    user: UnixUser, exchange_root: Path, course_id: str, grades: Path | None = None
) -> Path:
    """Write ``~/.jupyter/nbgrader_config.py`` for ``user``, owned by them; return its path."""
    folder = user.home / ".jupyter"
    folder.mkdir(exist_ok=True)
    path = folder / "nbgrader_config.py"
    path.write_text(user_config_text(exchange_root, course_id, grades))
    give_to(user, folder)
    return path


def instructor_course(user: UnixUser, source: Path) -> Path:
    """Copy the course folder (``notebooks/course``) to ``~/course``, owned by ``user`` and
    private to them; return it. Generated files and a recorded variant salt stay behind."""
    dest = user.home / "course"
    if not dest.exists():
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*NOT_COPIED))
    give_to(user, dest)
    dest.chmod(0o700)
    return dest
