"""The graded output folder can be moved: its nbgrader_config.py holds no absolute path, so
formgrader's configuration and gradebook follow it, and re-grading there keeps manual grades."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest
from pipeline_support import (
    copy_course,
    formgrader_view,
    grade,
    prepare_release,
    source_notebook,
    write_submission,
)

from course_lib.grading.course import COURSE_ID
from course_lib.grading.out_config import (
    absolute_db_url,
    db_url_expression,
    gradebook_for,
    normal_db_url,
)


@pytest.mark.slow
def test_a_moved_output_folder_still_opens_in_formgrader_and_regrades(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path / "course")
    released = prepare_release(course, tmp_path / "release-course")
    subs = tmp_path / "submitted"
    write_submission(subs, "full", source_notebook(course))
    write_submission(subs, "blank", released)
    first = tmp_path / "first" / "out"
    grade(subs, first, course)
    config = (first / "nbgrader_config.py").read_text()
    assert str(first) not in config and str(tmp_path) not in config  # nothing absolute
    with (
        warnings.catch_warnings(),
        Gradebook(f"sqlite:///{first / 'gradebook.db'}", COURSE_ID) as gb,
    ):
        warnings.simplefilter("ignore")
        gb.find_grade("t1_written", "t1", "t1", "full").manual_score = 2.0
        gb.db.commit()

    moved = tmp_path / "elsewhere" / "graded"
    moved.parent.mkdir()
    shutil.move(first, moved)
    assert not first.exists()
    view = formgrader_view(moved)
    assert view["root"] == str(moved)
    assert view["db_url"] == f"sqlite:///{moved / 'gradebook.db'}"
    assert view["submissions"] == {"blank": [True, 0.0], "full": [True, 5.0]}  # 3 auto + 2 manual

    release = moved / "release" / "t1" / "t1.ipynb"
    stamps = (moved / ".release-fingerprints.json").read_text()
    released_at = release.stat().st_mtime_ns
    run = grade(subs, moved, course)
    assert run.code == 0
    assert run.row("full")["manual_score"] == "2" and run.row("full")["auto_score"] == "3"
    # the release templates were not regenerated: moving changed nothing they depend on
    assert release.stat().st_mtime_ns == released_at
    assert (moved / ".release-fingerprints.json").read_text() == stamps


def test_gradebook_urls_inside_the_folder_follow_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    url = absolute_db_url("sqlite:///out/books/grades.db")  # relative to where grade ran
    assert url == f"sqlite:///{out / 'books' / 'grades.db'}"
    expression = db_url_expression(url, out)
    assert expression == "'sqlite:///' + os.path.join(HERE, 'books/grades.db')"
    assert eval(expression, {"os": os, "HERE": "/moved"}) == "sqlite:////moved/books/grades.db"
    outside = f"sqlite:///{tmp_path / 'shared.db'}"
    assert db_url_expression(outside, out) == repr(outside)
    server = "postgresql://grader@db.example.edu/reactance"
    assert absolute_db_url(server) == server
    assert db_url_expression(server, out) == repr(server)


def test_a_bare_postgresql_url_gets_psycopg_3() -> None:
    """SQLAlchemy reads postgresql:// as psycopg2, which the course does not install."""
    assert normal_db_url("postgresql://g:pw@db.example.edu:5433/rx") == (
        "postgresql+psycopg://g:pw@db.example.edu:5433/rx"
    )
    assert normal_db_url("postgres://g@db/rx") == "postgresql+psycopg://g@db/rx"
    assert normal_db_url("postgresql+psycopg2://g@db/rx") == "postgresql+psycopg2://g@db/rx"
    assert normal_db_url("sqlite:////abs/grades.db") == "sqlite:////abs/grades.db"


def test_a_gradebook_from_the_environment_is_read_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the hub the URL comes from a secret: OUT's config reads the variable, no password."""
    monkeypatch.delenv("COURSE_GRADEBOOK_URL", raising=False)
    assert gradebook_for(tmp_path, None) == f"sqlite:///{tmp_path / 'gradebook.db'}"
    monkeypatch.setenv("COURSE_GRADEBOOK_URL", "postgresql://g:s3cret@db/rx")
    url = gradebook_for(tmp_path, None)
    assert url == "postgresql+psycopg://g:s3cret@db/rx"
    expression = db_url_expression(url, tmp_path)
    assert "s3cret" not in expression
    assert eval(expression, {"os": os}) == url
    assert gradebook_for(tmp_path, "sqlite:////x.db") == "sqlite:////x.db"  # the option wins
    other = "postgresql+psycopg://g:other@db/rx"
    assert db_url_expression(other, tmp_path) == repr(other)  # not the variable's URL
