"""The deliberation works from one table: each entry's rank, figures, decision and
statement in one row; charts and agreement in their own tab; an entry judged by fewer
than two sheets is marked and shows no spread."""

from __future__ import annotations

import re

from prize.web.deliberation import count_ticks
from tests import factories
from tests.http.test_deliberation import scored_edition
from tests.http.test_scoring import KEYS


async def with_thin_entries(db):
    """The scored edition, plus an entry scored by one juror (all 5s: it ranks first) and
    one entry without any submitted sheet."""
    edition, made, jurors = await scored_edition(db)
    owner = await factories.user(db)
    lone, empty = [await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=factories.complete_application(title=title))
        for title in ("Lone Sheet", "No Sheet Yet")]
    await factories.assignment(db, edition_id=edition.id, entry_id=lone.id,
                               juror_id=jurors[0].id, sheet="submitted")
    sheet_id = await db.fetch_value(
        "SELECT id FROM score_sheets WHERE entry_id = ? AND juror_id = ?", (lone.id, jurors[0].id))
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
            " VALUES (?, ?, 5, 'why')", [(sheet_id, key) for key in KEYS])
    await factories.assignment(db, edition_id=edition.id, entry_id=empty.id,
                               juror_id=jurors[1].id)
    return edition, made, jurors, lone, empty


def row_of(page: str, reference: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*?{reference}(?:(?!</tr>).)*</tr>", page, re.S
                     ).group(0)


async def test_each_row_holds_rank_entry_links_figures_decision_and_statement(admin_client, db):
    edition, made, jurors = await scored_edition(db)
    page = (await admin_client.get(f"/admin/editions/{edition.year}/deliberation")).text
    row = row_of(page, made[0].reference)
    assert f'href="/admin/entries/{made[0].id}"' in row
    assert row.count('href="/admin/sheets/') == 3 and "Juror 1" in row
    assert f'name="decision-{made[0].id}"' in row and f'name="statement-{made[0].id}"' in row
    assert 'data-label="Rank">1' in row
    # One table, no charts: those have their own tab.
    assert 'role="img"' not in page and "Charts and agreement" in page


async def test_an_entry_with_one_sheet_is_marked_and_has_no_spread(admin_client, db):
    edition, made, jurors, lone, empty = await with_thin_entries(db)
    page = (await admin_client.get(f"/admin/editions/{edition.year}/deliberation")).text
    lone_row = row_of(page, lone.reference)
    assert "1 sheet only" in lone_row
    assert re.search(r'data-label="Spread">–', lone_row)
    empty_row = row_of(page, empty.reference)
    assert "no sheet" in empty_row
    # It ranks first on one juror's word, so the page says so before the table.
    assert page.index(lone.reference) < page.index(made[0].reference)
    assert "1 entry has only one" in page and "1 entry has no submitted sheet" in page
    assert "3 entries have two or more submitted sheets." in page
    # The entry without a sheet comes last.
    assert page.rindex('id="entry-') == page.index(f'id="entry-{empty.id}"')


async def test_the_charts_tab_names_each_juror_beside_their_bar_and_counts_scores(
        admin_client, db):
    edition, made, jurors, lone, empty = await with_thin_entries(db)
    page = (await admin_client.get(f"/admin/editions/{edition.year}/deliberation/charts")).text
    leniency = page.split("Juror leniency</h2>")[1].split("</svg>")[0]
    for juror in jurors:
        assert re.search(rf"<text[^>]*>{juror.name}</text>", leniency)
    first_chart = page.split("Score distributions per criterion")[1].split("</svg>")[0]
    assert re.search(r'<text[^>]*text-anchor="end">0</text>', first_chart)
    assert "1 sheet only" in page and "Krippendorff" in page


def test_count_axis_marks_whole_numbers_up_to_the_largest_count():
    assert [tick.label for tick in count_ticks(10)] == ["0", "4", "8", "10"]
    assert [tick.label for tick in count_ticks(3)] == ["0", "1", "2", "3"]
    assert [tick.label for tick in count_ticks(0)] == ["0", "1"]
    assert count_ticks(6)[0].y == 60 and count_ticks(6)[-1].y == 0
