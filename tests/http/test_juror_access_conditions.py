"""Each condition of the jurors' read rule (prize.store.access.juror_may_read) on its own:
the rule is one SQL query, which a mutation tool cannot change clause by clause, so every
clause has a case here that fails when it is dropped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import access
from tests import factories


@pytest.fixture
async def readable(db):
    """An entry from Ireland by "Youth Voices", assigned to a French juror, released."""
    edition = await factories.edition(db, year=2026, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  status="eligible")
    juror = await factories.juror(db, edition_id=edition.id, country="FR",
                                  organisation="Another Org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    return edition, entry, juror


async def execute(db, sql: str, *params) -> None:
    async with db.transaction() as conn:
        await conn.execute(sql, params)


async def test_an_assigned_released_active_juror_without_conflict_may_read(db, readable):
    _, entry, juror = readable
    assert await access.juror_may_read(db, juror.id, entry.id)


async def test_a_juror_not_assigned_to_the_entry_may_not(db, readable):
    edition, entry, _ = readable
    other = await factories.juror(db, edition_id=edition.id, country="FR")
    assert not await access.juror_may_read(db, other.id, entry.id)


async def test_before_the_assignment_is_released_the_juror_may_not(db, readable):
    edition, entry, juror = readable
    await execute(db, "UPDATE editions SET assignment_released_at = NULL WHERE id = ?",
                  edition.id)
    assert not await access.juror_may_read(db, juror.id, entry.id)


async def test_a_deactivated_account_may_not(db, readable):
    _, entry, juror = readable
    await execute(db, "UPDATE users SET is_active = 0 WHERE id = ?", juror.id)
    assert not await access.juror_may_read(db, juror.id, entry.id)


@pytest.mark.parametrize("status", ["invited", "withdrawn"])
async def test_a_juror_no_longer_active_on_the_jury_may_not(db, readable, status):
    edition, entry, juror = readable
    await execute(db, "UPDATE edition_jurors SET status = ? WHERE edition_id = ? AND user_id = ?",
                  status, edition.id, juror.id)
    assert not await access.juror_may_read(db, juror.id, entry.id)


@pytest.mark.parametrize("source", ["declared", "secretariat"])
async def test_a_recorded_conflict_closes_the_entry(db, readable, source):
    _, entry, juror = readable
    await execute(db, "INSERT INTO conflicts (entry_id, juror_id, source, created_at)"
                      " VALUES (?, ?, ?, '2026-03-01T00:00:00Z')", entry.id, juror.id, source)
    assert not await access.juror_may_read(db, juror.id, entry.id)


async def test_a_juror_from_one_of_the_entrys_countries_may_not_in_any_letter_case(db, readable):
    _, entry, juror = readable
    await execute(db, "INSERT INTO entry_countries (entry_id, country) VALUES (?, 'fr')",
                  entry.id)
    assert not await access.juror_may_read(db, juror.id, entry.id)


async def test_a_juror_without_a_country_is_not_conflicted_by_a_blank_country(db, readable):
    _, entry, juror = readable
    await execute(db, "UPDATE juror_profiles SET country = '' WHERE user_id = ?", juror.id)
    await execute(db, "INSERT INTO entry_countries (entry_id, country) VALUES (?, '')", entry.id)
    assert await access.juror_may_read(db, juror.id, entry.id)


async def test_a_juror_of_the_entrys_organisation_may_not_whatever_the_case_and_spaces(
    db, readable
):
    _, entry, juror = readable
    await execute(db, "UPDATE juror_profiles SET organisation = ? WHERE user_id = ?",
                  "  youth VOICES ", juror.id)
    assert not await access.juror_may_read(db, juror.id, entry.id)


async def test_no_organisation_on_either_side_is_not_a_shared_organisation(db, readable):
    _, entry, juror = readable
    await execute(db, "UPDATE juror_profiles SET organisation = '' WHERE user_id = ?", juror.id)
    await execute(db, "UPDATE entries SET organisation = '' WHERE id = ?", entry.id)
    assert await access.juror_may_read(db, juror.id, entry.id)
