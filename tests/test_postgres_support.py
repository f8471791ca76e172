"""The PostgreSQL test fixture finds Debian's binaries, and skips only where that is allowed."""

from __future__ import annotations

from pathlib import Path

import postgres_support
import pytest


def _fake_install(root: Path, version: str) -> Path:
    folder = root / version / "bin"
    folder.mkdir(parents=True)
    for name in ("initdb", "pg_ctl", "postgres"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture
def no_postgres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(postgres_support, "PG_ROOT", tmp_path / "lib-postgresql")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("COURSE_REQUIRE_POSTGRES", raising=False)
    return tmp_path / "lib-postgresql"


def test_the_newest_debian_version_is_used(no_postgres: Path) -> None:
    _fake_install(no_postgres, "9.6")
    newest = _fake_install(no_postgres, "15")
    _fake_install(no_postgres, "13")
    assert postgres_support.find_binaries() == newest


def test_missing_postgres_skips_an_unprivileged_user(
    no_postgres: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_support.os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"):
        postgres_support.require_binaries()


def test_missing_postgres_fails_when_required_or_root(
    no_postgres: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_support.os, "geteuid", lambda: 1000)
    monkeypatch.setenv("COURSE_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="COURSE_REQUIRE_POSTGRES=1"):
        postgres_support.require_binaries()
    monkeypatch.delenv("COURSE_REQUIRE_POSTGRES")
    monkeypatch.setattr(postgres_support.os, "geteuid", lambda: 0)
    with pytest.raises(pytest.fail.Exception, match="running as root"):
        postgres_support.require_binaries()
