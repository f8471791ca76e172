"""The output folder as an nbgrader course: sources, release templates and the gradebook.

``prepare(out)`` copies the instructor's ``source/`` into ``OUT``, writes an
``nbgrader_config.py`` (so ``cd OUT && jupyter lab`` opens formgrader on this gradebook;
see ``out_config``) and runs nbgrader's ``generate_assignment`` for each assignment: that
strips solutions, records every grade cell in the gradebook and writes ``OUT/release/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from course_lib import paths
from course_lib.grading.out_config import gradebook_for, write_config
from course_lib.grading.spec import AssignmentSpec, load_spec

COURSE_ID = "reactance"


@dataclass(frozen=True)
class Course:
    """A prepared course folder and what it knows about each assignment."""

    root: Path
    db_url: str
    specs: dict[str, AssignmentSpec]
    keys_dir: Path

    def release_notebook(self, assignment: str, notebook: str) -> Path:
        """The released (student) version of one notebook: the reconstruction template."""
        return self.root / "release" / assignment / f"{notebook}.ipynb"


def ensure_tools_on_path() -> None:
    """nbgrader's gradebook runs the ``alembic`` command: make this Python's scripts findable."""
    scripts = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in parts:
        os.environ["PATH"] = os.pathsep.join([scripts, *parts])


def source_assignments(source: Path) -> list[str]:
    """Assignment folders in ``source/``."""
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _generate(root: Path, db_url: str, assignment: str) -> None:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.db_url = db_url
    config.ClearSolutions.code_stub = {
        "python": 'raise NotImplementedError("Write your answer here")'
    }
    api = NbGraderAPI(config=config)
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise RuntimeError(
            f"nbgrader generate_assignment failed for {assignment}:\n{result.get('log', '')[-3000:]}"
        )


def prepare(out: Path, gradebook_url: str | None = None, course_src: Path | None = None) -> Course:
    """Make ``out`` an nbgrader course folder with current release templates and gradebook
    (``gradebook_url``, else ``$COURSE_GRADEBOOK_URL``, else ``OUT/gradebook.db``)."""
    ensure_tools_on_path()
    course_src = Path(course_src) if course_src else paths.course_dir()
    source, keys = course_src / "source", course_src / "keys"
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)  # the gradebook and autograded work are instructor-only
    db_url = gradebook_for(out, gradebook_url)
    db_where = write_config(out, COURSE_ID, db_url)  # the same after OUT is moved
    stamp_file = out / ".release-fingerprints.json"
    stamps = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    specs: dict[str, AssignmentSpec] = {}
    for assignment in source_assignments(source):
        spec_path = keys / f"{assignment}.yaml"
        specs[assignment] = load_spec(spec_path)
        fingerprint = _fingerprint(source / assignment)
        release = out / "release" / assignment
        fingerprint = f"{fingerprint}@{db_where}"
        if stamps.get(assignment) != fingerprint or not release.exists():
            dest = out / "source" / assignment
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(source / assignment, dest)
            _generate(out, db_url, assignment)
            stamps[assignment] = fingerprint
    stamp_file.write_text(json.dumps(stamps, indent=1))
    return Course(out, db_url, specs, keys)
