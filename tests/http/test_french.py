"""French alongside English: every kind of page, the switcher, emails, dates and numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest
from babel.messages.pofile import read_po

from prize import i18n
from prize.domain.editions import Criterion
from prize.store import users
from prize.web.templating import local_date, number
from tests import factories
from tests.unit.test_translations import PO

FR = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB,en;q=0.8"}
LANG = re.compile(r'<html lang="([a-z]+)">')


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def lang_of(html: str) -> str:
    match = LANG.search(html)
    assert match, "no <html lang=…>"
    return match.group(1)


def _untranslatable_in_page() -> list[tuple[str, str]]:
    """Long English strings whose French differs: none should reach a French page as is."""
    with PO.open("rb") as po:
        catalogue = read_po(po, locale="fr")
    pairs = []
    for message in catalogue:
        if message.id and not message.pluralizable and "%" not in message.id:
            english, french = message.id, message.string
            if len(english) >= 25 and "{" not in english and french and french != english:
                pairs.append((english, french))
    return pairs


ENGLISH_STRINGS = _untranslatable_in_page()


def assert_french(page) -> None:
    assert page.status_code == 200, page.text[:500]
    assert lang_of(page.text) == "fr"
    assert "Bonnes pratiques" in page.text and "Un prix du Groupe Pompidou" in page.text
    # What a reader sees, without what people typed (form values may be in either language).
    text = re.sub(r'value="[^"]*"|<textarea[^>]*>[^<]*</textarea>', "", page.text)
    text = text.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    left = [english for english, _french in ENGLISH_STRINGS if english in text]
    assert not left, f"English left on a French page: {left}"


def assert_english(page) -> None:
    assert page.status_code == 200, page.text[:500]
    assert lang_of(page.text) == "en"
    assert "Good practices" in page.text and "A prize of the Pompidou Group" in page.text


async def assert_both_languages(client, paths) -> dict[str, str]:
    """Signed-in people read their account's language: switch it as they would, with the link."""
    await client.get("/language", params={"locale": "en"})
    for path in paths:
        assert_english(await client.get(path))
    await client.get("/language", params={"locale": "fr"})
    french = {}
    for path in paths:
        page = await client.get(path)
        assert_french(page)
        french[path] = page.text
    return french


