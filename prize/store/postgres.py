"""The PostgreSQL engine: the same API as the SQLite `Database`, over an asyncpg pool.

Store modules write SQLite-style SQL (`?` placeholders); each text is translated once
(`translate`, cached) into PostgreSQL's: `$n` placeholders, and the few SQLite spellings
store code still uses (`COLLATE NOCASE` in ORDER BY, `LIKE`'s case-insensitivity,
`INSERT OR IGNORE`, `IFNULL`), rewritten outside string literals only. An INSERT into a
table keyed by an identity gets `RETURNING id`, so `cursor.lastrowid` means what it does
on SQLite.

Single writer, as on SQLite: each `transaction()` first takes one advisory lock held to
its end (`pg_advisory_xact_lock`), so every write of every worker and every CLI command
runs one after the other, and the read-then-write checks of the store (two-tab versions,
the blind rule, the outbox claim) hold as they do on SQLite. Reads go through the pool
outside transactions and see every committed write.

asyncpg is strict about Python types (an int for an integer, a str for text); SQLite is
not, and store code passes what it has. The codecs set on each connection send integers,
booleans and text as text, which PostgreSQL parses by the column's type: '5' for an
integer and 5 for text both work as they do on SQLite. numeric results (SUM, AVG of
integers) come back as int or float, as SQLite gives them, never Decimal.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import asyncpg

from prize.store import commit_stamp, dialect
from prize.store.commit_stamp import CommitStamp

T = TypeVar("T")

# The one advisory lock every write transaction takes (any fixed number; "prize" in ASCII).
WRITE_LOCK_KEY = 0x7072697A65
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
PUBLIC_VERSION_SQL = "SELECT version FROM catalogue_version WHERE id = 1"
POOL_SIZE = 10

_NOCASE = re.compile(r"([A-Za-z_][\w.]*)\s+COLLATE\s+NOCASE", re.IGNORECASE)
_LIKE = re.compile(r"\bLIKE\b", re.IGNORECASE)
_IFNULL = re.compile(r"\bIFNULL\s*\(", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+([A-Za-z_]\w*)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|EXPLAIN)\b", re.IGNORECASE)


def _rewrite(code: str) -> str:
    """SQLite spellings in SQL outside literals, as PostgreSQL writes them."""
    code = _NOCASE.sub(r"lower(\1)", code)
    code = _LIKE.sub("ILIKE", code)
    return _IFNULL.sub("COALESCE(", code)


@lru_cache(maxsize=4096)
def translate(sql: str, names: tuple[str, ...] | None = None) -> tuple[str, tuple[str, ...]]:
    """(PostgreSQL's text, the parameter names in order for a dict of parameters).

    `?` becomes `$1`, `$2`...; `:name` (with a dict) becomes the number of that name.
    String literals, quoted names, comments and `::` casts are left as they are."""
    out: list[str] = []
    code: list[str] = []
    order: list[str] = []
    count = 0
    i, n = 0, len(sql)

    def flush() -> None:
        if code:
            out.append(_rewrite("".join(code)))
            code.clear()

    while i < n:
        ch = sql[i]
        if ch in "'\"":
            flush()
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif ch == "-" and sql.startswith("--", i):
            flush()
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif ch == "?":
            count += 1
            code.append(f"${count}")
            i += 1
        elif ch == ":" and sql.startswith("::", i):
            code.append("::")
            i += 2
        elif (ch == ":" and names is not None and i + 1 < n
              and (sql[i + 1].isalpha() or sql[i + 1] == "_")):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            name = sql[i + 1:j]
            if name not in order:
                order.append(name)
            code.append(f"${order.index(name) + 1}")
            i = j
        else:
            code.append(ch)
            i += 1
    flush()
    text = "".join(out)
    if _OR_IGNORE.match(text):
        text = re.sub(r"\bOR\s+IGNORE\s+", "", text, count=1, flags=re.IGNORECASE)
        text = _before_returning(text, " ON CONFLICT DO NOTHING")
    return text, tuple(order)


def _before_returning(text: str, clause: str) -> str:
    found = _RETURNING.search(text)
    if found is None:
        return text.rstrip().rstrip(";") + clause
    return text[:found.start()].rstrip() + clause + " " + text[found.start():]


def _int_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return str(int(value))


def _numeric(text: str) -> int | float:
    if text.lstrip("-").isdigit():
        return int(text)
    return float(text)


def _bool_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "t" if value else "f"


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("int2", "int4", "int8"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=_int_text, decoder=int,
                                  format="text")
    for name in ("text", "varchar", "bpchar"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=str, decoder=str,
                                  format="text")
    await conn.set_type_codec("numeric", schema="pg_catalog", encoder=str, decoder=_numeric,
                              format="text")
    await conn.set_type_codec("bool", schema="pg_catalog", encoder=_bool_text,
                              decoder=lambda text: text == "t", format="text")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to undo when a connection goes back to the pool: no session state is set
    (locks are the transaction's), and asyncpg's reset would cost a round trip per read."""


class Cursor:
    """What a statement left: its rows, `rowcount` and `lastrowid`, like sqlite3's."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> asyncpg.Record | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[asyncpg.Record]:
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def __aiter__(self) -> AsyncIterator[asyncpg.Record]:
        async def rows() -> AsyncIterator[asyncpg.Record]:
            while (row := await self.fetchone()) is not None:
                yield row
        return rows()

    async def close(self) -> None:
        return None


class _Pending:
    """`await conn.execute(...)` and `async with conn.execute(...) as cursor` both work."""

    def __init__(self, run: Any) -> None:
        self._run = run
        self._cursor: Cursor | None = None

    def __await__(self):  # noqa: ANN204
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        return None


class Connection:
    """One pooled connection inside a transaction, with aiosqlite's calls."""

    def __init__(self, db: PostgresDatabase, conn: asyncpg.Connection) -> None:
        self._db = db
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> _Pending:
        return _Pending(self._db._run(self.raw, sql, params))

    async def executemany(self, sql: str, seq: Any) -> Cursor:
        """Every row in one pipelined batch (asyncpg's `executemany`: one round trip for
        the lot, not one per row, which a writer holding the lock would wait for).
        Like sqlite3's, it returns no rows; unlike it, no row count either (-1)."""
        return await self._db._run_many(self.raw, sql, seq)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] | dict = ()) -> list:
        cursor = await self._db._run(self.raw, sql, params)
        return await cursor.fetchall()


