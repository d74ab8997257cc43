"""Whether anything was committed to the PostgreSQL database since the last look, by anyone.

SQLite answers this with `PRAGMA data_version` (prize/store/changes.py); PostgreSQL has no
such number for one database, so this module keeps one: a row (`prize_commit_stamp`) set
by a statement-level trigger on every table of the schema, once per writing transaction,
to the next value of a sequence. The row is written inside the transaction, so a reader
sees the new number exactly when it can see the transaction's rows, whichever worker,
CLI command or psql session wrote them; a sequence never gives a value twice, so the
number never comes back to one a cache was filled under (even after a test's reset has
put an old row back, or a TRUNCATE emptied the table: no row reads as 0).

Why not `pg_current_snapshot()`: it changes with every transaction of the whole cluster,
other databases included. Measured on this machine with other projects' tests running:
67 different snapshots in 3 s while nothing was written to this database, so the memo
would have been emptied about twenty times a second. Why not LISTEN/NOTIFY: a
notification arrives some time after the commit, and "the next request sees it" would
then depend on a race; one read per request is exact, and costs one round trip (the
look also brings the public version, which that round trip replaces).

Looked at once per request (`look`, from the LookForCommits middleware of
prize/web/commit_look.py; concurrent requests share a read sent after they all arrived)
and shared by every cache of the process for that request:
`public_version()` and the DataMemo. A commit of this process counts too (`db.commits`
is part of the stamp), so what this process wrote is seen at once, as on SQLite.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Hashable
from typing import Any

STAMP_TABLE = "prize_commit_stamp"
LOOK_SQL = ("SELECT (SELECT n FROM prize_commit_stamp WHERE id = 1),"
            " (SELECT version FROM catalogue_version WHERE id = 1)")
PUBLIC_VERSION_SQL = "SELECT version FROM catalogue_version WHERE id = 1"

# Idempotent, run by every `migrate()` (under the write lock), so that a table made by a
# later migration gets the trigger too. The trigger bumps once per transaction: the
# transaction-local setting `prize.stamped` says it was done (a savepoint rolled back
# undoes both the row and the setting).
INSTALL_SQL = """
CREATE SEQUENCE IF NOT EXISTS prize_commit_seq;
CREATE TABLE IF NOT EXISTS prize_commit_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
CREATE OR REPLACE FUNCTION prize_bump_commit_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('prize.stamped', true), '') = '' THEN
        INSERT INTO prize_commit_stamp (id, n) VALUES (1, nextval('prize_commit_seq'))
        ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n;
        PERFORM set_config('prize.stamped', 'yes', true);
    END IF;
    RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND c.relname <> 'prize_commit_stamp'
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                          WHERE g.tgrelid = c.oid AND g.tgname = 'prize_commit_stamp')
    LOOP
        EXECUTE format('CREATE TRIGGER prize_commit_stamp'
                       ' AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION prize_bump_commit_stamp()', t);
    END LOOP;
END $$;
"""

#: Set while a request runs whose look was taken (the middleware): public_version() then
#: trusts the process's latest look; outside a request it looks itself.
IN_REQUEST: contextvars.ContextVar[bool] = contextvars.ContextVar("prize_in_request",
                                                                  default=False)


async def install(conn: Any) -> None:
    """The stamp's sequence, row and triggers (`conn` holds the write lock)."""
    await conn.execute(INSTALL_SQL)


class CommitStamp:
    """The latest look of one process, and the public version read with it."""

    def __init__(self, db: Any) -> None:
        self.db = db
        #: The stamp row's number at the latest look (None: no look yet).
        self.last: int | None = None
        #: ((stamp, this process's commits), public version) as last known.
        self._version: tuple[Hashable, int] | None = None
        self._version_read: tuple[Hashable, asyncio.Future[int]] | None = None
        #: Reads of the stamp sent (the tests count them).
        self.looks = 0
        #: The callers waiting for the next read, and the task that sends reads.
        self._next_look: asyncio.Future[None] | None = None
        self._sender: asyncio.Future[None] | None = None

    def seen(self) -> Hashable | None:
        """What the DataMemo keeps its values under: changes when anyone committed
        before the latest look, or this process committed since; None: no look yet."""
        if self.last is None:
            return None
        return (self.last, self.db.commits)

    def close(self) -> None:
        self.last = None
        self._version = self._version_read = None

    async def look(self) -> None:
        """The stamp as of a read sent after this call began (so it sees every commit
        made before), shared with every other caller waiting for the same read.

        One read is on its way at a time: callers that arrive meanwhile wait for the next
        one, sent as soon as it returns (a read already on its way was sent before they
        arrived, and might miss a commit they must see). Under load that is one round
        trip per round trip's time, not one per request: at 64 connections a page from
        the cache cost a read each, most of its time."""
        waiting = self._next_look
        if waiting is None:
            waiting = self._next_look = asyncio.get_running_loop().create_future()
            if self._sender is None:
                self._sender = asyncio.ensure_future(self._send_looks())
        # Shielded: one caller going away does not cancel the read for the others.
        await asyncio.shield(waiting)

    async def _send_looks(self) -> None:
        try:
            while (waiting := self._next_look) is not None:
                self._next_look = None
                try:
                    await self._read_stamp()
                except Exception as error:  # noqa: BLE001 (each waiting caller gets it)
                    waiting.set_exception(error)
                    # Retrieved here too: no "never retrieved" if every caller went away.
                    waiting.exception()
                else:
                    waiting.set_result(None)
        finally:
            self._sender = None

    async def _read_stamp(self) -> None:
        """One round trip: the stamp, and the public version in the same snapshot."""
        commits = self.db.commits
        row = await self.db.pool.fetchrow(LOOK_SQL)
        self.looks += 1
        self.last = row[0] or 0
        # Read in one statement, so the version is the one of that stamp; a commit of this
        # process while it was on its way makes the key stale (read again when asked).
        self._version = ((self.last, commits), row[1] or 0)

    async def public_version(self) -> int:
        if not IN_REQUEST.get() or self.last is None:
            # No request's look to trust (start-up, the mailer's tasks, a CLI command):
            # look now, which is the one read a call costs anyway.
            await self.look()
        key = self.seen()
        known = self._version
        if known is not None and known[0] == key:
            return known[1]
        # This process committed since the look: read again, one read for all who ask.
        pending = self._version_read
        if pending is None or pending[0] != key:
            task = asyncio.ensure_future(self._read_version(key))
            pending = self._version_read = (key, task)
        # Shielded: one caller going away does not cancel the read for the others.
        return await asyncio.shield(pending[1])

    async def _read_version(self, key: Hashable) -> int:
        try:
            value = await self.db.pool.fetchval(PUBLIC_VERSION_SQL) or 0
        finally:
            pending = self._version_read
            if pending is not None and pending[1] is asyncio.current_task():
                self._version_read = None
        if self.seen() == key:
            self._version = (key, value)
        return value
