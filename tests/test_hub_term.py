"""A whole term on a real JupyterHub (issue 13): an instructor and three students as Unix
users, nbgrader's exchange, the hub's REST API, formgrader through the hub, and the course's
grader, with the permissions a class depends on checked as each student.

Marked ``hub`` and ``slow``; see tests/hub_support.py for when it runs or skips.
"""

from __future__ import annotations

import json
import random
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hub_support import (
    Clock,
    course_of,
    denied,
    grade,
    nbgrader,
    require_hub,
    scratch_base,
    sha256_files,
    tag,
)
from sqlalchemy.engine import make_url

from course_lib.grading.course import COURSE_ID, Course
from course_lib.grading.demo import write_assignment
from course_lib.grading.discover import hash_folder
from course_lib.hub.classroom import Classroom, release_all, set_up, tear_down
from course_lib.hub.local_hub import HubSettings, LocalHub
from course_lib.hub.users import UnixUser, give_to, run_as, users_python

pytestmark = [pytest.mark.hub, pytest.mark.slow]

QUALITY = {"s1": 1.0, "s2": 0.6, "s3": 0.15}  # excellent, middling, barely started
# What nbgrader adds to a submission beside the student's files.
COLLECTED_EXTRAS = ("timestamp.txt", "submission_secret.txt")
RESUBMITTED = ("s2", "a1_inventory")  # submits a weak draft first, then the real one


@pytest.fixture
def hub_names() -> dict[str, str]:
    """User names for this run: a random part keeps runs and any leftovers apart."""
    t = tag()
    return {"instructor": f"rx{t}-teach", **{s: f"rx{t}-{s}" for s in QUALITY}}


@pytest.fixture
def term_gradebook_url(postgres_url: str) -> str:
    """The term's gradebook: a PostgreSQL database (tests/postgres_support.py) on 127.0.0.1
    with password authentication, as a deployment has it; formgrader, running as the
    instructor's Unix user, reaches it over TCP."""
    return postgres_url


# A student's attempt to reach the gradebook with what they can know: host, port, user, name.
CONNECT = "import sys, psycopg; psycopg.connect(sys.argv[1]).close()"


def _libpq(url: Any) -> str:
    """The gradebook URL as a libpq connection string, without its password."""
    return f"host={url.host} port={url.port} user={url.username} dbname={url.database}"


def _complete(
    room: Classroom, course: Course, student: UnixUser, assignment: str, quality: float, seed: int
) -> dict[str, str]:
    """The student's work, written like the demo's into their fetched folder and owned by
    them; the sha256 of every file they now have there."""
    folder = student.home / assignment
    write_assignment(
        course, student.name, assignment, folder, quality, random.Random(seed),
        json.loads(room.salt_file.read_text())["salt"], release=folder,
    )  # fmt: skip
    give_to(student, folder)
    return sha256_files(folder)


