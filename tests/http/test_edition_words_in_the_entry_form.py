"""The words an edition adds to "substances and behaviours" (2025: gambling, gaming, social
media, screens) are choices of its entry form, in the page's language, and are read, printed
and mailed with their labels; an entry of another edition keeps its own choices."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from prize.demo import DEMO_PASSWORD, load_demo
from prize.domain.editions import vocabulary_items
from prize.store import entries, forms
from tests import factories
from tests.conftest import Browser
from tests.factories import application_form, complete_application

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
WORDS = vocabulary_items("Gambling\nGaming\nSocial media\nScreens",
                         "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans")


async def edition_with_words(db, year=2026, status="open"):
    return await factories.edition(db, year=year, status=status, substances_extra=WORDS,
                                   closes_at=datetime(year, 5, 30, 21, 59, tzinfo=UTC))


async def start(client, edition) -> int:
    response = await client.submit("/my/entries", {"edition_id": str(edition.id)},
                                   token_from="/my")
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def post_entry(client, db, entry_id, substances, *, action="submit", headers=None,
                     **changes):
    form = [(name, value) for name, value in application_form(complete_application(**changes))
            if name != "substances"]
    version = str((await entries.get(db, entry_id)).version)
    path = f"/my/entries/{entry_id}/edit"
    token = await client.csrf_token(path)
    grouped: dict[str, list[str]] = {}
    for name, value in [*form, *(("substances", key) for key in substances),
                        ("action", action), ("version", version)]:
        grouped.setdefault(name, []).append(value)
    return await client.post(path, data={**grouped, "csrf_token": token}, headers=headers or {})


def checkbox(page: str, key: str) -> bool:
    return re.search(rf'<input[^>]*name="substances"[^>]*value="{key}"', page) is not None


async def test_the_form_offers_the_editions_words_after_the_usual_list(applicant_client, db):
    edition = await edition_with_words(db)
    entry_id = await start(applicant_client, edition)
    page = (await applicant_client.get(f"/my/entries/{entry_id}/edit")).text
    for key in ("alcohol", "cannabis", "gambling", "gaming", "social_media", "screens"):
        assert checkbox(page, key), key
    assert page.index("Misused medicines") < page.index("Gambling") < page.index("Screens")


async def test_an_applicant_ticks_an_added_word_and_submits(applicant_client, db, mailbox):
    edition = await edition_with_words(db)
    entry_id = await start(applicant_client, edition)
    done = await post_entry(applicant_client, db, entry_id, ["alcohol", "gambling"])
    assert done.status_code == 303, done.text
    stored = await entries.get(db, entry_id)
    assert stored.submitted_at is not None
    assert stored.application.substances == ["alcohol", "gambling"]

    (message,) = mailbox.to(applicant_client.user.email)
    assert "Alcohol, Gambling" in mailbox.body(message)
    printed = await applicant_client.get(f"/my/entries/{entry_id}/print")
    assert "Alcohol, Gambling" in printed.text
    assert ">gambling<" not in printed.text


async def test_the_french_form_and_reading_show_the_french_words(applicant_client, db):
    edition = await edition_with_words(db)
    await db.execute_write("UPDATE users SET locale = 'fr' WHERE id = ?",
                           (applicant_client.user.id,))
    entry_id = await start(applicant_client, edition)
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit", headers=FR)
    assert '<html lang="fr">' in page.text
    assert "Jeux d’argent" in page.text and "Réseaux sociaux" in page.text
    assert "Social media" not in page.text
    saved = await post_entry(applicant_client, db, entry_id, ["social_media", "screens"],
                             action="save", headers=FR)
    assert saved.status_code in (200, 303), saved.text
    printed = await applicant_client.get(f"/my/entries/{entry_id}/print", headers=FR)
    assert "Réseaux sociaux, Écrans" in printed.text


async def test_a_word_the_edition_does_not_have_is_refused_in_place_with_the_rest_kept(
        applicant_client, db):
    edition = await edition_with_words(db)
    entry_id = await start(applicant_client, edition)
    refused = await post_entry(applicant_client, db, entry_id, ["gambling", "crypto"],
                               title="Screens off, heads up")
    assert refused.status_code == 422, refused.text
    assert 'href="#field-substances"' in refused.text
    assert "Screens off, heads up" in refused.text
    # What was ticked stays ticked, for the applicant to correct.
    assert re.search(r'value="gambling"[^>]*checked', refused.text)
    stored = await entries.get(db, entry_id)
    assert stored.submitted_at is None
    assert stored.application.title == "Screens off, heads up"


async def test_an_entry_of_an_edition_without_the_words_keeps_its_own_choices(
        applicant_client, db):
    await edition_with_words(db, year=2027, status="draft")
    plain = await factories.edition(db, year=2026)
    entry_id = await start(applicant_client, plain)
    page = (await applicant_client.get(f"/my/entries/{entry_id}/edit")).text
    assert checkbox(page, "alcohol") and not checkbox(page, "gambling")
    refused = await post_entry(applicant_client, db, entry_id, ["gambling"])
    assert refused.status_code == 422
    assert 'href="#field-substances"' in refused.text
    assert (await entries.get(db, entry_id)).submitted_at is None


async def test_the_juror_reads_the_added_words_label(juror_client, db):
    edition = await edition_with_words(db, status="judging")
    owner = await factories.user(db)
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=complete_application(substances=["gaming", "screens"]))
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                               juror_id=juror_client.user.id)
    await factories.release_assignment(db, edition.id)
    page = await juror_client.get(f"/jury/entries/{entry.id}")
    assert page.status_code == 200, page.text
    assert "Gaming, Screens" in page.text


async def test_the_stored_form_keeps_the_platforms_choices(db):
    """The editor and `prize form export` see the form as written: the edition's words are
    added when the form is answered and read, so exporting and importing changes nothing."""
    edition = await edition_with_words(db)
    written = (await forms.stored(db, edition.id)).question("substances")
    answered = (await forms.of_edition(db, edition.id)).question("substances")
    assert "gambling" not in written.choice_keys()
    assert answered.choice_keys() == [*written.choice_keys(), "gambling", "gaming",
                                      "social_media", "screens"]


async def test_the_demo_applicant_can_tick_gambling_on_the_open_call(app, settings, clock):
    await load_demo(app.state.db, settings, clock)
    db = app.state.db
    async with Browser.for_app(app) as applicant:
        await applicant.log_in("applicant@demo.prize", DEMO_PASSWORD)
        entry_id = await db.fetch_value(
            "SELECT e.id FROM entries e JOIN editions ed ON ed.id = e.edition_id"
            " JOIN users u ON u.id = e.owner_id"
            " WHERE ed.status = 'open' AND u.email = 'applicant@demo.prize'")
        page = (await applicant.get(f"/my/entries/{entry_id}/edit")).text
        assert checkbox(page, "gambling") and "Gambling" in page
        saved = await post_entry(applicant, db, entry_id, ["alcohol", "gambling"],
                                 action="save", headers={"Accept": "application/json"})
        assert saved.status_code == 200, saved.text
        assert (await entries.get(db, entry_id)).application.substances == ["alcohol", "gambling"]


async def test_the_form_editor_says_which_words_the_edition_adds(admin_client, db):
    edition = await edition_with_words(db)
    page = await admin_client.get(f"/admin/editions/{edition.year}/form/questions/substances")
    assert page.status_code == 200
    assert ("Applicants also choose from the words this edition adds: Gambling, Gaming, "
            "Social media, Screens.") in page.text
    assert f'href="/admin/editions/{edition.year}/edit"' in page.text
    plain = await factories.edition(db, year=2030)
    other = await admin_client.get(f"/admin/editions/{plain.year}/form/questions/substances")
    assert "This edition adds no words to this list." in other.text


async def test_the_forms_preview_offers_the_editions_words(admin_client, db):
    edition = await edition_with_words(db)
    page = await admin_client.get(f"/admin/editions/{edition.year}/form/preview?lang=fr")
    assert page.status_code == 200
    assert checkbox(page.text, "gambling") and "Jeux d’argent" in page.text
