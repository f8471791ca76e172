"""Warm slots' small parts: when they apply, how a slot folder is emptied, what a run says."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from course_lib.grading.sandbox import Isolation, Limits
from course_lib.grading.warm_slots import empty_folder, kill_user, open_slots, supported

BWRAP = Isolation("bubblewrap", "test")


def test_warm_slots_need_bubblewrap_and_root() -> None:
    for mode in ("setpriv", "none"):
        assert "need bubblewrap" in supported(Isolation(mode, "test"))
    if os.geteuid() == 0:
        assert supported(BWRAP) is None
    else:
        assert "need root" in supported(BWRAP)


def test_a_cold_run_says_why() -> None:
    slots, how = open_slots(BWRAP, Limits(), [68990], wanted=False)
    assert slots == {}
    assert how.startswith("a new sandboxed interpreter per notebook") and "--no-warm" in how
    slots, how = open_slots(Isolation("setpriv", "test"), Limits(), [68990], wanted=True)
    assert slots == {} and "need bubblewrap" in how


def test_empty_folder_keeps_what_it_is_told_and_never_follows_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    work = tmp_path / "work"
    (work / ".tmp" / "inner").mkdir(parents=True)
    (work / ".tmp" / "inner" / "left.txt").write_text("x")
    (work / "deep" / "er").mkdir(parents=True)
    (work / "file.txt").write_text("x")
    (work / "link").symlink_to(outside)
    (work / "deep" / "link").symlink_to(outside / "precious.txt")
    empty_folder(work, keep=(".tmp",))
    assert sorted(p.name for p in work.iterdir()) == [".tmp"]
    assert (work / ".tmp" / "inner" / "left.txt").exists()
    empty_folder(work / ".tmp")
    assert list((work / ".tmp").iterdir()) == []
    assert (outside / "precious.txt").read_text() == "keep"


def test_kill_user_with_nothing_to_kill() -> None:
    assert kill_user(2**31 - 7) == 0  # a user id nobody has


def test_the_tmp_skeleton_names_what_is_bound_from_under_tmp(monkeypatch: Any) -> None:
    """A checkout or venv under /tmp is bound into the slot's /tmp folder; the slot's
    clean-up keeps those mount points (deleting one from outside unmounts it inside)."""
    from course_lib import paths
    from course_lib.grading import warm_slots

    monkeypatch.setattr(
        warm_slots, "runtime_paths", lambda: [Path("/usr"), Path("/tmp/co/.venv"), Path("/opt/py")]
    )
    monkeypatch.setattr(paths, "PACKAGE_DIR", Path("/tmp/co/course_lib"))
    assert warm_slots.tmp_skeleton() == ("co",)
    monkeypatch.setattr(paths, "PACKAGE_DIR", Path("/work/course_lib"))
    monkeypatch.setattr(warm_slots, "runtime_paths", lambda: [Path("/usr"), Path("/work/.venv")])
    assert warm_slots.tmp_skeleton() == ()
