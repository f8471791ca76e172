"""Find every notebook under SUBMISSIONS: jobs to grade, and rows for what cannot be graded.

Layout: ``<student_id>/<assignment>/<notebook>.ipynb`` plus any saved answer files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from course_lib.grading.course import Course
from course_lib.grading.rows import Job, Row

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def hash_folder(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def discover(submissions: Path, course: Course) -> tuple[list[Job], list[Row]]:
    """Find every notebook to grade; rows for what cannot be graded at all."""
    jobs: list[Job] = []
    rows: list[Row] = []
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        student = student_dir.name
        if not ID_PATTERN.match(student):
            # One row per notebook file in the folder (one for the folder if it holds none),
            # so that reconciliation finds a row for every file submitted.
            notebooks = sorted(student_dir.glob("*/*.ipynb"))
            for path in notebooks or [None]:
                rows.append(
                    Row(
                        student,
                        path.parent.name if path else "",
                        path.stem if path else "",
                        "bad-student-id",
                        "student folder name is not 1-64 of A-Z a-z 0-9 _ . @ -; not graded",
                    )
                )
            continue
        for folder in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            assignment = folder.name
            found = sorted(p.stem for p in folder.glob("*.ipynb"))
            if assignment not in course.specs:
                for name in found or ["(no notebook)"]:
                    rows.append(
                        Row(
                            student,
                            assignment,
                            name,
                            "unknown-assignment",
                            f"no assignment called {assignment!r} in this course",
                        )
                    )
                continue
            digest = hash_folder(folder)
            expected = sorted(course.specs[assignment].notebooks)
            for name in expected:
                if name in found:
                    jobs.append(Job(student, assignment, name, folder, digest))
                else:
                    others = [f for f in found if f not in expected]
                    hint = (
                        f"; found instead: {', '.join(o + '.ipynb' for o in others)}"
                        if others
                        else ""
                    )
                    rows.append(
                        Row(
                            student,
                            assignment,
                            name,
                            "missing-notebook",
                            f"{name}.ipynb was not submitted{hint}",
                            sha256=digest,
                        )
                    )
            for name in found:
                if name not in expected:
                    rows.append(
                        Row(
                            student,
                            assignment,
                            name,
                            "unexpected-notebook",
                            f"not part of {assignment} (expected {', '.join(e + '.ipynb' for e in expected)}); not graded",
                            sha256=digest,
                        )
                    )
    return jobs, rows
