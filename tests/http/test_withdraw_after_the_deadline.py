"""Withdrawing over HTTP follows the deadline rule: refused once the call has closed."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.store import audit, entries
from tests import factories

CLOSES_AT = datetime(2026, 5, 30, 21, 59, tzinfo=UTC)


async def test_withdrawing_after_the_deadline_is_refused_and_the_entry_stays_submitted(
    applicant_client, db, clock
):
    # given a submitted entry, and the call closed a minute ago
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    clock.now = datetime(2026, 5, 30, 22, 0, tzinfo=UTC)

    # when the applicant confirms that they withdraw
    response = await applicant_client.submit(f"/my/entries/{entry.id}/withdraw",
                                             {"confirm": "yes"},
                                             token_from=f"/my/entries/{entry.id}")

    # then it is refused, and nothing is changed nor recorded
    assert response.status_code == 409
    assert (await entries.get(db, entry.id)).status == "submitted"
    assert await audit.search(db, action="entry.withdrawn") == []


async def test_withdrawing_just_before_the_deadline_is_allowed(applicant_client, db, clock):
    edition = await factories.edition(db, closes_at=CLOSES_AT)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id,
                                  status="submitted")
    clock.now = datetime(2026, 5, 30, 21, 58, tzinfo=UTC)
    response = await applicant_client.submit(f"/my/entries/{entry.id}/withdraw",
                                             {"confirm": "yes"},
                                             token_from=f"/my/entries/{entry.id}")
    assert response.status_code == 303
    assert (await entries.get(db, entry.id)).status == "withdrawn"
