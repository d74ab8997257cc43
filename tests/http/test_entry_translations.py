"""Translations of an entry: handed to a translator, written beside the original, read by
the jury only once complete; every refusal."""

from __future__ import annotations

import re

import pytest

from prize.store import audit
from tests import factories
from tests.conftest import Browser

FRENCH = "Des jeunes préparent et animent chaque séance avec les animateurs."


@pytest.fixture
async def world(db):
    edition = await factories.edition(db, status="judging")
    owner = await factories.user(db, role="applicant")
    application = factories.complete_application(language="fr", title="Parole aux pairs",
                                                 summary=FRENCH, activities=FRENCH)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  application=application, status="eligible")
    other = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  application=application, status="eligible")
    return {"edition": edition, "entry": entry, "other": other, "owner": owner}


@pytest.fixture
async def translator_client(app):
    async with Browser.for_app(app) as browser:
        browser.user = await factories.user(app.state.db, role="translator",
                                            name="Tess Translator")
        await browser.log_in(browser.user.email)
        yield browser


async def hand(admin_client, world, translator) -> None:
    year = world["edition"].year
    response = await admin_client.submit(
        f"/admin/editions/{year}/translations/handover",
        {"entry_id": str(world["entry"].id), "translator_id": str(translator.id),
         "action": "hand"}, token_from=f"/admin/editions/{year}/translations")
    assert response.status_code == 303, response.text


