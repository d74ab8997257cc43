"""The privacy notice is versioned and public; accepting it is recorded with its version
and time at sign-up, and a new version is asked for at the next sign-in."""

from __future__ import annotations

import html

from prize.clock import to_iso
from prize.domain.notices import Document
from prize.store import consent
from tests import factories

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
NEW_EN = "# Who is responsible\nThe secretariat, at a new address.\n- One item\n- Two items"
NEW_FR = "# Qui est responsable\nLe secrétariat, à une nouvelle adresse."


async def consents_of(db, user_id: int) -> list[dict]:
    return await consent.list_for_user(db, user_id)


async def publish_new_version(admin_client, en: str = NEW_EN, fr: str = NEW_FR,
                              note: str = "A new address for the secretariat."):
    form = {"body_en": en, "body_fr": fr, "change_note": note}
    check = await admin_client.submit("/admin/notices/privacy/new", form)
    assert check.status_code == 200, check.text
    published = await admin_client.submit("/admin/notices/privacy/new",
                                          {**form, "confirm": "yes"})
    assert published.status_code == 303
    return check, published


async def user_id_of(db, email: str) -> int:
    return await db.fetch_value("SELECT id FROM users WHERE email = ?", (email,))


# Sign-up --------------------------------------------------------------------------


async def test_sign_up_without_accepting_the_notice_is_refused_in_place(client, db):
    response = await client.submit("/signup", {
        "name": "Ana Example", "email": "ana@example.org",
        "password": "a long password", "password_confirm": "a long password"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Tick the box to accept the privacy notice." in page
    assert 'href="#field-privacy"' in page and 'id="error-privacy"' in page
    # What was typed stays (but never the password).
    assert 'value="Ana Example"' in page and 'value="ana@example.org"' in page
    assert "a long password" not in page
    assert await user_id_of(db, "ana@example.org") is None


async def test_sign_up_records_the_notice_version_language_and_time(client, db, clock):
    response = await client.post("/signup", headers=FR, data={
        "name": "Amélie", "email": "amelie@example.org", "password": "a long password",
        "password_confirm": "a long password", "privacy": "on",
        "csrf_token": await client.csrf_token("/signup")})
    assert response.status_code == 303
    records = await consents_of(db, await user_id_of(db, "amelie@example.org"))
    assert records == [{"document": "privacy", "version": 1, "language": "fr",
                        "accepted_at": to_iso(clock()), "occasion": "signup",
                        "entry_id": None}]


async def test_the_sign_up_page_links_to_the_notice(client):
    page = (await client.get("/signup")).text
    assert 'href="/privacy"' in page
    assert "I have read the privacy notice and accept it." in page


# The public notice ------------------------------------------------------------------


async def test_the_notice_is_public_in_the_page_language_and_linked_from_every_page(client):
    english = await client.get("/privacy")
    assert english.status_code == 200
    assert "<h1>Privacy notice</h1>" in english.text
    assert "Who is responsible" in english.text and "Your rights" in english.text
    assert "Version 1" in english.text
    french = await client.get("/privacy", headers=FR)
    assert "Qui est responsable" in french.text and "Vos droits" in french.text
    assert "Who is responsible" not in french.text
    assert 'href="/privacy"' in (await client.get("/")).text


async def test_a_new_version_is_in_force_and_the_old_one_stays_readable(client, admin_client):
    await publish_new_version(admin_client)
    current = await client.get("/privacy")
    assert "The secretariat, at a new address." in current.text
    assert "<li>One item</li><li>Two items</li>" in current.text
    assert "Version 2" in current.text
    assert 'href="/privacy/versions/1"' in current.text and "Earlier versions" in current.text
    old = await client.get("/privacy/versions/1")
    assert old.status_code == 200 and "It is no longer in force" in old.text
    assert "The European Prize for Drug Prevention is a prize" in old.text
    assert (await client.get("/privacy/versions/3")).status_code == 404


async def test_notice_text_is_shown_as_text_never_as_markup(client, admin_client):
    await publish_new_version(admin_client, en="<script>alert(1)</script>\n# <b>Heading</b>")
    page = (await client.get("/privacy")).text
    assert "<script>alert(1)</script>" not in page and "<b>Heading</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Asked again at the next sign-in ----------------------------------------------------


async def test_a_new_version_is_asked_for_at_the_next_sign_in_keeping_the_way_on(
        client, admin_client, db, clock):
    person = await factories.user(db, email="ana@example.org")
    await publish_new_version(admin_client)

    login = await client.submit("/login?next=/my", {"email": "ana@example.org",
                                                     "password": factories.PASSWORD,
                                                     "next": "/my"})
    assert login.status_code == 303 and login.headers["location"] == "/privacy/accept"
    asked = await client.get("/privacy/accept")
    assert asked.status_code == 200
    assert "Our privacy notice has changed" in asked.text
    assert "You accepted version 1; this is version 2." in asked.text
    assert "A new address for the secretariat." in asked.text
    assert "The secretariat, at a new address." in asked.text
    # Not signed in until accepted: the area stays closed.
    closed = await client.get("/my")
    assert closed.status_code == 303 and closed.headers["location"].startswith("/login")

    clock.advance(minutes=3)
    accepted = await client.submit("/privacy/accept", {"version": "2"})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/my"
    assert (await client.get("/my")).status_code == 200
    assert (await consents_of(db, person.id))[-1] == {
        "document": "privacy", "version": 2, "language": "en",
        "accepted_at": to_iso(clock()), "occasion": "sign_in", "entry_id": None}

    # Accepted once: the next sign-in goes straight in.
    await client.submit("/logout", {}, token_from="/my")
    again = await client.submit("/login", {"email": "ana@example.org",
                                           "password": factories.PASSWORD})
    assert again.status_code == 303 and again.headers["location"] == "/my"


async def test_someone_who_never_accepted_the_notice_is_asked_at_sign_in(client, db):
    await factories.user(db, email="made@example.org", role="juror", accepted_notice=False)
    login = await client.log_in("made@example.org")
    assert login.headers["location"] == "/privacy/accept"
    asked = await client.get("/privacy/accept")
    assert "<h1>Our privacy notice</h1>" in asked.text
    accepted = await client.submit("/privacy/accept", {"version": "1"})
    assert accepted.headers["location"] == "/jury"


async def test_not_accepting_signs_out(client, admin_client, db):
    await factories.user(db, email="ana@example.org")
    await publish_new_version(admin_client)
    await client.log_in("ana@example.org")
    page = (await client.get("/privacy/accept")).text
    assert "Sign out instead" in page and 'action="/logout"' in page
    out = await client.submit("/logout", {}, token_from="/privacy/accept")
    assert out.status_code == 303
    gone = await client.get("/privacy/accept")
    assert gone.status_code == 303 and gone.headers["location"] == "/login"
    assert (await client.get("/my")).headers["location"].startswith("/login")


async def test_accepting_a_version_that_is_no_longer_in_force_shows_the_new_one(
        client, admin_client, db):
    person = await factories.user(db, email="ana@example.org")
    await publish_new_version(admin_client)
    await client.log_in("ana@example.org")
    stale = await client.submit("/privacy/accept", {"version": "1"})
    assert stale.status_code == 409
    assert "The privacy notice has just changed" in html.unescape(stale.text)
    assert [r["version"] for r in await consents_of(db, person.id)] == [1]
    assert (await client.get("/my")).status_code == 303  # still not signed in


async def test_a_wait_for_the_notice_ends_after_half_an_hour(client, admin_client, db, clock):
    await factories.user(db, email="ana@example.org")
    await publish_new_version(admin_client)
    await client.log_in("ana@example.org")
    clock.advance(minutes=31)
    late = await client.submit("/privacy/accept", {"version": "2"})
    assert late.status_code == 303 and late.headers["location"] == "/login"


# The secretariat edits the notice -----------------------------------------------------


async def test_the_secretariat_sees_every_version_and_publishes_after_a_confirmation(
        admin_client, db):
    listing = await admin_client.get("/admin/notices")
    assert listing.status_code == 200 and "Version 1" in listing.text
    form = await admin_client.get("/admin/notices/privacy/new")
    # Prefilled with the version in force.
    assert "Who is responsible" in form.text and "Qui est responsable" in form.text

    check, _published = await publish_new_version(admin_client)
    assert "Publish version 2 of the privacy notice?" in check.text
    assert "Every person with an account is asked to read and accept it" in check.text
    current = await consent.current(db, Document.PRIVACY)
    assert current.version == 2 and current.body_fr == NEW_FR
    assert current.change_note == "A new address for the secretariat."
    listing = (await admin_client.get("/admin/notices")).text
    assert "Version 2" in listing and "Version 1" in listing
    assert "1 person" in listing  # the secretariat itself accepted version 1
    old = await admin_client.get("/admin/notices/privacy/1")
    assert old.status_code == 200 and "No longer in force." in old.text
    audit = (await admin_client.get("/admin/audit")).text
    assert "New version of the privacy notice published" in audit


async def test_checking_without_confirming_publishes_nothing(admin_client, db):
    check = await admin_client.submit("/admin/notices/privacy/new", {
        "body_en": NEW_EN, "body_fr": NEW_FR, "change_note": "Typo."})
    assert check.status_code == 200
    back = await admin_client.submit("/admin/notices/privacy/new", {
        "body_en": NEW_EN, "body_fr": NEW_FR, "change_note": "Typo.", "confirm": "edit"})
    assert back.status_code == 200 and "The secretariat, at a new address." in back.text
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def refused(admin_client, **changes) -> str:
    form = {"body_en": NEW_EN, "body_fr": NEW_FR, "change_note": "Changed.", **changes}
    response = await admin_client.submit("/admin/notices/privacy/new",
                                         {**form, "confirm": "yes"})
    assert response.status_code == 422
    return html.unescape(response.text)


async def test_an_empty_english_text_is_refused_and_the_rest_kept(admin_client, db):
    page = await refused(admin_client, body_en="  \n\n ")
    assert "Write the text: it cannot be empty." in page
    assert NEW_FR in page and 'value="Changed."' in page
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def test_a_missing_french_text_is_refused(admin_client, db):
    page = await refused(admin_client, body_fr="")
    assert 'href="#field-body_fr"' in page and "Write the text: it cannot be empty." in page
    assert "The secretariat, at a new address." in page
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def test_a_text_too_long_is_refused(admin_client, db):
    page = await refused(admin_client, body_en="word " * 5000)
    assert "At most 20,000 characters." in page
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def test_a_version_without_a_note_of_what_changed_is_refused(admin_client, db):
    page = await refused(admin_client, change_note=" ")
    assert "Say in a sentence what changed." in page
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def test_the_text_in_force_unchanged_is_not_a_new_version(admin_client, db):
    current = await consent.current(db, Document.PRIVACY)
    page = await refused(admin_client, body_en=current.body_en, body_fr=current.body_fr)
    assert "This is the text of the version in force" in page


async def test_only_the_privacy_notice_is_edited_here(admin_client):
    assert (await admin_client.get("/admin/notices/declaration/new")).status_code == 404
    assert (await admin_client.get("/admin/notices/nothing/1")).status_code == 404
    assert (await admin_client.get("/admin/notices/declaration/1")).status_code == 200


async def test_nobody_but_the_secretariat_edits_the_notice(applicant_client, juror_client, db):
    for browser in (applicant_client, juror_client):
        assert (await browser.get("/admin/notices")).status_code == 403
        attempt = await browser.submit("/admin/notices/privacy/new", {
            "body_en": NEW_EN, "body_fr": NEW_FR, "change_note": "Mine.", "confirm": "yes"},
            token_from="/privacy")
        assert attempt.status_code == 403
    assert (await consent.current(db, Document.PRIVACY)).version == 1


async def test_signing_in_through_a_password_reset_also_asks_for_a_new_version(
        client, admin_client, db, mailbox):
    person = await factories.user(db, email="me@example.org")
    await publish_new_version(admin_client)
    await client.submit("/password/forgot", {"email": "me@example.org"})
    link = mailbox.link("me@example.org", "/password/reset")
    response = await client.submit("/password/reset", {
        "token": link.split("token=")[1], "password": "a brand new password",
        "password_confirm": "a brand new password"}, token_from=link)
    assert response.status_code == 303 and response.headers["location"] == "/privacy/accept"
    asked = await client.get("/privacy/accept")
    # The note of the step before is not lost on the way.
    assert "Your new password is set." in asked.text
    accepted = await client.submit("/privacy/accept", {"version": "2"})
    assert accepted.headers["location"] == "/my"
    assert [r["version"] for r in await consents_of(db, person.id)] == [1, 2]


async def test_a_french_reader_is_shown_and_accepts_the_french_text(client, admin_client, db):
    person = await factories.user(db, email="jean@example.org")
    await publish_new_version(admin_client)
    await client.log_in("jean@example.org")
    asked = await client.get("/privacy/accept", headers=FR)
    assert "Le secrétariat, à une nouvelle adresse." in asked.text
    assert "The secretariat, at a new address." not in asked.text
    token = await client.csrf_token("/privacy/accept")
    accepted = await client.post("/privacy/accept", headers=FR,
                                 data={"version": "2", "csrf_token": token})
    assert accepted.status_code == 303
    assert (await consents_of(db, person.id))[-1]["language"] == "fr"


async def test_the_secretariat_sees_what_a_person_accepted_and_when(admin_client, db):
    person = await factories.user(db, email="ana@example.org")
    never = await factories.user(db, email="new@example.org", accepted_notice=False)
    page = (await admin_client.get(f"/admin/users/{person.id}")).text
    assert "Texts accepted" in page
    assert "Privacy notice, " in page and 'href="/admin/notices/privacy/1"' in page
    assert "1 January 2026" in page and "On creating the account" in page
    empty = (await admin_client.get(f"/admin/users/{never.id}")).text
    assert "None yet: the privacy notice is asked for at their next sign-in." in empty


async def test_confirming_the_email_address_signs_in_with_its_welcome(client, db, mailbox):
    await client.submit("/signup", {
        "name": "Ana Example", "email": "ana@example.org", "password": "a long password",
        "password_confirm": "a long password", "privacy": "on"})
    link = mailbox.link("ana@example.org", "/verify")
    response = await client.submit("/verify", {"token": link.split("token=")[1]},
                                   token_from=link)
    # Accepted at sign-up: straight in, with the note of the step before.
    assert response.status_code == 303 and response.headers["location"] == "/my"
    assert "Your email address is confirmed. Welcome!" in (await client.get("/my")).text


async def test_reading_the_notice_sets_no_cookie(client):
    response = await client.get("/privacy")
    assert response.status_code == 200 and "set-cookie" not in response.headers
