"""The database: one SQLite file in WAL mode, one writer, concurrent readers.

Connections are opened once at start-up and reused: opening one per request cut
throughput to a third in a measurement. Writes go through a single connection
behind a lock, so SQLite never sees two writers and every multi-statement change
is one transaction. Reads use a second connection: in WAL mode it sees every
committed write and is never blocked by the writer.

`generation` counts committed writes, so caches of what pages show can tell cheaply
whether anything may have changed: this process's writes bump it at once (they all go
through `transaction()`), and `current_generation()` also bumps it when SQLite's
`PRAGMA data_version` says another process (`prize demo`, a CLI command) committed,
looking at most every `data_version_interval` seconds.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

# How stale a cache may be after another process wrote, at most (seconds).
DATA_VERSION_INTERVAL = 0.5
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


async def _connect(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    # NORMAL in WAL mode keeps every committed transaction across a process crash;
    # only a power loss may drop the last ones.
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA busy_timeout = 5000")
    return conn


class Database:
    """Owns the connections; `transaction()` is the only way to write."""

    def __init__(self, path: Path, *, data_version_interval: float = DATA_VERSION_INTERVAL,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        # Bumped by every committed write; see the module's docstring.
        self.generation = 0
        self.data_version_interval = data_version_interval
        self.monotonic = monotonic
        self._data_version: int | None = None
        self._data_version_checked = float("-inf")

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await _connect(self.path)
        self._reader = await _connect(self.path)

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None
        # data_version is per connection: start afresh with the next ones.
        self._data_version = None
        self._data_version_checked = float("-inf")

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

    async def current_generation(self) -> int:
        """`generation`, first bumped if another process committed since the last look.

        SQLite is asked (one round trip to the reader's thread) at most once per
        `data_version_interval`; in between this costs no I/O at all, so another
        process's write shows within that interval.
        """
        now = self.monotonic()
        if now - self._data_version_checked < self.data_version_interval or self._reader is None:
            return self.generation
        # Set before awaiting: concurrent requests meanwhile use the generation as it is.
        self._data_version_checked = now
        value = await self.fetch_value("PRAGMA data_version")
        # Also changes after this process's own commits (the writer is another
        # connection): one needless bump per write, never a missed one. The first look
        # bumps too, for what was computed before there was anything to compare with.
        if value != self._data_version:
            self.generation += 1
        self._data_version = value
        return self.generation

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed when the block ends, rolled back on error."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            else:
                await self._writer.execute("COMMIT")
                self.generation += 1

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
            async with self._write_lock:
                # executescript would commit on its own; statements run one by one instead
                # so that a failing migration leaves nothing half-applied.
                await self._writer.execute("BEGIN IMMEDIATE")
                try:
                    for statement in split_sql(sql):
                        await self._writer.execute(statement)
                    await self._writer.execute(
                        "INSERT INTO schema_migrations (version) VALUES (?)", (name,)
                    )
                except BaseException:
                    await self._writer.execute("ROLLBACK")
                    raise
                await self._writer.execute("COMMIT")
                self.generation += 1
            applied.append(name)
        return applied

    async def backup(self, target: Path) -> None:
        """A consistent copy of the live database through SQLite's online backup."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as copy:
            await self.reader.backup(copy)


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
