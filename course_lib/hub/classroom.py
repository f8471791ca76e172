"""A class on one machine: an instructor and students as Unix users, the exchange, the course.

:func:`set_up` creates the users (private home folders), the exchange (in ``base``, which
every user can pass through), the instructor's course folder ``~/course`` (a copy of
``notebooks/course``) and everyone's nbgrader configuration. :func:`release_all` is the
instructor's release, as the README's "A whole class on JupyterHub" describes it: the
course's own ``release`` once (it records the variant salt in ``~/course/keys``), then
nbgrader's ``generate_assignment`` and ``release_assignment`` for each assignment in
``~/course``. Every command runs as the user it belongs to.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from course_lib import paths
from course_lib.grading.course import COURSE_ID, source_assignments
from course_lib.hub.exchange import instructor_course, make_exchange, write_user_config
from course_lib.hub.users import UnixUser, create_user, remove_user, run_as


@dataclass(frozen=True)
class Classroom:
    """Who is in the class and where its folders are."""

    instructor: UnixUser
    students: list[UnixUser]
    exchange: Path
    course: Path  # the instructor's ~/course
    grades: Path  # the instructor's ~/grades: the output folder of `grade`

    @property
    def salt_file(self) -> Path:
        return self.course / "keys" / "variant_salt.json"

    @property
    def assignments(self) -> list[str]:
        return source_assignments(self.course / "source")

    def instructor_env(self) -> dict[str, str]:
        """What the instructor's commands need: the course folder holding the keys."""
        return {"COURSE_DIR": str(self.course)}


def set_up(instructor: str, students: list[str], base: Path) -> Classroom:
    """Create the users, the exchange under ``base`` and every user's configuration."""
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)  # every user passes through to the exchange
    exchange = make_exchange(base / "exchange")
    teacher = create_user(instructor)
    course = instructor_course(teacher, paths.course_dir())
    grades = teacher.home / "grades"
    write_user_config(teacher, exchange, COURSE_ID, grades)
    pupils = [create_user(name) for name in students]
    for pupil in pupils:
        write_user_config(pupil, exchange, COURSE_ID)
    return Classroom(teacher, pupils, exchange, course, grades)


def release_all(room: Classroom, release_check: str = "release-check") -> list[str]:
    """Release every assignment as the instructor; return the assignments released."""
    env = room.instructor_env()
    run_as(
        room.instructor,
        ["python", "-m", "course_lib", "release", "--out", release_check],
        env=env,
        timeout=600,
    )
    for assignment in room.assignments:
        run_as(
            room.instructor,
            ["nbgrader", "generate_assignment", assignment, "--force"],
            cwd=room.course,
            env=env,
            timeout=300,
        )
        run_as(
            room.instructor,
            ["nbgrader", "release_assignment", assignment, "--force"],
            cwd=room.course,
            env=env,
            timeout=300,
        )
    return room.assignments


def tear_down(room: Classroom, base: Path) -> None:
    """Remove the users (home folders and processes included) and ``base``."""
    for user in [room.instructor, *room.students]:
        remove_user(user.name)
    shutil.rmtree(base, ignore_errors=True)
