"""The entries export ends with a `substances` column naming each entry's substances and
behaviours, the words its edition added included; the other columns stay where they were."""

from __future__ import annotations

import csv
import io

from prize.domain.editions import vocabulary_items
from prize.domain.exports import ENTRIES_HEADER
from prize.store.scoring import export_table
from tests import factories
from tests.factories import complete_application

WORDS = vocabulary_items("Gambling\nScreens", "Jeux d’argent\nÉcrans")


async def test_the_export_names_the_substances_an_entry_chose(admin_client, db):
    edition = await factories.edition(db, year=2026, status="judging", substances_extra=WORDS)
    owner = await factories.user(db)
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=complete_application(substances=["alcohol", "gambling"]))
    table = await export_table(db, edition, "entries")
    assert table.header[:len(ENTRIES_HEADER)] == ENTRIES_HEADER
    assert table.header[-1] == "substances"
    assert table.rows[0][-1] == "Alcohol; Gambling"

    response = await admin_client.get(f"/admin/editions/{edition.year}/exports/entries.csv")
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))
    assert row["reference"] == entry.reference and row["substances"] == "Alcohol; Gambling"
