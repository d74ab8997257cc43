"""Several processes on one database: one writer at a time (SQLite's own lock on the
file; on PostgreSQL the advisory lock every write transaction takes), and a write that
waited too long answers 503 with Retry-After, never "database is locked", and loses
nothing that was typed. Each test runs on both engines."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html import unescape

import asyncpg
import pytest

from prize.store import db as db_module
from prize.store import entries
from prize.store.db import Database, DatabaseBusy
from prize.store.postgres import WRITE_LOCK_KEY
from prize.web.app import create_app
from tests import factories, pg

JSON = {"Accept": "application/json"}
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
async def app(settings, clock, monkeypatch):
    # A short wait for another process's write, so the tests run in a moment.
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@contextmanager
def another_process_writing(settings) -> Iterator[None]:
    """Another connection (as another worker would) holds the write lock meanwhile."""
    if pg.ENABLED:
        with _another_postgresql_writer(settings.database):
            yield
        return
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def _another_postgresql_writer(url: str) -> Iterator[None]:
    """A connection of its own, in a thread with its own event loop (the test's loop is
    blocked in the request meanwhile), in a transaction holding the write lock."""
    holding, release = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    async def hold() -> None:
        conn = await asyncpg.connect(url)
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
                holding.set()
                await asyncio.to_thread(release.wait)
        finally:
            await conn.close()

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as error:  # noqa: BLE001 (reported to the test below)
            failed.append(error)
            holding.set()

    thread = threading.Thread(target=run)
    thread.start()
    holding.wait(10)
    try:
        assert not failed, failed
        yield
    finally:
        release.set()
        thread.join(10)


async def _new_tally(database) -> None:
    # On PostgreSQL the test's database is reused by the next test (emptied, not dropped).
    await database.execute_write("DROP TABLE IF EXISTS tally")
    await database.execute_write("CREATE TABLE tally (n INTEGER NOT NULL)")


@pytest.fixture
async def draft(db, applicant_client) -> int:
    edition = await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    response = await applicant_client.submit(
        "/my/entries", {"edition_id": str(edition.id)}, token_from="/my")
    assert response.status_code == 303
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def test_an_autosave_while_another_process_writes_is_a_503_in_json_then_saves(
        applicant_client, db, settings, draft):
    token = await applicant_client.csrf_token(f"/my/entries/{draft}/edit")
    version = str((await entries.get(db, draft)).version)
    typed = {"goals": "Fewer teens drink", "action": "save", "version": version,
             "csrf_token": token}
    with another_process_writing(settings):
        busy = await applicant_client.post(f"/my/entries/{draft}/edit", data=typed,
                                           headers=JSON)
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "5"
    assert "busy" in busy.json()["error"] and "locked" not in busy.text
    # The script saves again once the other write is over: nothing was lost meanwhile.
    saved = await applicant_client.post(f"/my/entries/{draft}/edit", data=typed, headers=JSON)
    assert saved.status_code == 200
    assert (await entries.get(db, draft)).application.goals == "Fewer teens drink"


async def test_a_form_posted_while_another_process_writes_shows_the_text_and_sends_it_again(
        applicant_client, db, settings, draft):
    token = await applicant_client.csrf_token(f"/my/entries/{draft}/edit")
    version = str((await entries.get(db, draft)).version)
    with another_process_writing(settings):
        busy = await applicant_client.post(f"/my/entries/{draft}/edit", data={
            "goals": "Fewer teens drink, <more> sport", "action": "save",
            "version": version, "csrf_token": token})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "<h1>Not saved yet: the site is busy</h1>" in busy.text
    assert "Fewer teens drink, &lt;more&gt; sport" in busy.text
    assert "locked" not in busy.text
    # The page's button sends exactly what was typed again, and then it is saved.
    fields = [(name, unescape(value)) for name, value in HIDDEN.findall(busy.text)]
    assert ("goals", "Fewer teens drink, <more> sport") in fields
    again = await applicant_client.post(f"/my/entries/{draft}/edit", data=dict(fields))
    assert again.status_code in (200, 303)
    assert (await entries.get(db, draft)).application.goals == "Fewer teens drink, <more> sport"


async def test_a_sign_in_while_another_process_writes_never_echoes_the_password(
        client, db, settings):
    await factories.user(db, email="busy@example.org", role="applicant")
    token = await client.csrf_token("/login")
    with another_process_writing(settings):
        busy = await client.post("/login", data={
            "email": "busy@example.org", "password": factories.PASSWORD, "csrf_token": token})
    assert busy.status_code in (303, 503)  # signing in may need no write at all
    assert factories.PASSWORD not in busy.text


async def test_two_databases_on_one_file_write_one_after_the_other(settings, monkeypatch):
    # Given two processes' Database objects, the first in the middle of a transaction
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 2000)
    async with Database(settings.database) as first, Database(settings.database) as second:
        await _new_tally(first)
        order = []
        entered = asyncio.Event()
        release = asyncio.Event()

        async def first_writes() -> None:
            async with first.transaction() as conn:
                entered.set()
                await release.wait()
                await conn.execute("INSERT INTO tally (n) VALUES (1)")
                order.append("first")

        async def second_writes() -> None:
            await entered.wait()
            async with second.transaction() as conn:
                order.append("second")
                await conn.execute("UPDATE tally SET n = n + 1")

        # When the second writes meanwhile, it waits for the first to commit ...
        writers = asyncio.gather(first_writes(), second_writes())
        await entered.wait()
        await asyncio.sleep(0.3)
        assert order == []
        release.set()
        await writers
        # ... and then writes after it, on the first's committed row
        assert order == ["first", "second"]
        assert await first.fetch_value("SELECT n FROM tally") == 2


async def test_a_write_waits_twice_the_busy_timeout_then_raises_database_busy(settings,
                                                                              monkeypatch):
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)
    async with Database(settings.database) as database:
        with another_process_writing(settings):
            started = asyncio.get_running_loop().time()
            with pytest.raises(DatabaseBusy):
                async with database.transaction():
                    pass
            waited = asyncio.get_running_loop().time() - started
        assert waited >= 0.2
        # The lock is free again: the next write goes through.
        await _new_tally(database)
        assert await database.fetch_value("SELECT COUNT(*) FROM tally") == 0