def version_of(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


async def test_the_secretariat_hands_an_entry_and_the_translator_translates_it(
        admin_client, translator_client, world, db):
    year = world["edition"].year
    page = await admin_client.get(f"/admin/editions/{year}/translations")
    assert page.status_code == 200
    assert "Tess Translator" in page.text
    await hand(admin_client, world, translator_client.user)
    listed = await translator_client.get("/translations")
    assert world["entry"].reference in listed.text
    assert world["other"].reference not in listed.text
    path = f"/translations/entries/{world['entry'].id}"
    form = await translator_client.get(path)
    assert form.status_code == 200
    # The original beside the box, in its language, with its word count; no word limit.
    assert 'lang="fr"' in form.text and 'lang="en"' in form.text
    assert FRENCH in form.text
    assert "10 words" in form.text
    assert "data-max-words" not in form.text
    # The contact person's name is no text to translate.
    assert "Maria Example" not in form.text
    long_text = "Young people prepare and lead every session. " * 400
    saved = await translator_client.submit(path, {
        "version": version_of(form.text), "action": "save", "t-summary": long_text,
        "t-title": "Peer Talk"})
    assert saved.status_code == 303
    again = await translator_client.get(path)
    assert "Young people prepare and lead every session." in again.text
    assert "Draft" in again.text
    assert "by Tess Translator" in again.text  # who saved it, and when
    history = await audit.search(db, subject_type="entry", subject_id=world["entry"].id)
    assert any(record.action == "translation.handed" for record in history)
    assert any(record.action == "translation.saved" for record in history)


async def test_marking_complete_asks_for_every_answered_text(admin_client, world):
    path = f"/translations/entries/{world['entry'].id}"
    form = await admin_client.get(path)
    refused = await admin_client.submit(path, {
        "version": version_of(form.text), "action": "complete", "t-summary": "Young people."})
    assert refused.status_code == 422
    assert "Translate this answer before marking the translation complete." in refused.text
    # The draft is kept, with what was typed.
    assert "Young people." in refused.text


async def test_a_translator_cannot_open_an_entry_not_handed_to_them(
        admin_client, translator_client, world):
    await hand(admin_client, world, translator_client.user)
    other = f"/translations/entries/{world['other'].id}"
    assert (await translator_client.get(other)).status_code == 404
    token = await translator_client.csrf_token("/translations")
    response = await translator_client.post(other, data={
        "csrf_token": token, "version": "0", "t-summary": "Sneaky"})
    assert response.status_code == 404


async def test_a_translator_loses_the_entry_when_the_secretariat_takes_it_back(
        admin_client, translator_client, world):
    await hand(admin_client, world, translator_client.user)
    year = world["edition"].year
    response = await admin_client.submit(
        f"/admin/editions/{year}/translations/handover",
        {"entry_id": str(world["entry"].id), "translator_id": str(translator_client.user.id),
         "action": "take_back"}, token_from=f"/admin/editions/{year}/translations")
    assert response.status_code == 303
    assert (await translator_client.get(
        f"/translations/entries/{world['entry'].id}")).status_code == 404


async def test_handing_to_someone_who_is_not_a_translator_is_refused_in_place(
        admin_client, juror_client, world):
    year = world["edition"].year
    response = await admin_client.submit(
        f"/admin/editions/{year}/translations/handover",
        {"entry_id": str(world["entry"].id), "translator_id": str(juror_client.user.id)},
        token_from=f"/admin/editions/{year}/translations")
    assert response.status_code == 422
    assert "Choose from the list." in response.text
    bad = await admin_client.submit(
        f"/admin/editions/{year}/translations/handover",
        {"entry_id": "nonsense", "translator_id": "x"},
        token_from=f"/admin/editions/{year}/translations")
    assert bad.status_code == 422


async def test_a_juror_cannot_edit_or_open_a_translation(juror_client, world):
    path = f"/translations/entries/{world['entry'].id}"
    assert (await juror_client.get(path)).status_code == 403
    token = await juror_client.csrf_token("/jury")
    response = await juror_client.post(path, data={
        "csrf_token": token, "version": "0", "t-summary": "Mine now"})
    assert response.status_code == 403


async def test_an_applicant_never_sees_the_jurys_translation(
        admin_client, app, world):
    path = f"/translations/entries/{world['entry'].id}"
    form = await admin_client.get(path)
    texts = {f"t-{key}": "SECRET-TRANSLATION" for key in (
        "org_name", "city", "title", "summary", "goals", "needs_assessment", "aims",
        "activities", "youth_participation", "evaluation", "sustainability", "ethics")}
    done = await admin_client.submit(path, {"version": version_of(form.text),
                                            "action": "complete", **texts})
    assert done.status_code == 303, done.text
    async with Browser.for_app(app) as applicant:
        await applicant.log_in(world["owner"].email)
        assert (await applicant.get(path)).status_code == 403
        mine = await applicant.get(f"/my/entries/{world['entry'].id}", follow_redirects=True)
        assert mine.status_code == 200
        assert "SECRET-TRANSLATION" not in mine.text


async def test_autosave_answers_409_when_another_tab_saved_first(admin_client, world):
    path = f"/translations/entries/{world['entry'].id}"
    form = await admin_client.get(path)
    opened_at = version_of(form.text)
    token = await admin_client.csrf_token(path)
    json = {"Accept": "application/json"}
    first = await admin_client.post(path, headers=json, data={
        "csrf_token": token, "version": opened_at, "action": "save", "t-summary": "First tab"})
    assert first.status_code == 200
    assert first.json()["version"] == 1
    second = await admin_client.post(path, headers=json, data={
        "csrf_token": token, "version": opened_at, "action": "save", "t-summary": "Second tab"})
    assert second.status_code == 409
    assert "another tab" in second.json()["error"]
    # Without JavaScript: the page says so and keeps the text.
    page = await admin_client.post(path, data={
        "csrf_token": token, "version": opened_at, "action": "save", "t-summary": "Second tab"})
    assert page.status_code == 409
    assert "Second tab" in page.text
    assert "First tab" in (await admin_client.get(path)).text


async def test_a_translator_downloads_their_translations_with_their_data(
        admin_client, translator_client, world):
    import io
    import json
    import zipfile

    await hand(admin_client, world, translator_client.user)
    path = f"/translations/entries/{world['entry'].id}"
    form = await translator_client.get(path)
    await translator_client.submit(path, {"version": version_of(form.text), "action": "save",
                                          "t-summary": "Young people lead."})
    body = (await translator_client.get("/account/data.zip")).content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = json.loads(archive.read("data.json"))
    (translation,) = data["translations"]
    assert translation["texts"] == {"summary": "Young people lead."}
    assert translation["reference"] == world["entry"].reference
    assert [row["reference"] for row in data["translation_handovers"]] == [
        world["entry"].reference]