@pytest.fixture
async def edition(db):
    return await factories.edition(db, year=2026, status="open",
                                   closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


async def practice_slug(client) -> str:
    listing = await client.get("/practices", headers=EN)
    return re.search(r'href="/practices/([a-z0-9-]+)"', listing.text.split("<main")[1]).group(1)


# Pages ---------------------------------------------------------------------------------------


async def test_public_pages_render_in_both_languages(client, db, edition, catalogue):
    slug = await practice_slug(client)
    for path in ("/", "/practices", f"/practices/{slug}", "/editions/2024", "/login", "/signup",
                 "/password/forgot", "/no-such-page"):
        english = await client.get(path, headers=EN)
        french = await client.get(path, headers=FR)
        if path == "/no-such-page":
            assert english.status_code == french.status_code == 404
            assert "Page not found" in english.text and "Page introuvable" in french.text
            assert lang_of(french.text) == "fr"
            continue
        assert_english(english)
        assert_french(french)


async def test_applicant_pages_render_in_both_languages(client, db, edition):
    person = await factories.user(db, email="ana@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=person.id)
    await client.log_in("ana@example.org")
    form = f"/my/entries/{entry.id}/edit"
    french = await assert_both_languages(client, (
        "/my", form, f"/my/entries/{entry.id}", f"/my/entries/{entry.id}/print"))
    assert "Nom de l’organisation" in french[form] and "Participation des jeunes" in french[form]
    assert "Candidatures ouvertes jusqu’au 30 mai 2026" in french["/my"]


async def test_admin_pages_render_in_both_languages(client, db, edition):
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    base = f"/admin/editions/{edition.year}"
    criteria = f"{base}/criteria"
    french = await assert_both_languages(client, (
        "/admin", base, f"{base}/edit", criteria,
        "/admin/editions/new", "/admin/entries", "/admin/users", "/admin/audit"))
    assert "Participation des jeunes" in french[criteria]


async def test_jury_pages_render_in_both_languages(client, db):
    judging = await factories.edition(db, year=2026, status="judging",
                                      judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))
    await factories.juror(db, edition_id=judging.id, email="juror@example.org")
    await client.log_in("juror@example.org")
    french = await assert_both_languages(client, ("/jury", "/jury/profile", "/jury/2026/conflicts"))
    assert "15 juillet 2026" in french["/jury"]


async def test_validation_messages_follow_the_language(client):
    page = await client.submit("/signup", {"name": "", "email": "not-an-address",
                                           "password": "short", "password_confirm": "short",
                                           "privacy": "on"})
    assert page.status_code == 422 and lang_of(page.text) == "en"
    french = await client.post("/signup", headers=FR, data={
        "name": "", "email": "not-an-address", "password": "short", "password_confirm": "short",
        "privacy": "on", "csrf_token": await client.csrf_token("/signup")})
    assert french.status_code == 422 and lang_of(french.text) == "fr"
    assert "Utilisez au moins 10 caractères." in french.text
    assert "Il y a 3 problèmes" in french.text


# The switcher --------------------------------------------------------------------------------


async def test_switcher_changes_the_language_and_keeps_the_url(client, catalogue):
    page = await client.get("/practices?setting=school")
    assert lang_of(page.text) == "en"
    link = re.search(r'href="(/language\?locale=fr[^"]*)"', page.text).group(1)
    switched = await client.get(link.replace("&amp;", "&"))
    assert switched.status_code == 303
    assert switched.headers["location"] == "/practices?setting=school"
    french = await client.get("/practices?setting=school", headers=EN)
    assert lang_of(french.text) == "fr", "the choice beats Accept-Language"
    back = re.search(r'href="(/language\?locale=en[^"]*)"', french.text).group(1)
    await client.get(back.replace("&amp;", "&"))
    assert lang_of((await client.get("/practices", headers=FR)).text) == "en"


async def test_switcher_refuses_to_redirect_elsewhere(client):
    response = await client.get("/language", params={"locale": "fr", "next": "https://evil.example"})
    assert response.status_code == 303 and response.headers["location"] == "/"


async def test_signed_in_users_choice_is_remembered_on_their_account(client, other_client, db):
    person = await factories.user(db, email="ana@example.org")
    await client.log_in("ana@example.org")
    await client.get("/language", params={"locale": "fr", "next": "/my"})
    assert (await users.get(db, person.id)).locale == "fr"
    await other_client.log_in("ana@example.org")
    assert lang_of((await other_client.get("/my", headers=EN)).text) == "fr"


# Email ----------------------------------------------------------------------------------------


async def test_verification_email_is_in_the_language_of_sign_up(client, mailbox):
    token = await client.csrf_token("/signup")
    response = await client.post("/signup", headers=FR, data={
        "name": "Amélie Exemple", "email": "amelie@example.org", "password": "a long password",
        "password_confirm": "a long password", "privacy": "on", "csrf_token": token})
    assert response.status_code == 303
    (message,) = mailbox.to("amelie@example.org")
    assert subject(message) == (
        "Confirmez votre adresse électronique – Prix européen de la prévention des drogues")
    body = mailbox.body(message)
    assert "Bonjour Amélie Exemple," in body and "/verify?token=" in body


async def test_email_follows_the_recipient_not_the_page(client, db, mailbox):
    person = await factories.user(db, email="jean@example.org")
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET locale = 'fr' WHERE id = ?", (person.id,))
    english = await client.submit("/password/forgot", {"email": "jean@example.org"})
    assert english.status_code == 200 and lang_of(english.text) == "en"
    (message,) = mailbox.to("jean@example.org")
    assert "mot de passe" in mailbox.body(message)
    assert "Hello" not in mailbox.body(message)


async def test_english_reader_gets_english_email(client, mailbox):
    response = await client.submit("/signup", {
        "name": "Ann Example", "email": "ann@example.org", "password": "a long password",
        "password_confirm": "a long password", "privacy": "on"})
    assert response.status_code == 303
    (message,) = mailbox.to("ann@example.org")
    assert subject(message) == "Confirm your email address – European Prize for Drug Prevention"


# Dates, numbers, bilingual content ------------------------------------------------------------


async def test_dates_are_written_for_the_language_in_the_editions_time_zone(client, db, edition):
    # 21:59 UTC on 30 May is 23:59 in Strasbourg (summer time).
    french = await client.get("/", headers=FR)
    assert re.search(r"30\s+mai\s+2026\D+23:59", french.text)
    english = await client.get("/", headers=EN)
    assert re.search(r"30\s+May\s+2026\D+23:59", english.text)


def test_numbers_and_dates_use_the_language():
    with i18n.use_locale("fr"):
        assert number(1234.5) == "1\u202f234,5"
        assert local_date(datetime(2026, 5, 30, 22, 30, tzinfo=UTC)) == "31 mai 2026"
    with i18n.use_locale("en"):
        assert number(1234.5) == "1,234.5"
        assert local_date(datetime(2026, 5, 30, 22, 30, tzinfo=UTC)) == "31 May 2026"


async def test_edition_title_theme_and_criteria_show_in_the_readers_language(client, db):
    criterion = Criterion(key="reach", title="Reach", title_fr="Portée", guidance="How many.",
                          guidance_fr="Combien de personnes.", weight=1.5)
    await factories.edition(db, year=2025, status="published", title="Prize 2025",
                            title_fr="Prix 2025", theme="Youth", theme_fr="Jeunesse",
                            criteria=(criterion,))
    english = await client.get("/editions/2025", headers=EN)
    french = await client.get("/editions/2025", headers=FR)
    assert "Prize 2025" in english.text and "Reach" in english.text and "1.5" in english.text
    assert "Prix 2025" in french.text and "Portée" in french.text and "1,5" in french.text
    assert "Combien de personnes." in french.text


async def test_practice_shows_the_language_it_was_written_in(client, db, catalogue):
    slug = await practice_slug(client)
    async with db.transaction() as conn:
        await conn.execute("UPDATE practices SET language = 'fr' WHERE slug = ?", (slug,))
        await conn.execute("UPDATE catalogue_version SET version = version + 1")
    english = await client.get(f"/practices/{slug}", headers=EN)
    assert "Written in French" in english.text
    assert re.search(r'<h1 lang="fr">', english.text)
    assert 'class="practice-text" lang="fr"' in english.text
    french = await client.get(f"/practices/{slug}", headers=FR)
    assert "Rédigée en français" in french.text
    assert "<h1>" in french.text and 'class="practice-text" lang=' not in french.text
