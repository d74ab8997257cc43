"""The two ends of a copy, one class per engine: what tables they hold, their rows, and
the one write transaction that fills a destination.

Each side reads its own engine's catalogue (SQLite's pragmas, PostgreSQL's
information_schema), so the plan is made from the schemas as migrated. Full-text index
tables (SQLite's FTS5 table and its shadow tables) are the engine's own machinery, kept
by triggers: they are neither copied nor compared.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiosqlite

from prize.store.db import Database
from prize.store.db_copy.plan import MIGRATIONS_TABLE, TableShape

#: Rows sent to the destination per statement batch.
BATCH = 500


class LocationError(Exception):
    """SRC or DEST cannot be used (said in one sentence)."""


@dataclass(frozen=True, slots=True)
class Location:
    engine: str  # "sqlite" or "postgresql"
    target: str  # the file's absolute path, or the URL
    label: str  # as the person wrote it, without a password

    @property
    def path(self) -> Path:
        return Path(self.target)


def parse_location(text: str) -> Location:
    """A path, `sqlite:///path` (`sqlite:////abs/path` for an absolute one) or a
    `postgresql://` (or `postgres://`) URL."""
    text = text.strip()
    if not text:
        raise LocationError("an empty database location")
    scheme, sep, rest = text.partition("://")
    if not sep:
        return Location("sqlite", str(Path(text).expanduser().resolve()), text)
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise LocationError(f"{text}: write sqlite:///path/to/prize.db")
        path = Path(rest[1:]).expanduser().resolve()
        return Location("sqlite", str(path), text)
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(text)
        if not parts.path.strip("/"):
            raise LocationError(f"{_without_password(text)}: the URL names no database")
        return Location("postgresql", text, _without_password(text))
    raise LocationError(
        f"{_without_password(text)}: unknown scheme {scheme}:// "
        "(use a file path, sqlite:///path or postgresql://user:password@host:port/db)")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def same_place(a: Location, b: Location) -> bool:
    if a.engine != b.engine:
        return False
    if a.engine == "sqlite":
        return a.target == b.target
    pa, pb = urlsplit(a.target), urlsplit(b.target)
    return ((pa.hostname or "localhost", pa.port or 5432, pa.path.strip("/"))
            == (pb.hostname or "localhost", pb.port or 5432, pb.path.strip("/")))


class Writer(Protocol):
    async def clear(self, table: str) -> None: ...
    async def insert(self, shape: TableShape, columns: Sequence[str],
                     rows: Sequence[Sequence[Any]]) -> None: ...
    async def finish(self) -> None: ...


class Side(Protocol):
    location: Location

    async def open(self, *, for_writing: bool) -> None: ...
    async def close(self) -> None: ...
    async def migrate(self) -> None: ...
    async def shapes(self) -> dict[str, TableShape]: ...
    async def migrations(self) -> set[str]: ...
    async def count(self, table: str) -> int: ...
    async def rows(self, table: str, columns: Sequence[str]) -> list[Sequence[Any]]: ...
    def copying(self, shapes: dict[str, TableShape]) -> Any: ...


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def select_sql(table: str, columns: Sequence[str]) -> str:
    return f"SELECT {', '.join(quoted(c) for c in columns)} FROM {quoted(table)}"


class SqliteSide:
    """An SQLite file. A source is opened read-only (nothing of it changes); a
    destination through the store's Database, whose transaction() is its one writer."""

    def __init__(self, location: Location) -> None:
        self.location = location
        self._db: Database | None = None
        self._reader: aiosqlite.Connection | None = None

    async def open(self, *, for_writing: bool) -> None:
        path = self.location.path
        if for_writing:
            if path.is_dir():
                raise LocationError(f"{self.location.label} is a folder, not a database file")
            self._db = Database(path)
            try:
                await self._db.open()
                self._reader = self._db.reader
                await self._db.ping()
            except sqlite3.DatabaseError as error:
                await self.close()
                raise LocationError(f"cannot use {self.location.label}: {error}") from None
            return
        if not path.is_file():
            raise LocationError(f"{self.location.label}: no such database file")
        try:
            self._reader = await aiosqlite.connect(f"{path.as_uri()}?mode=ro", uri=True)
            await self._reader.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.DatabaseError as error:
            await self.close()
            raise LocationError(f"cannot read {self.location.label}: {error}") from None

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
        elif self._reader is not None:
            await self._reader.close()
        self._db = self._reader = None

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        assert self._reader is not None
        return [tuple(row) for row in await self._reader.execute_fetchall(sql, params)]

    async def migrate(self) -> None:
        assert self._db is not None
        await self._db.migrate()

    async def shapes(self) -> dict[str, TableShape]:
        # PRAGMA table_list tells FTS5's virtual and shadow tables from real ones.
        listed = await self._all("PRAGMA main.table_list")
        names = sorted(name for _schema, name, kind, *_ in listed
                       if kind == "table" and not name.startswith("sqlite_"))
        shapes = {}
        for name in names:
            info = await self._all(f"PRAGMA main.table_xinfo({quoted(name)})")
            # hidden 2 and 3 are generated columns: the engine computes them.
            columns = tuple(row[1] for row in info if row[6] == 0)
            key = tuple(row[1] for row in sorted(info, key=lambda r: r[5]) if row[5] > 0)
            foreign = await self._all(f"PRAGMA main.foreign_key_list({quoted(name)})")
            shapes[name] = TableShape(name, columns, key, frozenset(row[2] for row in foreign))
        return shapes

    async def migrations(self) -> set[str]:
        tables = await self._all(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,))
        if not tables:
            return set()
        return {row[0] for row in await self._all(f"SELECT version FROM {MIGRATIONS_TABLE}")}

    async def count(self, table: str) -> int:
        return (await self._all(f"SELECT count(*) FROM {quoted(table)}"))[0][0]

    async def rows(self, table: str, columns: Sequence[str]) -> list[Sequence[Any]]:
        return await self._all(select_sql(table, columns))

    @asynccontextmanager
    async def copying(self, shapes: dict[str, TableShape]) -> AsyncIterator[Writer]:
        """One transaction (BEGIN IMMEDIATE): every table or none. The triggers stay on:
        SQLite cannot switch them off for one transaction, and none of them refuses an
        INSERT (the audit log's refuse UPDATE and DELETE); those that derive rows are
        dealt with by the plan (prize.store.db_copy.plan)."""
        assert self._db is not None
        async with self._db.transaction() as conn:
            yield _SqliteWriter(conn)


class _SqliteWriter:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def clear(self, table: str) -> None:
        await self.conn.execute(f"DELETE FROM {quoted(table)}")

    async def insert(self, shape: TableShape, columns: Sequence[str],
                     rows: Sequence[Sequence[Any]]) -> None:
        sql = (f"INSERT INTO {quoted(shape.name)} ({', '.join(quoted(c) for c in columns)})"
               f" VALUES ({', '.join('?' for _ in columns)})")
        for start in range(0, len(rows), BATCH):
            await self.conn.executemany(sql, rows[start:start + BATCH])

    async def finish(self) -> None:
        """Nothing to do: AUTOINCREMENT's sqlite_sequence follows the ids inserted."""


def side_for(location: Location) -> Side:
    if location.engine == "sqlite":
        return SqliteSide(location)
    from prize.store.db_copy.postgres_side import PostgresSide

    return PostgresSide(location)
