"""A juror reports a risk of harm in an entry (ethics) on their score sheet, beside the scores;
the secretariat sees it on the entry's page and on the progress page (issue 19 part 6)."""

from __future__ import annotations

from prize.store import scoring as sheets
from tests.http.test_scoring import complete_sheet, judging, sheet_path  # noqa: F401

NOTE = "The project puts pupils’ names and photos on a public page."


async def test_a_reported_risk_is_kept_and_shown_to_the_secretariat(
    client, admin_client, db, judging  # noqa: F811
):
    edition, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    form = {**complete_sheet(2), "harm_reported": "on", "harm_note": NOTE}
    assert (await client.submit(sheet_path(entry), form)).status_code == 303
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored.harm_reported and stored.harm_note == NOTE
    # the juror finds the box ticked and the note when coming back
    again = (await client.get(sheet_path(entry))).text
    assert 'name="harm_reported" value="on" checked' in again and NOTE in again

    entry_page = (await admin_client.get(f"/admin/entries/{entry.id}")).text
    assert "Risk of harm reported" in entry_page and NOTE in entry_page
    progress = (await admin_client.get(f"/admin/editions/{edition.year}/progress")).text
    assert "Risk of harm reported" in progress and NOTE in progress
    assert f'href="/admin/entries/{entry.id}"' in progress


async def test_no_report_no_warning(client, admin_client, judging):  # noqa: F811
    edition, entry, _, _ = judging
    await client.log_in("j1@example.org")
    assert (await client.submit(sheet_path(entry), complete_sheet(4))).status_code == 303
    entry_page = await admin_client.get(f"/admin/entries/{entry.id}")
    assert "Risk of harm reported" not in entry_page.text
    progress = await admin_client.get(f"/admin/editions/{edition.year}/progress")
    assert "Risk of harm reported" not in progress.text


async def test_submitting_a_report_without_a_note_asks_for_it_and_keeps_the_tick(
    client, db, judging  # noqa: F811
):
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    form = {**complete_sheet(3, action="submit"), "harm_reported": "on", "harm_note": "  "}
    response = await client.submit(sheet_path(entry), form)
    assert response.status_code == 422
    assert "Say in a few words what the risk of harm is." in response.text
    assert 'name="harm_reported" value="on" checked' in response.text
    assert 'href="#field-harm_note"' in response.text
    stored = await sheets.sheet_of(db, entry.id, jurors[0].id)
    assert stored is None or not stored.submitted


async def test_a_note_too_long_is_refused_in_place_with_the_text_kept(client, db, judging):  # noqa: F811
    _, entry, jurors, _ = judging
    await client.log_in("j1@example.org")
    long_note = "x" * 1001
    response = await client.submit(sheet_path(entry), {**complete_sheet(3), "harm_reported": "on",
                                                       "harm_note": long_note})
    assert response.status_code == 422
    assert "at most 1000 characters" in response.text and long_note in response.text
    assert await sheets.sheet_of(db, entry.id, jurors[0].id) is None


async def test_other_jurors_never_read_the_report(client, other_client, judging):  # noqa: F811
    _, entry, _, _ = judging
    await client.log_in("j1@example.org")
    form = {**complete_sheet(2, action="submit"), "harm_reported": "on", "harm_note": NOTE}
    assert (await client.submit(sheet_path(entry), form)).status_code == 303
    await other_client.log_in("j2@example.org")
    assert (await other_client.submit(sheet_path(entry), complete_sheet(4, action="submit"))
            ).status_code == 303
    colleague = (await other_client.get(sheet_path(entry))).text
    assert "A strong project." in colleague  # j1's submitted sheet is shown...
    assert NOTE not in colleague  # ...but not the report
