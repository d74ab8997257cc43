"""A whole write transaction, or a group of reads, without a trip through the event loop
for each statement (SQLite).

Each aiosqlite call is a round trip: the statement goes to the connection's thread and
its answer comes back through the event loop, which first runs everything else that is
ready. Under load that is a whole loop iteration of other requests per trip: with wrk's
16 connections on /practices, a juror's autosave made about fifteen trips and waited
some 3 ms for each (issue 18, docs/performance.md). Here the same store code (the async
functions that take a connection or a Database) runs on plain sqlite3 connections whose
calls answer at once: its coroutine never has to wait, so it is driven to its end in
one go, on the loop's own thread, or in one trip to a thread when it must wait
(`DirectConnections`).

What runs so may await only the database calls of the object it is given. Any other
wait (a lock, a sleep, another connection) raises `NotInline` instead, before anything
is committed, so a test finds it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Awaitable, Callable, Coroutine, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
#: How long the writer sleeps between two tries for the write lock, at first and at most
#: (seconds): SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … 100 ms, so a
#: write that found another process's write (a transaction of a millisecond) waited far
#: longer than that write lasted.
FIRST_PAUSE, LONGEST_PAUSE = 0.0002, 0.002


class NotInline(RuntimeError):
    """Work given to `DirectConnections` awaited something other than its database calls."""


def run_inline(coroutine: Coroutine[Any, Any, T]) -> T:
    """Drive to its end a coroutine whose awaits all complete at once."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise NotInline("work run in the database's thread waited for something else")


class InlineCursor:
    """What store code reads of an aiosqlite cursor, answered at once."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> sqlite3.Row | None:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[sqlite3.Row]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()


class _Executed:
    """`conn.execute(...)`, awaited or used as `async with`, like aiosqlite's."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = InlineCursor(cursor)

    def __await__(self) -> Generator[Any, None, InlineCursor]:
        return self._cursor
        yield  # a generator that ends at once: awaiting it never waits

    async def __aenter__(self) -> InlineCursor:
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        await self._cursor.close()


class InlineConnection:
    """The writer's calls that store code makes inside `Database.transaction()`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> _Executed:
        return _Executed(self._conn.execute(sql, params))

    async def executemany(self, sql: str, rows: Any) -> InlineCursor:
        return InlineCursor(self._conn.executemany(sql, rows))

    async def execute_fetchall(self, sql: str, params: Sequence[Any] | dict = ()
                               ) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()


class InlineReads:
    """The Database's reads (`fetch_all`, `fetch_one`, `fetch_value`), answered at once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def fetch_all(self, sql: str, params: Sequence[Any] | dict = ()
                        ) -> list[sqlite3.Row]:
        # Read to the end at once: no statement keeps a snapshot open (see Database).
        return self._conn.execute(sql, params).fetchall()

    async def fetch_one(self, sql: str, params: Sequence[Any] | dict = ()
                        ) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


