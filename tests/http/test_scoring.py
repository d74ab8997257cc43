"""Score sheets over HTTP: saving, autosave, submitting, locking, reopening, blind rule."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.store import audit
from prize.store import scoring as sheets
from tests import factories

KEYS = ("youth_participation", "needs_evidence", "objectives", "evaluation", "innovation",
        "sustainability", "ethics", "transferability")


def complete_sheet(score: int = 4, version: int = 0, action: str = "save") -> dict:
    form = {"version": str(version), "action": action, "overall_comment": "A strong project."}
    for key in KEYS:
        form[f"score-{key}"] = str(score)
        form[f"justification-{key}"] = f"Reasons for {key}."
    return form


async def release(db, edition_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET assignment_released_at = '2026-03-01T00:00:00Z'"
                           " WHERE id = ?", (edition_id,))


@pytest.fixture
async def judging(db):
    """A judging edition, one eligible entry, three assigned jurors, one unassigned."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    jurors = [await factories.user(db, role="juror", email=f"j{n}@example.org") for n in (1, 2, 3)]
    for juror in jurors:
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await release(db, edition.id)
    stranger = await factories.user(db, role="juror", email="stranger@example.org")
    return edition, entry, jurors, stranger


def sheet_path(entry) -> str:
    return f"/jury/entries/{entry.id}/sheet"


async def test_juror_reads_the_entry_and_sees_every_criterion_with_its_rubric(client, judging):
    edition, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    reading = await client.get(f"/jury/entries/{entry.id}")
    assert reading.status_code == 200 and "Peer Talk" in reading.text
    assert "+353" not in reading.text  # no contact phone for jurors
    page = await client.get(sheet_path(entry))
    assert page.status_code == 200
    assert "<legend>Youth participation" in page.text
    assert "Young people lead the project at every stage" in page.text
    assert 'name="justification-ethics"' in page.text
    assert '/static/autosave.js' in page.text and "<script>" not in page.text


