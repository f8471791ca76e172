"""One ``grade`` run at a time per course gradebook on a database server.

Two runs writing the same PostgreSQL gradebook at once would race: nbgrader creates its
tables, assignments and submissions with check-then-insert steps, so the loser fails on a
unique constraint, or both write the same rows and the report of one disagrees with the
gradebook. ``grade`` therefore holds a PostgreSQL session-level advisory lock, keyed on the
course id (advisory locks are per database), for the whole run. A second run says that it is
waiting, then waits, and grades after the first has finished: both succeed and the gradebook
ends as the later run left it. The lock goes with the connection, so a run that dies releases it.

An SQLite gradebook (the default, ``OUT/gradebook.db``) takes no lock here: it is one
instructor's file, not meant for several graders (use PostgreSQL for that).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator

from sqlalchemy.engine import make_url

from course_lib.grading.out_config import shown

WAITING = "waiting for another grade run on this gradebook"


def lock_key(course_id: str) -> int:
    """The advisory lock's key: a signed 64-bit number derived from the course id."""
    digest = hashlib.sha256(f"course_lib grade {course_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def grading_lock(db_url: str, course_id: str, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the course's grading lock on ``db_url`` (PostgreSQL only) for the ``with`` block.

    ``say`` is told when the lock is taken by another run, before this one waits for it.
    """
    if make_url(db_url).get_backend_name() != "postgresql":
        yield
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    key = lock_key(course_id)
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        # autocommit: the lock belongs to the session; an open transaction held for the
        # whole run would keep PostgreSQL from vacuuming and could be cut by its timeouts
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            if not taken:
                say(
                    f"{WAITING} (course {course_id!r}, {shown(db_url)}); this run "
                    "starts when that one has finished"
                )
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                say("the other grade run has finished: grading now")
            try:
                yield
            finally:
                # a lost connection has released the lock already: the run's result stands
                with contextlib.suppress(DBAPIError):
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    finally:
        engine.dispose()