def begin_immediate(conn: sqlite3.Connection, wait_s: float, busy: type[Exception]) -> None:
    """BEGIN IMMEDIATE on a connection without busy timeout, trying again every moment
    (FIRST_PAUSE, doubling up to LONGEST_PAUSE) while another process writes, for up to
    `wait_s`; then `busy`. A moment after the other write commits, this one begins,
    instead of at SQLite's next step of sleep."""
    deadline = time.monotonic() + wait_s
    pause = FIRST_PAUSE
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            if time.monotonic() >= deadline:
                raise busy(str(error)) from error
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class DirectConnections:
    """Plain sqlite3 connections for `Database.write` and `Database.read`.

    A write or a group of reads runs first on the event loop's own thread: the
    statements of an autosave or of a page's access check take well under a
    millisecond, less than one trip through the loop costs under load. Only when it
    would have to wait does it go to a thread: a write while another process holds the
    write lock (it waits there, `begin_immediate`), a read that SQLite finds busy for a
    moment. Nothing on the loop's thread ever waits: those connections have no busy
    timeout, and the writer checkpoints (copies the log into the file, which syncs the
    disk) only in the thread: every CHECKPOINT_EVERY-th write goes there to do it.

    The writer is used only under the Database's write lock, so that this process still
    sends SQLite one write at a time. `setup` is each connection's PRAGMAs (the
    Database's, so that every connection to the file behaves alike)."""

    #: Commits of the writer between two checkpoints (each writes a few pages of the log;
    #: SQLite's own default is a checkpoint once the log holds 1000 pages).
    CHECKPOINT_EVERY = 100

    def __init__(self, path: Path, setup: Sequence[str]) -> None:
        here = [*setup, "PRAGMA busy_timeout = 0"]
        self._conns: list[sqlite3.Connection] = []
        try:
            self._writer = self._open(path, [*here, "PRAGMA wal_autocheckpoint = 0"])
            self._reader_here = self._open(path, here)
            self._reader_there = self._open(path, setup)
        except BaseException:
            self.close()
            raise
        self._write_thread = ThreadPoolExecutor(1, thread_name_prefix="prize-writes")
        self._read_thread = ThreadPoolExecutor(1, thread_name_prefix="prize-reads")
        self._commits = 0
        #: Writes that had to wait in the thread, and reads sent there (the tests count).
        self.waited = self.reads_sent_away = 0

    def _open(self, path: Path, setup: Sequence[str]) -> sqlite3.Connection:
        # Used by the loop's thread or by its own one, never by two at once: check off.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conns.append(conn)
        conn.row_factory = sqlite3.Row
        for statement in setup:
            conn.execute(statement)
        return conn

    def close(self) -> None:
        for thread in (getattr(self, "_write_thread", None), getattr(self, "_read_thread", None)):
            if thread is not None:
                thread.shutdown(wait=True)
        for conn in self._conns:
            conn.close()

    async def write(self, work: Callable[[InlineConnection], Awaitable[T]], *,
                    wait_s: float, busy: type[Exception]) -> T:
        """`work(conn)` in one transaction: committed at its end, rolled back if it raises."""
        checkpoint = (self._commits + 1) % self.CHECKPOINT_EVERY == 0
        if not checkpoint:
            try:
                self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                # Another process writes: wait for it in the thread, never on the loop.
                self.waited += 1
            else:
                result = self._finish(work)
                self._commits += 1
                return result
        loop = asyncio.get_running_loop()
        result = await _to_its_end(loop.run_in_executor(
            self._write_thread, self._transaction, work, wait_s, busy, checkpoint))
        self._commits += 1
        return result

    def _transaction(self, work: Callable[[InlineConnection], Awaitable[T]], wait_s: float,
                     busy: type[Exception], checkpoint: bool) -> T:
        begin_immediate(self._writer, wait_s, busy)
        result = self._finish(work)
        if checkpoint:
            # As SQLite's own checkpoint after a commit, by the writer while it holds the
            # Database's write lock (so the log is copied whole and starts again), but in
            # this thread. PASSIVE: never waits for a reader; what a reader still needed
            # is copied next time.
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        return result

    def _finish(self, work: Callable[[InlineConnection], Awaitable[T]]) -> T:
        """The work and COMMIT of a begun transaction; ROLLBACK if the work raises."""
        try:
            result = run_inline(work(InlineConnection(self._writer)))
        except BaseException:
            self._writer.execute("ROLLBACK")
            raise
        self._writer.execute("COMMIT")
        return result

    async def read(self, work: Callable[[InlineReads], Awaitable[T]]) -> T:
        """`work(db)`, whose reads are answered at once (in the read thread if SQLite is
        busy for a moment: reads only, so they are simply made again there)."""
        try:
            return run_inline(work(InlineReads(self._reader_here)))
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
        self.reads_sent_away += 1
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._read_thread, lambda: run_inline(work(InlineReads(self._reader_there))))


async def _to_its_end(future: asyncio.Future[T]) -> T:
    """The future's result; if the caller is cancelled meanwhile, still waits for the
    thread to finish first (the caller holds the write lock: no other write may begin
    while this one runs), then lets the cancellation through."""
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(future)
            break
        except asyncio.CancelledError:
            if future.done():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result