class PostgresDatabase:
    """Owns the pool; `transaction()` is the only way to write."""

    engine = dialect.POSTGRESQL

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE,
                 busy_timeout_ms: int | None = None) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.path = None
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._identity_tables: frozenset[str] = frozenset()
        self.commits = 0
        # Whether anyone committed, looked at once per request (prize/store/commit_stamp.py).
        self.commit_stamp = CommitStamp(self)

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(
            self.url, min_size=1, max_size=self.pool_size, init=_init_connection,
            reset=_keep_session, statement_cache_size=512)
        await self._load_identity_tables()

    async def _load_identity_tables(self) -> None:
        rows = await self.pool.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND column_name = 'id' AND is_identity = 'YES'")
        self._identity_tables = frozenset(row[0] for row in rows)

    async def close(self) -> None:
        self.commit_stamp.close()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def __aenter__(self) -> PostgresDatabase:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    def _prepare(self, sql: str, params: Sequence[Any] | dict) -> tuple[str, list[Any], bool]:
        if isinstance(params, dict):
            text, order = translate(sql, ())
            args = [params[name] for name in order]
        else:
            text, _ = translate(sql)
            args = list(params)
        # PostgreSQL's text cannot hold U+0000 (SQLite's can): a NUL typed into a form or
        # a URL would be a 500 there. It becomes U+FFFD, the replacement character: a
        # lookup finds nothing, as no stored key holds a NUL, and a saved text keeps a
        # mark where the character was.
        args = [arg.replace("\x00", "\ufffd") if isinstance(arg, str) and "\x00" in arg
                else arg for arg in args]
        returning_id = False
        insert = _INSERT_INTO.match(text)
        if insert and insert.group(1) in self._identity_tables and not _RETURNING.search(text):
            text = text.rstrip().rstrip(";") + " RETURNING id"
            returning_id = True
        return text, args, returning_id

    async def _run(self, conn: asyncpg.Connection, sql: str,
                   params: Sequence[Any] | dict) -> Cursor:
        try:
            return await self._run_once(conn, sql, params)
        except (asyncpg.IntegrityConstraintViolationError, asyncpg.RaiseError) as error:
            # The same exception on both engines: a broken constraint or a trigger's refusal
            # (the append-only audit log) is sqlite3's IntegrityError for callers.
            raise sqlite3.IntegrityError(str(error)) from error

    async def _run_many(self, conn: asyncpg.Connection, sql: str, seq: Any) -> Cursor:
        batch = [self._prepare(sql, params)[:2] for params in seq]
        if batch:
            # Without the RETURNING id _prepare adds to an identity table's INSERT: the
            # batch's rows are discarded, as sqlite3's executemany has no lastrowid.
            text = batch[0][0]
            if not _RETURNING.search(sql):
                text = text.removesuffix(" RETURNING id")
            try:
                await conn.executemany(text, [args for _text, args in batch])
            except (asyncpg.IntegrityConstraintViolationError, asyncpg.RaiseError) as error:
                raise sqlite3.IntegrityError(str(error)) from error
        return Cursor([], -1, None)

    async def _run_once(self, conn: asyncpg.Connection, sql: str,
                        params: Sequence[Any] | dict) -> Cursor:
        text, args, returning_id = self._prepare(sql, params)
        if returning_id or _RETURNING.search(text) or _RETURNS_ROWS.match(text):
            rows = await conn.fetch(text, *args)
            lastrowid = rows[-1][0] if returning_id and rows else None
            if returning_id:
                rows = []
            return Cursor(rows, len(rows) if not returning_id else (1 if lastrowid else 0),
                          lastrowid)
        status = await conn.execute(text, *args)
        last = status.rsplit(" ", 1)[-1]
        return Cursor([], int(last) if last.isdigit() else -1, None)

    async def fetch_all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[asyncpg.Record]:
        text, args, _ = self._prepare(sql, params)
        return await self.pool.fetch(text, *args)

    async def fetch_one(self, sql: str, params: Sequence[Any] | dict = ()) -> asyncpg.Record | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def ping(self) -> None:
        await self.fetch_value("SELECT 1")

    async def public_version(self) -> int:
        """The version of the public data, as of every commit made before this request
        (read with the request's look at the commit stamp, prize/store/commit_stamp.py;
        again only after this process committed)."""
        return await self.commit_stamp.public_version()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One write transaction, after every other one (the advisory lock).

        BEGIN, the lock's timeout and the lock go in one round trip (a simple query of
        three statements) rather than asyncpg's `transaction()`, which sends BEGIN on
        its own; COMMIT or ROLLBACK end it here, before the connection goes back to the
        pool (whose reset, `_keep_session`, sends nothing)."""
        from prize.store.db import BUSY_TIMEOUT_MS, DatabaseBusy

        wait_ms = 2 * int(self.busy_timeout_ms or BUSY_TIMEOUT_MS)
        async with self.pool.acquire() as conn:
            try:
                # Waited for as long as SQLite waits for another process's write (twice
                # busy_timeout_ms); then `DatabaseBusy`, which pages answer with 503.
                await conn.execute(f"BEGIN; SET LOCAL lock_timeout = {wait_ms};"
                                   f" SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            except asyncpg.LockNotAvailableError as error:
                await self._end(conn, "ROLLBACK")
                raise DatabaseBusy(f"database is locked: {error}") from error
            except BaseException:
                await self._end(conn, "ROLLBACK")
                raise
            try:
                yield Connection(self, conn)
            except BaseException:
                await self._end(conn, "ROLLBACK")
                raise
            await self._end(conn, "COMMIT")
        self.commits += 1

    @staticmethod
    async def _end(conn: asyncpg.Connection, command: str) -> None:
        """COMMIT or ROLLBACK; a connection that cannot say it (gone, or the caller
        cancelled) is closed, never handed back to the pool inside a transaction. A
        ROLLBACK that fails after an error gives way to that error (the connection is
        closed all the same); a cancellation is never swallowed."""
        try:
            await conn.execute(command)
        except Exception:
            conn.terminate()
            if command == "COMMIT":
                raise
        except BaseException:
            conn.terminate()
            raise
        else:
            if conn.is_in_transaction():  # not expected: COMMIT and ROLLBACK both end it
                conn.terminate()

    async def write(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """`work(conn)` as one write transaction (SQLite's `Database.write`, which runs it
        without a trip through the event loop per statement; here asyncpg's calls are
        already one round trip each)."""
        async with self.transaction() as conn:
            return await work(conn)

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """`work(db)` with this database's `fetch_*` reads (SQLite's `Database.read`)."""
        return await work(self)

    async def execute_write(self, sql: str, params: Sequence[Any] | dict = ()) -> int:
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def migrate(self) -> list[str]:
        """Apply the migrations not applied yet, each in its own transaction (the whole
        file at once: PostgreSQL runs a script of several statements in one call)."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version TEXT PRIMARY KEY,"
                f" applied_at TEXT NOT NULL DEFAULT ({dialect.now_text(self.engine)}))")
        done = {row[0] for row in await self.pool.fetch("SELECT version FROM schema_migrations")}
        applied = []
        for name, sql in migration_scripts():
            if name in done:
                continue
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
                # Another process may have applied it while this one waited for the lock.
                if await conn.fetchval("SELECT 1 FROM schema_migrations WHERE version = $1", name):
                    continue
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", name)
            self.commits += 1
            applied.append(name)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
            await commit_stamp.install(conn)
        await self._load_identity_tables()
        # Types made by migrations (none yet) would need the pool's codecs again.
        return applied

    async def scrub_files(self) -> bool:
        """No file to rewrite: PostgreSQL's deleted rows go when VACUUM reclaims them,
        which autovacuum does; a plain VACUUM now makes it sooner."""
        async with self.pool.acquire() as conn:
            await conn.execute("VACUUM")
        self.commits += 1
        return True

    async def backup(self, target: Any) -> None:
        raise NotImplementedError(backup_hint(self.url))


