"""The French pages the language review names show none of the errors it found (issue 19,
review ../shared/reviews/language-2026-11.md §1 and §3).

This test passes once the coordinator has merged the French of the language helpers into
prize/locale/fr/LC_MESSAGES/messages.po (/tmp/fr-review.po and /tmp/fr-language.po).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests import factories
from tests.http.test_entry_autosave import start
from tests.http.test_scoring import complete_sheet, release

YEAR = 2031
# Errors the review found, each with where it was seen.
EVERYWHERE = ("Prix européen de prévention des drogues",)  # « de la prévention »
REVIEW_ERRORS = (
    "Elle ne vous sera",  # a pronoun with no antecedent (conflicts page)
    "non défini",  # three feminine dates (the edition's page)
    "1 fiches",  # a plural bug (progress page)
    "1 réponses",  # a plural bug (the applicant's form)
    "aidants",  # carers are not caregivers
    "Dépublier",  # CMS jargon
    "Téléverser",  # Québécois
    "fiche publique",  # clashes with the score sheet
    "fiches publiques",
    "données probantes",  # one concept, one term: preuves d'efficacité
    "Pondération",  # coefficient
)


def visible(page: str) -> str:
    text = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def errors_on(page: str) -> list[str]:
    text = visible(page)
    return [error for error in (*EVERYWHERE, *REVIEW_ERRORS) if error in text]


async def in_french(client) -> None:
    await client.get("/language", params={"locale": "fr"})


@pytest.fixture
async def world(db):
    """A judging edition with one entry from France, three assigned jurors (one French, one who
    left the jury) and one submitted sheet; an open edition; the demo's published practices."""
    edition = await factories.edition(db, year=YEAR, status="judging", judging_ends_at=None,
                                      closes_at=datetime(YEAR, 5, 30, 21, 59, tzinfo=UTC))
    owner = await factories.user(db, email="owner@example.org")
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=factories.complete_application(country="FR", title="Peer Talk"))
    french = await factories.juror(db, edition_id=edition.id, country="FR",
                                   email="french@example.org")
    jurors = [await factories.juror(db, edition_id=edition.id, country=country,
                                    email=f"j{n}@example.org")
              for n, country in ((1, "IE"), (2, "PT"), (3, "MT"))]
    for juror in jurors:
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id)
    await release(db, edition.id)
    async with db.transaction() as conn:
        await conn.execute("UPDATE edition_jurors SET status = 'withdrawn' WHERE user_id = ?",
                           (jurors[2].id,))
    open_edition = await factories.edition(db, year=YEAR + 1, status="open",
                                           closes_at=datetime(2099, 5, 30, 21, 59, tzinfo=UTC))
    await factories.published_demo(db)
    published_year = (await db.fetch_one(
        "SELECT ed.year FROM practices p JOIN editions ed ON ed.id = p.edition_id"
        " WHERE p.status = 'published' LIMIT 1"))[0]
    return {"edition": edition, "entry": entry, "french": french, "jurors": jurors,
            "open": open_edition, "published_year": published_year}


async def test_public_pages_in_french(client, world):
    await in_french(client)
    for path in ("/", "/practices", f"/editions/{YEAR + 1}"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert errors_on(page.text) == [], path
    catalogue = (await client.get("/practices")).text
    # « Année » and « Distinction » are feminine: « Toutes », not « Tous ».
    for name in ("year", "award"):
        first = re.search(rf'<select id="f-{name}"[^>]*><option value="">([^<]*)</option>',
                          catalogue)
        assert first and first.group(1) == "Toutes", name


async def test_juror_pages_in_french(client, world):
    await client.log_in("french@example.org")
    await in_french(client)
    conflicts = await client.get(f"/jury/{YEAR}/conflicts")
    assert conflicts.status_code == 200
    assert errors_on(conflicts.text) == []
    assert "conflit d’intérêts" in visible(conflicts.text)


async def test_juror_sheet_in_french(client, world):
    await client.log_in("j1@example.org")
    await in_french(client)
    sheet = (await client.get(f"/jury/entries/{world['entry'].id}/sheet")).text
    assert errors_on(sheet) == []
    assert "coefficient 3" in visible(sheet)


async def test_secretariat_pages_in_french(client, admin_client, world):
    await client.log_in("j1@example.org")
    submitted = await client.submit(f"/jury/entries/{world['entry'].id}/sheet",
                                    complete_sheet(4, action="submit"))
    assert submitted.status_code == 303
    await in_french(admin_client)
    for path in (f"/admin/editions/{YEAR}", f"/admin/editions/{YEAR}/progress",
                 f"/admin/editions/{YEAR}/jury", f"/admin/editions/{YEAR}/deliberation",
                 f"/admin/editions/{world['published_year']}/publication",
                 f"/admin/entries/{world['entry'].id}"):
        page = await admin_client.get(path)
        assert page.status_code == 200, path
        assert errors_on(page.text) == [], path
    jury = visible((await admin_client.get(f"/admin/editions/{YEAR}/jury")).text)
    # A juror who left the jury is not « Retirée » (an entry's status); an active one is
    # « En fonction ».
    assert "Retirée" not in jury and "A quitté le jury" in jury and "En fonction" in jury
    edition = visible((await admin_client.get(f"/admin/editions/{YEAR}")).text)
    assert "non fixée" in edition


async def test_applicant_form_in_french(applicant_client, world):
    await in_french(applicant_client)
    entry_id = await start(applicant_client, world["open"])
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit")
    assert page.status_code == 200
    assert errors_on(page.text) == []
    assert "Qui peut participer" in visible(page.text)
