"""The two ends of a copy, one class per engine: what tables they hold, their rows, and
the one write transaction that fills a destination.

Each side reads its own engine's catalogue (SQLite's pragmas, PostgreSQL's
information_schema), so the plan is made from the schemas as migrated. Full-text index
tables (SQLite's FTS5 table and its shadow tables, PostgreSQL's table of tsvectors) are
each engine's own machinery, kept by triggers from the practices: they are neither
copied nor compared.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiosqlite

from prize.store.db import Database
from prize.store.db_copy.checksum import canonical
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
            self._reader = await aiosqlite.connect(
                f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
            # One read transaction for the whole command: the rows copied and those
            # compared are one snapshot, even if a site still writes to the file.
            await self._reader.execute("BEGIN")
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
            batch = [tuple(_for_sqlite(value) for value in row)
                     for row in rows[start:start + BATCH]]
            await self.conn.executemany(sql, batch)

    async def finish(self) -> None:
        """Nothing to do: AUTOINCREMENT's sqlite_sequence follows the ids inserted."""


def _for_sqlite(value: Any) -> Any:
    """What sqlite3 cannot bind, as the store writes it: a number for a Decimal (a
    PostgreSQL NUMERIC), ISO text in UTC for a time."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date)):
        return canonical(value)
    return value


def database_errors() -> tuple[type[BaseException], ...]:
    """What a driver raises when a statement fails or the connection is lost; a value
    that cannot be made to a column's type raises ValueError or TypeError."""
    errors: list[type[BaseException]] = [sqlite3.Error, OSError, ValueError, TypeError]
    try:
        import asyncpg
    except ImportError:  # an installation without PostgreSQL support
        return tuple(errors)
    return (*errors, asyncpg.PostgresError, asyncpg.InterfaceError)


def side_for(location: Location) -> Side:
    if location.engine == "sqlite":
        return SqliteSide(location)
    return PostgresSide(location)


#: Values as SQLite hands them over, made into what asyncpg's binary COPY wants for the
#: destination column's type (SQLite's column affinity allows, say, 3 in a REAL column).
def _to_integer(value: Any) -> int:
    return int(value)


def _to_float(value: Any) -> float:
    return float(value)


