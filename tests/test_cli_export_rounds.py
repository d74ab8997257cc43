"""`prize export --round`: the ranking of a round, and the scores' round column, through
click's runner against a temporary database holding a two-round edition."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.store import jury
from prize.store.db import Database
from tests import factories
from tests.http.test_rounds import NOW, YEAR, submit, two_rounds


@pytest.fixture
def prize_db(tmp_path, monkeypatch):
    """A one-round edition (2025, nothing scored) and a two-round one in its final round:
    entries 1 and 2 shortlisted, every final sheet submitted, entry 2 first in it."""
    path = tmp_path / "prize.db"
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))

    async def seed() -> list[str]:
        async with Database(path) as db:
            await db.migrate()
            await factories.edition(db, year=2025, status="deliberation")
            edition, made, jurors = await two_rounds(db)
            async with db.transaction() as conn:
                for entry, status in zip(made, ("shortlisted", "shortlisted", "not_selected",
                                                "not_selected"), strict=True):
                    await conn.execute("UPDATE entries SET status = ? WHERE id = ?",
                                       (status, entry.id))
                await conn.execute("UPDATE editions SET current_round = 2 WHERE id = ?",
                                   (edition.id,))
                await jury.assign_final_round(conn, edition.id, NOW)
            for pair in await jury.assignment_of(db, edition.id, 2):
                await submit(db, pair.entry_id, pair.juror_id,
                             5 if pair.entry_id == made[1].id else 2, round_number=2)
            return [entry.reference for entry in made]

    references = asyncio.run(seed())
    return path, references


def run(*args: str):
    return CliRunner().invoke(main, ["export", *args])


def rows_of(result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_the_ranking_is_the_last_round_s_by_default(prize_db):
    _, references = prize_db
    rows = rows_of(run(str(YEAR), "--what", "ranking"))
    assert rows[0] == ["rank", "reference", "title", "country", "sheets", "mean", "normalised",
                       "spread", "discuss"]
    assert [row[1] for row in rows[1:]] == [references[1], references[0]]
    assert rows == rows_of(run(str(YEAR), "--what", "ranking", "--round", "2"))


def test_round_1_ranks_every_judged_entry_on_round_1_sheets(prize_db):
    _, references = prize_db
    rows = rows_of(run(str(YEAR), "--what", "ranking", "--round", "1"))
    assert [row[1] for row in rows[1:]] == references


def test_the_scores_say_each_sheet_s_round_in_the_last_column(prize_db):
    rows = rows_of(run(str(YEAR), "--what", "scores"))
    assert rows[0][-1] == "round"
    assert {row[-1] for row in rows[1:]} == {"1", "2"}


@pytest.mark.parametrize("args, message", [
    ((str(YEAR), "--what", "ranking", "--round", "3"), "rounds 1 and 2"),
    ((str(YEAR), "--what", "ranking", "--round", "final"), "rounds 1 and 2"),
    (("2025", "--what", "ranking", "--round", "2"), "one round (1)"),
    ((str(YEAR), "--what", "scores", "--round", "1"), "--round applies to --what ranking"),
])
def test_a_round_outside_the_edition_is_one_line_and_a_non_zero_status(prize_db, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_the_one_round_edition_s_ranking_is_unchanged_by_round_1(prize_db):
    assert rows_of(run("2025", "--what", "ranking")) == rows_of(
        run("2025", "--what", "ranking", "--round", "1"))


def test_existing_rows_are_round_1_after_the_migration(prize_db):
    path, _ = prize_db
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT DISTINCT round FROM criteria").fetchall() == [(1,)]
