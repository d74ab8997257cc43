"""A write transaction made in one trip to a thread (`Database.write`, the juror's
autosave): one transaction, nothing half-done, one writer at a time across processes, and
the next read of any connection sees it."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime

import pytest

from prize.store import db as db_module
from prize.store import scoring as sheets
from prize.store.db import Database, DatabaseBusy
from prize.store.direct import NotInline
from prize.store.memo import DataMemo
from prize.web.app import create_app
from tests import factories, pg
from tests.http.test_scoring import sheet_path

# The one-trip writer is SQLite's (plain sqlite3 connections to the file); on PostgreSQL
# `Database.write` is a `transaction()` block, which the HTTP tests cover.
pytestmark = pytest.mark.skipif(pg.ENABLED, reason="SQLite's one-trip writer")


async def _tally(conn, *values: int) -> None:
    for value in values:
        await conn.execute("INSERT INTO tally (n) VALUES (?)", (value,))


@pytest.fixture
async def database(settings, monkeypatch):
    # Waits of a second at most (twice the busy timeout), so the tests run in a moment.
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 500)
    async with Database(settings.db_path) as opened:
        await opened.execute_write("CREATE TABLE tally (n INTEGER NOT NULL UNIQUE)")
        yield opened


async def test_a_write_commits_all_its_statements_and_returns_what_the_work_returned(database):
    async def work(conn) -> int:
        await _tally(conn, 1, 2)
        cursor = await conn.execute("SELECT COUNT(*) FROM tally")
        return (await cursor.fetchone())[0]

    assert await database.write(work) == 2
    assert await database.fetch_value("SELECT SUM(n) FROM tally") == 3


async def test_a_write_that_fails_halfway_leaves_nothing(database):
    async def work(conn) -> None:
        await _tally(conn, 1, 1)  # the second breaks the UNIQUE rule

    with pytest.raises(sqlite3.IntegrityError):
        await database.write(work)
    assert await database.fetch_value("SELECT COUNT(*) FROM tally") == 0
    # The writer is free again afterwards.
    await database.write(lambda conn: _tally(conn, 7))
    assert await database.fetch_value("SELECT n FROM tally") == 7


async def test_work_that_waits_for_something_else_is_refused_and_commits_nothing(database):
    async def work(conn) -> None:
        await _tally(conn, 1)
        await asyncio.sleep(0)

    with pytest.raises(NotInline):
        await database.write(work)
    assert await database.fetch_value("SELECT COUNT(*) FROM tally") == 0


async def test_a_group_of_reads_sees_every_commit_made_before_it(database):
    await database.write(lambda conn: _tally(conn, 4))

    async def reads(db) -> tuple:
        return await db.fetch_value("SELECT n FROM tally"), await db.fetch_all(
            "SELECT n FROM tally WHERE n > ?", (10,))

    assert await database.read(reads) == (4, [])


async def test_a_write_is_seen_by_the_next_look_up_in_this_process_and_in_another(
        database, settings):
    async with Database(settings.db_path) as other_process:
        here = DataMemo(settings.db_path, commits=lambda: database.commits)
        there = DataMemo(settings.db_path, commits=lambda: other_process.commits)
        here.open()
        there.open()
        try:
            count = "SELECT COUNT(*) FROM tally"
            assert await here.get("n", lambda: database.fetch_value(count)) == 0
            assert await there.get("n", lambda: other_process.fetch_value(count)) == 0
            await database.write(lambda conn: _tally(conn, 1))
            there.begin_request()
            assert await here.get("n", lambda: database.fetch_value(count)) == 1
            assert await there.get("n", lambda: other_process.fetch_value(count)) == 1
        finally:
            here.close()
            there.close()


async def test_a_write_begins_a_moment_after_another_process_commits(database, settings):
    # Given another process in the middle of a write for a quarter of a second
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO tally (n) VALUES (1)")
    committed_at: list[float] = []

    def commit() -> None:
        other.execute("COMMIT")
        committed_at.append(time.monotonic())

    asyncio.get_running_loop().call_later(0.25, commit)

    async def work(conn) -> float:
        await _tally(conn, 2)
        return time.monotonic()

    # When this process writes meanwhile, it waits for the other's commit ...
    try:
        began = await database.write(work)
    finally:
        other.close()
    # ... and begins within moments of it, not at SQLite's next step of sleep (which at
    # a quarter of a second are 100 ms apart), on top of the other's row.
    assert 0 <= began - committed_at[0] < 0.03
    assert await database.fetch_value("SELECT SUM(n) FROM tally") == 3


async def test_a_write_waits_twice_the_busy_timeout_then_raises_database_busy(database,
                                                                              settings):
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy):
            await database.write(lambda conn: _tally(conn, 1))
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert 1 <= waited < 2
    await database.write(lambda conn: _tally(conn, 1))
    assert await database.fetch_value("SELECT COUNT(*) FROM tally") == 1


async def test_a_cancelled_write_holds_the_lock_until_its_thread_is_done(database, settings):
    # Given a write waiting in its thread for another process's lock
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    waiting = asyncio.ensure_future(database.write(lambda conn: _tally(conn, 1)))
    await asyncio.sleep(0.05)
    # When the request that made it goes away
    waiting.cancel()
    await asyncio.sleep(0.05)
    # Then no other write of this process begins beside it: the lock is still held
    later = asyncio.ensure_future(database.write(lambda conn: _tally(conn, 2)))
    await asyncio.sleep(0.05)
    assert not later.done()
    other.execute("ROLLBACK")
    other.close()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await later
    assert sorted(row[0] for row in await database.fetch_all("SELECT n FROM tally")) == [1, 2]


@pytest.fixture
async def judging(db):
    """A judging edition, one eligible entry and the juror j1@example.org assigned to it."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    juror = await factories.juror(db, edition_id=edition.id, email="j1@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    return edition, entry, [juror], None


@pytest.fixture
async def app(settings, clock, monkeypatch):
    # A short wait for another process's write (the site's busy answer in a moment).
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


async def test_a_juror_autosave_while_another_process_writes_too_long_is_a_503_then_saves(
        client, db, settings, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    token = await client.csrf_token(sheet_path(entry))
    typed = {"csrf_token": token, "version": "0", "overall_comment": "Typed while busy"}
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        busy = await client.post(sheet_path(entry), data=typed,
                                 headers={"Accept": "application/json"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "busy" in busy.json()["error"] and "locked" not in busy.text
    # The script sends it again once the other write is over: nothing was lost.
    saved = await client.post(sheet_path(entry), data=typed,
                              headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.overall_comment == "Typed while busy"
