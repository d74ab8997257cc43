"""An applicant's entry from first draft to submitted, over HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.store import entries
from tests import factories
from tests.factories import application_form, complete_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def edition(db):
    return await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


async def start(client, edition) -> int:
    response = await client.submit("/my/entries", {"edition_id": str(edition.id)}, token_from="/my")
    assert response.status_code == 303
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def version_of(db, entry_id: int) -> str:
    return str((await entries.get(db, entry_id)).version)


async def test_draft_with_missing_fields_is_saved_and_shown_again(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "title": "Peer Talk",
            "summary": "Half a thought",
            "action": "save",
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 303
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit")
    assert 'value="Peer Talk"' in page.text and "Half a thought" in page.text
    stored = await entries.get(db, entry_id)
    assert stored.status == "draft" and stored.application.title == "Peer Talk"


async def test_submit_lists_what_is_missing_field_by_field_and_keeps_the_text(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "title": "Peer Talk",
            "summary": "Typed on a phone",
            "action": "submit",
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 422
    assert "Typed on a phone" in response.text
    assert 'href="#field-org_name"' in response.text  # the summary links to each field
    assert 'id="error-declaration"' in response.text
    stored = await entries.get(db, entry_id)
    assert stored.status == "draft" and stored.application.summary == "Typed on a phone"


async def test_complete_entry_is_submitted_with_a_reference_and_a_confirmation_email(
    applicant_client, db, edition, mailbox
):
    entry_id = await start(applicant_client, edition)
    form = application_form(complete_application(title="Peer Talk"))
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        [*form, ("action", "submit"), ("version", await version_of(db, entry_id))],
        token_from=f"/my/entries/{entry_id}/edit",
    )
    assert response.status_code == 303, response.text
    stored = await entries.get(db, entry_id)
    assert stored.status == "submitted" and stored.reference == "EDPP-2026-0001"
    page = await applicant_client.get(f"/my/entries/{entry_id}", follow_redirects=True)
    assert "EDPP-2026-0001" in page.text
    (message,) = mailbox.to(applicant_client.user.email)
    assert "EDPP-2026-0001" in message["Subject"]
    assert "Peer Talk" in mailbox.body(message)  # a copy of the entry


async def test_resubmission_keeps_the_reference_and_records_the_change(
    applicant_client, db, edition, mailbox
):
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=applicant_client.user.id, status="submitted"
    )
    form = application_form(complete_application(title="Peer Talk, second year"))
    response = await applicant_client.submit(
        f"/my/entries/{entry.id}/edit",
        [*form, ("version", str(entry.version))],
        token_from=f"/my/entries/{entry.id}/edit",
    )
    assert response.status_code == 303
    stored = await entries.get(db, entry.id)
    assert stored.reference == entry.reference and stored.title == "Peer Talk, second year"
    actions = [revision.action for revision in await entries.revisions(db, entry.id)]
    assert actions[0] == "resubmitted"


async def test_word_limit_is_enforced_on_submission(applicant_client, db, edition):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    form = application_form(complete_application(goals="word " * 101))
    response = await applicant_client.submit(
        f"/my/entries/{entry.id}/edit",
        [*form, ("action", "submit"), ("version", str(entry.version))],
        token_from=f"/my/entries/{entry.id}/edit",
    )
    assert response.status_code == 422
    assert "At most 100 words: this has 101." in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("young_people", "forty", "Enter a whole number"),
        ("start_date", "01/09/2024", "Enter a date as YYYY-MM-DD"),
        ("website", "javascript:alert(1)", "Enter a web address"),
        ("country", "XX", "Choose a country from the list"),
        ("org_type", "secret-society", "Choose from the list"),
        ("title", "T" * 301, "too long"),
    ],
)
async def test_malformed_values_are_refused_in_place_and_the_rest_is_saved(
    applicant_client, db, edition, field, value, message
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "summary": "Keep this summary",
            field: value,
            "action": "save",
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 422
    assert message in response.text
    if field not in ("country", "org_type", "title"):  # a select cannot show an unknown choice
        assert value in response.text
    stored = await entries.get(db, entry_id)
    assert stored.application.summary == "Keep this summary"


async def test_two_tabs_never_overwrite_each_other_silently(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    opened_version = await version_of(db, entry_id)
    first = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"title": "From the laptop", "action": "save", "version": opened_version},
    )
    assert first.status_code == 303
    second = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"title": "From the phone", "action": "save", "version": opened_version},
    )
    assert second.status_code == 409
    assert "changed in another tab" in second.text
    assert 'value="From the phone"' in second.text  # the later text is kept for the person
    assert (await entries.get(db, entry_id)).application.title == "From the laptop"


async def test_after_the_deadline_the_entry_is_read_only_on_the_server(
    applicant_client, db, edition, clock
):
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=applicant_client.user.id, status="submitted"
    )
    clock.now = datetime(2026, 5, 30, 22, 0, tzinfo=UTC)
    form = application_form(complete_application(title="Too late"))
    response = await applicant_client.submit(
        f"/my/entries/{entry.id}/edit",
        [*form, ("version", str(entry.version))],
        token_from=f"/my/entries/{entry.id}",
    )
    assert response.status_code == 403
    assert "has passed, so this entry can no longer be changed" in response.text
    assert "Too late" in response.text
    assert (await entries.get(db, entry.id)).title == entry.title
    page = await applicant_client.get(f"/my/entries/{entry.id}")
    assert "Change the entry" not in page.text


async def test_withdraw_needs_confirmation_then_withdraws(applicant_client, db, edition):
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=applicant_client.user.id, status="submitted"
    )
    await applicant_client.submit(
        f"/my/entries/{entry.id}/withdraw", {}, token_from=f"/my/entries/{entry.id}"
    )
    assert (await entries.get(db, entry.id)).status == "submitted"
    await applicant_client.submit(
        f"/my/entries/{entry.id}/withdraw", {"confirm": "yes"}, token_from=f"/my/entries/{entry.id}"
    )
    assert (await entries.get(db, entry.id)).status == "withdrawn"


async def test_cannot_start_an_entry_in_a_closed_edition(applicant_client, db):
    closed = await factories.edition(
        db, year=2025, status="screening", closes_at=datetime(2025, 5, 30, tzinfo=UTC)
    )
    response = await applicant_client.submit("/my/entries", {"edition_id": str(closed.id)},
                                             token_from="/my")
    assert response.status_code == 400
    response = await applicant_client.submit("/my/entries", {"edition_id": "not a number"},
                                             token_from="/my")
    assert response.status_code == 400


async def test_dashboard_lists_every_entry_with_its_status(applicant_client, db, edition):
    await factories.entry(
        db,
        edition_id=edition.id,
        owner_id=applicant_client.user.id,
        status="submitted",
        application=complete_application(title="First project"),
    )
    await factories.entry(
        db,
        edition_id=edition.id,
        owner_id=applicant_client.user.id,
        application=complete_application(title="Second project"),
    )
    page = await applicant_client.get("/my")
    assert "First project" in page.text and "Second project" in page.text
    assert "Submitted" in page.text and "Draft" in page.text


async def test_print_view_shows_the_whole_entry(applicant_client, db, edition):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    page = await applicant_client.get(f"/my/entries/{entry.id}/print")
    assert page.status_code == 200
    assert "Youth participation" in page.text and "Peer Talk" in page.text


# Attachments -----------------------------------------------------------------------


async def upload(client, entry_id, name, content, content_type="application/pdf"):
    return await client.submit(
        f"/my/entries/{entry_id}/attachments",
        {"description": "Plan"},
        token_from=f"/my/entries/{entry_id}/edit",
        files={"file": (name, content, content_type)},
    )


async def test_attachment_is_checked_by_content_and_served_to_the_owner(
    applicant_client, db, edition, settings
):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    response = await upload(applicant_client, entry.id, "../../etc/plan.pdf", PDF)
    assert response.status_code == 303
    (attachment,) = await entries.attachments_of(db, entry.id)
    assert attachment.filename == "plan.pdf" and attachment.content_type == "application/pdf"
    stored = settings.upload_dir / attachment.stored_name
    assert stored.read_bytes() == PDF and "plan" not in attachment.stored_name
    download = await applicant_client.get(f"/files/{attachment.id}")
    assert download.status_code == 200 and download.content == PDF


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("notes.pdf", b"<html><script>alert(1)</script></html>", 415),  # lying extension
        ("photo.png", b"GIF89a....", 415),
        ("polyglot.pdf", b"%PDF-1.4 <script>alert(1)</script>", 415),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), 413),
    ],
)
async def test_bad_uploads_are_refused_with_a_message(
    applicant_client, db, edition, name, content, status
):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    response = await upload(applicant_client, entry.id, name, content)
    assert response.status_code == status
    assert 'id="error-file"' in response.text
    assert await entries.attachments_of(db, entry.id) == []


async def test_at_most_five_attachments(applicant_client, db, edition):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    for n in range(5):
        uploaded = await upload(applicant_client, entry.id, f"p{n}.png", PNG, "image/png")
        assert uploaded.status_code == 303
    response = await upload(applicant_client, entry.id, "p6.png", PNG, "image/png")
    assert response.status_code == 422 and "5 attachments at most" in response.text


# Authorisation ------------------------------------------------------------------------


async def test_another_applicant_gets_404_on_the_entry_and_its_files(
    applicant_client, other_client, db, edition
):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    await upload(applicant_client, entry.id, "plan.pdf", PDF)
    (attachment,) = await entries.attachments_of(db, entry.id)
    await factories.user(db, email="b@example.org")
    await other_client.log_in("b@example.org")
    for path in (
        f"/my/entries/{entry.id}",
        f"/my/entries/{entry.id}/edit",
        f"/my/entries/{entry.id}/print",
        f"/files/{attachment.id}",
    ):
        assert (await other_client.get(path)).status_code == 404, path
    response = await other_client.submit(
        f"/my/entries/{entry.id}/edit", {"title": "Hijacked", "version": "1"}, token_from="/my"
    )
    assert response.status_code == 404
    assert (await entries.get(db, entry.id)).title != "Hijacked"


async def test_anonymous_visitors_are_sent_to_log_in(client, db, edition):
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id)
    for path in (f"/my/entries/{entry.id}", "/files/1", "/my"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_unassigned_juror_cannot_download_attachments(
    applicant_client, other_client, db, edition
):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    await upload(applicant_client, entry.id, "plan.pdf", PDF)
    (attachment,) = await entries.attachments_of(db, entry.id)
    await factories.user(db, role="juror", email="j@example.org")
    await other_client.log_in("j@example.org")
    assert (await other_client.get(f"/files/{attachment.id}")).status_code == 404


async def test_wrong_csrf_token_saves_nothing_and_shows_the_text(applicant_client, db, edition):
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    response = await applicant_client.post(
        f"/my/entries/{entry.id}/edit",
        data={"title": "My precious text", "version": str(entry.version), "csrf_token": "stale"},
    )
    assert response.status_code == 403 and "My precious text" in response.text
    assert (await entries.get(db, entry.id)).version == entry.version
