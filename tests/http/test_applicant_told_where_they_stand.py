"""The applicant's pages say in words why an entry can no longer be changed, show a
screening or jury outcome only once it has been announced, and a deleted draft leaves a
trace in the audit log."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from prize.store import audit, editions, entries
from tests import factories

CLOSES_AT = datetime(2026, 5, 30, 21, 59, tzinfo=UTC)
AFTER_DEADLINE = datetime(2026, 5, 31, 8, 0, tzinfo=UTC)


def why_closed(page: str) -> str:
    """The words of the 'can no longer be changed' notice, or '' when there is none."""
    found = re.search(r'<div class="notice notice-closed" id="why-closed">(.*?)</div>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def status_cell(page: str) -> str:
    found = re.findall(r'<span class="status status-([a-z_]+)">([^<]*)</span>', page)
    assert found, "no status on the page"
    return found[0][1].strip()


async def _move(db, edition_id: int, status: str) -> None:
    async with db.transaction() as conn:
        await editions.set_status(conn, edition_id, status, datetime(2026, 6, 1, tzinfo=UTC))


async def _mark(db, entry_id: int, status: str, reason: str | None = None) -> None:
    async with db.transaction() as conn:
        await entries.set_status(conn, entry_id, status, now=datetime(2026, 6, 2, tzinfo=UTC),
                                 reason=reason)


# Why the entry can no longer be changed ----------------------------------------------


async def test_an_open_draft_has_no_closed_notice(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    page = (await applicant_client.get(f"/my/entries/{entry.id}/edit")).text
    assert why_closed(page) == ""


async def test_a_draft_past_its_deadline_says_the_deadline_passed_and_when(
    applicant_client, db, clock
):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    clock.now = AFTER_DEADLINE
    for path in (f"/my/entries/{entry.id}/edit", f"/my/entries/{entry.id}"):
        told = why_closed((await applicant_client.get(path)).text)
        assert "The deadline, 30 May 2026, 23:59 (Strasbourg time), has passed" in told, path
        assert "never submitted, so it will not be judged" in told, path


async def test_a_submitted_entry_past_its_deadline_says_the_last_version_is_judged(
    applicant_client, db, clock
):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    clock.now = AFTER_DEADLINE
    told = why_closed((await applicant_client.get(f"/my/entries/{entry.id}/edit")).text)
    assert "has passed, so this entry can no longer be changed" in told
    assert "The version you submitted last is the one that is judged." in told


async def test_a_withdrawn_entry_says_it_was_withdrawn(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="withdrawn")
    told = why_closed((await applicant_client.get(f"/my/entries/{entry.id}")).text)
    assert told.startswith("This entry can no longer be changed You withdrew this entry")


async def test_a_draft_of_a_call_closed_early_says_it_will_not_be_judged(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    await _move(db, edition.id, "screening")  # the secretariat closed the call early
    told = why_closed((await applicant_client.get(f"/my/entries/{entry.id}/edit")).text)
    assert "The call for entries has closed and this draft was never submitted" in told
    assert "will not be judged" in told


async def test_a_submitted_entry_says_which_phase_the_edition_moved_on_to(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    expected = {
        "screening": "the secretariat is checking that each entry meets the rules",
        "judging": "the jury is reading the entries",
        "deliberation": "The jury is deciding the results",
        "published": "The results of this edition are published",
        "archived": "The results of this edition are published",
    }
    for status, words in expected.items():
        await _move(db, edition.id, status)
        told = why_closed((await applicant_client.get(f"/my/entries/{entry.id}")).text)
        assert words in told, status


async def test_saving_after_the_deadline_is_refused_with_the_reason_and_the_text_kept(
    applicant_client, db, clock
):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    token_page = f"/my/entries/{entry.id}/edit"
    token = await applicant_client.csrf_token(token_page)
    clock.now = AFTER_DEADLINE
    response = await applicant_client.post(
        f"/my/entries/{entry.id}/edit",
        data={"csrf_token": token, "version": str(entry.version), "action": "save",
              "title": "A title typed too late"},
    )
    assert response.status_code == 403
    assert "has passed, so this draft can no longer be changed" in html.unescape(response.text)
    assert "Your text below was not saved" in html.unescape(response.text)
    assert 'value="A title typed too late"' in response.text
    assert (await entries.get(db, entry.id)).application.title == "Peer Talk"


# Outcomes shown once announced --------------------------------------------------------


async def test_eligible_shows_only_once_the_eligibility_results_are_sent(applicant_client, db):
    # given a submitted entry the secretariat has ticked eligible during screening
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    await _move(db, edition.id, "screening")
    await _mark(db, entry.id, "eligible")

    # then the applicant still reads "Submitted" on every page of theirs
    for path in ("/my", f"/my/entries/{entry.id}", f"/my/entries/{entry.id}/edit"):
        page = (await applicant_client.get(path)).text
        assert status_cell(page) == "Submitted", path
        assert "Eligible" not in page, path
    printed = (await applicant_client.get(f"/my/entries/{entry.id}/print")).text
    assert "Submitted" in printed and "Eligible" not in printed

    # when judging starts (the step that sends the eligibility results)
    await _move(db, edition.id, "judging")

    # then the outcome shows
    for path in ("/my", f"/my/entries/{entry.id}"):
        assert status_cell((await applicant_client.get(path)).text) == "Eligible", path


async def test_not_eligible_and_its_reason_show_only_once_sent(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    await _move(db, edition.id, "screening")
    await _mark(db, entry.id, "ineligible", reason="The project has not started yet.")

    page = (await applicant_client.get(f"/my/entries/{entry.id}")).text
    assert status_cell(page) == "Submitted"
    assert "The project has not started yet." not in page

    # while screening, the notice says the secretariat is checking, not the outcome
    assert "is checking that each entry meets the rules" in why_closed(page)

    await _move(db, edition.id, "judging")
    page = (await applicant_client.get(f"/my/entries/{entry.id}")).text
    assert status_cell(page) == "Not eligible"
    assert "The project has not started yet." in page
    told = why_closed(page)
    assert "does not meet the rules of the prize (the reason is below)" in told
    assert "jury is reading" not in told


async def test_a_jury_decision_shows_only_once_the_results_are_published(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    await _mark(db, entry.id, "eligible")
    await _move(db, edition.id, "deliberation")
    await _mark(db, entry.id, "shortlisted")

    assert status_cell((await applicant_client.get("/my")).text) == "Eligible"

    await _move(db, edition.id, "published")
    assert status_cell((await applicant_client.get("/my")).text) == "Shortlisted"


async def test_the_secretariat_sees_the_real_status_in_its_print_view(admin_client, db):
    applicant = await factories.user(db)
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant.id,
                                  status="submitted")
    await _move(db, edition.id, "screening")
    await _mark(db, entry.id, "eligible")
    response = await admin_client.get(f"/admin/entries/{entry.id}/text")
    assert response.status_code == 200
    assert "Eligible" in response.text


# Deleting a draft ---------------------------------------------------------------------


async def test_deleting_a_draft_leaves_an_audit_record_without_its_text(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    response = await applicant_client.submit(
        f"/my/entries/{entry.id}/delete", {"confirm": "yes"}, token_from=f"/my/entries/{entry.id}"
    )
    assert response.status_code == 303
    assert await entries.get(db, entry.id) is None
    records = await audit.search(db, action="entry.draft_deleted")
    assert len(records) == 1
    record = records[0]
    assert (record.actor_id, record.subject_type, record.subject_id, record.edition_id) == (
        applicant_client.user.id, "entry", entry.id, edition.id)
    assert record.details == {"attachments": 0}
    assert "Peer Talk" not in str(record.details)


async def test_an_unconfirmed_delete_records_nothing(applicant_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    await applicant_client.submit(
        f"/my/entries/{entry.id}/delete", {}, token_from=f"/my/entries/{entry.id}"
    )
    assert await entries.get(db, entry.id) is not None
    assert await audit.search(db, action="entry.draft_deleted") == []


async def test_the_audit_log_names_a_deleted_draft_in_words(applicant_client, admin_client, db):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    await applicant_client.submit(
        f"/my/entries/{entry.id}/delete", {"confirm": "yes"}, token_from=f"/my/entries/{entry.id}"
    )
    page = (await admin_client.get("/admin/audit")).text
    assert "Draft deleted by its applicant (never submitted)" in page
    assert ">entry.draft_deleted<" not in page
