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
