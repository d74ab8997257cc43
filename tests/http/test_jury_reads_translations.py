"""Jurors read a complete translation beside the original; entries nobody on their jury
can read yet are marked for the juror, on the progress page and on the assignment page."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager

import pytest

from tests import factories
from tests.conftest import Browser

FRENCH = "Des jeunes préparent et animent chaque séance avec les animateurs."
ENGLISH = "Young people prepare and lead every session with the youth workers."


@pytest.fixture
async def world(db):
    edition = await factories.edition(db, status="judging")
    owner = await factories.user(db, role="applicant")
    application = factories.complete_application(
        language="fr", title="Parole aux pairs", summary=FRENCH, activities=FRENCH,
        country="FR")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  application=application, status="eligible")
    english = await factories.juror(db, edition_id=edition.id, country="IE",
                                    languages=("en",), email="en@example.org")
    bilingual = await factories.juror(db, edition_id=edition.id, country="BE",
                                      languages=("en", "fr"), email="both@example.org")
    for juror in (english, bilingual):
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    return {"edition": edition, "entry": entry, "english": english, "bilingual": bilingual}


@asynccontextmanager
async def signed_in(app, person):
    async with Browser.for_app(app) as browser:
        await browser.log_in(person.email)
        yield browser


async def translate(admin_client, entry, *, complete: bool) -> None:
    path = f"/translations/entries/{entry.id}"
    page = await admin_client.get(path)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    texts = {f"t-{key}": ENGLISH for key in (
        "org_name", "city", "title", "summary", "goals", "needs_assessment", "aims",
        "activities", "youth_participation", "evaluation", "sustainability", "ethics")}
    response = await admin_client.submit(path, {
        "version": version, "action": "complete" if complete else "save", **texts})
    assert response.status_code == 303, response.text


async def test_an_english_only_juror_reads_the_translation_beside_the_original(
        app, admin_client, world):
    await translate(admin_client, world["entry"], complete=True)
    async with signed_in(app, world["english"]) as juror:
        for path in (f"/jury/entries/{world['entry'].id}",
                     f"/jury/entries/{world['entry'].id}/sheet"):
            page = await juror.get(path)
            assert page.status_code == 200
            assert "Original (French)" in page.text
            assert "Translation (English), by the secretariat" in page.text
            # Each column in its own language.
            assert re.search(r'<div lang="fr"><p>' + re.escape(FRENCH), page.text)
            assert re.search(r'<div lang="en"><p>' + re.escape(ENGLISH), page.text)
            # The switch works without a script.
            assert 'id="reading-translation"' in page.text


async def test_a_translators_work_is_credited_to_a_translator_never_by_name(
        app, admin_client, db, world):
    translator = await factories.user(db, role="translator", name="Tess Translator")
    year = world["edition"].year
    await admin_client.submit(f"/admin/editions/{year}/translations/handover", {
        "entry_id": str(world["entry"].id), "translator_id": str(translator.id)},
        token_from=f"/admin/editions/{year}/translations")
    async with signed_in(app, translator) as browser:
        await translate(browser, world["entry"], complete=True)
    async with signed_in(app, world["english"]) as juror:
        page = await juror.get(f"/jury/entries/{world['entry'].id}")
    assert "Translation (English), by a translator" in page.text
    assert "Tess Translator" not in page.text


async def test_a_draft_translation_stays_out_of_the_jurys_pages(app, admin_client, world):
    await translate(admin_client, world["entry"], complete=False)
    async with signed_in(app, world["english"]) as juror:
        page = await juror.get(f"/jury/entries/{world['entry'].id}")
    assert ENGLISH not in page.text
    assert "Translation (English)" not in page.text
    # The original still says which language it is in.
    assert f'lang="fr"><p>{FRENCH}' in page.text


async def test_the_dashboard_marks_an_entry_the_juror_cannot_read_until_it_is_translated(
        app, admin_client, world):
    mark = "Needs a translation into a language you read"
    async with signed_in(app, world["english"]) as juror:
        assert mark in (await juror.get("/jury")).text
    async with signed_in(app, world["bilingual"]) as juror:
        assert mark not in (await juror.get("/jury")).text
    await translate(admin_client, world["entry"], complete=True)
    async with signed_in(app, world["english"]) as juror:
        assert mark not in (await juror.get("/jury")).text


async def test_progress_and_translations_pages_count_the_jurors_who_need_a_translation(
        admin_client, db, world):
    third = await factories.juror(db, edition_id=world["edition"].id, country="DE",
                                  languages=("de", "en"), email="de@example.org")
    await factories.assignment(db, edition_id=world["edition"].id,
                               entry_id=world["entry"].id, juror_id=third.id)
    year = world["edition"].year
    progress = await admin_client.get(f"/admin/editions/{year}/progress")
    assert "needs a translation for 2 jurors" in progress.text
    assert world["entry"].reference in progress.text
    page = await admin_client.get(f"/admin/editions/{year}/translations")
    assert "needs a translation for 2 jurors" in page.text
    await translate(admin_client, world["entry"], complete=True)
    progress = await admin_client.get(f"/admin/editions/{year}/progress")
    assert "needs a translation for" not in progress.text


async def test_one_juror_reads_as_singular(admin_client, world):
    progress = await admin_client.get(f"/admin/editions/{world['edition'].year}/progress")
    assert "needs a translation for 1 juror<" in progress.text


async def test_the_assignment_page_says_who_cannot_read_which_entry_and_why(
        admin_client, world):
    path = f"/admin/editions/{world['edition'].year}/jury/assignment"
    page = await admin_client.get(path)
    assert "Entries an assigned juror cannot read" in page.text
    assert "written in French, with no complete translation into English" in page.text
    assert f"{world['english'].name} reads English" in page.text
    await translate(admin_client, world["entry"], complete=True)
    assert "Entries an assigned juror cannot read" not in (await admin_client.get(path)).text


async def test_an_advisor_reads_the_translation_beside_the_original_too(
        app, admin_client, db, world):
    advisor = await factories.juror(db, edition_id=world["edition"].id, country="DE",
                                    languages=("en",), role="advisor",
                                    email="advisor@example.org")
    await translate(admin_client, world["entry"], complete=True)
    async with signed_in(app, advisor) as browser:
        page = await browser.get(f"/jury/entries/{world['entry'].id}")
    assert page.status_code == 200
    assert "Translation (English), by the secretariat" in page.text
    assert re.search(r'<div lang="en"><p>' + re.escape(ENGLISH), page.text)
