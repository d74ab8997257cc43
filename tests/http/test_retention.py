"""Each edition's retention period: set by the secretariat (1 to 240 months), shown with
when erasure is due; when it ends, unpublished entries lose their personal data."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.store import audit, entries
from prize.store import privacy as store
from tests import factories
from tests.conftest import Browser


async def archived_edition(db, settings, *, months: int = 24):
    """The security world's 2025 edition archived on 10 January 2026, with an entry that
    was not published (with a file) and a never-submitted draft."""
    world = await factories.security_world(db, settings.upload_dir)
    past = await db.fetch_one("SELECT id FROM editions WHERE year = 2025")
    applicant = world.people["applicant_b"]
    unpublished = await factories.entry(
        db, edition_id=past["id"], owner_id=applicant.id, status="not_selected",
        application=factories.complete_application(contact_name="Retired Contact",
                                                   contact_email="retired@example.org"))
    draft = await factories.entry(db, edition_id=past["id"], owner_id=applicant.id)
    (settings.upload_dir / "past.pdf").write_bytes(factories.PDF_BYTES)
    async with db.transaction() as conn:
        await entries.add_attachment(conn, entry_id=unpublished.id, stored_name="past.pdf",
                                     filename="plan.pdf", content_type="application/pdf",
                                     size=10, sha256="0", description="",
                                     now=datetime(2025, 3, 1, tzinfo=UTC))
        await conn.execute("UPDATE editions SET status = 'archived', retention_months = ?"
                           " WHERE id = ?", (months, past["id"]))
        await audit.record(conn, now=datetime(2026, 1, 10, 12, tzinfo=UTC), actor_id=None,
                           action="edition.archived", subject_type="edition",
                           subject_id=past["id"], edition_id=past["id"])
    return world, unpublished, draft


async def test_the_console_shows_each_editions_retention_and_when_erasure_is_due(
        db, settings, clock, admin_client: Browser):
    await archived_edition(db, settings, months=6)
    page = await admin_client.get("/admin/privacy")
    assert page.status_code == 200
    assert "10 July 2026" in page.text  # six months after archiving
    assert "due now" not in page.text
    clock.now = datetime(2026, 7, 11, tzinfo=UTC)
    assert "due now" in (await admin_client.get("/admin/privacy")).text
    assert 'value="24"' in page.text  # the open edition keeps the default


async def test_the_secretariat_sets_a_retention_period(db, settings, admin_client: Browser):
    await archived_edition(db, settings)
    response = await admin_client.submit("/admin/editions/2025/retention",
                                         {"retention_months_2025": "36"},
                                         token_from="/admin/privacy")
    assert response.status_code == 303
    assert await db.fetch_value("SELECT retention_months FROM editions WHERE year = 2025") == 36
    (record,) = await audit.search(db, action="edition.retention_set")
    assert record.details == {"months": 36}


async def test_a_bad_retention_period_is_refused_in_place_with_the_typed_value(
        db, settings, admin_client: Browser):
    await archived_edition(db, settings)
    for typed in ("0", "241", "two years", "", "-3"):
        response = await admin_client.submit("/admin/editions/2025/retention",
                                             {"retention_months_2025": typed},
                                             token_from="/admin/privacy")
        assert response.status_code == 422, typed
        assert "Enter a whole number of months from 1 to 240." in response.text
        assert f'value="{typed}"' in response.text
    assert await db.fetch_value("SELECT retention_months FROM editions WHERE year = 2025") == 24
    unknown = await admin_client.submit("/admin/editions/1999/retention",
                                        {"retention_months_1999": "12"},
                                        token_from="/admin/privacy")
    assert unknown.status_code == 404


async def test_when_retention_ends_unpublished_entries_lose_their_personal_data(
        db, settings, admin_client: Browser):
    world, unpublished, draft = await archived_edition(db, settings, months=12)
    before_end = datetime(2027, 1, 9, tzinfo=UTC)
    assert await store.run_retention(db, upload_dir=settings.upload_dir, now=before_end,
                                     actor_id=None, apply=True) == []
    after_end = datetime(2027, 1, 11, tzinfo=UTC)
    (dry,) = await store.run_retention(db, upload_dir=settings.upload_dir, now=after_end,
                                       actor_id=None, apply=False)
    assert dry[0].year == 2025 and dry[0].entries_left == 3 and dry[1] is None
    assert (await entries.get(db, unpublished.id)).application.contact_email  # untouched
    # SQLite: the bytes are in the database's files first (PostgreSQL: the rows are read).
    on_sqlite = settings.db_path is not None
    if on_sqlite:
        files = settings.db_path.parent.glob(settings.db_path.name + "*")
        assert any(b"retired@example.org" in path.read_bytes() for path in files)
    (done,) = await store.run_retention(db, upload_dir=settings.upload_dir, now=after_end,
                                        actor_id=None, apply=True)
    report = done[1]
    assert report.entries_deleted == 1 and report.entries_anonymised == 2
    assert await entries.get(db, draft.id) is None
    kept = await entries.get(db, unpublished.id)
    assert kept.application.contact_email == "" and kept.application.title == "Peer Talk"
    assert await entries.attachments_of(db, unpublished.id) == []
    assert not (settings.upload_dir / "past.pdf").exists()
    # The judging edition is not archived: nothing of it changed.
    assert (await entries.get(db, world.entry_id)).application.contact_email
    # Done once: nothing is due any more.
    assert await store.run_retention(db, upload_dir=settings.upload_dir, now=after_end,
                                     actor_id=None, apply=True) == []
    (record,) = await audit.search(db, action="retention.applied")
    assert record.details["entries_anonymised"] == 2
    # Nothing of the contact person is left in the database file or its WAL (SQLite's
    # files; on PostgreSQL the entries' rows above are what the person's data was).
    if on_sqlite:
        await db.close()
        for path in settings.db_path.parent.glob(settings.db_path.name + "*"):
            content = path.read_bytes()
            assert b"retired@example.org" not in content and b"Retired Contact" not in content
        await db.open()


async def test_the_edition_page_shows_its_retention_and_when_erasure_is_due(
        db, settings, admin_client: Browser):
    await archived_edition(db, settings, months=6)
    page = await admin_client.get("/admin/editions/2025")
    assert "kept 6 months after archiving" in page.text
    assert "erasure due 10 July 2026" in page.text
    assert 'href="/admin/privacy"' in page.text
    open_page = await admin_client.get("/admin/editions/2026")
    assert "kept 24 months after archiving" in open_page.text
    assert "erasure due" not in open_page.text


async def test_the_console_home_says_when_a_retention_period_has_ended(
        db, settings, clock, admin_client: Browser):
    await archived_edition(db, settings, months=2)  # archived 10 January: ends 10 March
    assert "retention period" not in (await admin_client.get("/admin")).text
    clock.now = datetime(2026, 3, 11, tzinfo=UTC)
    assert "The retention period of 1 edition has ended." in (
        await admin_client.get("/admin")).text
