"""The database: one SQLite file in WAL mode, one writer, concurrent readers.

Connections are opened once at start-up and reused: opening one per request cut
throughput to a third in a measurement. Writes go through a single connection
behind a lock, so SQLite never sees two writers and every multi-statement change
is one transaction. Reads use a second connection: in WAL mode it sees every
committed write and is never blocked by the writer.

`write(work)` and `read(work)` run a whole transaction in one trip to a thread, or a
group of reads at once, of the same store code on plain sqlite3 connections
(prize/store/direct.py), for the requests that must stay quick under load (a juror's
autosave): each aiosqlite call is a trip through the event loop. That writer, too,
writes only under the one lock.

`public_version()` is the version of the public data (a row that triggers bump when
something public pages show changes, migration 0041), for the in-memory caches (public
pages, the configuration). It is strict across processes: each call asks SQLite whether
any connection committed since the last look (`PRAGMA data_version`, a few microseconds,
see prize/store/changes.py), so a write of another worker or of a CLI command is seen by
this process's very next request; the version row itself is read again only then.

Several processes (`prize serve --workers N`) each have their own writer connection: the
single-writer rule then holds through SQLite's own lock. `BEGIN IMMEDIATE` waits for
another process's write for up to `busy_timeout_ms`, once more if it is still there, and
then raises `DatabaseBusy`, which pages answer with 503 and Retry-After, never a
"database is locked" (prize/web/busy.py).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from prize.store.changes import CommitWatch
from prize.store.direct import DirectConnections

T = TypeVar("T")

# How long a write waits for another process's write to end, each of two times (ms).
BUSY_TIMEOUT_MS = 5000
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
PUBLIC_VERSION_SQL = "SELECT version FROM catalogue_version WHERE id = 1"
# The first line of a migration that rebuilds tables: it runs with foreign keys off.
REBUILDS_TABLES = "-- prize: rebuilds tables"


@dataclass(frozen=True, slots=True)
class _VersionRead:
    """A read of the public version, begun when the database's commits were at `seen`."""

    seen: int
    task: asyncio.Future[int] | None = None
    value: int = 0


class DatabaseBusy(sqlite3.OperationalError):
    """Another process held the write lock for longer than the busy timeout, twice."""


