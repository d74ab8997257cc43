"""PRIZE_DB as a PostgreSQL URL (issue 18): what the settings make of it, the translation
of store SQL, and, on a real server (PRIZE_TEST_DB), the single writer, the shared secret
and `prize backup`'s answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.settings import load_settings
from prize.store.db import Database, describe
from prize.store.postgres import PostgresDatabase, translate
from tests import pg

needs_postgresql = pytest.mark.skipif(
    not pg.ENABLED, reason="needs PRIZE_TEST_DB=postgresql://prize:prize@127.0.0.1:5432/postgres")


def test_placeholders_are_numbered_outside_literals_only():
    text, _ = translate("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = 'it''s ?' AND c = ?")
    assert text == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = 'it''s ?' AND c = $2"


def test_named_parameters_are_numbered_by_first_use_and_casts_kept():
    text, order = translate("SELECT :b::text, :a, :b", ())
    assert (text, order) == ("SELECT $1::text, $2, $1", ("b", "a"))


def test_sqlite_spellings_become_postgresqls():
    assert translate("SELECT 1 FROM u ORDER BY u.name COLLATE NOCASE, id")[0] == (
        "SELECT 1 FROM u ORDER BY lower(u.name), id")
    assert translate("SELECT IFNULL(a, 0) FROM t WHERE b LIKE ?")[0] == (
        "SELECT COALESCE(a, 0) FROM t WHERE b ILIKE $1")
    assert translate("INSERT OR IGNORE INTO t (a) VALUES (?)")[0] == (
        "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING")


def test_a_postgresql_url_is_that_engine_and_a_path_or_sqlite_url_is_a_file(tmp_path):
    assert describe("postgres://u@h/db") == ("postgresql", "postgres://u@h/db")
    assert describe("sqlite:////srv/prize.db") == ("sqlite", Path("/srv/prize.db"))
    assert describe(tmp_path / "x.db") == ("sqlite", tmp_path / "x.db")
    assert isinstance(Database("postgresql://u:p@h/db"), PostgresDatabase)
    assert isinstance(Database(tmp_path / "x.db"), Database)


def test_settings_of_a_postgresql_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({"PRIZE_DB": "postgresql://prize:s3cret@db.example:5432/prize",
                              "PRIZE_SECRET_KEY": "k" * 40})
    assert settings.db_path is None
    assert settings.database == "postgresql://prize:s3cret@db.example:5432/prize"
    # Messages never show the password.
    assert settings.db_label == "postgresql://prize@db.example:5432/prize"
    assert settings.upload_dir == tmp_path / "prize-uploads"


def test_sqlite_url_is_the_file(tmp_path):
    settings = load_settings({"PRIZE_DB": f"sqlite:///{tmp_path}/p.db", "PRIZE_SECRET_KEY": "k"})
    assert settings.db_path == tmp_path / "p.db"
    assert settings.db_url is None


@needs_postgresql
def test_every_worker_signs_with_the_secret_kept_in_the_database(tmp_path):
    url = pg.database_for(tmp_path)
    first = load_settings({"PRIZE_DB": url}).secret_key
    assert len(first) > 40
    assert load_settings({"PRIZE_DB": url}).secret_key == first


@needs_postgresql
async def test_writes_of_two_processes_run_one_after_the_other(tmp_path):
    """Read-then-write in a transaction, from two Database objects (two workers) at once:
    no increment is lost, as with SQLite's single writer."""
    url = pg.database_for(tmp_path)
    async with Database(url) as one, Database(url) as two:
        async def bump(db) -> None:
            async with db.transaction() as conn:
                cursor = await conn.execute(
                    "SELECT version FROM catalogue_version WHERE id = ?", (1,))
                (version,) = await cursor.fetchone()
                await asyncio.sleep(0.001)
                await conn.execute("UPDATE catalogue_version SET version = ? WHERE id = 1",
                                   (version + 1,))

        before = await one.public_version()
        await asyncio.gather(*(bump(db) for db in (one, two) * 10))
        assert await two.public_version() == before + 20


@needs_postgresql
def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    url = pg.database_for(tmp_path)
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "copy.db")],
                                env={"PRIZE_DB": url, "PRIZE_SECRET_KEY": "k"})
    assert result.exit_code != 0
    assert "pg_dump" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "copy.db").exists()


async def _in_transaction(db: Database) -> bool:
    async with db.pool.acquire() as conn:
        return conn.is_in_transaction()


@needs_postgresql
async def test_a_failed_or_cancelled_write_leaves_nothing_and_a_clean_connection(tmp_path):
    """The transaction is ended by hand (BEGIN and the lock in one trip): a body that raises
    or is cancelled is rolled back, and the pool's one connection is handed on outside any
    transaction, so the next write works and commits; asyncpg's pool never has to roll
    one back itself (it would log "Resetting connection with an active transaction")."""
    reported: list[str] = []
    asyncio.get_running_loop().set_exception_handler(
        lambda _loop, context: reported.append(context["message"]))
    db = PostgresDatabase(pg.database_for(tmp_path), pool_size=1)
    async with db:
        before = await db.public_version()
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("UPDATE catalogue_version SET version = version + 1")
                raise RuntimeError("the page failed")
        assert not await _in_transaction(db)

        started = asyncio.Event()

        async def slow_write() -> None:
            async with db.transaction() as conn:
                await conn.execute("UPDATE catalogue_version SET version = version + 1")
                started.set()
                await asyncio.sleep(30)

        task = asyncio.create_task(slow_write())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not await _in_transaction(db)
        assert await db.fetch_value("SELECT version FROM catalogue_version") == before

        async with db.transaction() as conn:
            await conn.execute("UPDATE catalogue_version SET version = version + 1")
        assert await db.fetch_value("SELECT version FROM catalogue_version") == before + 1
    assert reported == []


@needs_postgresql
async def test_executemany_writes_every_row_or_none(tmp_path):
    """One pipelined batch, one call to the server: every row lands; a row breaking a constraint is the same
    IntegrityError as on SQLite and takes the whole batch back with its transaction."""
    import sqlite3

    async with Database(pg.database_for(tmp_path)) as db:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE batch_rows (key TEXT PRIMARY KEY, n INTEGER)")
            calls = conn.raw._protocol.queries_count
            await conn.executemany("INSERT INTO batch_rows (key, n) VALUES (?, ?)",
                                   [(f"k{n}", n) for n in range(50)])
            # One call to the server for the 50 rows (the writer holds the lock meanwhile).
            assert conn.raw._protocol.queries_count - calls == 1
            await conn.executemany("INSERT INTO batch_rows (key, n) VALUES (?, ?)", [])
        assert await db.fetch_value("SELECT SUM(n) FROM batch_rows") == sum(range(50))
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.executemany("INSERT INTO batch_rows (key, n) VALUES (:key, :n)",
                                       [{"key": "new", "n": 1}, {"key": "k3", "n": 2}])
        assert await db.fetch_value("SELECT COUNT(*) FROM batch_rows") == 50
