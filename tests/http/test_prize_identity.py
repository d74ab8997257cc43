"""The prize's identity on /admin/identity: what the secretariat types shows at once on
every page title and header, the feed, the Open Graph tags, new references and emails;
bad input is refused in place with nothing saved."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from prize.store import audit, entries
from prize.store import identity as store
from tests import factories
from tests.factories import application_form, complete_application

POMPIDOU = {
    "name": "Pompidou Group Prevention Prize",
    "name_fr": "Prix de prévention du Groupe Pompidou",
    "short_name": "Prevention Prize",
    "short_name_fr": "Prix de prévention",
    "reference_prefix": "PGPP",
    "organiser": "Pompidou Group, Council of Europe",
    "organiser_fr": "Groupe Pompidou, Conseil de l’Europe",
    "contact_email": "prevention.prize@example.org",
    "privacy_url": "/privacy",
}


async def rename(admin_client, **changes) -> object:
    return await admin_client.submit("/admin/identity", {**POMPIDOU, **changes})


async def test_the_page_shows_the_defaults_with_the_councils_french_name(admin_client):
    page = await admin_client.get("/admin/identity")
    assert page.status_code == 200
    assert 'value="European Prize for Drug Prevention"' in page.text
    assert 'value="Prix européen de la prévention des drogues"' in page.text
    assert 'value="EDPP"' in page.text


async def test_a_new_name_shows_on_titles_header_feed_and_french_pages(admin_client, client,
                                                                        db):
    response = await rename(admin_client)
    assert response.status_code == 303 and response.headers["location"] == "/admin/identity"

    home = await client.get("/")
    assert "<title>" in home.text and "· Pompidou Group Prevention Prize</title>" in home.text
    assert re.search(r'class="brand.*>Pompidou Group Prevention Prize<', home.text)
    assert "European Prize for Drug Prevention" not in home.text

    feed = await client.get("/feed.atom")
    assert "<title>Pompidou Group Prevention Prize: good practices</title>" in feed.text

    french = await client.get("/", headers={"Accept-Language": "fr"})
    assert "Prix de prévention du Groupe Pompidou" in french.text

    # Audited: who changed what, never the contact address itself.
    (record,) = await audit.search(db, action="identity.updated")
    assert record.actor_id == admin_client.user.id and "name" in record.details["changed"]
    assert "prevention.prize@example.org" not in str(record.details)


async def test_open_graph_tags_carry_the_name(admin_client, client, db):
    await factories.published_demo(db)
    await rename(admin_client)
    catalogue = await client.get("/practices")
    slug = re.search(r'href="/practices/([a-z0-9-]+)"', catalogue.text).group(1)
    page = await client.get(f"/practices/{slug}")
    assert '<meta property="og:site_name" content="Pompidou Group Prevention Prize">' in page.text


async def test_references_of_entries_submitted_afterwards_use_the_new_prefix(
        admin_client, applicant_client, db):
    edition = await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    await rename(admin_client)
    response = await applicant_client.submit("/my/entries", {"edition_id": str(edition.id)},
                                             token_from="/my")
    entry_id = int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))
    entry = await entries.get(db, entry_id)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        [*application_form(complete_application()), ("action", "submit"),
         ("version", str(entry.version))],
        token_from=f"/my/entries/{entry_id}/edit")
    assert response.status_code == 303, response.text
    assert (await entries.get(db, entry_id)).reference == "PGPP-2026-0001"


async def test_a_new_edition_is_titled_with_the_prize_name(admin_client):
    await rename(admin_client)
    page = await admin_client.get("/admin/editions/new")
    assert "Pompidou Group Prevention Prize 20" in page.text
    assert "Prix de prévention du Groupe Pompidou 20" in page.text


async def test_emails_are_signed_with_the_organiser_and_the_new_contact(admin_client, client,
                                                                        mailbox):
    await rename(admin_client)
    await client.submit("/password/forgot", {"email": admin_client.user.email},
                        token_from="/password/forgot")
    (message,) = mailbox.to(admin_client.user.email)
    body = mailbox.body(message)
    assert "Pompidou Group Prevention Prize" in str(make_header(decode_header(message["Subject"])))
    assert "The secretariat of the Pompidou Group Prevention Prize" in body
    assert "prevention.prize@example.org" in body
    assert "http://testserver/privacy" in body


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "", "Fill in this field."),
    ("name_fr", "", "Fill in this field."),
    ("reference_prefix", "pg-pp", "capital letters or digits"),
    ("reference_prefix", "1ABC", "starting with a letter"),
    ("contact_email", "not an address", "Enter an email address"),
    ("privacy_url", "javascript:alert(1)", "https://"),
    ("privacy_url", "//elsewhere.example/notice", "https://"),
    ("short_name", "x" * 61, "At most 60 characters."),
])
async def test_bad_input_is_refused_in_place_and_nothing_is_saved(admin_client, db, field,
                                                                  value, message):
    response = await rename(admin_client, **{field: value})
    assert response.status_code == 422
    assert message in response.text
    # What was typed is kept, the other fields too.
    assert 'value="Pompidou Group Prevention Prize"' in response.text or field == "name"
    assert 'value="prevention.prize@example.org"' in response.text or field == "contact_email"
    saved = await store.get(db)
    assert saved.name == "European Prize for Drug Prevention" and saved.reference_prefix == "EDPP"


async def test_line_breaks_in_a_name_are_folded(admin_client, db):
    response = await rename(admin_client, name="Pompidou Group\r\nPrevention Prize")
    assert response.status_code == 303
    assert (await store.get(db)).name == "Pompidou Group Prevention Prize"


async def test_only_the_secretariat_reaches_the_page(applicant_client, juror_client):
    for client in (applicant_client, juror_client):
        assert (await client.get("/admin/identity")).status_code == 403


async def test_emails_come_from_the_prize_by_its_name(admin_client, client, mailbox):
    await rename(admin_client)
    await client.submit("/password/forgot", {"email": admin_client.user.email},
                        token_from="/password/forgot")
    (message,) = mailbox.to(admin_client.user.email)
    sender = str(make_header(decode_header(message["From"])))
    assert sender == "Pompidou Group Prevention Prize <no-reply@prize.invalid>"


async def test_a_change_written_elsewhere_is_seen_at_the_next_request(client, db):
    """Another worker or a command writes the row: the public version moves (0055's
    trigger), so this process reloads the identity and its cached pages."""
    before = await client.get("/")
    assert "European Prize for Drug Prevention" in before.text
    renamed = (await store.get(db)).model_copy(update={"name": "Pompidou Group Prevention Prize"})
    async with db.transaction() as conn:
        await store.save(conn, renamed, datetime.now(UTC))
    after = await client.get("/")
    assert "Pompidou Group Prevention Prize" in after.text
