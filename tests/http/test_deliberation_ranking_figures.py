"""The deliberation page's two rankings: their order and every figure, against an edition
worked by hand (the one of tests/unit/test_normalised_totals_of_three_sheet_entries.py)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from tests import factories
from tests.http.test_scoring import KEYS

# Each sheet gives one score to every criterion, so its weighted total is 20 x that score
# (scale 0-5), whatever the weights: juror -> scores of Project 1, 2, 3.
#
#   Juror 1: 5 1 3 -> 100  20 60      Juror 2: 2 4 3 -> 40 80 60      Juror 3: 3 4 2 -> 60 80 40
#
# Means: P1 200/3 = 66.67, P2 60.00, P3 160/3 = 53.33; spreads 60, 60, 20 (threshold 25:
# P1 and P2 to discuss). Every juror's mean is 60, the edition's mean 60 and its population
# std sqrt(1600/3) = 23.09; one step from a juror's mean maps to 60 +- sqrt(800) = 60 +- 28.28,
# so the normalised totals are P1 (88.28 + 31.72 + 60)/3 = 60.00,
# P2 (31.72 + 88.28 + 88.28)/3 = 69.43, P3 (60 + 60 + 31.72)/3 = 50.57.
GRID = {"Juror 1": (5, 1, 3), "Juror 2": (2, 4, 3), "Juror 3": (3, 4, 2)}


async def hand_worked_edition(db):
    edition = await factories.edition(db, year=2025, status="deliberation",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    projects = [await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      status="eligible",
                                      application=factories.complete_application(
                                          title=f"Project {n}"))
                for n in (1, 2, 3)]
    for name, scores in GRID.items():
        juror = await factories.user(db, role="juror", name=name)
        for project, score in zip(projects, scores, strict=True):
            await factories.assignment(db, edition_id=edition.id, entry_id=project.id,
                                       juror_id=juror.id, sheet="submitted")
            sheet_id = await db.fetch_value(
                "SELECT id FROM score_sheets WHERE entry_id = ? AND juror_id = ?",
                (project.id, juror.id))
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
                    " VALUES (?, ?, ?, 'why')", [(sheet_id, key, score) for key in KEYS])
    return edition


def ranking_rows(page: str, caption: str) -> list[tuple[str, ...]]:
    """The rows of the ranking table with that caption: rank, title, mean, normalised,
    spread (with "discuss" when flagged) and sheets, as the page shows them."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        text = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]
        rank, entry, *figures = text
        rows.append((rank, entry.split(" ", 1)[1], *figures))
    return rows


async def test_the_rankings_list_the_hand_worked_order_and_figures(admin_client, db):
    edition = await hand_worked_edition(db)

    page = (await admin_client.get(f"/admin/editions/{edition.year}/deliberation/charts")).text

    assert "Overall mean 60.00" in page and "standard deviation 23.09" in page
    assert ranking_rows(page, "By raw mean") == [
        ("1", "Project 1", "66.67", "60.00", "60.00 discuss", "3"),
        ("2", "Project 2", "60.00", "69.43", "60.00 discuss", "3"),
        ("3", "Project 3", "53.33", "50.57", "20.00", "3"),
    ]
    assert ranking_rows(page, "By normalised total") == [
        ("1", "Project 2", "60.00", "69.43", "60.00 discuss", "3"),
        ("2", "Project 1", "66.67", "60.00", "60.00 discuss", "3"),
        ("3", "Project 3", "53.33", "50.57", "20.00", "3"),
    ]