def backup_hint(url: str) -> str:
    return ("a PostgreSQL database is backed up with pg_dump:"
            f" pg_dump --format=custom --file=FILE '{url}'")


def migration_scripts() -> list[tuple[str, str]]:
    """The shared migrations, translated, with PostgreSQL's own file where there is one."""
    base = resources.files("prize.store") / "migrations"
    own = {entry.name: entry.read_text(encoding="utf-8")
           for entry in (base / "postgresql").iterdir() if MIGRATION_NAME.match(entry.name)}
    scripts = {}
    for entry in base.iterdir():
        if MIGRATION_NAME.match(entry.name):
            scripts[entry.name] = own.get(entry.name) or dialect.postgresql_ddl(
                entry.read_text(encoding="utf-8"))
    for name, text in own.items():
        scripts.setdefault(name, text)
    return sorted(scripts.items())


SECRET_TABLE_SQL = ("CREATE TABLE IF NOT EXISTS prize_secret ("
                    " id INTEGER PRIMARY KEY CHECK (id = 1), secret_key TEXT NOT NULL)")


async def shared_secret(url: str, candidate: str) -> str:
    """The secret every worker and machine of this database signs with: `candidate` if
    none is kept yet (the first start), else the one kept."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
            await conn.execute(SECRET_TABLE_SQL)
            await conn.execute("INSERT INTO prize_secret (id, secret_key) VALUES (1, $1)"
                               " ON CONFLICT (id) DO NOTHING", candidate)
            return await conn.fetchval("SELECT secret_key FROM prize_secret WHERE id = 1")
    finally:
        await conn.close()
