"""The 2025 change, as the secretariat makes it in a browser: the prize is renamed
"Pompidou Group Prevention Prize" / « Prix de prévention du Groupe Pompidou » and the
confirmation email gets new words; then a page title, the Atom feed and the confirmation
an applicant receives all carry the new texts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

from prize.domain.editions import default_edition
from prize.store import editions
from tests import factories
from tests.browser.conftest import log_in, screenshot

SECRETARIAT = "sophie.martin@example.org"
APPLICANT = "ana.costa@example.org"
DESKTOP = {"width": 1280, "height": 900}
NEW_BODY_EN = ("Hello {{ name }},\n\nThank you: the {{ prize }} has your entry {{ reference }} "
               "({{ title }}). The jury of young people meets after the deadline, {{ deadline }}."
               "\n\n{{ entry_copy }}")
NEW_BODY_FR = ("Bonjour {{ name }},\n\nMerci : le {{ prize }} a bien reçu votre candidature "
               "{{ reference }} ({{ title }}). Le jury de jeunes se réunit après la date "
               "limite, le {{ deadline }}.\n\n{{ entry_copy }}")


def seed(live_server) -> dict:
    found = {}

    async def work(db):
        now = datetime.now(UTC)
        await factories.published_demo(db)
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        applicant = await factories.user(db, email=APPLICANT, name="Ana Costa")
        edition = default_edition(now.year + 1).model_copy(update={
            "status": "open", "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=60)})
        async with db.transaction() as conn:
            edition_id = await editions.insert(conn, edition, now)
        entry = await factories.entry(db, edition_id=edition_id, owner_id=applicant.id,
                                      now=now)
        found.update(year=edition.year, entry_id=entry.id)

    live_server.seed(work)
    return found


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_the_secretariat_renames_the_prize_and_rewrites_the_confirmation(live_server,
                                                                         browser):
    world = seed(live_server)
    url = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, url, SECRETARIAT)

    # The identity: both names, one click.
    page.goto(url + "/admin")
    page.get_by_role("link", name="The prize's identity").first.click()
    page.get_by_label("Name of the prize in English").fill("Pompidou Group Prevention Prize")
    page.get_by_label("Name of the prize in French").fill("Prix de prévention du Groupe Pompidou")
    page.get_by_label("Short name in English").fill("Prevention Prize")
    page.get_by_label("Short name in French").fill("Prix de prévention")
    page.get_by_role("button", name="Save the identity").click()
    page.get_by_role("status").filter(has_text="The prize's identity is saved.").wait_for()
    screenshot(page, "secretariat-identity", focus=page.get_by_role("heading", level=1))
    assert page.title().endswith("· Pompidou Group Prevention Prize")

    # The confirmation email of the edition: new words in both languages, previewed.
    page.goto(f"{url}/admin/editions/{world['year']}")
    page.locator("nav.edition-nav").get_by_role("link", name="Email texts").click()
    page.get_by_role("link", name="Entry received").click()
    page.get_by_label("Text in English").fill(NEW_BODY_EN)
    page.get_by_label("Text in French").fill(NEW_BODY_FR)
    page.get_by_label("Subject in English").fill("{{ prize }}: we have {{ reference }}")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("figure.email-preview").first
    preview.wait_for()
    assert "The jury of young people meets after the deadline" in preview.inner_text()
    assert "Pompidou Group Prevention Prize" in preview.inner_text()
    screenshot(page, "secretariat-email-placeholders",
               focus=page.get_by_role("heading", name="Placeholders"))
    screenshot(page, "secretariat-email-preview",
               focus=page.get_by_role("heading", name="Preview", exact=True))
    # A mistake is refused in place, the text kept.
    page.get_by_label("Subject in French").fill("Candidature {{ referenec }}")
    page.get_by_role("button", name="Save the texts").click()
    page.get_by_role("alert").wait_for()
    assert "Unknown placeholder: referenec" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Text in English").input_value().startswith("Hello {{ name }},")
    page.get_by_label("Subject in French").fill("{{ prize }} : candidature {{ reference }}")
    page.get_by_role("button", name="Save the texts").click()
    page.get_by_role("status").filter(has_text="are saved").wait_for()

    # A page title in French and the feed carry the new name.
    page.goto(url + "/language?locale=fr&next=/practices")
    page.wait_for_url("**/practices")
    assert page.title().endswith("· Prix de prévention du Groupe Pompidou")
    feed = page.request.get(url + "/feed.atom").text()
    assert "<title>Pompidou Group Prevention Prize: good practices</title>" in feed
    context.close()

    # The applicant submits: the confirmation carries the new texts.
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, url, APPLICANT)
    page.goto(f"{url}/my/entries/{world['entry_id']}/edit")
    page.get_by_role("button", name="Submit entry").click()
    page.get_by_role("status").first.wait_for()
    context.close()
    (message,) = [m for m in live_server.mail.to(APPLICANT)
                  if "EDPP-" in subject_of(m)]
    assert subject_of(message).startswith("Pompidou Group Prevention Prize: we have EDPP-")
    body = message.get_payload(decode=True).decode()
    assert "The jury of young people meets after the deadline" in body
    assert "The secretariat of the Pompidou Group Prevention Prize" in body
