"""Two workers on one database file (two apps, each with its own Database, as `prize
serve --workers 2` runs them): a write through one is seen by the very next request to
the other, whatever that request reads from memory — the public page cache, the query
cache of the catalogue, the prize's identity and the email texts."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from prize.store import identity, outbox
from prize.store import practices as practice_store
from prize.web.app import create_app
from tests import factories
from tests.conftest import Browser

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
async def other_worker(settings, clock) -> AsyncIterator:
    """A second app on the same file: what another worker process holds in memory."""
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def reader(other_worker) -> AsyncIterator[Browser]:
    async with Browser.for_app(other_worker) as browser:
        yield browser


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def unpublish(db, title: str) -> None:
    practice_id = await db.fetch_value("SELECT id FROM practices WHERE title = ?", (title,))
    async with db.transaction() as conn:
        await practice_store.set_status(conn, practice_id, "unpublished", now=NOW)


async def test_a_practice_unpublished_by_one_worker_leaves_the_others_pages_at_once(
        db, reader, other_worker, catalogue):
    # Given the other worker's public pages in its caches (read twice: the second is a hit)
    for _ in range(2):
        assert "TripApp" in titles((await reader.get("/practices")).text)
        api = (await reader.get("/api/v1/practices?per_page=100")).json()
        assert "TripApp" in {item["title"] for item in api["items"]}
    assert other_worker.state.page_cache.hits >= 2
    # When this worker unpublishes a practice
    await unpublish(db, "TripApp")
    # Then the other worker's very next answers no longer show it
    assert "TripApp" not in titles((await reader.get("/practices")).text)
    api = (await reader.get("/api/v1/practices?per_page=100")).json()
    assert "TripApp" not in {item["title"] for item in api["items"]}


async def test_a_signed_in_reader_of_the_other_worker_sees_the_change_at_once(
        db, other_worker, catalogue):
    # Signed-in pages skip the page cache but use the catalogue's query cache.
    async with Browser.for_app(other_worker) as signed_in:
        person = await factories.user(db, role="applicant")
        await signed_in.log_in(person.email)
        assert "TripApp" in titles((await signed_in.get("/practices")).text)
        assert "TripApp" in titles((await signed_in.get("/practices")).text)
        await unpublish(db, "TripApp")
        assert "TripApp" not in titles((await signed_in.get("/practices")).text)


async def test_the_prize_name_changed_through_one_worker_heads_the_others_next_page(
        db, reader):
    assert "European Prize for Drug Prevention" in (await reader.get("/")).text
    current = await identity.get(db)
    async with db.transaction() as conn:
        await identity.save(conn, current.model_copy(update={"name": "Prize of the Young"}),
                            NOW)
    page = (await reader.get("/practices")).text
    assert "Prize of the Young" in page
    assert "European Prize for Drug Prevention" not in page


async def test_an_email_text_changed_through_one_worker_is_the_next_one_the_other_sends(
        db, reader):
    person = await factories.user(db, role="applicant")
    # The other worker has read the configuration (its start-up, a page)
    assert (await reader.get("/password/forgot")).status_code == 200
    async with db.transaction() as conn:
        await identity.save_text(conn, edition_id=None, kind="reset_password", locale="en",
                                 subject="A new password for {{ prize }}",
                                 body="Dear {{ name }},\n\nFollow {{ link }} soon.",
                                 now=NOW, actor_id=None)
    answer = await reader.submit("/password/forgot", {"email": person.email})
    assert answer.status_code in (200, 303)
    (message,) = await outbox.recent(db, recipient=person.email, kind="reset_password")
    assert message.subject == "A new password for European Prize for Drug Prevention"


async def test_a_signed_in_persons_own_pages_follow_the_other_workers_writes_at_once(
        db, other_worker):
    # Given a juror signed in on the other worker, with one entry on their dashboard
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    first, second = [await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                           status="eligible") for _ in range(2)]
    juror = await factories.user(db, role="juror")
    await factories.assignment(db, edition_id=edition.id, entry_id=first.id, juror_id=juror.id)
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET assignment_released_at = ? WHERE id = ?",
                           ("2026-03-01T00:00:00Z", edition.id))
    async with Browser.for_app(other_worker) as signed_in:
        await signed_in.log_in(juror.email)
        for _ in range(2):  # read twice: the second answer may come from memory
            dashboard = (await signed_in.get("/jury")).text
        assert f"/jury/entries/{first.id}/" in dashboard
        # When this worker assigns a second entry
        await factories.assignment(db, edition_id=edition.id, entry_id=second.id,
                                   juror_id=juror.id)
        # Then the other worker's very next dashboard shows it
        dashboard = (await signed_in.get("/jury")).text
        assert f"/jury/entries/{second.id}/" in dashboard
        # And when this worker deactivates the account, the other's next request is
        # signed out (the person it knew is read again)
        async with db.transaction() as conn:
            await conn.execute("UPDATE users SET is_active = 0 WHERE id = ?", (juror.id,))
        answer = await signed_in.get("/jury")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
