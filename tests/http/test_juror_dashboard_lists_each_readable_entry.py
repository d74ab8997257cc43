"""A juror's dashboard asks the read rule about all their entries at once
(prize.store.access.entries_juror_may_read): with several assigned entries it lists each
one they may read, and not the one they have a conflict with. Every other dashboard test
has one entry, so a rule that broke only for two or more went unnoticed (what the
mutation run of prize/store/access.py found)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests import factories


async def test_the_dashboard_lists_each_assigned_entry_the_juror_may_read(client, db):
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    owner = await factories.user(db)
    juror = await factories.juror(db, edition_id=edition.id, country="FR")
    assigned = {}
    for title, country in (("Peer Talk", "IE"), ("Home Grown", "BE"), ("Chez Nous", "FR")):
        assigned[title] = await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, status="eligible",
            application=factories.complete_application(title=title, country=country))
        await factories.assignment(db, edition_id=edition.id, entry_id=assigned[title].id,
                                   juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    await client.log_in(juror.email)

    dashboard = await client.get("/jury")

    assert dashboard.status_code == 200
    for title in ("Peer Talk", "Home Grown"):
        assert title in dashboard.text
        assert f'href="/jury/entries/{assigned[title].id}/sheet"' in dashboard.text
    # The French juror's conflict with the French entry: assigned, but never shown.
    assert "Chez Nous" not in dashboard.text
    assert f"/jury/entries/{assigned['Chez Nous'].id}" not in dashboard.text
