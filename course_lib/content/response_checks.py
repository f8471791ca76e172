"""``validate`` for response practice: lesson moments, assignment moments, their key, sessions.

Besides each file's schema, it checks what spans files: the assignment's key gives a
verdict for every option of every assignment moment, and no assignment moment reuses a
lesson 06 moment (its id or the client's words).
"""

from __future__ import annotations

from pathlib import Path

from course_lib.content.errors import Problem
from course_lib.content.report import KindReport, check_one
from course_lib.content.responses import (
    POLES,
    AssignmentMoments,
    LessonMoments,
    assignment_path,
    key_path,
    lesson_path,
    load_assignment_moments,
    load_lesson_moments,
    load_response_key,
    overlap_problems,
)
from course_lib.content.sessions import load_session, session_path


def validate_responses(assets: Path, keys_root: Path | None) -> list[KindReport]:
    """Reports for the response moments, the worked sessions and (if present) the key.

    ``keys_root`` is the instructor keys folder (``notebooks/course/keys``); ``None`` or a
    missing folder (an installed course without the instructor side) skips the key.
    """
    moments_report = KindReport("response moments")
    lessons: list[LessonMoments] = []
    for pole in POLES:
        path = lesson_path(pole, assets)
        loaded = check_one(moments_report, path, lambda p=pole: load_lesson_moments(p, assets))
        if isinstance(loaded, LessonMoments):
            lessons.append(loaded)
    path = assignment_path(assets)
    assignment = check_one(moments_report, path, lambda: load_assignment_moments(assets))
    if isinstance(assignment, AssignmentMoments) and len(lessons) == len(POLES):
        overlap = overlap_problems(lessons, assignment, path)
        if overlap:
            moments_report.valid -= 1
            moments_report.problems.extend(overlap)
    sessions_report = KindReport("worked sessions")
    for pole in POLES:
        check_one(sessions_report, session_path(pole, assets), lambda p=pole: load_session(p, assets))
    reports = [moments_report, sessions_report]
    if keys_root is not None and Path(keys_root).is_dir():
        key_report = KindReport("assignment response keys")
        if isinstance(assignment, AssignmentMoments):
            check_one(
                key_report,
                key_path(keys_root),
                lambda: load_response_key(assignment, keys_root),
            )
        else:
            key_report.checked += 1
            key_report.problems.append(
                Problem(
                    key_path(keys_root), "<file>", "not checked: the assignment moments are invalid"
                )
            )
        reports.append(key_report)
    return reports