async def test_draft_is_saved_and_shown_again(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    form = {"version": "0", "action": "save", "score-ethics": "3",
            "justification-ethics": "Consent is handled with care."}
    response = await client.submit(sheet_path(entry), form)
    assert response.status_code == 303
    page = await client.get(sheet_path(entry))
    assert "Consent is handled with care." in page.text
    assert re.search(r'id="score-ethics-3" name="score-ethics" value="3" checked', page.text)
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.status == "draft" and stored.version == 1


async def test_autosave_answers_json_with_the_new_version(client, judging):
    _, entry, _, _ = judging
    await client.log_in("j1@example.org")
    token = await client.csrf_token(sheet_path(entry))
    response = await client.post(
        sheet_path(entry), data={"csrf_token": token, "version": "0", "overall_comment": "So far"},
        headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json()["version"] == 1
    again = await client.post(
        sheet_path(entry), data={"csrf_token": token, "version": "1", "overall_comment": "More"},
        headers={"Accept": "application/json"})
    assert again.json()["version"] == 2


async def test_stale_save_from_another_tab_is_refused_and_the_text_kept(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    await client.submit(sheet_path(entry), {"version": "0", "overall_comment": "First tab"})
    response = await client.submit(
        sheet_path(entry), {"version": "0", "overall_comment": "Second tab, typed long ago"})
    assert response.status_code == 409
    assert "another tab" in response.text and "Second tab, typed long ago" in response.text
    assert (await sheets.sheet_of(db, entry.id, jurors[0].id)).overall_comment == "First tab"
    token = await client.csrf_token(sheet_path(entry))
    as_json = await client.post(sheet_path(entry), data={"csrf_token": token, "version": "0"},
                                headers={"Accept": "application/json"})
    assert as_json.status_code == 409 and "another tab" in as_json.json()["error"]


async def test_submit_lists_what_is_missing_field_by_field_and_keeps_the_draft(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    form = complete_sheet(action="submit")
    form["justification-ethics"] = "  "
    del form["score-innovation"]
    response = await client.submit(sheet_path(entry), form)
    assert response.status_code == 422
    assert 'id="error-justification-ethics"' in response.text
    assert 'id="error-score-innovation"' in response.text
    assert "Reasons for evaluation." in response.text
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.status == "draft" and stored.scores["evaluation"].score == 4


async def test_submitted_sheet_is_locked(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    response = await client.submit(sheet_path(entry), complete_sheet(action="submit"))
    assert response.status_code == 303
    assert (await sheets.sheet_of(db, entry.id, jurors[0].id)).submitted
    again = await client.submit(sheet_path(entry), complete_sheet(score=1, version=1))
    assert again.status_code == 409 and "locked" in again.text
    assert (await sheets.sheet_of(db, entry.id, jurors[0].id)).scores["ethics"].score == 4
    records = await audit.search(db, action="sheet.submitted")
    assert len(records) == 1


@pytest.mark.parametrize("field, value, message", [
    ("score-ethics", "9", "Choose a score from 0 to 5."),
    ("score-ethics", "-1", "Choose a score from 0 to 5."),
    ("score-ethics", "three", "Choose a whole number from the scale."),
    ("score-astrology", "3", "a criterion this edition does not have"),
])
async def test_bad_scores_are_refused_with_a_message(client, db, judging, field, value, message):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    form = complete_sheet()
    form[field] = value
    response = await client.submit(sheet_path(entry), form)
    assert response.status_code == 422 and message in response.text
    assert "Reasons for ethics." in response.text
    assert await sheets.sheet_of(db, entry.id, jurors[0].id) is None


async def test_wrong_csrf_token_is_refused(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    response = await client.post(sheet_path(entry), data={**complete_sheet(), "csrf_token": "x"})
    assert response.status_code == 403
    assert await sheets.sheet_of(db, entry.id, jurors[0].id) is None


async def test_unassigned_or_conflicted_juror_gets_404(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("stranger@example.org")
    assert (await client.get(f"/jury/entries/{entry.id}")).status_code == 404
    assert (await client.get(sheet_path(entry))).status_code == 404
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO conflicts (entry_id, juror_id, source, created_at)"
            " VALUES (?, ?, 'declared', '2026-03-01T00:00:00Z')", (entry.id, jurors[1].id))
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/jury")})
    await client.log_in("j2@example.org")
    assert (await client.get(f"/jury/entries/{entry.id}")).status_code == 404
    posted = await client.submit(sheet_path(entry), complete_sheet(), token_from="/jury")
    assert posted.status_code == 404


async def test_juror_sees_others_sheets_only_after_submitting(client, other_client, db, judging):
    _, entry, jurors, _ = judging
    await other_client.log_in("j2@example.org")
    await other_client.submit(sheet_path(entry), complete_sheet(action="submit"))
    await client.log_in("j1@example.org")
    before = await client.get(f"/jury/entries/{entry.id}")
    assert jurors[1].name not in before.text and "Reasons for ethics." not in before.text
    assert "once you have submitted your own" in before.text
    await client.submit(sheet_path(entry), {"version": "0", "overall_comment": "draft"})
    assert jurors[1].name not in (await client.get(f"/jury/entries/{entry.id}")).text
    await client.submit(sheet_path(entry), complete_sheet(version=1, action="submit"))
    after = await client.get(f"/jury/entries/{entry.id}")
    assert jurors[1].name in after.text and "Reasons for ethics." in after.text


async def test_applicant_never_sees_scores_or_juror_names(client, other_client, db, judging):
    _, entry, jurors, _ = judging
    await other_client.log_in("j1@example.org")
    await other_client.submit(sheet_path(entry), complete_sheet(action="submit"))
    owner = await factories_owner(db, entry)
    await client.log_in(owner)
    for path in (f"/my/entries/{entry.id}", f"/jury/entries/{entry.id}", sheet_path(entry)):
        response = await client.get(path)
        assert jurors[0].name not in response.text and "Reasons for ethics." not in response.text


async def factories_owner(db, entry) -> str:
    return await db.fetch_value("SELECT email FROM users WHERE id = ?", (entry.owner_id,))


async def test_secretariat_reopens_a_sheet_with_a_reason(client, other_client, db, judging):
    _, entry, jurors, _ = judging
    await other_client.log_in("j1@example.org")
    await other_client.submit(sheet_path(entry), complete_sheet(action="submit"))
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    # A juror cannot reopen.
    refused = await other_client.submit(f"/admin/sheets/{sheet.id}/reopen", {"reason": "x"},
                                        token_from=sheet_path(entry))
    assert refused.status_code == 403
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    missing = await client.submit(f"/admin/sheets/{sheet.id}/reopen", {"reason": " "},
                                  token_from=f"/admin/sheets/{sheet.id}")
    assert missing.status_code == 422 and "Say why" in missing.text
    assert (await sheets.get(db, sheet.id)).submitted
    long_reason = "The juror asked. " * 200
    too_long = await client.submit(f"/admin/sheets/{sheet.id}/reopen", {"reason": long_reason},
                                   token_from=f"/admin/sheets/{sheet.id}")
    assert too_long.status_code == 422 and "At most 2000 characters." in too_long.text
    assert "The juror asked. The juror asked." in too_long.text  # kept, not cut
    assert (await sheets.get(db, sheet.id)).submitted
    done = await client.submit(f"/admin/sheets/{sheet.id}/reopen",
                               {"reason": "Juror asked to correct ethics."},
                               token_from=f"/admin/sheets/{sheet.id}")
    assert done.status_code == 303
    reopened = await sheets.get(db, sheet.id)
    assert reopened.status == "draft" and reopened.scores["ethics"].score == 4
    [record] = await audit.search(db, action="sheet.reopened")
    assert record.details["reason"] == "Juror asked to correct ethics."
    page = await other_client.get(sheet_path(entry))
    assert f'name="version" value="{reopened.version}"' in page.text
