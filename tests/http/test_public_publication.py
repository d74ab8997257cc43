"""The publication workflow with each role, and that no personal data or score leaks."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.domain.practices import PublicText
from prize.store import audit
from prize.store import practices as store
from tests import factories


async def winning_entry(db, *, consent: bool = True):
    edition = await factories.edition(db, year=2025, status="published")
    owner = await factories.user(db, email="owner@example.org")
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="winner",
        application=factories.complete_application(
            title="Night Owls", contact_email="secret.contact@example.org",
            contact_phone="+353 21 999 1234", consent_publication=consent),
    )
    await db.execute_write("UPDATE entries SET jury_statement = 'Bold and youth-led.'"
                           " WHERE id = ?", (entry.id,))
    return entry


async def test_the_whole_workflow_from_entry_to_public_page(client, other_client, db, mailbox):
    entry = await winning_entry(db)
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")

    # The secretariat prepares the record from the entry's public fields.
    listing = await client.get("/admin/practices")
    assert "Night Owls" in listing.text
    response = await client.submit("/admin/practices/prepare", {"entry_id": str(entry.id)},
                                   token_from="/admin/practices")
    assert response.status_code == 303
    practice_id = int(response.headers["location"].rsplit("/", 1)[1])
    practice = await store.get(db, practice_id)
    assert practice.status == "draft" and practice.jury_statement == "Bold and youth-led."
    assert (await client.get(f"/practices/{practice.slug}")).status_code == 404

    # Sent to the applicant, who gets an email.
    await client.submit(f"/admin/practices/{practice_id}/send", {},
                        token_from=f"/admin/practices/{practice_id}")
    assert (await store.get(db, practice_id)).status == "awaiting_applicant"
    link = mailbox.link("owner@example.org", "/my/practices/")

    # Another applicant cannot see it; anonymous visitors are sent to log in.
    assert (await other_client.get(link)).status_code in (303, 307)
    await factories.user(db, email="other@example.org")
    await other_client.log_in("other@example.org")
    assert (await other_client.get(link)).status_code == 404
    refused = await other_client.submit(f"/my/practices/{practice_id}/approve", {},
                                        token_from="/my")
    assert refused.status_code == 404

    # The owner approves.
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/")})
    await client.log_in("owner@example.org")
    review = await client.get(link)
    assert review.status_code == 200 and "Night Owls" in review.text
    await client.submit(f"/my/practices/{practice_id}/approve", {}, token_from=link)
    assert (await store.get(db, practice_id)).status == "approved"

    # The secretariat publishes, then unpublishes.
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/")})
    await client.log_in("admin@example.org")
    await client.submit(f"/admin/practices/{practice_id}/publish", {},
                        token_from=f"/admin/practices/{practice_id}")
    public = await client.get(f"/practices/{practice.slug}")
    assert public.status_code == 200 and "Bold and youth-led." in public.text
    api = (await client.get(f"/api/v1/practices/{practice.slug}")).text
    for page in (public.text, api, (await client.get("/practices")).text):
        assert "secret.contact@example.org" not in page
        assert "999 1234" not in page and "Maria Example" not in page
        assert "score" not in page.lower()
    await client.submit(f"/admin/practices/{practice_id}/unpublish", {},
                        token_from=f"/admin/practices/{practice_id}")
    assert (await client.get(f"/practices/{practice.slug}")).status_code == 404

    actions = [r.action for r in await audit.search(db, subject_type="practice",
                                                       subject_id=practice_id)]
    assert actions == ["practice.unpublish", "practice.publish", "practice.approve",
                       "practice.send", "practice.prepared"]


async def test_applicant_can_ask_for_changes(client, db, mailbox):
    entry = await winning_entry(db)
    async with db.transaction() as conn:
        practice_id = await store.create(
            conn, edition_id=entry.edition_id, year=2025, award="winner", entry_id=entry.id,
            text=PublicText(title="Night Owls", organisation="Owls", summary="Text."),
            country="IE", countries=["IE"], substances=[], now=datetime(2026, 1, 3, tzinfo=UTC),
            status="awaiting_applicant")
    await client.log_in("owner@example.org")
    await client.submit(f"/my/practices/{practice_id}/changes",
                        {"note": "Please name our partner school."},
                        token_from=f"/my/practices/{practice_id}")
    practice = await store.get(db, practice_id)
    assert practice.status == "draft"
    assert practice.applicant_note == "Please name our partner school."


async def test_entries_without_consent_are_not_offered(client, db):
    await winning_entry(db, consent=False)
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    assert "Night Owls" not in (await client.get("/admin/practices")).text


async def test_only_the_secretariat_reaches_the_publication_screens(client, db):
    await factories.user(db, email="someone@example.org")
    await client.log_in("someone@example.org")
    assert (await client.get("/admin/practices")).status_code == 403
    assert re.search("403|cannot open", (await client.get("/admin/practices")).text)


@pytest.mark.parametrize(("note", "message"), [
    ("   ", "Say what should change."),
    ("Please " + "rewrite " * 300, "At most 2000 characters."),
])
async def test_a_bad_change_request_is_refused_in_place_and_keeps_the_note(client, db, note,
                                                                            message):
    entry = await winning_entry(db)
    async with db.transaction() as conn:
        practice_id = await store.create(
            conn, edition_id=entry.edition_id, year=2025, award="winner", entry_id=entry.id,
            text=PublicText(title="Night Owls", organisation="Owls", summary="Text."),
            country="IE", countries=["IE"], substances=[], now=datetime(2026, 1, 3, tzinfo=UTC),
            status="awaiting_applicant")
    await client.log_in("owner@example.org")
    response = await client.submit(f"/my/practices/{practice_id}/changes", {"note": note},
                                   token_from=f"/my/practices/{practice_id}")
    assert response.status_code == 422
    assert message in response.text and 'id="error-note"' in response.text
    assert note.strip()[:40] in response.text
    assert (await store.get(db, practice_id)).status == "awaiting_applicant"
