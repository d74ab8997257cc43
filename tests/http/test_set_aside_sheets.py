"""A conflict found after scoring: the juror's submitted sheet is set aside, kept for the
audit, counted in no figure and hidden from colleagues, until the secretariat reinstates
it with a reason or the conflict goes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import audit, console, jury, progress
from prize.store import scoring as sheets
from tests import factories
from tests.conftest import Browser
from tests.http.test_scoring import complete_sheet, release


@pytest.fixture
async def scored(app, db):
    """A judging edition with one eligible entry (Ireland) whose three jurors submitted
    sheets: juror 1 gives every criterion 5 (total 100), jurors 2 and 3 give 3 (60)."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    jurors = [await factories.user(db, role="juror", email=f"j{n}@example.org",
                                   name=f"Juror {n}") for n in (1, 2, 3)]
    for juror in jurors:
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id)
    await release(db, edition.id)
    browsers = {}
    for juror, score in zip(jurors, (5, 3, 3), strict=True):
        browser = Browser.for_app(app)
        await browser.__aenter__()
        await browser.log_in(juror.email)
        response = await browser.submit(f"/jury/entries/{entry.id}/sheet",
                                        complete_sheet(score, action="submit"))
        assert response.status_code == 303
        browsers[juror.id] = browser
    yield edition, entry, jurors, browsers
    for browser in browsers.values():
        await browser.__aexit__(None, None, None)


async def declare_conflict(browser: Browser, edition, entry) -> None:
    response = await browser.submit(f"/jury/{edition.year}/conflicts", {
        f"conflict_{entry.id}": "on", f"reason_{entry.id}": "I advised this project."})
    assert response.status_code == 303


async def sheets_and_mean(client, edition) -> tuple[str, str]:
    """(sheets, mean) of the entry in the ranking export."""
    csv = await client.get(f"/admin/editions/{edition.year}/exports/ranking.csv")
    fields = csv.text.splitlines()[1].split(",")
    return fields[4], fields[5]


async def test_a_sheet_submitted_before_a_declared_conflict_counts_no_more(
        admin_client, db, scored):
    edition, entry, jurors, browsers = scored
    # given: the three sheets count (totals 100, 60, 60)
    assert await sheets_and_mean(admin_client, edition) == ("3", "73.33")
    # when juror 1 declares a conflict with the entry
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    # then the figures leave juror 1's sheet out: two sheets, mean 60
    assert await sheets_and_mean(admin_client, edition) == ("2", "60.00")
    results, _ = await sheets.edition_results(db, edition)
    assert results.entries[0].totals == {jurors[1].id: 60.0, jurors[2].id: 60.0}
    assert [juror.juror_id for juror in results.jurors] == [jurors[1].id, jurors[2].id]
    page = await admin_client.get(f"/admin/editions/{edition.year}/deliberation")
    assert "100.00" not in page.text and "73.33" not in page.text
    # and the page says so, with the date in the edition's time zone, and the form
    assert "1 sheet set aside: conflict declared on 2 March 2026, 10:30" in page.text
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert f'action="/admin/sheets/{sheet.id}/reinstate"' in page.text
    # and the sheet itself is kept, submitted, for the audit
    assert sheet.submitted and sheet.scores["ethics"].score == 5


async def test_colleagues_no_longer_see_a_set_aside_sheet(db, scored):
    edition, entry, jurors, browsers = scored
    colleague = browsers[jurors[1].id]
    before = await colleague.get(f"/jury/entries/{entry.id}")
    assert "Juror 1" in before.text and "Juror 3" in before.text
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    after = await colleague.get(f"/jury/entries/{entry.id}")
    assert after.status_code == 200
    assert "Juror 1" not in after.text and "Juror 3" in after.text
    sheet_page = await colleague.get(f"/jury/entries/{entry.id}/sheet")
    assert "Juror 1" not in sheet_page.text and "Juror 3" in sheet_page.text


