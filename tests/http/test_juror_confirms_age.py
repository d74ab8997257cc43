"""No date of birth: a juror confirms once that they are at least 16, recorded as a
consent (document age_16) with its time; accepting an invitation also accepts the
privacy notice when the person has not accepted it yet."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from prize.clock import to_iso
from prize.store import consent, dialect
from prize.store import jury as jury_store
from tests import factories

YEAR = 2026
BASE = f"/admin/editions/{YEAR}/jury"
PROFILE = [("name", "Ana Kovač"), ("country", "SI"), ("languages", "sl"),
           ("organisation", "Ljubljana Youth Centre")]
PASSWORDS = [("password", "a long password"), ("password_confirm", "a long password")]


@pytest.fixture
async def edition(db):
    return await factories.edition(db, year=YEAR, status="judging",
                                   judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))


async def invitation_link(admin_client, mailbox, edition) -> str:
    response = await admin_client.submit(f"{BASE}/invite", {"name": "Ana",
                                                            "email": "ana@example.org"},
                                         token_from=BASE)
    assert response.status_code == 303
    return mailbox.link("ana@example.org", "/invitation")


def token_of(link: str) -> str:
    return link.split("token=")[1]


async def records(db, email: str) -> list[dict]:
    user_id = await db.fetch_value("SELECT id FROM users WHERE email = ?", (email,))
    return await consent.list_for_user(db, user_id)


async def test_joining_the_jury_without_confirming_the_age_is_refused_in_place(
        admin_client, other_client, db, edition, mailbox):
    link = await invitation_link(admin_client, mailbox, edition)
    page = await other_client.get(link)
    assert "I confirm that I am at least 16 years old." in page.text
    assert "date of birth" in page.text and 'type="date"' not in page.text
    response = await other_client.submit(
        "/invitation", [("token", token_of(link)), *PROFILE, *PASSWORDS, ("privacy", "on")],
        token_from=link)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Confirm that you are at least 16: the prize's jurors are 16 or older." in text
    assert 'href="#field-at_least_16"' in text and 'value="Ljubljana Youth Centre"' in text
    assert await records(db, "ana@example.org") == []
    (member,) = await jury_store.jurors_of(db, edition.id)
    assert member.status == "invited"


async def test_joining_the_jury_asks_for_the_privacy_notice_when_never_accepted(
        admin_client, other_client, db, edition, mailbox):
    link = await invitation_link(admin_client, mailbox, edition)
    assert 'href="/privacy"' in (await other_client.get(link)).text
    response = await other_client.submit(
        "/invitation", [("token", token_of(link)), *PROFILE, *PASSWORDS, ("at_least_16", "on")],
        token_from=link)
    assert response.status_code == 422
    assert "Tick the box to accept the privacy notice." in html.unescape(response.text)


async def test_joining_the_jury_records_both_confirmations(
        admin_client, other_client, db, edition, mailbox, clock):
    link = await invitation_link(admin_client, mailbox, edition)
    response = await other_client.submit(
        "/invitation", [("token", token_of(link)), *PROFILE, *PASSWORDS, ("at_least_16", "on"),
                        ("privacy", "on")], token_from=link)
    assert response.status_code == 303 and response.headers["location"] == "/jury"
    assert sorted(await records(db, "ana@example.org"), key=lambda r: r["document"]) == [
        {"document": "age_16", "version": 1, "language": "en", "accepted_at": to_iso(clock()),
         "occasion": "invitation", "entry_id": None},
        {"document": "privacy", "version": 1, "language": "en",
         "accepted_at": to_iso(clock()), "occasion": "invitation", "entry_id": None}]
    # Signed in and on the jury: no second question at the next sign-in either.
    assert (await other_client.get("/jury")).status_code == 200


async def test_a_juror_without_the_confirmation_gives_it_on_the_profile(client, db, clock):
    juror = await factories.user(db, role="juror")
    async with db.transaction() as conn:
        await jury_store.save_profile(conn, jury_store.JurorProfile(
            user_id=juror.id, country="SI", languages=["sl"]), clock())
    await client.log_in(juror.email)
    page = await client.get("/jury/profile")
    assert 'id="field-at_least_16"' in page.text
    refused = await client.submit("/jury/profile", PROFILE)
    assert refused.status_code == 422 and 'id="error-at_least_16"' in refused.text
    saved = await client.submit("/jury/profile", [*PROFILE, ("at_least_16", "on")])
    assert saved.status_code == 303
    ages = [r for r in await records(db, juror.email) if r["document"] == "age_16"]
    assert ages == [{"document": "age_16", "version": 1, "language": "en",
                     "accepted_at": to_iso(clock()), "occasion": "profile", "entry_id": None}]
    # Confirmed once: the profile says so and asks no more.
    again = await client.get("/jury/profile")
    assert "You have confirmed that you are at least 16." in again.text
    assert 'id="field-at_least_16"' not in again.text
    assert (await client.submit("/jury/profile", PROFILE)).status_code == 303
    assert len([r for r in await records(db, juror.email) if r["document"] == "age_16"]) == 1


def test_no_table_keeps_a_date_of_birth(settings):
    """Minimisation: the schema has no birth date, so none can be kept by mistake."""
    import asyncio

    from prize.store.db import Database

    async def columns_of_the_migrated_schema() -> list[str]:
        async with Database(settings.database) as database:
            await database.migrate()
            tables = [name for (name,) in await database.fetch_all(
                dialect.table_names_sql(database.engine))]
            return [f"{table}.{column}" for table in tables
                    for (column,) in await database.fetch_all(
                        dialect.column_names_sql(database.engine), (table,))]

    columns = asyncio.run(columns_of_the_migrated_schema())
    assert "users.email" in columns  # the listing sees the schema at all
    suspicious = [column for column in columns
                  if "birth" in column.lower() or column.split(".")[1].lower() in ("dob", "age")]
    assert suspicious == []
