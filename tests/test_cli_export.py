"""`prize export` through click's runner against a temporary database."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from prize.cli import main
from prize.store.db import Database
from tests.http.test_deliberation import scored_edition


@pytest.fixture
def prize_db(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))

    async def seed() -> None:
        async with Database(path) as db:
            await db.migrate()
            await scored_edition(db)

    asyncio.run(seed())
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["export", *args])


def test_ranking_csv_goes_to_standard_output_with_the_contract_header(prize_db):
    result = run("2025", "--what", "ranking", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "rank,reference,title,country,sheets,mean,normalised,spread,discuss"
    assert len(lines) == 4 and lines[1].startswith("1,EDPP-2025-0001,")
    assert lines[1].split(",")[5] == "93.33"


def test_scores_csv_has_one_line_per_sheet_and_criterion(prize_db):
    result = run("2025", "--what", "scores")
    lines = result.stdout.splitlines()
    assert lines[0] == "reference,juror,criterion,score,weight,status,round"
    assert len(lines) == 1 + 3 * 3 * 8
    assert lines[1].endswith(",3,submitted,1")


def test_xlsx_needs_a_file_and_opens_with_openpyxl(prize_db, tmp_path):
    refused = run("2025", "--what", "entries", "--format", "xlsx")
    assert refused.exit_code != 0 and "--out" in refused.output
    out = tmp_path / "entries.xlsx"
    result = run("2025", "--what", "entries", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "reference" and len(rows) == 4
    assert all("+353" not in str(value) for row in rows for value in row)


@pytest.mark.parametrize("args, message", [
    (("2031", "--what", "ranking"), "there is no edition 2031"),
    (("soon", "--what", "ranking"), "is not a year"),
    (("2025", "--what", "prizes"), "--what must be one of"),
    (("2025", "--what", "ranking", "--format", "pdf"), "--format must be one of"),
])
def test_bad_input_is_one_line_and_a_non_zero_status(prize_db, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
