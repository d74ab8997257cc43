"""A good practice published in both working languages: the secretariat writes the public
text in the other language (from the jury's translation), the applicant approves it, and
only then do the public page's switch and the API show it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.domain.practices import PublicText
from prize.store import practices as store
from tests import factories
from tests.conftest import Browser

FRENCH = "Des lycéens mènent l’enquête et animent chaque séance."
ENGLISH = "Secondary pupils run the survey and lead every session."


@pytest.fixture
async def world(db):
    edition = await factories.edition(db, year=2025, status="published",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db, email="claire@example.org")
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="winner",
        application=factories.complete_application(language="fr", title="Parole aux pairs",
                                                   summary=FRENCH, activities=FRENCH))
    async with db.transaction() as conn:
        practice_id = await store.create(
            conn, edition_id=edition.id, year=2025, award="winner", entry_id=entry.id,
            text=PublicText(title="Parole aux pairs", organisation="Jeunes Voix",
                            summary=FRENCH, activities=FRENCH),
            country="FR", countries=["FR"], substances=[], language="fr",
            now=datetime(2026, 1, 3, tzinfo=UTC), status="published", slug="parole-aux-pairs")
    return {"entry": entry, "practice_id": practice_id, "owner": owner}


async def jury_translation(admin_client, entry) -> None:
    path = f"/translations/entries/{entry.id}"
    page = await admin_client.get(path)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    texts = {f"t-{key}": ENGLISH for key in (
        "org_name", "city", "title", "summary", "goals", "needs_assessment", "aims",
        "activities", "youth_participation", "evaluation", "sustainability", "ethics")}
    texts["t-title"] = "Peer Voices"
    response = await admin_client.submit(path, {"version": version, "action": "complete",
                                                **texts})
    assert response.status_code == 303


async def write_public_text(admin_client, world) -> None:
    path = f"/admin/practices/{world['practice_id']}/translation"
    form = await admin_client.get(path)
    assert form.status_code == 200
    # Filled in from the jury's complete translation, in the right language.
    assert ENGLISH in form.text and 'lang="en"' in form.text
    response = await admin_client.submit(path, {
        "title": "Peer Voices", "summary": ENGLISH, "activities": ENGLISH, "action": "save"})
    assert response.status_code == 303, response.text


async def test_the_applicant_approves_the_public_text_in_the_other_language(
        app, admin_client, world, db):
    await jury_translation(admin_client, world["entry"])
    await write_public_text(admin_client, world)
    async with Browser.for_app(app) as applicant:
        await applicant.log_in(world["owner"].email)
        review = await applicant.get(f"/my/practices/{world['practice_id']}")
        assert "Your public page in the other language: to approve" in review.text
        path = f"/my/practices/{world['practice_id']}/translation"
        page = await applicant.get(path)
        assert page.status_code == 200
        assert ENGLISH in page.text
        approved = await applicant.submit(path, {})
        assert approved.status_code == 303
        assert "You approved this text" in (await applicant.get(path)).text


async def test_a_changed_text_waits_for_the_applicants_approval_again(
        app, admin_client, world):
    await jury_translation(admin_client, world["entry"])
    await write_public_text(admin_client, world)
    async with Browser.for_app(app) as applicant:
        await applicant.log_in(world["owner"].email)
        await applicant.submit(f"/my/practices/{world['practice_id']}/translation", {})
    await write_public_text(admin_client, world)
    page = await admin_client.get(f"/admin/practices/{world['practice_id']}/translation")
    assert "Waiting for the applicant" in page.text


async def test_the_public_text_needs_a_title_and_a_summary_and_keeps_what_was_typed(
        admin_client, world):
    path = f"/admin/practices/{world['practice_id']}/translation"
    response = await admin_client.submit(path, {"title": "", "summary": "",
                                                "activities": "Kept text", "action": "save"})
    assert response.status_code == 422
    assert "Fill in this field." in response.text
    assert "Kept text" in response.text
    too_long = await admin_client.submit(path, {"title": "x" * 301, "summary": "S"})
    assert too_long.status_code == 422


async def test_another_applicant_does_not_learn_the_text_exists(app, admin_client, world, db):
    await admin_client.submit(f"/admin/practices/{world['practice_id']}/translation",
                              {"title": "Peer Voices", "summary": ENGLISH})
    other = await factories.user(db, email="other@example.org")
    async with Browser.for_app(app) as browser:
        await browser.log_in(other.email)
        assert (await browser.get(
            f"/my/practices/{world['practice_id']}/translation")).status_code == 404


async def test_the_public_page_and_the_api_show_the_other_language_once_approved(
        app, client, admin_client, world):
    await jury_translation(admin_client, world["entry"])
    await write_public_text(admin_client, world)
    # Not approved yet: nothing of it is public.
    page = await client.get("/practices/parole-aux-pairs")
    assert ENGLISH not in page.text and "?text=en" not in page.text
    assert "translations" not in (await client.get("/api/v1/practices/parole-aux-pairs")).json()
    async with Browser.for_app(app) as applicant:
        await applicant.log_in(world["owner"].email)
        await applicant.submit(f"/my/practices/{world['practice_id']}/translation", {})
    page = await client.get("/practices/parole-aux-pairs")
    assert page.status_code == 200
    assert FRENCH in page.text and ENGLISH not in page.text
    assert 'href="/practices/parole-aux-pairs?text=en"' in page.text
    assert "Translation (English), approved by the applicant" in page.text
    translated = await client.get("/practices/parole-aux-pairs?text=en")
    assert ENGLISH in translated.text and FRENCH not in translated.text
    assert '<h1>Peer Voices</h1>' in translated.text  # English on an English page: no lang
    assert "Written in French" in translated.text
    assert 'aria-current="page">Translation (English)' in translated.text
    body = (await client.get("/api/v1/practices/parole-aux-pairs")).json()
    assert body["title"] == "Parole aux pairs" and body["summary"] == FRENCH  # unchanged
    assert body["translations"]["en"]["title"] == "Peer Voices"
    assert body["translations"]["en"]["summary"] == ENGLISH
    assert set(body["translations"]) == {"en"}
    # In French, the English text carries its lang.
    french_page = await client.get("/practices/parole-aux-pairs?text=en",
                                   headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<h1 lang="en">Peer Voices</h1>' in french_page.text


async def test_an_unknown_text_language_shows_the_original(client, admin_client, world):
    page = await client.get("/practices/parole-aux-pairs?text=de")
    assert page.status_code == 200 and FRENCH in page.text
