"""The output folder's ``nbgrader_config.py``: portable paths and the course's guards.

Formgrader (``cd OUT && jupyter lab``) and the nbgrader commands load this file. Every path
in it is relative to the file itself, so OUT can be moved or copied: the course root is the
file's folder, and an SQLite gradebook inside OUT is found there too. A gradebook elsewhere
(PostgreSQL, or an SQLite file outside OUT) is written as an absolute URL.

A gradebook URL that came from ``COURSE_GRADEBOOK_URL`` (on a hub, from a Kubernetes secret:
deploy/) is written as a read of that variable, so its password is never stored in OUT.

The file also installs ``nbgrader_guard`` (nbgrader's autograde and generate_feedback are
refused here) and selects ``nbgrader_export.CourseExportPlugin`` for ``nbgrader export``.
If the course package cannot be imported where nbgrader runs, the file still keeps stock
nbgrader off the course's files: autograde finds no submissions, feedback and export are
written under other names.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

CONFIG_TEMPLATE = '''"""nbgrader configuration of a graded output folder, written by `python -m course_lib grade`.

Rewritten on every grading run. Paths are relative to this file, so the folder can be moved.
nbgrader's autograde and generate_feedback are refused here and `nbgrader export` writes
nbgrader_export.csv (see course_lib/grading/out_config.py).
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url}
c.ClearSolutions.code_stub = {{"python": 'raise NotImplementedError("Write your answer here")'}}

try:
    from course_lib.grading import nbgrader_guard
except ImportError:  # the course package is missing here: keep stock nbgrader off its files
    c.CourseDirectory.submitted_directory = "{missing}"
    c.CourseDirectory.feedback_directory = "nbgrader-feedback"
    c.ExportPlugin.to = os.path.join(HERE, "nbgrader_export.csv")
else:
    nbgrader_guard.install(c, HERE)
'''
# What stock autograde is told to look in when the guard cannot be imported: it matches no
# submission, and nbgrader's "No notebooks were matched" error then names the command to use.
MISSING_PACKAGE_FOLDER = "course_lib-not-importable--grade-with--python-m-course_lib-grade"


# SQLAlchemy reads a bare postgresql:// as psycopg2; the course installs psycopg 3.
PSYCOPG3 = "postgresql+psycopg"
#: The gradebook's URL when --gradebook is not given (instructors' servers on the hub).
GRADEBOOK_ENV = "COURSE_GRADEBOOK_URL"


def gradebook_for(out: Path, gradebook_url: str | None) -> str:
    """The gradebook a run uses: ``gradebook_url``, else ``$COURSE_GRADEBOOK_URL``, else
    ``OUT/gradebook.db`` (SQLite); normalised as :func:`normal_db_url` does."""
    given = gradebook_url or os.environ.get(GRADEBOOK_ENV)
    return normal_db_url(given) if given else f"sqlite:///{Path(out).resolve() / 'gradebook.db'}"


def shown(url: str) -> str:
    """``url`` for messages: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def normal_db_url(url: str) -> str:
    """The gradebook URL as written to the config: a bare ``postgresql://`` (or ``postgres://``)
    given psycopg 3's driver, a relative SQLite path made absolute."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        url = f"{PSYCOPG3}://{rest}"
    return absolute_db_url(url)


def absolute_db_url(url: str) -> str:
    """``url`` with a relative SQLite path made absolute (relative to the current folder)."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return url
    if os.path.isabs(path):
        return url
    return parsed.set(database=os.path.abspath(path)).render_as_string(hide_password=False)


def db_url_expression(url: str, root: Path) -> str:
    """Python source for the config's ``db_url``: relative to ``HERE`` when the SQLite file is
    inside ``root`` (so it follows the folder), a read of ``$COURSE_GRADEBOOK_URL`` when the
    URL came from there, else the URL itself."""
    from_env = os.environ.get(GRADEBOOK_ENV)
    if from_env and normal_db_url(from_env) == url:
        read = f"os.environ[{GRADEBOOK_ENV!r}]"
        scheme = from_env.partition("://")[0]
        if from_env == url:
            return read
        return f"{read}.replace({scheme + '://'!r}, {PSYCOPG3 + '://'!r}, 1)"
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:" and not parsed.query:
        resolved, base = Path(path).resolve(), Path(root).resolve()
        if resolved.is_relative_to(base):
            relative = resolved.relative_to(base).as_posix()
            return f"{parsed.drivername + ':///'!r} + os.path.join(HERE, {relative!r})"
    return repr(url)


def write_config(root: Path, course_id: str, db_url: str) -> str:
    """Write ``root/nbgrader_config.py``; return the db_url expression (stable when moved)."""
    expression = db_url_expression(db_url, root)
    (Path(root) / "nbgrader_config.py").write_text(
        CONFIG_TEMPLATE.format(
            course_id=course_id, db_url=expression, missing=MISSING_PACKAGE_FOLDER
        ),
        encoding="utf-8",
    )
    return expression
