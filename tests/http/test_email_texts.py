"""The secretariat's email texts: a changed text is what goes out (per edition, or once
for account mails), a preview is made from a real entry, "Send me a test" really
delivers, "Restore the default" asks first; a bad text is refused in place (422) with
all four texts kept and none of them saved."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from prize.domain import email_texts
from prize.store import audit
from prize.store import identity as store
from tests import factories
from tests.factories import application_form, complete_application

CONFIRMATION = email_texts.MESSAGES["entry_submitted"]


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def texts(message: email_texts.Message, **changes: str) -> dict[str, str]:
    values = {f"{part}_{locale}": getattr(message, part)[locale]
              for locale in email_texts.LOCALES for part in ("subject", "body")}
    values.update(changes)
    return values


@pytest.fixture
async def edition(db):
    return await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


async def submit_entry(client, db, edition) -> int:
    from prize.store import entries

    response = await client.submit("/my/entries", {"edition_id": str(edition.id)},
                                   token_from="/my")
    entry_id = int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))
    entry = await entries.get(db, entry_id)
    response = await client.submit(
        f"/my/entries/{entry_id}/edit",
        [*application_form(complete_application(title="Peer Talk")), ("action", "submit"),
         ("version", str(entry.version))], token_from=f"/my/entries/{entry_id}/edit")
    assert response.status_code == 303, response.text
    return entry_id


async def test_the_lists_show_every_message_with_when_it_is_sent(admin_client, edition):
    outside = await admin_client.get("/admin/emails")
    assert outside.status_code == 200
    for kind in ("verify_email", "reset_password", "signup_existing"):
        assert f'href="/admin/emails/{kind}"' in outside.text
    assert f'href="/admin/editions/{edition.year}/emails"' in outside.text
    inside = await admin_client.get(f"/admin/editions/{edition.year}/emails")
    for kind, message in email_texts.MESSAGES.items():
        if message.edition:
            assert f'href="/admin/editions/{edition.year}/emails/{kind}"' in inside.text
    assert "Entry received" in inside.text and "Default" in inside.text


async def test_the_form_lists_the_placeholders_and_previews_both_languages(admin_client,
                                                                           edition):
    page = await admin_client.get(f"/admin/editions/{edition.year}/emails/entry_submitted")
    assert page.status_code == 200
    for name in ("name", "reference", "edition", "deadline", "entry_copy", "prize"):
        assert "{{ " + name + " }}" in page.text
    assert "Entry received:" in page.text and "Candidature reçue" in page.text
    assert "Kind regards," in page.text and "Cordialement," in page.text


async def test_each_preview_shows_the_example_entry_in_its_own_language(admin_client,
                                                                       edition):
    # No entry submitted yet: the previews show the example copy of an entry.
    page = await admin_client.get(f"/admin/editions/{edition.year}/emails/entry_submitted")
    previews = {match[1]: match[0] for match in re.finditer(
        r'<figure class="email-preview" lang="(\w+)".*?</figure>', page.text, flags=re.S)}
    assert "== 1. The organisation ==" in previews["en"]
    assert "== 1. L’organisation ==" in previews["fr"]
    assert "The organisation" not in previews["fr"]


async def test_a_changed_confirmation_text_is_what_the_applicant_receives(
        admin_client, applicant_client, db, edition, mailbox):
    path = f"/admin/editions/{edition.year}/emails/entry_submitted"
    response = await admin_client.submit(path, texts(
        CONFIRMATION,
        subject_en="We have your project {{ reference }}",
        body_en="Hello {{ name }},\n\nThank you for {{ title }}: the jury meets in autumn.\n\n"
                "{{ entry_copy }}",
        action="save"))
    assert response.status_code == 303 and response.headers["location"] == path
    assert "Changed by the secretariat" in (
        await admin_client.get(f"/admin/editions/{edition.year}/emails")).text

    await submit_entry(applicant_client, db, edition)
    (message,) = mailbox.to(applicant_client.user.email)
    assert subject_of(message) == "We have your project EDPP-2026-0001"
    body = mailbox.body(message)
    assert "Thank you for Peer Talk: the jury meets in autumn." in body
    assert "Kind regards," in body  # the signature is always added
    (record,) = await audit.search(db, action="email_text.saved")
    assert record.details == {"message": "entry_submitted", "changed": ["en"]}


async def test_another_editions_text_is_not_used(admin_client, applicant_client, db, edition,
                                                 mailbox):
    other = await factories.edition(db, year=2030, status="draft")
    await admin_client.submit(f"/admin/editions/{other.year}/emails/entry_submitted", texts(
        CONFIRMATION, subject_en="Other edition {{ reference }}", action="save"))
    await submit_entry(applicant_client, db, edition)
    (message,) = mailbox.to(applicant_client.user.email)
    assert subject_of(message) == "Entry received: EDPP-2026-0001"


async def test_an_account_mail_text_is_changed_once_for_the_platform(admin_client, client,
                                                                     mailbox):
    reset = email_texts.MESSAGES["reset_password"]
    response = await admin_client.submit("/admin/emails/reset_password", texts(
        reset, subject_en="New password for {{ prize }}",
        body_en="Dear {{ name }},\n\nFollow {{ link }} within the hour.", action="save"))
    assert response.status_code == 303
    await client.submit("/password/forgot", {"email": admin_client.user.email},
                        token_from="/password/forgot")
    (message,) = mailbox.to(admin_client.user.email)
    assert subject_of(message) == "New password for European Prize for Drug Prevention"
    assert "Follow http://testserver/password/reset?token=" in mailbox.body(message)


async def test_preview_uses_the_newest_real_entry_and_its_applicant(admin_client, db,
                                                                   edition):
    owner = await factories.user(db, name="Ana Costa")
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    page = await admin_client.get(f"/admin/editions/{edition.year}/emails/eligibility_result")
    assert "Hello Ana Costa," in page.text and "Bonjour Ana Costa," in page.text
    assert "Made with the entry EDPP-2026-" in page.text


async def test_preview_of_a_typed_text_saves_nothing(admin_client, db, edition):
    path = f"/admin/editions/{edition.year}/emails/results"
    response = await admin_client.submit(path, texts(
        email_texts.MESSAGES["results"], subject_en="Preview only {{ reference }}",
        action="preview"))
    assert response.status_code == 200
    assert "Preview only " in response.text
    assert await store.all_texts(db) == []


async def test_send_me_a_test_delivers_both_languages_to_the_secretariat(admin_client, db,
                                                                        edition, mailbox):
    path = f"/admin/editions/{edition.year}/emails/entry_submitted"
    response = await admin_client.submit(f"{path}/test", texts(
        CONFIRMATION, subject_en="Typed, not saved {{ reference }}"), token_from=path)
    assert response.status_code == 200
    assert "Two test emails" in response.text
    assert "Typed, not saved {{ reference }}" in response.text  # the typed text stays
    sent = mailbox.to(admin_client.user.email)
    subjects = sorted(subject_of(message) for message in sent)
    assert len(sent) == 2
    assert subjects[0].startswith("[Test] Candidature reçue")
    assert subjects[1].startswith("[Test] Typed, not saved ")
    assert all("Kind regards," in mailbox.body(m) or "Cordialement," in mailbox.body(m)
               for m in sent)
    assert await store.all_texts(db) == []


async def test_restore_the_default_asks_then_brings_the_default_back(admin_client, db,
                                                                    edition):
    path = f"/admin/editions/{edition.year}/emails/reminder"
    reminder = email_texts.MESSAGES["reminder"]
    await admin_client.submit(path, texts(reminder, subject_fr="Rappel {{ edition }}",
                                          action="save"))
    assert len(await store.all_texts(db)) == 1
    confirm = await admin_client.submit(f"{path}/restore", {}, token_from=path)
    assert confirm.status_code == 200
    assert "cannot be brought back" in confirm.text and 'name="confirmed"' in confirm.text
    assert len(await store.all_texts(db)) == 1
    done = await admin_client.submit(f"{path}/restore", {"confirmed": "yes"}, token_from=path)
    assert done.status_code == 303
    assert await store.all_texts(db) == []
    page = await admin_client.get(path)
    assert reminder.subject["fr"] in page.text.replace("&#39;", "'")
    assert await audit.search(db, action="email_text.restored")


async def test_saving_the_default_again_keeps_no_copy(admin_client, db, edition):
    path = f"/admin/editions/{edition.year}/emails/invitation"
    response = await admin_client.submit(path, texts(email_texts.MESSAGES["invitation"],
                                                     action="save"))
    assert response.status_code == 303
    assert await store.all_texts(db) == []


@pytest.mark.parametrize(("field", "text", "message"), [
    ("subject_en", "Entry received\n{{ reference }}", "The subject must be one line"),
    ("subject_fr", "Candidature\u2028reçue", "The subject must be one line"),
    ("subject_en", "", "it cannot be empty"),
    ("body_en", "Hello {{ name }},\n\n{{ password }}", "Unknown placeholder: password"),
    ("body_fr", "Bonjour {{ name ,", "cannot be read (line 1)"),
    ("body_en", "{% if resubmitted %}Changes", "cannot be read"),
    ("body_en", "{{ name.__class__.__mro__ }}", "cannot be filled in"),
    ("subject_en", "{{ edition }}" + "x" * 200, "At most 200 characters."),
])
async def test_a_bad_text_is_refused_in_place_with_every_text_kept(admin_client, db, edition,
                                                                   field, text, message):
    path = f"/admin/editions/{edition.year}/emails/entry_submitted"
    typed = texts(CONFIRMATION, body_fr="Bonjour {{ name }},\n\nMon texte à moi.", action="save")
    typed[field] = text
    if field == "body_fr":
        typed["body_en"] = "Hello {{ name }},\n\nMy own text."
    response = await admin_client.submit(path, typed)
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    # Everything typed comes back, and nothing of it was saved.
    kept = "Mon texte à moi." if field != "body_fr" else "My own text."
    assert kept in response.text
    assert await store.all_texts(db) == []
    # The test button refuses the same way.
    response = await admin_client.submit(f"{path}/test", typed, token_from=path)
    assert response.status_code == 422 and message in response.text


async def test_unknown_messages_and_the_wrong_scope_are_not_found(admin_client, edition):
    assert (await admin_client.get("/admin/emails/no_such_message")).status_code == 404
    # An edition's message is not a platform one, and the other way round.
    assert (await admin_client.get("/admin/emails/results")).status_code == 404
    assert (await admin_client.get(
        f"/admin/editions/{edition.year}/emails/reset_password")).status_code == 404
    assert (await admin_client.get("/admin/editions/1999/emails/results")).status_code == 404


async def test_a_new_edition_starts_with_the_texts_of_the_edition_before(admin_client, db,
                                                                         edition):
    await admin_client.submit(f"/admin/editions/{edition.year}/emails/invitation", texts(
        email_texts.MESSAGES["invitation"], subject_en="Join us, {{ name }}", action="save"))
    new = await admin_client.get("/admin/editions/new")
    assert new.status_code == 200
    values = {"year": "2027", "title": "European Prize for Drug Prevention 2027",
              "jurors_per_entry": "3", "spread_threshold": "25"}
    response = await admin_client.submit(
        "/admin/editions/new", [*values.items(), ("eligible_countries", "FR")],
        token_from="/admin/editions/new")
    assert response.status_code == 303, response.text
    page = await admin_client.get("/admin/editions/2027/emails/invitation")
    assert "Its email texts are a copy of those of 2026." in page.text
    assert 'value="Join us, {{ name }}"' in page.text
    texts_2027 = [text for text in await store.all_texts(db) if text.edition_id != edition.id]
    assert [(text.kind, text.locale) for text in texts_2027] == [("invitation", "en")]



async def test_the_review_of_a_public_page_uses_its_editions_text(admin_client, db, mailbox):
    """A practice's email belongs to its edition: the text changed there is what is sent."""
    edition = await factories.edition(db, year=2025, status="published")
    owner = await factories.user(db, email="owner@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  status="winner")
    review = email_texts.MESSAGES["practice_review"]
    await admin_client.submit("/admin/editions/2025/emails/practice_review", texts(
        review, subject_en="Your page in the {{ edition }}", action="save"))
    response = await admin_client.submit("/admin/practices/prepare",
                                         {"entry_id": str(entry.id)},
                                         token_from="/admin/practices")
    practice_id = int(response.headers["location"].rsplit("/", 1)[1])
    await admin_client.submit(f"/admin/practices/{practice_id}/send", {},
                              token_from=f"/admin/practices/{practice_id}")
    (message,) = mailbox.to("owner@example.org")
    assert subject_of(message) == "Your page in the European Prize for Drug Prevention 2025"
