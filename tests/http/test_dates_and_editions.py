"""Dates one way per language, the edition page's invitation, and the early-close email."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests import factories

# What a person must never read: seconds, a UTC offset, AM/PM, a US-style M/D/Y date,
# an IANA zone name, or Babel's default US English "May 30, 2027".
FORBIDDEN = re.compile(
    r"\d{1,2}:\d{2}:\d{2}|[+-]\d{4}\b|UTC|GMT|\b[AP]M\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|Europe/Paris|\b(January|February|March|April|May|June|July|August|September"
    r"|October|November|December) \d{1,2}, \d{4}")
DEADLINE = {"en": "30 May 2026, 23:59 (Strasbourg time)",
            "fr": "30 mai 2026, 23:59 (heure de Strasbourg)"}


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_date_bearing_pages_write_dates_one_way(lang, client, applicant_client,
                                                       admin_client, db, clock):
    clock.now = datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC)
    edition = await factories.edition(db, year=2026, status="open")
    entry_id = (await factories.entry(db, edition_id=edition.id,
                                      owner_id=applicant_client.user.id)).id
    headers = {"Accept-Language": lang}
    pages = [
        (client, "/"), (client, "/editions"), (client, "/editions/2026"),
        (applicant_client, "/my"), (applicant_client, f"/my/entries/{entry_id}"),
        (admin_client, "/admin/editions/2026"), (admin_client, "/admin/audit"),
    ]
    for browser, path in pages:
        page = await browser.get(path, headers=headers)
        assert page.status_code == 200, path
        text = visible(page.text)
        assert not FORBIDDEN.search(text), (path, FORBIDDEN.search(text).group())
    for path in ("/", "/editions/2026"):
        assert DEADLINE[lang] in visible((await client.get(path, headers=headers)).text)


async def test_juror_dashboard_and_progress_write_dates_one_way(admin_client, db):
    edition = await factories.edition(db, year=2026, status="judging",
                                      judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))
    jury_dashboard = await admin_client.get("/admin/editions/2026/progress")
    assert jury_dashboard.status_code == 200
    assert not FORBIDDEN.search(visible(jury_dashboard.text))
    assert edition.judging_ends_at


@pytest.mark.parametrize(("lang", "when"), [
    ("en", "30 May 2026, 23:59 (Strasbourg time)"),
    ("fr", "30 mai 2026, 23:59 (heure de Strasbourg)")])
def test_the_one_date_time_format_names_the_zone(lang, when):
    from prize import i18n

    with i18n.use_locale(lang):
        assert i18n.format_moment(datetime(2026, 5, 30, 21, 59, 30, tzinfo=UTC),
                                  "Europe/Paris").startswith(when)
        assert "Lisbon" in i18n.format_moment(datetime(2026, 5, 30, tzinfo=UTC),
                                              "Europe/Lisbon")


async def test_open_edition_page_invites_anonymous_visitors_to_sign_up(client, db, clock):
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    await factories.edition(db, year=2026, status="open")
    page = await client.get("/editions/2026")
    assert re.search(r'<a class="button" href="/signup">Enter your project</a>', page.text)
    assert "Criteria" in page.text and DEADLINE["en"] in visible(page.text)
    # Cached for anonymous readers, but not past the deadline.
    clock.now = datetime(2026, 6, 1, tzinfo=UTC)
    closed = await client.get("/editions/2026")
    assert "Enter your project" not in closed.text


async def test_signed_in_applicant_starts_then_resumes_from_the_edition_page(
        applicant_client, db, clock):
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    edition = await factories.edition(db, year=2026, status="open")
    page = await applicant_client.get("/editions/2026")
    assert 'action="/my/entries"' in page.text and "Enter your project" in page.text
    started = await applicant_client.submit("/my/entries", {"edition_id": str(edition.id)},
                                            token_from="/editions/2026")
    assert started.status_code == 303
    draft_path = started.headers["location"]
    again = await applicant_client.get("/editions/2026")
    assert f'href="{draft_path}"' in again.text and "Continue your draft" in again.text


async def test_editions_lists_public_editions_but_not_drafts(client, db):
    await factories.edition(db, year=2024, status="published")
    await factories.edition(db, year=2030, status="draft")
    page = await client.get("/editions")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    assert 'href="/editions/2024"' in page.text and "/editions/2030" not in page.text
    assert (await client.get("/editions/2030")).status_code == 404


async def test_closing_early_emails_each_draft_owner_in_their_language(
        admin_client, db, clock, mailbox):
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    edition = await factories.edition(db, year=2026, status="open")
    english = await factories.user(db, email="ana@example.org")
    french = await factories.user(db, email="luc@example.org")
    submitted = await factories.user(db, email="done@example.org")
    await db.execute_write("UPDATE users SET locale = 'fr' WHERE id = ?", (french.id,))
    for person in (english, french):
        await factories.entry(db, edition_id=edition.id, owner_id=person.id)
    await factories.entry(db, edition_id=edition.id, owner_id=submitted.id, status="submitted",
                          application=factories.complete_application())
    path = "/admin/editions/2026"
    confirm = await admin_client.get(path)
    assert "2 drafts not submitted" in confirm.text, re.findall(r"Emails:[^<]*<", confirm.text)
    done = await admin_client.submit(f"{path}/transition",
                                     {"transition": "close_call", "force": "on"},
                                     token_from=path)
    assert done.status_code == 303
    assert "Emails sent: 2" in (await admin_client.get(path)).text
    (to_ana,) = mailbox.to("ana@example.org")
    (to_luc,) = mailbox.to("luc@example.org")
    assert not mailbox.to("done@example.org")
    assert "1 March 2026, 01:00 (Strasbourg time)" in mailbox.body(to_ana)
    assert "30 May 2026, 23:59 (Strasbourg time)" in mailbox.body(to_ana)
    assert "30 mai 2026, 23:59 (heure de Strasbourg)" in mailbox.body(to_luc)
    assert "Strasbourg time" not in mailbox.body(to_luc)
    assert not FORBIDDEN.search(mailbox.body(to_ana))


async def test_closing_after_the_deadline_sends_no_early_close_email(
        admin_client, db, clock, mailbox):
    clock.now = datetime(2026, 6, 1, tzinfo=UTC)
    edition = await factories.edition(db, year=2026, status="open")
    owner = await factories.user(db, email="late@example.org")
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id)
    path = "/admin/editions/2026"
    done = await admin_client.submit(f"{path}/transition", {"transition": "close_call"},
                                     token_from=path)
    assert done.status_code == 303
    assert not mailbox.to("late@example.org")
