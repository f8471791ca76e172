"""The gradebook on a PostgreSQL server (Debian's postgresql, started by ``postgres_support``).

A small class graded into PostgreSQL gives the same grades.csv as into SQLite; formgrader's
view (nbgrader's API through OUT's config) and the Gradebook hold the scores; a manual grade
written through the Gradebook API reaches grades.csv on the next run; two ``grade`` runs
started together on one gradebook and one OUT folder both succeed, the second after waiting
for the first, with one consistent gradebook.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    answered,
    copy_course,
    formgrader_view,
    grade,
    options,
    prepare_release,
    source_notebook,
    write_submission,
)
from postgres_support import create_database
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from course_lib.grading.course import COURSE_ID
from course_lib.grading.gradebook_lock import WAITING, grading_lock

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GOOD_DOUBLE = "def double(v):\n    return 2 * v"
PARTIAL_DOUBLE = "def double(v):\n    return 2 * int(v)"
STUDENTS = ("full", "blank", "partial")


def _count(url: str, sql: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str) -> dict[str, Any]:
    """Three students graded into SQLite and into a PostgreSQL gradebook."""
    tmp = tmp_path_factory.mktemp("pg")
    course = copy_course(tmp / "course")
    released = prepare_release(course, tmp / "release-course")
    subs = tmp / "submitted"
    write_submission(subs, "full", source_notebook(course))
    write_submission(subs, "blank", released)
    write_submission(subs, "partial", answered(released, "x = 42", PARTIAL_DOUBLE))
    url = create_database(postgres_server_url, "pg_world")
    started = time.monotonic()
    sqlite = grade(subs, tmp / "sqlite", course)
    sqlite_seconds = time.monotonic() - started
    started = time.monotonic()
    pg = grade(subs, tmp / "pg", course, options(gradebook_url=url))
    pg_seconds = time.monotonic() - started
    print(f"\n3 students: sqlite gradebook {sqlite_seconds:.1f} s, PostgreSQL {pg_seconds:.1f} s")
    return {"tmp": tmp, "course": course, "subs": subs, "url": url, "sqlite": sqlite, "pg": pg}


def test_postgres_grades_match_sqlite(world: dict[str, Any]) -> None:
    sqlite, pg = world["sqlite"], world["pg"]
    assert pg.code == 0 and sqlite.code == 0
    assert pg.grades_text == sqlite.grades_text
    assert pg.cells_text == sqlite.cells_text
    assert pg.score("full") == 3 and pg.score("blank") == 0
    assert 0 < pg.score("partial") < 3
    assert not (pg.out / "gradebook.db").exists()  # nothing went to a local SQLite file


def test_formgrader_reads_the_scores_from_postgres(world: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    view = formgrader_view(world["pg"].out)
    assert make_url(view["db_url"]) == make_url(world["url"])
    assert view["submissions"] == {
        "full": [True, 3.0],
        "blank": [True, 0.0],
        "partial": [True, world["pg"].score("partial")],
    }
    with warnings.catch_warnings(), Gradebook(world["url"], course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        assert sorted(s.id for s in gb.students) == sorted(STUDENTS)
        assert gb.find_grade("t1_q2", "t1", "t1", "full").auto_score == 2
        assert gb.find_grade("t1_written", "t1", "t1", "full").needs_manual_grade


def test_a_manual_grade_in_postgres_reaches_grades_csv(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written as formgrader writes it; the re-run takes the gradebook from
    COURSE_GRADEBOOK_URL, as on the hub, and stores no password in OUT."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(world["url"], course_id=COURSE_ID) as gb:
        warnings.simplefilter("ignore")
        gb.find_grade("t1_written", "t1", "t1", "full").manual_score = 1.5
        gb.db.commit()
    out: Path = world["pg"].out
    monkeypatch.setenv("COURSE_GRADEBOOK_URL", world["url"])
    run = grade(world["subs"], out, world["course"])
    assert run.code == 0
    row = run.row("full")
    assert row["manual_score"] == "1.5" and row["needs_manual_grade"] == "false"
    assert run.row("blank")["needs_manual_grade"] == "true"
    assert "Total: 4.5 / 5." in run.feedback("full")
    password = make_url(world["url"]).password
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".json", ".csv", ".html"):
            assert password not in path.read_text(encoding="utf-8", errors="replace"), path
    assert formgrader_view(out)["submissions"]["full"] == [True, 4.5]  # 3 auto + 1.5 manual


def test_two_grade_runs_at_once_wait_for_each_other(
    world: dict[str, Any], postgres_server_url: str
) -> None:
    """Two instructors (or a cron job and a person) grade into one course gradebook and one
    OUT folder at the same moment: the second waits, says so, and both finish cleanly."""
    url = create_database(postgres_server_url, "two_runs")
    bare = url.replace("postgresql+psycopg://", "postgresql://", 1)  # as an instructor types it
    out = world["tmp"] / "together"
    env = {**os.environ, "COURSE_DIR": str(world["course"])}
    command = [
        sys.executable, "-m", "course_lib", "grade", str(world["subs"]), "--out", str(out),
        "--gradebook", bare, "--jobs", "2", "--timeout", "5", "--notebook-timeout", "40",
    ]  # fmt: skip
    started = time.monotonic()
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=600) for run in runs]
    print(f"\ntwo grade runs on one gradebook: {time.monotonic() - started:.1f} s")
    for run, (stdout, stderr) in zip(runs, results, strict=True):
        assert run.returncode == 0, stdout[-2000:] + stderr[-3000:]
    waited = [stderr for _, stderr in results if WAITING in stderr]
    assert len(waited) == 1, [stderr[-1500:] for _, stderr in results]
    assert "this run starts when that one has finished" in waited[0]
    assert "grading now" in waited[0]
    assert (out / "grades.csv").read_text() == world["sqlite"].grades_text
    assert _count(url, "SELECT count(*) FROM submitted_assignment") == len(STUDENTS)
    assert _count(url, "SELECT count(*) FROM submitted_notebook") == len(STUDENTS)
    assert _count(url, "SELECT count(*) FROM assignment") == 1
    assert _count(url, "SELECT count(*) FROM alembic_version") == 1


def test_the_lock_makes_a_second_holder_wait(postgres_url: str) -> None:
    said: list[str] = []
    order: list[str] = []
    first_in = threading.Event()

    def second() -> None:
        first_in.wait(10)
        with grading_lock(postgres_url, COURSE_ID, said.append):
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with grading_lock(postgres_url, COURSE_ID, said.append):
        first_in.set()
        time.sleep(1.5)  # the second is blocked on the lock meanwhile
        order.append("first")
    thread.join(30)
    assert order == ["first", "second"]
    assert said and said[0].startswith(WAITING) and "reactance" in said[0]
    assert "***" in said[0] and make_url(postgres_url).password not in said[0]
    with (  # other courses: no wait
        grading_lock(postgres_url, "another-course", said.append),
        grading_lock(postgres_url, "a-third-course", said.append),
    ):
        pass
    assert len(said) == 2  # the waiting message and the "grading now" that followed it


def test_an_unreachable_gradebook_grades_nothing(world: dict[str, Any], tmp_path: Path) -> None:
    closed = make_url(world["url"]).set(port=1).render_as_string(hide_password=False)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "grade", str(world["subs"]), "--out", str(out),
         "--gradebook", closed],
        env={**os.environ, "COURSE_DIR": str(world["course"])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "the gradebook cannot be reached, nothing was graded" in done.stderr
    assert not out.exists()


def test_a_lost_lock_connection_does_not_fail_the_run(postgres_url: str) -> None:
    """The server dropped the lock's session mid-run (a restart, an admin): the lock went
    with it, and leaving the block must not turn a finished run into a traceback."""
    with grading_lock(postgres_url, COURSE_ID, print):
        killed = _count(
            postgres_url,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
            "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()",
        )
        assert killed == 1
    with grading_lock(postgres_url, COURSE_ID, pytest.fail):  # free again: no waiting
        pass