async def test_the_secretariat_reinstates_a_set_aside_sheet_with_a_reason_audited(
        admin_client, db, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    path = f"/admin/editions/{edition.year}/deliberation"
    # when
    response = await admin_client.submit(f"/admin/sheets/{sheet.id}/reinstate", {
        f"reason-{sheet.id}": "The advice ended years before the project began."},
        token_from=path)
    # then
    assert response.status_code == 303
    assert await sheets_and_mean(admin_client, edition) == ("3", "73.33")
    page = await admin_client.get(path)
    assert "set aside" not in page.text
    records = await audit.search(db, action="sheet.reinstated")
    assert len(records) == 1
    assert records[0].details["reason"] == "The advice ended years before the project began."
    assert records[0].subject_id == sheet.id
    stored = await sheets.reinstatement_of(db, sheet.id)
    assert stored.reinstated_by == admin_client.user.id
    assert stored.reason == "The advice ended years before the project began."
    # and the juror still may not read the entry: the conflict stands
    assert (await browsers[jurors[0].id].get(f"/jury/entries/{entry.id}")).status_code == 404


@pytest.mark.parametrize("reason", ["   ", "x" * 2001])
async def test_a_reinstatement_without_a_fitting_reason_is_refused_in_place(
        admin_client, db, scored, reason):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    response = await admin_client.submit(
        f"/admin/sheets/{sheet.id}/reinstate", {f"reason-{sheet.id}": reason},
        token_from=f"/admin/editions/{edition.year}/deliberation")
    assert response.status_code == 422
    assert f'id="error-reason-{sheet.id}"' in response.text
    assert f"{reason}</textarea>" in response.text
    assert "1 sheet set aside" in response.text
    assert await sheets.reinstatement_of(db, sheet.id) is None
    assert not await audit.search(db, action="sheet.reinstated")


async def test_a_juror_cannot_reinstate_a_sheet(juror_client, db, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    response = await juror_client.submit(f"/admin/sheets/{sheet.id}/reinstate",
                                         {f"reason-{sheet.id}": "Let it count."},
                                         token_from="/jury")
    assert response.status_code == 403
    assert await sheets.reinstatement_of(db, sheet.id) is None


async def test_a_sheet_that_counts_cannot_be_reinstated(admin_client, db, scored):
    edition, entry, jurors, _ = scored
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    response = await admin_client.submit(
        f"/admin/sheets/{sheet.id}/reinstate", {f"reason-{sheet.id}": "Why not."},
        token_from=f"/admin/editions/{edition.year}/deliberation")
    assert response.status_code == 409
    assert await sheets.reinstatement_of(db, sheet.id) is None


async def test_a_withdrawn_conflict_lets_the_sheet_count_again(admin_client, db, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    assert await sheets_and_mean(admin_client, edition) == ("2", "60.00")
    # when the juror withdraws the declaration (the box left unticked)
    response = await browsers[jurors[0].id].submit(f"/jury/{edition.year}/conflicts", {})
    assert response.status_code == 303
    # then the sheet counts again, without any reinstatement
    assert await sheets_and_mean(admin_client, edition) == ("3", "73.33")


async def test_an_automatic_conflict_after_scoring_sets_the_sheet_aside(admin_client, db, scored):
    edition, entry, jurors, _ = scored
    # when juror 2's profile comes to say Ireland, the entry's country
    async with db.transaction() as conn:
        await jury.save_profile(conn, jury.JurorProfile(user_id=jurors[1].id, country="IE"),
                                datetime(2026, 2, 20, 8, 0, tzinfo=UTC))
    # then juror 2's sheet (60) counts no more: 100 and 60 remain
    assert await sheets_and_mean(admin_client, edition) == ("2", "80.00")
    page = await admin_client.get(f"/admin/editions/{edition.year}/deliberation")
    assert "1 sheet set aside: conflict declared on 20 February 2026, 09:00" in page.text


async def test_a_conflict_set_by_the_secretariat_sets_the_sheet_aside(admin_client, db, scored):
    edition, entry, jurors, _ = scored
    async with db.transaction() as conn:
        await jury.set_conflict(conn, entry_id=entry.id, juror_id=jurors[2].id,
                                source="secretariat", reason="Family tie.",
                                created_by=admin_client.user.id,
                                now=datetime(2026, 3, 1, 16, 45, tzinfo=UTC))
    assert await sheets_and_mean(admin_client, edition) == ("2", "80.00")


async def test_the_scores_export_leaves_a_set_aside_sheet_out(admin_client, db, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    export = await admin_client.get(f"/admin/editions/{edition.year}/exports/scores.csv")
    lines = export.text.splitlines()
    assert lines[0] == "reference,juror,criterion,score,weight,status,round"
    assert not [line for line in lines if ",Juror 1," in line]
    assert [line for line in lines if ",Juror 2," in line]


async def test_progress_and_start_of_deliberation_neither_count_nor_wait_for_it(db, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    by_juror = {row.juror_id: row for row in await progress.juror_progress(db, edition.id)}
    assert jurors[0].id not in by_juror
    assert (by_juror[jurors[1].id].assigned, by_juror[jurors[1].id].submitted) == (1, 1)
    facts = await console.edition_facts(db, edition, datetime(2026, 3, 2, tzinfo=UTC))
    assert (facts.sheets_assigned, facts.sheets_submitted) == (2, 2)


async def test_the_sheet_page_says_it_is_set_aside_then_why_it_was_reinstated(
        admin_client, db, clock, scored):
    edition, entry, jurors, browsers = scored
    await declare_conflict(browsers[jurors[0].id], edition, entry)
    sheet = await sheets.sheet_of(db, entry.id, jurors[0].id)
    page = await admin_client.get(f"/admin/sheets/{sheet.id}")
    assert "This sheet is set aside" in page.text
    clock.advance(hours=2)
    await admin_client.submit(f"/admin/sheets/{sheet.id}/reinstate",
                              {f"reason-{sheet.id}": "An old tie."},
                              token_from=f"/admin/editions/{edition.year}/deliberation")
    page = await admin_client.get(f"/admin/sheets/{sheet.id}")
    assert "This sheet is set aside" not in page.text
    assert ("Reinstated on 2 March 2026, 12:30 (Strasbourg time) despite a conflict: An old tie."
            in page.text)