def test_a_term_on_a_real_hub(
    hub_names: dict[str, str], term_gradebook_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    require_hub()
    clock = Clock()
    students = [hub_names[s] for s in QUALITY]
    with scratch_base("course-hub-") as base:
        room = set_up(hub_names["instructor"], students, base)
        try:
            settings = HubSettings(
                state=base / "hub",
                instructors=[room.instructor.name],
                students=students,
                password=secrets.token_urlsafe(12),
                salt_file=room.salt_file,
            )
            with LocalHub(settings) as hub:
                clock.lap("users, exchange and hub")
                _term(hub, room, term_gradebook_url, clock)
        finally:
            tear_down(room, base)
    with capsys.disabled():  # shown in make test's output too
        print("\n" + clock.report("hub term (4 assignments, 3 students)"))


def _term(hub: LocalHub, room: Classroom, gradebook_url: str, clock: Clock) -> None:
    instructor, pupils = room.instructor, room.students
    by_key = dict(zip(QUALITY, pupils, strict=True))
    # The instructor releases every assignment (README: course release, then nbgrader).
    assignments = release_all(room)
    assert assignments == ["a1_inventory", "a2_cases", "a3_where_to_start", "a4_what_to_say"]
    clock.lap("release")

    # Students' servers, started through the REST API; each lists the course's assignments
    # through its own server (the Assignments tab's API), and has no formgrader.
    hub.start_servers(p.name for p in pupils)
    clock.lap("student servers")
    for pupil in pupils:
        token = hub.user_token(pupil.name)
        status, body = hub.request(
            "GET", f"/user/{pupil.name}/assignments?course_id={COURSE_ID}", token
        )
        assert status == 200, body[:500]
        listed = json.loads(body)
        assert listed["success"], listed
        assert {a["assignment_id"] for a in listed["value"]} == set(assignments)
        assert hub.request("GET", f"/user/{pupil.name}/formgrader/", token)[0] == 404

    # Fetch, complete and submit, each student at their own level and all three at once
    # (each in their own thread, their commands in order); s2 submits a1 twice.
    course = course_of(room)
    wrote: dict[tuple[str, str], dict[str, str]] = {}
    drafts: dict[tuple[str, str], dict[str, str]] = {}

    def work(n: int, key: str) -> None:
        pupil = by_key[key]
        for m, assignment in enumerate(assignments):
            nbgrader(pupil, "fetch_assignment", assignment)
            seed = 1000 * n + m
            if (key, assignment) == RESUBMITTED:
                drafts[pupil.name, assignment] = _complete(
                    room, course, pupil, assignment, 0.1, seed + 500
                )
                nbgrader(pupil, "submit", assignment)
            wrote[pupil.name, assignment] = _complete(
                room, course, pupil, assignment, QUALITY[key], seed
            )
            nbgrader(pupil, "submit", assignment)

    with ThreadPoolExecutor(max_workers=len(by_key)) as pool:
        for done in [pool.submit(work, n, key) for n, key in enumerate(by_key)]:
            done.result()
    clock.lap("fetch, complete, submit")

    # What students can and cannot read, tried as each of them.
    for pupil in pupils:
        other = next(p for p in pupils if p != pupil)
        for path in (
            room.course / "source" / "a1_inventory" / "a1_inventory.ipynb",
            room.course / "keys" / "a2_cases.yaml",
            room.salt_file,
            other.home / "a1_inventory" / "a1_inventory.ipynb",
        ):
            assert denied(pupil, ["cat", str(path)]), f"{pupil.name} can read {path}"
        for folder in (room.course / "keys", room.exchange / COURSE_ID / "inbound"):
            assert denied(pupil, ["ls", str(folder)]), f"{pupil.name} can list {folder}"
    inbound = sorted(p.name for p in (room.exchange / COURSE_ID / "inbound").iterdir())
    assert len(inbound) == len(pupils) * len(assignments) + 1  # s2's draft is still there
    # A submission's folder name ends in a random part: not guessable from outside.
    assert all(len(name.split("+")) == 4 and len(name.split("+")[3]) >= 12 for name in inbound)

    for assignment in assignments:
        nbgrader(instructor, "collect", assignment, cwd=room.course)
    clock.lap("collect")
    submitted = room.course / "submitted"
    for (student, assignment), hashes in wrote.items():
        collected = submitted / student / assignment
        assert sha256_files(collected, skip=COLLECTED_EXTRAS) == hashes, (student, assignment)

    rows = grade(room, gradebook_url, room.grades)
    give_to(instructor, room.grades)  # formgrader runs as the instructor
    clock.lap("grade")
    # Nothing is lost, every file reached the grader as the student wrote it.
    assert len(rows) == len(pupils) * len(assignments)
    assert {r["status"] for r in rows} == {"graded"}, [(r["student_id"], r["detail"]) for r in rows]
    for row in rows:
        folder = submitted / row["student_id"] / row["assignment"]
        assert row["submission_sha256"] == hash_folder(folder)
    gradebook = make_url(gradebook_url)
    for pupil in pupils:  # the graded folder is private too, the gradebook and its URL in it
        assert denied(pupil, ["cat", str(room.grades / "grades.csv")])
        assert denied(pupil, ["cat", str(room.grades / "nbgrader_config.py")])
        if gradebook.get_backend_name() == "sqlite":
            assert denied(pupil, ["cat", str(gradebook.database)])
        else:  # without the password (in the instructor's private config) no connection
            attempt = run_as(pupil, [str(users_python()), "-c", CONNECT, _libpq(gradebook)], check=False)
            assert attempt.returncode != 0, attempt.stdout
            assert "password" in attempt.stderr, attempt.stderr[-800:]
    totals = {
        p.name: sum(float(r["auto_score"]) for r in rows if r["student_id"] == p.name)
        for p in pupils
    }
    s1, s2, s3 = (totals[p.name] for p in pupils)
    assert s1 > s2 > s3, totals

    # Formgrader in the instructor's server, through the hub, with the instructor's token.
    hub.start_servers([instructor.name])
    token = hub.user_token(instructor.name)
    base = f"/user/{instructor.name}/formgrader"
    status, page = hub.request("GET", base + "/", token)
    assert status == 200 and b"formgrader" in page.lower()
    status, body = hub.request("GET", base + "/api/assignments", token)
    assert status == 200, body[:500]
    assert {a["name"] for a in json.loads(body)} == set(assignments)
    for pupil in pupils:  # a student's token opens neither formgrader nor the server
        student_token = hub.user_token(pupil.name)
        assert hub.request("GET", base + "/", student_token)[0] == 403
        assert hub.request("GET", f"/user/{instructor.name}/api/status", student_token)[0] == 403

    # A manual grade for s2's written answer in a1, through formgrader's API.
    s2_name = by_key["s2"].name
    status, body = hub.request(
        "GET", f"{base}/api/submitted_notebooks/a1_inventory/a1_inventory", token
    )
    assert status == 200, body[:500]
    notebook_id = next(n["id"] for n in json.loads(body) if n["student"] == s2_name)
    status, body = hub.request("GET", f"{base}/api/grades?submission_id={notebook_id}", token)
    assert status == 200, body[:500]
    manual = next(g for g in json.loads(body) if g["auto_score"] is None and g["max_score"] > 0)
    score = manual["max_score"] - 1
    status, body = hub.request(
        "PUT", f"{base}/api/grade/{manual['id']}", token, {"manual_score": score}
    )
    assert status == 200, body[:500]
    assert json.loads(body)["manual_score"] == score
    clock.lap("formgrader")

    rows = grade(room, gradebook_url, room.grades)
    give_to(instructor, room.grades)
    clock.lap("re-grade")
    (row,) = [r for r in rows if r["student_id"] == s2_name and r["assignment"] == "a1_inventory"]
    assert float(row["manual_score"]) == score, row
    # The later of s2's two a1 submissions is the one collected and graded.
    ((resubmitted, draft),) = drafts.items()
    assert draft != wrote[resubmitted]
    assert (
        sha256_files(submitted.joinpath(*resubmitted), skip=COLLECTED_EXTRAS) == wrote[resubmitted]
    )


CLASS_SIZE = 30
LOAD_ASSIGNMENT = "a2_cases"  # a notebook and a saved answers file per student


def test_thirty_students_submit_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """30 students run ``nbgrader submit`` at the same moment; the instructor collects and
    grades: every submission arrives whole and ends with a row and a named status."""
    require_hub()
    from course_lib.grading.demo import write_demo_salt
    from course_lib.hub.users import run_as

    clock = Clock()
    t = tag()
    names = [f"rx{t}-c{n:02d}" for n in range(1, CLASS_SIZE + 1)]
    with scratch_base("course-load-") as base:
        room = set_up(f"rx{t}-teach", names, base)
        try:
            clock.lap(f"{CLASS_SIZE + 1} users and the exchange")
            write_demo_salt(room.salt_file)
            give_to(room.instructor, room.salt_file)
            for command in ("generate_assignment", "release_assignment"):
                nbgrader(room.instructor, command, LOAD_ASSIGNMENT, cwd=room.course)
            clock.lap("release")
            # Each student's copy is what fetch_assignment gives: the released folder.
            course = course_of(room)
            outbound = room.exchange / COURSE_ID / "outbound" / LOAD_ASSIGNMENT
            wrote = {}
            for n, pupil in enumerate(room.students):
                folder = pupil.home / LOAD_ASSIGNMENT
                shutil.copytree(outbound, folder)
                quality = (n % 10) / 9
                write_assignment(
                    course, pupil.name, LOAD_ASSIGNMENT, folder, quality, random.Random(n),
                    json.loads(room.salt_file.read_text())["salt"], release=folder,
                )  # fmt: skip
                give_to(pupil, folder)
                wrote[pupil.name] = sha256_files(folder)
            clock.lap("students' work written")

            def submit(pupil):
                return run_as(
                    pupil,
                    ["nbgrader", "submit", LOAD_ASSIGNMENT, "--course", COURSE_ID],
                    check=False,
                    timeout=600,
                )

            with ThreadPoolExecutor(max_workers=CLASS_SIZE) as pool:
                results = list(pool.map(submit, room.students))
            failed = [(r.args, r.stderr[-500:]) for r in results if r.returncode != 0]
            assert not failed, failed
            clock.lap(f"{CLASS_SIZE} concurrent submits")

            nbgrader(room.instructor, "collect", LOAD_ASSIGNMENT, cwd=room.course)
            clock.lap("collect")
            submitted = room.course / "submitted"
            assert sorted(p.name for p in submitted.iterdir()) == sorted(names)
            for name, hashes in wrote.items():
                got = sha256_files(submitted / name / LOAD_ASSIGNMENT, skip=COLLECTED_EXTRAS)
                assert got == hashes, name

            out = tmp_path / "grades"
            rows = grade(room, f"sqlite:///{out / 'gradebook.db'}", out)
            clock.lap("grade")
        finally:
            tear_down(room, base)
    assert sorted(r["student_id"] for r in rows) == sorted(names)
    assert all(r["status"] == "graded" for r in rows), [
        (r["student_id"], r["status"]) for r in rows
    ]
    reconciliation = json.loads((out / "reconciliation.json").read_text())
    assert reconciliation["submitted_notebooks"] == reconciliation["graded"] == CLASS_SIZE
    assert reconciliation["balanced"]
    with capsys.disabled():
        print("\n" + clock.report(f"{CLASS_SIZE} students submitting at once"))
