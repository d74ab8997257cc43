"""The discussion of an entry: a juror reads and writes it only after submitting their
own sheet; a conflicted juror or advisor never sees it; applicants never; advisors and the
secretariat write in it."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.store import jury
from tests import factories


async def judging_world(db, *, sheet: str | None = None, juror_id: int | None = None):
    """A judging edition whose entry (Ireland) is assigned, released, to `juror_id`."""
    owner = await factories.user(db)
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=factories.complete_application(title="Peer Talk", country="IE"))
    if juror_id is not None:
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror_id, sheet=sheet)
    await factories.release_assignment(db, edition.id)
    return edition, entry, owner


async def seat(db, edition_id: int, user_id: int) -> None:
    async with db.transaction() as conn:
        await jury.add_active_juror(conn, edition_id, user_id, datetime(2026, 1, 1, tzinfo=UTC))


def thread(entry) -> str:
    return f"/jury/entries/{entry.id}/discussion"


async def test_juror_cannot_read_or_write_the_thread_before_submitting(db, juror_client):
    _, entry, _ = await judging_world(db, sheet="draft", juror_id=juror_client.user.id)

    page = await juror_client.get(thread(entry))
    posted = await juror_client.submit(thread(entry), {"body": "Too early"},
                                       token_from=f"/jury/entries/{entry.id}")

    assert page.status_code == 403
    assert "once you have submitted your own score sheet" in page.text
    assert posted.status_code == 403
    assert "Too early" not in (await db.fetch_all(
        "SELECT body FROM discussion_comments")).__repr__()


async def test_juror_without_any_sheet_is_refused_too(db, juror_client):
    _, entry, _ = await judging_world(db, juror_id=juror_client.user.id)

    assert (await juror_client.get(thread(entry))).status_code == 403


async def test_juror_reads_and_writes_after_submitting(db, juror_client):
    _, entry, _ = await judging_world(db, sheet="submitted", juror_id=juror_client.user.id)

    posted = await juror_client.submit(thread(entry), {
        "body": "Strong on participation.\n\nSee https://example.org/report?a=1&b=2."})
    page = await juror_client.get(thread(entry))

    assert posted.status_code == 303
    assert "Strong on participation." in page.text
    assert ('<a href="https://example.org/report?a=1&amp;b=2" rel="nofollow noopener">'
            in page.text)


async def test_markup_in_a_comment_is_shown_as_text(db, juror_client):
    _, entry, _ = await judging_world(db, sheet="submitted", juror_id=juror_client.user.id)

    await juror_client.submit(thread(entry), {"body": "<script>alert(1)</script> www.x.org"})
    page = await juror_client.get(thread(entry))

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert '<a href="https://www.x.org" rel="nofollow noopener">www.x.org</a>' in page.text


async def test_conflicted_juror_never_sees_the_thread(db, juror_client):
    _, entry, _ = await judging_world(db, sheet="submitted", juror_id=juror_client.user.id)
    async with db.transaction() as conn:
        await jury.set_conflict(conn, entry_id=entry.id, juror_id=juror_client.user.id,
                                source="declared", reason="My cousin", created_by=None,
                                now=datetime(2026, 3, 1, tzinfo=UTC))

    assert (await juror_client.get(thread(entry))).status_code == 404
    posted = await juror_client.submit(thread(entry), {"body": "Hello"}, token_from="/jury")
    assert posted.status_code == 404


async def test_unassigned_juror_does_not_learn_the_thread_exists(db, juror_client):
    _, entry, _ = await judging_world(db)

    assert (await juror_client.get(thread(entry))).status_code == 404


async def test_conflicted_advisor_never_sees_the_thread(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    async with db.transaction() as conn:
        await jury.save_profile(conn, jury.JurorProfile(
            user_id=advisor_client.user.id, country="IE", languages=["en"]),
            datetime(2026, 1, 1, tzinfo=UTC))

    assert (await advisor_client.get(thread(entry))).status_code == 404
    assert (await advisor_client.get(f"/jury/entries/{entry.id}")).status_code == 404


async def test_applicant_never_sees_the_thread_even_of_their_own_entry(db, app):
    from tests.conftest import Browser

    _, entry, owner = await judging_world(db)
    async with Browser.for_app(app) as browser:
        await browser.log_in(owner.email)
        assert (await browser.get(thread(entry))).status_code == 403


async def test_advisor_and_secretariat_write_in_the_thread(db, advisor_client, admin_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)

    by_advisor = await advisor_client.submit(thread(entry), {"body": "Advice from outside."})
    by_admin = await admin_client.submit(thread(entry), {"body": "Noted by the secretariat."})
    page = await admin_client.get(thread(entry))

    assert by_advisor.status_code == by_admin.status_code == 303
    assert "Advice from outside." in page.text and "Noted by the secretariat." in page.text
    assert "Jury advisor" in page.text


async def test_advisor_not_on_the_jury_does_not_see_the_thread(db, advisor_client):
    _, entry, _ = await judging_world(db)

    assert (await advisor_client.get(thread(entry))).status_code == 404


async def test_empty_or_too_long_comment_is_refused_in_place(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)

    empty = await advisor_client.submit(thread(entry), {"body": "   "})
    long_text = "Too much. " * 600
    too_long = await advisor_client.submit(thread(entry), {"body": long_text})

    assert empty.status_code == 422
    assert "Write your comment first." in empty.text
    assert too_long.status_code == 422
    assert "at most 5000 characters" in too_long.text
    assert long_text.strip() in too_long.text
    assert not await db.fetch_value("SELECT COUNT(*) FROM discussion_comments")


async def test_comment_counts_and_link_on_the_juror_dashboard(db, juror_client, admin_client):
    _, entry, _ = await judging_world(db, sheet="submitted", juror_id=juror_client.user.id)
    await admin_client.submit(thread(entry), {"body": "One"})
    await admin_client.submit(thread(entry), {"body": "Two"})

    page = await juror_client.get("/jury")

    assert f'href="/jury/entries/{entry.id}/discussion"' in page.text
    assert "Discussion (2 comments)" in page.text


async def test_deliberation_links_each_thread_with_its_number_of_comments(db, admin_client):
    edition, entry, _ = await judging_world(db)
    await admin_client.submit(thread(entry), {"body": "For the meeting."})
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET status = 'deliberation' WHERE id = ?",
                           (edition.id,))

    page = await admin_client.get(f"/admin/editions/{edition.year}/deliberation")

    assert page.status_code == 200
    assert f'href="/jury/entries/{entry.id}/discussion"' in page.text
    assert "Discussion (1 comment)" in page.text
