"""The entry form keeps every word: autosave with a version check, Upload and Remove
inside the form, format errors kept as typed, one draft per edition, deleting a draft,
an honest progress count, and a confirmation email that is a true copy."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.domain.entries import completeness, submission_problems
from prize.store import entries
from tests import factories
from tests.factories import application_form, complete_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JSON = {"Accept": "application/json"}


@pytest.fixture
async def edition(db):
    return await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


async def start(client, edition, **extra) -> int:
    response = await client.submit(
        "/my/entries", {"edition_id": str(edition.id), **extra}, token_from="/my"
    )
    assert response.status_code == 303
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def version_of(db, entry_id: int) -> str:
    return str((await entries.get(db, entry_id)).version)


async def autosave(client, entry_id: int, values: dict):
    token = await client.csrf_token(f"/my/entries/{entry_id}/edit")
    return await client.post(
        f"/my/entries/{entry_id}/edit",
        data={**values, "action": "save", "csrf_token": token},
        headers=JSON,
    )


async def test_autosave_answers_json_with_the_new_version(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    version = await version_of(db, entry_id)
    response = await autosave(
        applicant_client, entry_id, {"goals": "Fewer teens drink", "version": version}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["version"] == int(version) + 1 and "saved_at" in answer
    assert (await entries.get(db, entry_id)).application.goals == "Fewer teens drink"


async def test_autosave_from_a_stale_tab_is_refused_with_409_and_changes_nothing(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    opened = await version_of(db, entry_id)
    first = await autosave(applicant_client, entry_id, {"goals": "Tab one", "version": opened})
    assert first.status_code == 200
    second = await autosave(applicant_client, entry_id, {"goals": "Tab two", "version": opened})
    assert second.status_code == 409
    assert "another tab" in second.json()["error"]
    assert second.json()["version"] == first.json()["version"]
    assert (await entries.get(db, entry_id)).application.goals == "Tab one"


async def test_a_stale_save_without_javascript_shows_the_typed_text_and_the_newer_version(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    opened = await version_of(db, entry_id)
    await autosave(applicant_client, entry_id, {"goals": "Tab one", "version": opened})
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit", {"goals": "Tab two", "action": "save", "version": opened}
    )
    assert response.status_code == 409
    assert "Tab two" in response.text
    # Saving again from this page is a knowing choice: it carries the newer version.
    newer = await version_of(db, entry_id)
    assert f'name="version" value="{newer}"' in response.text


async def test_autosave_keeps_a_mistyped_phone_and_says_what_to_correct(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await autosave(
        applicant_client,
        entry_id,
        {
            "contact_phone": "call me maybe",
            "website": "www.example",
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 422
    answer = response.json()
    assert answer["saved_at"] and set(answer["errors"]) == {"contact_phone", "website"}
    stored = (await entries.get(db, entry_id)).application
    assert stored.contact_phone == "call me maybe" and stored.website == "www.example"


async def test_a_value_failing_its_format_is_shown_again_with_its_error_after_reload(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    saved = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "contact_email": "ana@",
            "goals": "Kept",
            "action": "save",
            "version": await version_of(db, entry_id),
        },
    )
    assert saved.status_code == 422
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit")
    assert 'value="ana@"' in page.text
    assert 'id="error-contact_email"' in page.text and "Kept" in page.text


async def test_submit_refuses_a_value_that_fails_its_format(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    form = application_form(complete_application(title="Peer Talk"))
    form = [(name, value) for name, value in form if name != "website"]
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        [
            *form,
            ("website", "example dot org"),
            ("action", "submit"),
            ("version", await version_of(db, entry_id)),
        ],
    )
    assert response.status_code == 422
    assert 'id="error-website"' in response.text
    stored = await entries.get(db, entry_id)
    assert stored.status == "draft" and stored.application.website == "example dot org"


async def test_autosave_is_refused_for_a_submitted_entry(applicant_client, db, edition):
    owner = applicant_client.user
    entry_id = (
        await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    ).id
    response = await autosave(
        applicant_client, entry_id, {"goals": "x", "version": await version_of(db, entry_id)}
    )
    assert response.status_code == 409 and response.json()["error"]


async def test_upload_inside_the_form_saves_the_typed_text_and_attaches_the_file(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "goals": "Typed before uploading",
            "action": "upload",
            "description": "Plan",
            "version": await version_of(db, entry_id),
        },
        files={"file": ("plan.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/my/entries/{entry_id}/edit#attachments")
    assert (await entries.get(db, entry_id)).application.goals == "Typed before uploading"
    files = await entries.attachments_of(db, entry_id)
    assert [(f.filename, f.description) for f in files] == [("plan.pdf", "Plan")]


async def test_a_refused_upload_still_saves_the_text_and_shows_the_message_in_place(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"goals": "Not lost", "action": "upload", "version": await version_of(db, entry_id)},
        files={"file": ("fake.pdf", b"<html>hello</html>", "application/pdf")},
    )
    assert response.status_code == 415
    assert 'id="error-file"' in response.text and "Not lost" in response.text
    assert (await entries.get(db, entry_id)).application.goals == "Not lost"
    assert await entries.attachments_of(db, entry_id) == []


async def test_upload_without_a_file_says_so_and_keeps_the_text(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"goals": "Still here", "action": "upload", "version": await version_of(db, entry_id)},
    )
    assert response.status_code == 422
    assert "Choose a file to upload." in response.text and "Still here" in response.text


async def test_remove_inside_the_form_saves_the_text_and_removes_only_that_file(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"action": "upload", "version": await version_of(db, entry_id)},
        files={"file": ("plan.pdf", PDF, "application/pdf")},
    )
    [attached] = await entries.attachments_of(db, entry_id)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "goals": "Typed",
            "remove_attachment": str(attached.id),
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 303
    assert await entries.attachments_of(db, entry_id) == []
    assert (await entries.get(db, entry_id)).application.goals == "Typed"


async def test_removing_a_file_of_another_entry_is_refused_and_keeps_the_text(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {
            "goals": "Typed",
            "remove_attachment": "999999",
            "version": await version_of(db, entry_id),
        },
    )
    assert response.status_code == 404
    assert "Typed" in response.text


async def test_start_a_new_entry_resumes_the_draft_unless_another_is_asked_for(
    applicant_client, db, edition
):
    first = await start(applicant_client, edition)
    again = await start(applicant_client, edition)
    assert again == first
    second = await start(applicant_client, edition, another="yes")
    assert second != first
    dashboard = await applicant_client.get("/my")
    assert "Continue your draft" in dashboard.text and "Start another entry" in dashboard.text


async def test_a_draft_is_deleted_only_when_confirmed(applicant_client, db, edition, settings):
    entry_id = await start(applicant_client, edition)
    await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"action": "upload", "version": await version_of(db, entry_id)},
        files={"file": ("plan.pdf", PDF, "application/pdf")},
    )
    [attached] = await entries.attachments_of(db, entry_id)
    page = await applicant_client.get(f"/my/entries/{entry_id}")
    assert "Deleting it removes its text and its 1 attached file for good" in page.text

    unconfirmed = await applicant_client.submit(
        f"/my/entries/{entry_id}/delete", {}, token_from=f"/my/entries/{entry_id}"
    )
    assert unconfirmed.status_code == 303 and await entries.get(db, entry_id) is not None

    deleted = await applicant_client.submit(
        f"/my/entries/{entry_id}/delete", {"confirm": "yes"}, token_from=f"/my/entries/{entry_id}"
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/my"
    assert await entries.get(db, entry_id) is None
    assert not (settings.upload_dir / attached.stored_name).exists()
    assert (await applicant_client.get(f"/my/entries/{entry_id}")).status_code == 404


async def test_a_submitted_entry_cannot_be_deleted(applicant_client, db, edition):
    owner = applicant_client.user
    entry_id = (
        await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    ).id
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/delete", {"confirm": "yes"}, token_from=f"/my/entries/{entry_id}"
    )
    assert response.status_code == 409
    assert await entries.get(db, entry_id) is not None


async def test_withdrawn_drafts_never_submitted_leave_the_list(applicant_client, db, edition):
    owner = applicant_client.user
    draft = await factories.entry(db, edition_id=edition.id, owner_id=owner.id)
    async with db.transaction() as conn:
        await entries.set_status(conn, draft.id, "withdrawn", now=datetime(2026, 3, 1, tzinfo=UTC))
    page = await applicant_client.get("/my")
    assert "Withdrawn" not in page.text


def test_progress_counts_exactly_what_submission_checks():
    empty = complete_application().model_copy(
        update={"participation_grid": {}, "summary": "", "goals": "", "website": "bad"}
    )
    today = datetime(2026, 3, 2, tzinfo=UTC).date()
    done, total = completeness(empty, today=today)
    assert total - done == len(submission_problems(empty, today=today))


async def test_error_summary_labels_ending_in_a_question_mark_read_naturally(
    applicant_client, db, edition
):
    entry_id = await start(applicant_client, edition)
    response = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"action": "submit", "version": await version_of(db, entry_id)},
    )
    assert response.status_code == 422
    assert "?:" not in response.text and ".:" not in response.text
    assert "Is the project running now? Choose an answer from the list." in response.text


async def test_section_navigation_says_each_section_state(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"contact_phone": "letters", "action": "save", "version": await version_of(db, entry_id)},
    )
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit")
    assert 'class="step step-errors"><a href="#section-contact"' in page.text
    assert 'class="step step-incomplete"><a href="#section-project"' in page.text
    # Attachments come before the Submit button.
    assert page.text.index('id="attachments"') < page.text.index('value="submit"')


async def test_confirmation_email_is_a_true_copy_and_a_repeat_submit_sends_nothing(
    applicant_client, db, edition, mailbox
):
    entry_id = await start(applicant_client, edition)
    await applicant_client.submit(
        f"/my/entries/{entry_id}/edit",
        {"action": "upload", "description": "Our plan", "version": await version_of(db, entry_id)},
        files={"file": ("plan.pdf", PDF, "application/pdf")},
    )
    form = [*application_form(complete_application(title="Peer Talk")), ("action", "submit")]
    first = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit", [*form, ("version", await version_of(db, entry_id))]
    )
    assert first.status_code == 303
    [message] = mailbox.to(applicant_client.user.email)
    body = mailbox.body(message)
    assert "?:" not in body
    grid_lines = [line for line in body.splitlines() if line.startswith("- ")]
    assert any(line.startswith("- Needs assessment") for line in grid_lines), body
    assert "- plan.pdf — Our plan" in body

    events = await audit_count(db)
    revisions = len(await entries.revisions(db, entry_id))
    again = await applicant_client.submit(
        f"/my/entries/{entry_id}/edit", [*form, ("version", await version_of(db, entry_id))]
    )
    assert again.status_code == 303
    assert len(mailbox.to(applicant_client.user.email)) == 1
    assert len(await entries.revisions(db, entry_id)) == revisions
    assert await audit_count(db) == events


async def audit_count(db) -> int:
    return (await db.fetch_one("SELECT COUNT(*) AS n FROM audit_log"))["n"]
