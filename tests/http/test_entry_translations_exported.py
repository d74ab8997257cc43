"""The entries export has one column per text answer and working language: the original
in its language's column, a complete translation in the other's."""

from __future__ import annotations

import csv
import io
import re

from tests import factories

FRENCH = "Des jeunes préparent et animent chaque séance."
ENGLISH = "Young people prepare and lead every session."


async def test_the_export_gives_each_text_answer_in_both_languages(admin_client, db):
    edition = await factories.edition(db, status="judging")
    owner = await factories.user(db)
    french = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                   status="eligible", application=factories.complete_application(
                                       language="fr", summary=FRENCH))
    english = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                    status="eligible")
    path = f"/translations/entries/{french.id}"
    page = await admin_client.get(path)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    texts = {f"t-{key}": ENGLISH for key in (
        "org_name", "city", "title", "summary", "goals", "needs_assessment", "aims",
        "activities", "youth_participation", "evaluation", "sustainability", "ethics")}
    assert (await admin_client.submit(path, {"version": version, "action": "complete",
                                             **texts})).status_code == 303
    response = await admin_client.get(
        f"/admin/editions/{edition.year}/exports/entries.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    by_reference = {row["reference"]: row for row in rows}
    assert by_reference[french.reference]["summary_fr"] == FRENCH
    assert by_reference[french.reference]["summary_en"] == ENGLISH
    # No translation of the English entry: its French column is empty.
    assert by_reference[english.reference]["summary_en"].startswith("Young people plan")
    assert by_reference[english.reference]["summary_fr"] == ""
    # The existing columns come first, unchanged; no contact details.
    header = next(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert header[:7] == ["reference", "title", "organisation", "country", "language",
                          "status", "jury_statement"]
    assert not [column for column in header if column.startswith("contact")]
