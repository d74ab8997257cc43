"""The juror's dashboard and score sheet: where each sheet stands, read and score on one
page, the rubric in order, nothing cut silently, an error count of errors only."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.store import scoring as sheets
from tests import factories
from tests.http.test_scoring import complete_sheet

YEAR = 2026


@pytest.fixture
async def world(db):
    """A judging edition with three entries assigned to one juror (one submitted, one draft,
    one not started), an entry the juror has a conflict with, and a published edition."""
    edition = await factories.edition(db, year=YEAR, status="judging",
                                      judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))
    owner = await factories.user(db, email="owner@example.org")
    juror = await factories.juror(db, edition_id=edition.id, email="j@example.org")
    entries = []
    for title, sheet in (("Peer Talk", "submitted"), ("Street Voices", "draft"),
                         ("Open Lines", None)):
        entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      status="eligible",
                                      application=factories.complete_application(title=title))
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id, sheet=sheet)
        entries.append(entry)
    await factories.release_assignment(db, edition.id)
    past = await factories.edition(db, year=2024, status="published",
                                   closes_at=datetime(2024, 5, 30, tzinfo=UTC))
    async with db.transaction() as conn:
        from prize.store import jury
        await jury.add_active_juror(conn, past.id, juror.id, datetime(2024, 1, 1, tzinfo=UTC))
    return edition, entries, juror


def dashboard_items(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li data-state="(\w+)">.*?· ([^<]+)</a>', html, re.S)


async def test_dashboard_shows_each_sheet_state_and_the_progress(client, world):
    _, entries, _ = world
    await client.log_in("j@example.org")
    page = await client.get("/jury")
    assert page.status_code == 200
    assert dashboard_items(page.text) == [("submitted", "Peer Talk"), ("draft", "Street Voices"),
                                          ("not_started", "Open Lines")]
    assert "1 of 3 submitted" in page.text
    assert re.search(r'<progress class="progress" max="3" value="1" aria-labelledby=', page.text)
    # Day month year and HH:MM in the edition's zone (the zone's name follows it).
    assert "Judging deadline: 15 July 2026, 23:59" in page.text
    assert f'href="/jury/entries/{entries[2].id}/sheet"' in page.text


async def test_finished_edition_folds_into_one_line_after_the_edition_that_needs_work(client,
                                                                                   world):
    await client.log_in("j@example.org")
    page = await client.get("/jury")
    assert "2024: results published" in page.text
    assert page.text.count("has not sent you your entries yet") == 0
    assert page.text.index('id="edition-2026"') < page.text.index("2024: results published")


async def test_edition_that_needs_work_comes_before_a_newer_one(client, db, world):
    _, _, juror = world
    newer = await factories.edition(db, year=2027, status="open",
                                    closes_at=datetime(2027, 5, 30, tzinfo=UTC))
    async with db.transaction() as conn:
        from prize.store import jury
        await jury.add_active_juror(conn, newer.id, juror.id, datetime(2026, 1, 1, tzinfo=UTC))
    await client.log_in("j@example.org")
    page = await client.get("/jury")
    assert page.text.index('id="edition-2026"') < page.text.index('id="edition-2027"')


async def test_french_dashboard_dates_and_progress(client, world):
    await client.log_in("j@example.org")
    await client.get("/language", params={"locale": "fr"})
    page = await client.get("/jury")
    assert "15 juillet 2026, 23:59" in page.text


async def test_sheet_page_shows_the_entry_beside_the_criteria(client, world):
    _, entries, _ = world
    await client.log_in("j@example.org")
    reading = await client.get(f"/jury/entries/{entries[2].id}")
    page = await client.get(f"/jury/entries/{entries[2].id}/sheet")
    assert page.status_code == 200
    assert 'id="entry-pane"' in page.text and 'id="sheet-pane"' in page.text
    # The same text as the entry page, phone number left out on both.
    for section in re.findall(r'<dl class="facts">.*?</dl>', reading.text, re.S):
        assert section in page.text
    assert "+353" not in page.text
    assert page.text.index('id="entry-pane"') < page.text.index('id="score-sheet"')


async def test_sheet_page_keeps_colleagues_sheets_hidden_until_own_is_submitted(client, db,
                                                                               world):
    edition, entries, _ = world
    colleague = await factories.juror(db, edition_id=edition.id, email="c@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entries[2].id,
                               juror_id=colleague.id)
    await client.log_in("c@example.org")
    await client.submit(f"/jury/entries/{entries[2].id}/sheet",
                        complete_sheet(action="submit") | {"overall_comment": "Colleague note"})
    await client.log_in("j@example.org")
    page = await client.get(f"/jury/entries/{entries[2].id}/sheet")
    assert "Colleague note" not in page.text


async def test_conflicted_juror_gets_no_sheet_page(client, db, world):
    edition, entries, juror = world
    async with db.transaction() as conn:
        from prize.store import jury
        await jury.set_conflict(conn, entry_id=entries[2].id, juror_id=juror.id,
                                source="declared", reason="", created_by=juror.id,
                                now=datetime(2026, 6, 2, tzinfo=UTC))
    await client.log_in("j@example.org")
    assert (await client.get(f"/jury/entries/{entries[2].id}/sheet")).status_code == 404
    listed = dashboard_items((await client.get("/jury")).text)
    assert [title for _, title in listed] == ["Peer Talk", "Street Voices"]


async def test_rubric_reads_from_lowest_to_highest_and_required_parts_are_marked(client, world):
    _, entries, _ = world
    await client.log_in("j@example.org")
    page = await client.get(f"/jury/entries/{entries[2].id}/sheet")
    levels = re.findall(r'id="score-ethics-(\d)"', page.text)
    assert levels == ["0", "1", "2", "3", "4", "5"]
    assert 'class="choices rubric"' in page.text
    assert re.search(r'<label for="field-justification-ethics">Justification '
                     r'<span class="required">\(required\)</span>', page.text)
    assert re.search(r'<legend>Ethics <span class="required">\(required\)</span>', page.text)


async def test_over_long_justification_is_refused_in_place_and_kept(client, db, world):
    _, entries, juror = world
    await client.log_in("j@example.org")
    long_text = "word " * 12_000  # 60,000 characters
    form = {"version": "0", "action": "save", "justification-ethics": long_text}
    response = await client.submit(f"/jury/entries/{entries[2].id}/sheet", form)
    assert response.status_code == 422
    assert "This is too long: at most 20000 characters." in response.text
    assert long_text.strip() in response.text  # the text is kept in the form
    assert await sheets.sheet_of(db, entries[2].id, juror.id) is None  # nothing saved


async def test_over_long_comment_in_autosave_answers_422_with_a_message(client, db, world):
    _, entries, juror = world
    await client.log_in("j@example.org")
    form = {"version": "0", "action": "save", "overall_comment": "x" * 20_001,
            "justification-ethics": "Fine."}
    path = f"/jury/entries/{entries[2].id}/sheet"
    token = await client.csrf_token(path)
    response = await client.post(path, data=form | {"csrf_token": token},
                                 headers={"Accept": "application/json"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"overall_comment": "This is too long: at most 20000 characters."}
    assert "too long" in body["error"] and body["version"] == 0
    assert await sheets.sheet_of(db, entries[2].id, juror.id) is None


async def test_justification_at_the_limit_is_saved_whole(client, db, world):
    _, entries, juror = world
    await client.log_in("j@example.org")
    text = "y" * 20_000
    form = {"version": "0", "action": "save", "justification-ethics": text}
    response = await client.submit(f"/jury/entries/{entries[2].id}/sheet", form)
    assert response.status_code == 303
    stored = await sheets.sheet_of(db, entries[2].id, juror.id)
    assert stored.scores["ethics"].justification == text


async def test_error_count_counts_errors_only(client, world):
    _, entries, _ = world
    await client.log_in("j@example.org")
    form = {"version": "0", "action": "submit", "score-ethics": "3",
            "justification-ethics": "Consent is handled with care."}
    response = await client.submit(f"/jury/entries/{entries[2].id}/sheet", form)
    assert response.status_code == 422
    # 8 criteria, ethics complete: 7 scores and 7 justifications missing.
    assert "There are 14 problems" in response.text
    assert "Saved as a draft, not submitted yet" in response.text
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)
    assert summary.count("<li>") == 14
    assert "Saved as a draft" not in summary


async def test_juror_pages_say_back_to_the_entries_to_judge_in_french(client, world):
    _, entries, _ = world
    await client.log_in("j@example.org")
    await client.get("/language", params={"locale": "fr"})
    page = await client.get(f"/jury/entries/{entries[2].id}/sheet")
    assert '<html lang="fr">' in page.text and "Retour à mes candidatures" not in page.text
