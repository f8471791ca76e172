"""Student versions of every assignment, checked for leaks before they leave the instructor.

``release(out)`` runs nbgrader's ``generate_assignment`` in a private course folder and
copies ``release/<assignment>/`` to ``out/<assignment>/``, adding the students' copy of the
course's variant salt (``variant_salt.json``) to each assignment with per-student variants
(the salt recorded instructor-side, created on the first release: see
:mod:`course_lib.grading.per_student`). ``find_leaks`` then scans every
released file for solution markers, model answers, hidden test inputs and key texts
(including Assignment 4's key: the best response of each moment and the feedback on every
option).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import yaml

from course_lib.grading.course import prepare

SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
MARKERS = (
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
)


def _response_key_snippets(course_src: Path) -> tuple[set[str], set[str]]:
    """Assignment 4's key as texts to look for: ``(answers, feedback)``.

    ``answers`` are the best option of each moment written as a dict entry would be
    (``"a4-o1-apps": "d"``, with either kind of quote): never shown to students, not even
    after grading. ``feedback`` is the key's feedback on each option: never in a release,
    but returned after grading for the option a student chose.
    """
    answers: set[str] = set()
    feedback: set[str] = set()
    for key_path in (course_src / "keys" / "responses").glob("*.yaml"):
        data = yaml.safe_load(key_path.read_text(encoding="utf-8")) or {}
        for moment_id, entry in (data.get("moments") or {}).items():
            for option, verdict in ((entry or {}).get("verdicts") or {}).items():
                if verdict.get("verdict") == "best":
                    answers.add(f'"{moment_id}": "{option}"')
                    answers.add(f"'{moment_id}': '{option}'")
                if verdict.get("feedback"):
                    feedback.add(" ".join(str(verdict["feedback"]).split())[:80])
    return answers, feedback


def _secret_snippets(course_src: Path, *, graded: bool = False) -> set[str]:
    """Texts that must never appear in a student's files: solutions, keys, hidden inputs.

    ``graded``: the files are feedback returned after grading, which may quote Assignment 4's
    feedback on the option a student chose (never its answers).
    """
    secrets: set[str] = set()
    public: list[str] = []  # source text students are meant to see
    for nb_path in (course_src / "source").glob("*/*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("solution"):
                secrets.update(
                    line.strip() for line in cell.source.splitlines() if len(line.strip()) >= 25
                )
                continue
            for block in SOLUTION_BLOCK.findall(cell.source):
                secrets.update(
                    line.strip() for line in block.splitlines() if len(line.strip()) >= 25
                )
            public.append(SOLUTION_BLOCK.sub("", cell.source))
    shown = "\n".join(public)
    secrets = {s for s in secrets if s not in shown}  # a line also given to students is no secret
    for key_path in (course_src / "keys").rglob("*.yaml"):
        data = yaml.safe_load(key_path.read_text(encoding="utf-8")) or {}
        if "rationale" in data:
            secrets.add(" ".join(str(data["rationale"]).split())[:80])
        for notebook in (data.get("notebooks") or {}).values():
            for question in (notebook.get("questions") or {}).values():
                for hidden in question.get("hidden") or []:
                    text = json.dumps(hidden)
                    if len(text) >= 12:
                        secrets.add(text)
    answers, feedback = _response_key_snippets(course_src)
    secrets |= answers if graded else answers | feedback
    return {s for s in secrets if s}


def _texts(path: Path) -> list[str]:
    """A file's text, whitespace collapsed; for a notebook also its decoded cell sources and
    outputs (the raw JSON escapes quotes and newlines, which would hide a dict entry)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    texts = [raw]
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(raw)
            parts = []
            for cell in nb.get("cells", []):
                parts.append(_joined(cell.get("source", "")))
                for output in cell.get("outputs", []):
                    parts.append(_joined(output.get("text", "")))
                    parts += [_joined(v) for v in (output.get("data") or {}).values()]
            texts.append("\n".join(parts))
        except (ValueError, AttributeError, TypeError):
            pass
    return [" ".join(t.split()) for t in texts]


def _joined(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def find_leaks(folder: Path, course_src: Path, *, graded: bool = False) -> list[str]:
    """Every place under ``folder`` where a solution, hidden input or key text appears.

    ``graded=True`` for feedback pages returned after grading: they may quote Assignment 4's
    feedback on the response a student chose (see docs/threat-model.md), nothing else.
    """
    secrets = _secret_snippets(course_src, graded=graded)
    leaks = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        texts = _texts(path)
        raw = path.read_text(encoding="utf-8", errors="replace")
        for marker in MARKERS:
            if marker in raw:
                leaks.append(f"{path}: contains {marker!r}")
        for secret in secrets:
            if any(" ".join(secret.split()) in text for text in texts):
                leaks.append(f"{path}: contains instructor-only text {secret[:60]!r}")
    return leaks


def release(out: Path, course_src: Path | None = None, *, salt: str | None = None) -> list[Path]:
    """Write the student version of each assignment to ``out/<assignment>/``; refuse on a leak.

    ``salt``: the variant salt to release (default: the course's recorded one, recorded now
    if there is none).
    """
    from course_lib import paths
    from course_lib.grading.per_student import (
        ensure_record,
        record_path,
        uses_variants,
        write_released,
    )

    course_src = Path(course_src) if course_src else paths.course_dir()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        course = prepare(Path(tmp) / "course", course_src=course_src)
        written = []
        for assignment in sorted(course.specs):
            dest = out / assignment
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(course.root / "release" / assignment, dest)
            if uses_variants(course.specs[assignment]):
                salt = salt or ensure_record(record_path(course_src))[0]
                write_released(dest, salt)
            written.append(dest)
    leaks = [leak for d in written for leak in find_leaks(d, course_src)]
    if leaks:
        for d in written:
            shutil.rmtree(d, ignore_errors=True)
        raise RuntimeError("release refused, instructor-only material found:\n" + "\n".join(leaks))
    return written