def _to_decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _to_text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_bytes(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _to_moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


_COERCE: dict[str, Callable[[Any], Any]] = {
    "smallint": _to_integer, "integer": _to_integer, "bigint": _to_integer,
    "real": _to_float, "double precision": _to_float, "numeric": _to_decimal,
    "text": _to_text, "character varying": _to_text, "character": _to_text,
    "json": _to_text, "jsonb": _to_text, "boolean": bool, "bytea": _to_bytes,
    "timestamp with time zone": _to_moment, "timestamp without time zone": _to_moment,
}
#: The engine's full-text machinery, kept by its triggers: tables with such a column are
#: neither copied nor compared.
FULL_TEXT_TYPES = frozenset({"tsvector"})


class PostgresSide:
    """A PostgreSQL database, through one asyncpg connection of its own. The destination
    is migrated by the store's engine (the same migrations `prize migrate` applies) and
    filled with binary COPY in one transaction."""

    def __init__(self, location: Location) -> None:
        self.location = location
        self._conn: Any = None
        self._types: dict[str, dict[str, str]] = {}

    async def open(self, *, for_writing: bool) -> None:
        import asyncpg

        label = self.location.label
        try:
            self._conn = await asyncpg.connect(self.location.target, timeout=10)
        except asyncpg.InvalidCatalogNameError:
            raise LocationError(f"{label}: no such database on that server") from None
        except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError):
            raise LocationError(f"cannot sign in to {label}: wrong role or password") from None
        except (OSError, TimeoutError) as error:
            reason = getattr(error, "strerror", None) or error.__class__.__name__
            raise LocationError(f"cannot reach the PostgreSQL server of {label}: {reason}"
                                ) from None
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise LocationError(f"cannot use {label}: {error}") from None
        if not for_writing:
            # One snapshot for the whole command, as on SQLite.
            await self._conn.execute(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
        self._conn = None

    async def migrate(self) -> None:
        from prize.store.db import open_database

        database = open_database(self.location.target)
        async with database:
            await database.migrate()

    async def shapes(self) -> dict[str, TableShape]:
        conn = self._conn
        tables = [row[0] for row in await conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name")]
        columns: dict[str, list[str]] = {name: [] for name in tables}
        identity: dict[str, str] = {}
        self._types = {name: {} for name in tables}
        described = await conn.fetch(
            "SELECT table_name, column_name, data_type, is_generated, is_identity"
            " FROM information_schema.columns WHERE table_schema = current_schema()"
            " ORDER BY table_name, ordinal_position")
        # A table of tsvectors (practices_search) is PostgreSQL's full-text index, as
        # FTS5's tables are SQLite's: left out like them.
        full_text = {row[0] for row in described if row[2] in FULL_TEXT_TYPES}
        tables = [name for name in tables if name not in full_text]
        for row in described:
            name, column, data_type, generated, is_identity = row
            if name not in columns or generated == "ALWAYS" or name in full_text:
                continue
            columns[name].append(column)
            self._types[name][column] = data_type
            if is_identity == "YES":
                identity[name] = column
        keys: dict[str, list[str]] = {name: [] for name in tables}
        for name, column in await conn.fetch(
                "SELECT c.relname, a.attname FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)"
                " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                " WHERE i.indisprimary AND n.nspname = current_schema()"
                " ORDER BY c.relname, k.position"):
            if name in keys:
                keys[name].append(column)
        parents: dict[str, set[str]] = {name: set() for name in tables}
        for child, parent in await conn.fetch(
                "SELECT c.relname, p.relname FROM pg_constraint k"
                " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE k.contype = 'f' AND n.nspname = current_schema()"):
            if child in parents:
                parents[child].add(parent)
        return {
            name: TableShape(name, tuple(columns[name]), tuple(keys[name]),
                             frozenset(parents[name]), identity.get(name))
            for name in tables
        }

    async def migrations(self) -> set[str]:
        if await self._conn.fetchval("SELECT to_regclass($1)", MIGRATIONS_TABLE) is None:
            return set()
        return {row[0] for row in await self._conn.fetch(
            f"SELECT version FROM {MIGRATIONS_TABLE}")}

    async def count(self, table: str) -> int:
        return await self._conn.fetchval(f"SELECT count(*) FROM {quoted(table)}")

    async def rows(self, table: str, columns: Sequence[str]) -> list[Sequence[Any]]:
        return [tuple(row) for row in await self._conn.fetch(select_sql(table, columns))]

    @asynccontextmanager
    async def copying(self, shapes: dict[str, TableShape]) -> AsyncIterator[Writer]:
        """One transaction, holding the store's write lock (the advisory lock every
        writer of prize takes), so no worker writes meanwhile. The triggers stay on, as on
        SQLite: the destination's own triggers build its full-text index and facets from
        the copied practices (a source on SQLite has no tsvector to copy), the audit log's
        refuse only UPDATE and DELETE, and `session_replication_role`, which would switch
        them off, needs a superuser that a managed PostgreSQL does not give."""
        async with self._conn.transaction():
            lock = _write_lock_key()
            if lock is not None:
                await self._conn.execute("SELECT pg_advisory_xact_lock($1)", lock)
            yield _PostgresWriter(self._conn, self._types)


def _write_lock_key() -> int | None:
    try:
        from prize.store import postgres
    except ImportError:
        return None
    return getattr(postgres, "WRITE_LOCK_KEY", None)


class _PostgresWriter:
    def __init__(self, conn: Any, types: dict[str, dict[str, str]]) -> None:
        self.conn = conn
        self.types = types
        self.identities: list[tuple[str, str]] = []

    async def clear(self, table: str) -> None:
        await self.conn.execute(f"DELETE FROM {quoted(table)}")

    async def insert(self, shape: TableShape, columns: Sequence[str],
                     rows: Sequence[Sequence[Any]]) -> None:
        if shape.identity:
            self.identities.append((shape.name, shape.identity))
        if not rows:
            return
        coerce = [_COERCE.get(self.types[shape.name].get(column, ""), _same)
                  for column in columns]
        records = [tuple(None if value is None else change(value)
                         for change, value in zip(coerce, row, strict=True))
                   for row in rows]
        await self.conn.copy_records_to_table(shape.name, records=records, columns=columns)

    async def finish(self) -> None:
        """Each identity sequence set past the highest id copied, so the next row the
        site adds gets a new id and not a copied one's."""
        for table, column in self.identities:
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence($1, $2),"
                f" coalesce((SELECT max({quoted(column)}) FROM {quoted(table)}), 0) + 1, false)",
                quoted(table), column)


def _same(value: Any) -> Any:
    return value
