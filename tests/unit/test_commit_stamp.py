"""PostgreSQL's commit stamp (prize/store/commit_stamp.py), on a real server: it changes
with every writing transaction of any connection (and with nothing else), a read of it
is shared only by callers that arrived before it was sent, and a table made after the
triggers were put in place gets its trigger at the next migrate."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from prize.store.db import Database
from tests import pg

pytestmark = pytest.mark.skipif(
    not pg.ENABLED, reason="needs PRIZE_TEST_DB=postgresql://prize:prize@127.0.0.1:5432/postgres")


async def stamp_of(db) -> int:
    await db.commit_stamp.look()
    return db.commit_stamp.last


async def test_the_stamp_changes_with_each_commit_of_any_connection_and_only_then(tmp_path):
    url = pg.database_for(tmp_path)
    async with Database(url) as db:
        first = await stamp_of(db)
        # Reads, and a transaction that writes nothing, leave it as it is
        await db.fetch_all("SELECT * FROM users")
        async with db.transaction():
            pass
        assert await stamp_of(db) == first
        # A commit of another connection (psql, another worker), several statements
        other = await asyncpg.connect(url)
        try:
            async with other.transaction():
                await other.execute("UPDATE catalogue_version SET version = version")
                await other.execute("DELETE FROM login_attempts")
            second = await stamp_of(db)
            assert second != first
            # A rolled-back write is no commit
            with pytest.raises(RuntimeError):
                async with other.transaction():
                    await other.execute("UPDATE catalogue_version SET version = version")
                    raise RuntimeError
            assert await stamp_of(db) == second
            # An emptied table counts as a write too
            await other.execute("TRUNCATE login_attempts")
            assert await stamp_of(db) not in (first, second)
        finally:
            await other.close()


async def test_a_caller_never_shares_a_read_sent_before_it_arrived(tmp_path, monkeypatch):
    url = pg.database_for(tmp_path)
    async with Database(url) as db, Database(url) as other:
        before = await stamp_of(db)
        sent = db.commit_stamp.looks
        # Ten callers at once: one read for all of them
        await asyncio.gather(*(db.commit_stamp.look() for _ in range(10)))
        assert db.commit_stamp.looks == sent + 1
        # A read held on its way back (it was answered before the commit below)
        gate, answered = asyncio.Event(), asyncio.Event()
        original = asyncpg.Pool.fetchrow

        async def held(pool, sql, *args, **kwargs):
            row = await original(pool, sql, *args, **kwargs)
            if pool is db.pool and not gate.is_set():
                answered.set()
                await gate.wait()
            return row

        monkeypatch.setattr(asyncpg.Pool, "fetchrow", held)
        early = asyncio.create_task(db.commit_stamp.look())
        await asyncio.wait_for(answered.wait(), 10)
        async with other.transaction() as conn:
            await conn.execute("DELETE FROM login_attempts")
        # A caller arriving now waits for a read of its own, which sees the commit
        late = asyncio.create_task(db.commit_stamp.look())
        await asyncio.sleep(0.05)
        assert not late.done()
        gate.set()
        await early
        await late
        assert db.commit_stamp.last != before


async def test_a_table_made_later_gets_the_trigger_at_the_next_migrate(tmp_path):
    url = pg.database_for(tmp_path)
    async with Database(url) as db:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE later_things (id INTEGER PRIMARY KEY)")
        await db.migrate()
        first = await stamp_of(db)
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO later_things (id) VALUES (1)")
        assert await stamp_of(db) != first
        async with db.transaction() as conn:
            await conn.execute("DROP TABLE later_things")
