"""What a juror's autosave is answered when the save goes straight to the write (the
stored sheet is read only to explain a refusal): the same refusals, in the same order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import scoring as sheets
from tests import factories
from tests.http.test_scoring import complete_sheet, sheet_path

JSON = {"Accept": "application/json"}


@pytest.fixture
async def judging(db):
    """A judging edition, one eligible entry and the juror j1@example.org assigned to it."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    juror = await factories.juror(db, edition_id=edition.id, email="j1@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    return edition, entry, [juror], None


async def test_an_autosave_of_a_submitted_sheet_is_refused_as_locked(client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    assert (await client.submit(sheet_path(entry), complete_sheet(action="submit"))
            ).status_code == 303
    token = await client.csrf_token(sheet_path(entry))
    answer = await client.post(sheet_path(entry), headers=JSON, data={
        **complete_sheet(score=1, version=1), "csrf_token": token})
    assert answer.status_code == 409
    assert "locked" in answer.json()["error"] and answer.json()["version"] == 1
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.submitted and stored.scores["ethics"].score == 4


async def test_a_stale_autosave_with_a_bad_score_is_told_of_the_other_tab_first(
        client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    token = await client.csrf_token(sheet_path(entry))
    first = await client.post(sheet_path(entry), headers=JSON, data={
        "csrf_token": token, "version": "0", "overall_comment": "First tab"})
    assert first.json()["version"] == 1
    stale = await client.post(sheet_path(entry), headers=JSON, data={
        "csrf_token": token, "version": "0", "overall_comment": "Second tab",
        "score-ethics": "9"})
    assert stale.status_code == 409
    assert "another tab" in stale.json()["error"] and stale.json()["version"] == 1
    assert (await sheets.sheet_of(db, entry.id, jurors[0].id)).overall_comment == "First tab"
    # On the version it was told, the bad score is what stops the save.
    bad = await client.post(sheet_path(entry), headers=JSON, data={
        "csrf_token": token, "version": "1", "overall_comment": "Second tab",
        "score-ethics": "9"})
    assert bad.status_code == 422 and "score-ethics" in bad.json()["errors"]
    assert (await sheets.sheet_of(db, entry.id, jurors[0].id)).overall_comment == "First tab"


async def test_an_autosaved_submission_with_gaps_keeps_the_draft_and_names_each_gap(
        client, db, judging):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    token = await client.csrf_token(sheet_path(entry))
    form = complete_sheet(action="submit")
    del form["score-innovation"]
    answer = await client.post(sheet_path(entry), headers=JSON,
                               data={**form, "csrf_token": token})
    assert answer.status_code == 422
    assert answer.json()["version"] == 1 and "score-innovation" in answer.json()["errors"]
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.status == "draft" and stored.version == 1
    assert stored.scores["evaluation"].score == 4