def is_locked(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _setup(busy_timeout_ms: int) -> list[str]:
    """What every connection to the file is told first (aiosqlite's and direct.py's)."""
    return [
        "PRAGMA journal_mode = WAL",
        "PRAGMA foreign_keys = ON",
        # NORMAL in WAL mode keeps every committed transaction across a process crash;
        # only a power loss may drop the last ones.
        "PRAGMA synchronous = NORMAL",
        f"PRAGMA busy_timeout = {int(busy_timeout_ms)}",
        # Deleted and overwritten content is zeroed in the file, not merely marked free:
        # an erased person's bytes must not linger in free space (docs/privacy.md).
        "PRAGMA secure_delete = ON",
    ]


async def _connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        for statement in _setup(busy_timeout_ms):
            await conn.execute(statement)
    except BaseException:
        # Each connection has a thread of its own that would keep the process alive
        # (a file that is not a database fails here, at the first statement).
        await conn.close()
        raise
    return conn


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def describe(target: str | Path) -> tuple[str, str | Path]:
    """(engine, what it opens): a postgresql:// or postgres:// URL is PostgreSQL; a path
    or sqlite:///path is an SQLite file."""
    text = str(target)
    if text.startswith(POSTGRES_SCHEMES):
        return "postgresql", text
    if text.startswith("sqlite:///"):
        # sqlite:///prize.db is relative, sqlite:////srv/prize.db absolute.
        return "sqlite", Path(text[len("sqlite:///"):])
    return "sqlite", Path(target)


def open_database(target: str | Path, **options: Any) -> Any:
    """The Database of `target` on its engine (not opened yet: `async with` or open())."""
    engine, where = describe(target)
    if engine == "postgresql":
        from prize.store.postgres import PostgresDatabase

        return PostgresDatabase(str(where), **options)
    return Database(where, **options)


class Database:
    """Owns the connections; `transaction()` is the only way to write.

    `Database(url)` with a PostgreSQL URL gives that engine's database (the same API,
    prize/store/postgres.py), so call sites need not know the engine."""

    engine = "sqlite"

    def __new__(cls, path: Any = None, **options: Any) -> Any:
        if cls is Database and isinstance(path, str) and path.startswith(POSTGRES_SCHEMES):
            from prize.store.postgres import PostgresDatabase

            return PostgresDatabase(path, **options)
        return super().__new__(cls)

    def __init__(self, path: Path, *, busy_timeout_ms: int | None = None) -> None:
        if isinstance(path, str):
            path = describe(path)[1]
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._watch: CommitWatch | None = None
        self._direct: DirectConnections | None = None
        self._write_wait_s = 2 * BUSY_TIMEOUT_MS / 1000
        self._write_lock = asyncio.Lock()
        # Commits of this process (tests count them).
        self.commits = 0
        self._public_version: _VersionRead | None = None
        self._public_version_read: _VersionRead | None = None

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Read at opening, so that tests can shorten the wait for every Database at once.
        busy_timeout_ms = self.busy_timeout_ms or BUSY_TIMEOUT_MS
        self._writer = await _connect(self.path, busy_timeout_ms)
        try:
            self._reader = await _connect(self.path, busy_timeout_ms)
            self._watch = CommitWatch(self.path)
            self._direct = DirectConnections(self.path, _setup(busy_timeout_ms))
            # What `_begin` waits at most, twice the busy timeout, for `write()` too.
            self._write_wait_s = 2 * busy_timeout_ms / 1000
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        if self._direct is not None:
            self._direct.close()
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = self._watch = self._direct = None
        self._public_version = self._public_version_read = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader

    async def fetch_all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[aiosqlite.Row]:
        # Executed and read to the end in one call on the reader's thread: a statement left
        # open between two awaits (while other requests read) would keep the reader's WAL
        # snapshot alive, and under steady load reads would miss writes committed meanwhile,
        # even a request's own. The reliability tests measured that.
        return list(await self.reader.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] | dict = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def ping(self) -> None:
        """One round trip to the reader; raises if the database cannot be read."""
        await self.fetch_value("SELECT 1")

    async def public_version(self) -> int:
        """The version of the public data, as of every commit made before this call.

        Whichever connection or process committed, the version row is read again; when
        nothing was committed since the last read, no query is sent. Callers that ask
        while a read is on its way share it instead of sending their own.
        """
        if self._watch is None:
            raise RuntimeError("database is not open")
        seen = self._watch.seen()
        if seen is None:
            # SQLite could not say (busy for a moment): a read of its own, kept for no one.
            return await self.fetch_value(PUBLIC_VERSION_SQL) or 0
        known = self._public_version
        if known is not None and known.seen == seen:
            return known.value
        pending = self._public_version_read
        if pending is None or pending.seen != seen:
            # A read begun before the latest commit might not see it: a new one.
            task = asyncio.ensure_future(self._read_public_version(seen))
            pending = self._public_version_read = _VersionRead(seen, task)
        assert pending.task is not None
        # Shielded: one caller going away (a client that hung up) does not cancel the
        # read for the others. An error reaches every caller of this read.
        return await asyncio.shield(pending.task)

    async def _read_public_version(self, seen: int) -> int:
        try:
            # One row, read at once: no trip to a thread (prize/store/direct.py).
            value = await self.read(lambda reads: reads.fetch_value(PUBLIC_VERSION_SQL)) or 0
        finally:
            pending = self._public_version_read
            if pending is not None and pending.task is asyncio.current_task():
                self._public_version_read = None
        known = self._public_version
        # Reads may end out of order: the one begun last is the one kept.
        if known is None or seen >= known.seen:
            self._public_version = _VersionRead(seen, value=value)
        return value

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed when the block ends, rolled back on error."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            await self._begin(self._writer)
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            else:
                await self._writer.execute("COMMIT")
                self.commits += 1

    async def _begin(self, writer: aiosqlite.Connection) -> None:
        """BEGIN IMMEDIATE, waiting for another process's write (several workers, a CLI
        command): SQLite waits `busy_timeout_ms`, then once more; then `DatabaseBusy`."""
        for attempt in (1, 2):
            try:
                await writer.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not is_locked(error):
                    raise
                if attempt == 2:
                    raise DatabaseBusy(str(error)) from error

    async def write(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """`work(conn)` as one write transaction, like a `transaction()` block, in one
        trip to a thread, not one per statement (prize/store/direct.py): for the writes
        made under load, a juror's autosave. `work` may await only `conn`'s calls.
        Another process's write is waited for as long as `transaction()` waits, then
        `DatabaseBusy`."""
        if self._direct is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            result = await self._direct.write(work, wait_s=self._write_wait_s,
                                              busy=DatabaseBusy)
            self.commits += 1
        return result

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """`work(db)` where `db` has this Database's `fetch_*` reads, answered at once
        (prize/store/direct.py): a small group of reads a request needs together, each
        a few rows by an index. `work` may await only `db`'s reads."""
        if self._direct is None:
            raise RuntimeError("database is not open")
        return await self._direct.read(work)

    async def execute_write(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        """A single write statement in its own transaction; returns lastrowid."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def migrate(self) -> list[str]:
        """Apply the numbered migrations not applied yet, each in its own transaction."""
        assert self._writer is not None
        await self._writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version TEXT PRIMARY KEY,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
        )
        async with self._writer.execute("SELECT version FROM schema_migrations") as cursor:
            done = {row[0] for row in await cursor.fetchall()}
        applied = []
        for name, sql in migration_scripts():
            if name in done:
                continue
            rebuilds = sql.startswith(REBUILDS_TABLES)
            async with self._write_lock:
                if rebuilds:
                    # SQLite's table rebuild (https://sqlite.org/lang_altertable.html#otheralter):
                    # the pragma is a no-op inside a transaction, so it is set around it.
                    await self._writer.execute("PRAGMA foreign_keys = OFF")
                try:
                    # executescript would commit on its own; statements run one by one
                    # instead so that a failing migration leaves nothing half-applied.
                    await self._begin(self._writer)
                    try:
                        for statement in split_sql(sql):
                            await self._writer.execute(statement)
                        if rebuilds:
                            await _check_foreign_keys(self._writer, name)
                        await self._writer.execute(
                            "INSERT INTO schema_migrations (version) VALUES (?)", (name,)
                        )
                    except BaseException:
                        await self._writer.execute("ROLLBACK")
                        raise
                    await self._writer.execute("COMMIT")
                finally:
                    if rebuilds:
                        await self._writer.execute("PRAGMA foreign_keys = ON")
                self.commits += 1
            applied.append(name)
        return applied

    async def scrub_files(self) -> bool:
        """Rewrite the database file (VACUUM) and empty the write-ahead log, so that no
        byte of deleted data stays in either (after an erasure). Takes the write lock;
        False when a reader of another process kept the log from being emptied."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            await self._writer.execute("VACUUM")
            async with self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy, _log, _done = await cursor.fetchone()
            self.commits += 1
        return not busy

    async def backup(self, target: Path) -> None:
        """A consistent copy of the live database through SQLite's online backup."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as copy:
            await self.reader.backup(copy)


async def _check_foreign_keys(conn: aiosqlite.Connection, name: str) -> None:
    """Raise when a table rebuild left a row pointing nowhere (checked before COMMIT)."""
    async with conn.execute("PRAGMA foreign_key_check") as cursor:
        broken = await cursor.fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise sqlite3.IntegrityError(
            f"migration {name} breaks foreign keys in {', '.join(tables)}")


def migration_scripts() -> list[tuple[str, str]]:
    folder = resources.files("prize.store") / "migrations"
    scripts = [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if MIGRATION_NAME.match(entry.name)
    ]
    return sorted(scripts)


def split_sql(script: str) -> Iterable[str]:
    """Split a migration into statements; triggers keep their inner semicolons."""
    statement: list[str] = []
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        statement.append(line)
        candidate = "\n".join(statement)
        if stripped.endswith(";") and sqlite3.complete_statement(candidate):
            yield candidate
            statement = []
    if statement:
        yield "\n".join(statement)
