"""A juror told that another tab saved the sheet reads the time the one way people read
dates here ("2 March 2026, 10:30 (Strasbourg time)"): no UTC, no offset, no seconds."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests import factories

# The clock fixture's moment, 09:30 UTC, is 10:30 in Strasbourg (winter time).
SAVED_AT = "2 March 2026, 10:30 (Strasbourg time)"
NOT_ONE_FORMAT = re.compile(r"UTC|GMT|Z\b|[+-]\d\d:?\d\d\b|\d\d:\d\d:\d\d|\d+/\d+/\d+|[AP]M\b")


@pytest.fixture
async def sheet_of_juror(db):
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    juror = await factories.user(db, role="juror", email="juror@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET assignment_released_at = '2026-03-01T00:00:00Z'"
                           " WHERE id = ?", (edition.id,))
    return f"/jury/entries/{entry.id}/sheet"


def _message(page: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    found = re.search(r"Not saved: this sheet was saved in another tab or window[^.]*\.", text)
    assert found, "no conflict message"
    return " ".join(found.group(0).split())


async def test_the_two_tab_conflict_names_the_other_save_in_the_one_date_format(
    client, sheet_of_juror
):
    await client.log_in("juror@example.org")
    # the first tab saves
    first = await client.submit(sheet_of_juror, {"version": "0", "action": "save",
                                                 "justification-ethics": "First tab."})
    assert first.status_code == 303
    # the second tab, opened before, saves on the old version
    second = await client.submit(sheet_of_juror, {"version": "0", "action": "save",
                                                  "justification-ethics": "Second tab."})
    assert second.status_code == 409
    message = _message(second.text)
    assert f"({SAVED_AT})" in message
    assert not NOT_ONE_FORMAT.search(message.replace(SAVED_AT, "")), message
    assert "Second tab." in second.text  # the juror's text is kept


async def test_the_autosave_conflict_says_the_same_without_utc(client, sheet_of_juror):
    await client.log_in("juror@example.org")
    await client.submit(sheet_of_juror, {"version": "0", "action": "save",
                                         "justification-ethics": "First tab."})
    token = await client.csrf_token(sheet_of_juror)
    response = await client.post(
        sheet_of_juror,
        data={"csrf_token": token, "version": "0", "action": "save",
              "justification-ethics": "Autosaved from the second tab."},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert SAVED_AT in error
    assert not NOT_ONE_FORMAT.search(error.replace(SAVED_AT, "")), error


async def test_every_sheet_page_date_is_in_the_one_format(client, sheet_of_juror):
    await client.log_in("juror@example.org")
    await client.submit(sheet_of_juror, {"version": "0", "action": "save",
                                         "justification-ethics": "Draft."})
    page = (await client.get(sheet_of_juror)).text
    visible = html.unescape(re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S))
    assert "UTC" not in visible
    assert not re.search(r"\d\d:\d\d:\d\d|[+-]\d\d:\d\d\b", visible)
