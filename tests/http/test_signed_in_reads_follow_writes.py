"""Signed-in pages keep their reads in memory until anyone commits (prize/store/memo.py):
the person, the juror's dashboard, the entry and sheet of a score sheet, the entry's text
rendered once for all its jurors. Each test writes through one app's database and reads
through a second app on the same file, as two worker processes: the very next page shows
the change. The blind rule holds at once: a conflict set elsewhere hides the entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from prize.web.app import create_app
from tests import factories
from tests.conftest import Browser

YEAR = 2026


@pytest.fixture
async def other_worker(settings, clock) -> AsyncIterator:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def world(db):
    edition = await factories.edition(db, year=YEAR, status="judging",
                                      judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))
    owner = await factories.user(db, email="owner@example.org")
    juror = await factories.juror(db, edition_id=edition.id, email="j@example.org",
                                  country="FR")
    entries = []
    for title, country in (("Peer Talk", "IE"), ("Street Voices", "DE")):
        entry = await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, status="eligible",
            application=factories.complete_application(title=title, country=country))
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id)
        entries.append(entry)
    await factories.release_assignment(db, edition.id)
    return {"juror": juror, "entries": entries}


@pytest.fixture
async def juror_elsewhere(other_worker, world) -> AsyncIterator[Browser]:
    """The juror, signed in on the other worker."""
    async with Browser.for_app(other_worker) as browser:
        response = await browser.log_in("j@example.org")
        assert response.status_code == 303
        yield browser


async def read_twice(browser: Browser, path: str):
    """The page, read twice: the second answer comes from what the worker kept."""
    first = await browser.get(path)
    second = await browser.get(path)
    assert second.text.count("Street Voices") == first.text.count("Street Voices")
    return second


async def test_a_conflict_set_elsewhere_hides_the_entry_at_once(
        db, world, other_worker, juror_elsewhere):
    street = world["entries"][1]
    page = await read_twice(juror_elsewhere, "/jury")
    assert "Street Voices" in page.text
    assert (await read_twice(juror_elsewhere, f"/jury/entries/{street.id}/sheet")).status_code \
        == 200
    assert other_worker.state.memo.hits > 0
    # The juror's country becomes the entry's, through the first worker: a conflict.
    async with db.transaction() as conn:
        await conn.execute("UPDATE juror_profiles SET country = 'DE' WHERE user_id = ?",
                           (world["juror"].id,))
    dashboard = await juror_elsewhere.get("/jury")
    assert "Peer Talk" in dashboard.text
    assert "Street Voices" not in dashboard.text
    assert (await juror_elsewhere.get(f"/jury/entries/{street.id}/sheet")).status_code == 404
    assert (await juror_elsewhere.get(f"/jury/entries/{street.id}")).status_code == 404


async def test_a_deactivated_account_is_signed_out_at_its_next_page(
        db, world, juror_elsewhere):
    assert (await read_twice(juror_elsewhere, "/jury")).status_code == 200
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET is_active = 0 WHERE id = ?", (world["juror"].id,))
    answer = await juror_elsewhere.get("/jury")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


async def test_a_changed_role_counts_from_the_next_page(db, world, juror_elsewhere):
    assert (await read_twice(juror_elsewhere, "/jury")).status_code == 200
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET role = 'applicant' WHERE id = ?",
                           (world["juror"].id,))
    assert (await juror_elsewhere.get("/jury")).status_code == 403
    assert 'href="/my"' in (await juror_elsewhere.get("/practices")).text


async def test_an_entrys_changed_text_shows_on_the_next_score_sheet(
        db, world, juror_elsewhere):
    peer = world["entries"][0]
    path = f"/jury/entries/{peer.id}/sheet"
    assert "A sentence written later" not in (await read_twice(juror_elsewhere, path)).text
    changed = factories.complete_application(title="Peer Talk", country="IE",
                                             summary="A sentence written later.")
    async with db.transaction() as conn:
        await conn.execute("UPDATE entries SET application = ? WHERE id = ?",
                           (changed.model_dump_json(), peer.id))
    assert "A sentence written later." in (await juror_elsewhere.get(path)).text
    # The entry's own page renders the same text afresh too.
    assert "A sentence written later." in (
        await juror_elsewhere.get(f"/jury/entries/{peer.id}")).text


async def test_a_draft_saved_through_one_worker_shows_on_the_others_sheet(
        app, db, world, juror_elsewhere):
    peer = world["entries"][0]
    path = f"/jury/entries/{peer.id}/sheet"
    await read_twice(juror_elsewhere, path)
    async with Browser.for_app(app) as here:
        await here.log_in("j@example.org")
        answer = await here.submit(path, {"version": "0", "action": "save",
                                          "overall_comment": "Saved on the first worker."})
        assert answer.status_code in (200, 303)
    assert "Saved on the first worker." in (await juror_elsewhere.get(path)).text


async def test_each_language_has_its_own_kept_pages(world, juror_elsewhere):
    peer = world["entries"][0]
    for path, english, french in (("/jury", "Entries assigned to you",
                                   "Les candidatures que vous évaluez"),
                                  (f"/jury/entries/{peer.id}/sheet", "Your score sheet",
                                   "Votre fiche"),
                                  ("/practices", "Good practices", "Bonnes pratiques")):
        assert english in (await read_twice(juror_elsewhere, path)).text
        await juror_elsewhere.get(f"/language?locale=fr&next={path}")
        page = (await read_twice(juror_elsewhere, path)).text
        assert french in page and english not in page, path
        await juror_elsewhere.get(f"/language?locale=en&next={path}")
        assert english in (await juror_elsewhere.get(path)).text
