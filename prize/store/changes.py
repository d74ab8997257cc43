"""Whether anything was committed to the SQLite file since the last look, by anyone.

`PRAGMA data_version` answers it for one connection: its number changes when another
connection (this process's writer, another worker, a CLI command) committed since that
connection last asked, and costs a few microseconds (no read of the file: SQLite looks
at the write-ahead log's shared index). So it is asked on a connection of its own, held
by the event loop's thread and used for nothing else, and asked directly rather than
through aiosqlite's thread, whose round trip costs ten times more. Each request can then
afford to ask, which makes the caches that depend on the database (the public version
of prize/store/db.py) exact across processes.

A PostgreSQL database has no such pragma: that engine keeps a commit stamp of its own,
read once per request (prize/store/commit_stamp.py); only the SQLite engine uses this
module.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# A moment at most: the event loop waits while SQLite answers. Longer means "cannot say".
WATCH_BUSY_TIMEOUT_MS = 20


class CommitWatch:
    """A connection that only ever asks `PRAGMA data_version`."""

    def __init__(self, path: Path) -> None:
        # check_same_thread off: opened and asked on the event loop's thread, but closed
        # wherever the Database is closed.
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {WATCH_BUSY_TIMEOUT_MS}")
            self.seen()
        except BaseException:
            self._conn.close()
            raise

    def seen(self) -> int | None:
        """A number that changes whenever another connection committed; None when
        SQLite is busy for a moment and cannot tell (the caller reads afresh)."""
        try:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.OperationalError:
            return None

    def close(self) -> None:
        self._conn.close()
