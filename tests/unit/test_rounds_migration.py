"""Migration 0100 rebuilds assignments, score sheets and criteria with their round: every
row is kept as round 1, with its id, indexes and triggers; a database whose rows point
nowhere is refused whole (Database.migrate checks the foreign keys before COMMIT)."""

from __future__ import annotations

import sqlite3

import pytest

from prize.store import db as db_module
from prize.store.db import Database

STAMP = "2026-06-01T00:00:00Z"


def _before_rounds(monkeypatch) -> None:
    every = db_module.migration_scripts()
    monkeypatch.setattr(db_module, "migration_scripts",
                        lambda: [(name, sql) for name, sql in every if name < "0100"])


async def _seed(database: Database) -> None:
    async with database.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (id, email, password_hash, role, created_at)"
            " VALUES (1, 'j@example.org', 'x', 'juror', ?)", (STAMP,))
        await conn.execute(
            "INSERT INTO editions (id, year, title, status, created_at, updated_at)"
            " VALUES (1, 2026, 'E', 'judging', ?, ?)", (STAMP, STAMP))
        await conn.execute(
            "INSERT INTO criteria (id, edition_id, key, position, title, weight)"
            " VALUES (7, 1, 'youth', 0, 'Youth', 3)")
        await conn.execute(
            "INSERT INTO entries (id, edition_id, owner_id, status, created_at, updated_at)"
            " VALUES (5, 1, 1, 'eligible', ?, ?)", (STAMP, STAMP))
        await conn.execute(
            "INSERT INTO assignments (entry_id, juror_id, edition_id, created_at)"
            " VALUES (5, 1, 1, ?)", (STAMP,))
        await conn.execute(
            "INSERT INTO score_sheets (id, entry_id, juror_id, status, created_at, updated_at,"
            " harm_reported, harm_note) VALUES (42, 5, 1, 'submitted', ?, ?, 1, 'a note')",
            (STAMP, STAMP))
        await conn.execute(
            "INSERT INTO scores (sheet_id, criterion_key, score) VALUES (42, 'youth', 4)")
        await conn.execute(
            "INSERT INTO sheet_reinstatements (sheet_id, reason, reinstated_at)"
            " VALUES (42, 'why', ?)", (STAMP,))


async def test_existing_rows_become_round_1_with_their_ids_and_links(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    _before_rounds(monkeypatch)
    async with Database(path) as database:
        await database.migrate()
        await _seed(database)
    monkeypatch.undo()
    async with Database(path) as database:
        assert "0100_rounds.sql" in await database.migrate()
        sheet = await database.fetch_one("SELECT * FROM score_sheets WHERE id = 42")
        assert (sheet["round"], sheet["harm_note"], sheet["status"]) == (1, "a note", "submitted")
        assert await database.fetch_value("SELECT round FROM assignments") == 1
        assert await database.fetch_value("SELECT round FROM criteria WHERE id = 7") == 1
        assert await database.fetch_value("SELECT score FROM scores WHERE sheet_id = 42") == 4
        assert await database.fetch_value("SELECT COUNT(*) FROM sheet_reinstatements") == 1
        assert (await database.fetch_one("SELECT rounds, current_round FROM editions"))[:] == (
            1, 1)
        assert await database.fetch_all("PRAGMA foreign_key_check") == []
        assert await database.fetch_value("PRAGMA foreign_keys") == 1
        names = {row[0] for row in await database.fetch_all(
            "SELECT name FROM sqlite_master WHERE tbl_name IN"
            " ('criteria', 'assignments', 'score_sheets')")}
        assert {"assignments_juror", "public_criterion_insert", "public_criterion_update",
                "public_criterion_delete"} <= names
        # A juror now has a sheet per round on the same entry, never two in one round.
        async with database.transaction() as conn:
            await conn.execute(
                "INSERT INTO score_sheets (entry_id, juror_id, round, created_at, updated_at)"
                " VALUES (5, 1, 2, ?, ?)", (STAMP, STAMP))
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as conn:
                await conn.execute(
                    "INSERT INTO score_sheets (entry_id, juror_id, round, created_at,"
                    " updated_at) VALUES (5, 1, 2, ?, ?)", (STAMP, STAMP))
        # Deleting a sheet still takes its scores with it (the cascade survived the rebuild).
        async with database.transaction() as conn:
            await conn.execute("DELETE FROM score_sheets WHERE id = 42")
        assert await database.fetch_value("SELECT COUNT(*) FROM scores") == 0


async def test_a_rebuild_that_would_leave_broken_links_is_rolled_back(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    _before_rounds(monkeypatch)
    async with Database(path) as database:
        await database.migrate()
        await _seed(database)
    monkeypatch.undo()
    # A score pointing at no sheet, written behind the foreign keys' back.
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO scores (sheet_id, criterion_key, score) VALUES (99, 'x', 1)")
    async with Database(path) as database:
        with pytest.raises(sqlite3.IntegrityError, match="0100_rounds.sql"):
            await database.migrate()
        assert await database.fetch_value(
            "SELECT COUNT(*) FROM schema_migrations WHERE version = '0100_rounds.sql'") == 0
        columns = {row[1] for row in await database.fetch_all("PRAGMA table_info(score_sheets)")}
        assert "round" not in columns
        assert await database.fetch_value("PRAGMA foreign_keys") == 1
