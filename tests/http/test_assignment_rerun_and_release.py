"""Releasing the assignment and running it again once released: each shows first what
will happen (who gets which email; juror by juror +n / −n), never removes an entry a
juror has started, and emails only jurors with entries, and after a new run only those
whose lists changed."""

from __future__ import annotations

import re

from prize.store import audit, editions
from prize.store import jury as jury_store
from tests import factories
from tests.http.test_jury_admin import BASE, YEAR, judged_entries, pairs_of

ASSIGNMENT = f"{BASE}/assignment"


async def judging_edition(db):
    return await factories.edition(db, year=YEAR, status="judging", jurors_per_entry=1)


async def run(client):
    return await client.submit(f"{ASSIGNMENT}/run", {}, token_from=ASSIGNMENT)


async def release(client, confirmed=True):
    return await client.submit(f"{ASSIGNMENT}/release",
                               {"confirmed": "yes"} if confirmed else {}, token_from=ASSIGNMENT)


async def start_sheet(db, juror_id, entry_id):
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO score_sheets (entry_id, juror_id, status, created_at, updated_at)"
            " VALUES (?, ?, 'draft', '2026-06-02T00:00:00Z', '2026-06-02T00:00:00Z')",
            (entry_id, juror_id))


async def test_release_first_says_who_gets_which_email_and_sends_nothing(
        admin_client, db, mailbox):
    edition = await judging_edition(db)
    await judged_entries(db, edition, ("IE", "MT"))
    await factories.juror(db, edition_id=edition.id, country="FR", name="Camille")
    # Every entry is from Ireland or Malta: this juror may read none and has no entry.
    await factories.juror(db, edition_id=edition.id, country="IE", name="Aoife",
                          organisation="Org MT")
    assert (await run(admin_client)).status_code == 303
    page = await release(admin_client, confirmed=False)
    assert page.status_code == 200
    assert "1 juror gets an email with their list of entries: Camille (2)." in page.text
    assert "1 juror has no entry and gets no email: Aoife." in page.text
    assert 'class="email-preview"' in page.text and "Release and send 1 email" in page.text
    assert mailbox.messages == []
    assert (await editions.get(db, edition.id)).assignment_released_at is None


async def test_a_juror_with_no_entries_never_gets_the_list_email(admin_client, db, mailbox, app):
    edition = await judging_edition(db)
    await judged_entries(db, edition, ("IE", "MT"))
    camille = await factories.juror(db, edition_id=edition.id, country="FR", name="Camille")
    aoife = await factories.juror(db, edition_id=edition.id, country="IE", name="Aoife",
                                  organisation="Org MT")
    await run(admin_client)
    response = await release(admin_client)
    assert response.status_code == 303
    await app.state.mailer.flush()
    assert len(mailbox.to(camille.email)) == 1
    assert mailbox.to(aoife.email) == []
    assert "Emails sent: 1." in (await admin_client.get(ASSIGNMENT)).text


async def released_four_entries_two_jurors(admin_client, db):
    edition = await judging_edition(db)
    entries = await judged_entries(db, edition)
    jurors = [await factories.juror(db, edition_id=edition.id, country=c, name=n)
              for c, n in (("FR", "Camille"), ("DE", "Jonas"))]
    await run(admin_client)
    await release(admin_client)
    return edition, entries, jurors


async def test_a_new_run_after_the_release_shows_the_changes_juror_by_juror_first(
        admin_client, db, mailbox, app):
    edition, entries, (camille, jonas) = await released_four_entries_two_jurors(admin_client, db)
    await app.state.mailer.flush()
    mailbox.messages.clear()
    before = await pairs_of(db, edition)
    started = sorted(before)[:1]
    await start_sheet(db, *started[0])
    await factories.juror(db, edition_id=edition.id, country="PL", name="Piotr")
    page = await run(admin_client)
    assert page.status_code == 200
    assert "What a new run of the assignment would change" in page.text
    # Nothing changed yet, and nobody was told.
    assert await pairs_of(db, edition) == before and mailbox.messages == []
    rows = {name: re.search(rf"<th scope=\"row\"[^>]*>{name}</th>(.*?)</tr>", page.text, re.S)
            .group(1) for name in ("Camille", "Jonas", "Piotr")}
    assert re.search(r"\+\d", rows["Piotr"])
    assert "−" in rows["Camille"] + rows["Jonas"]
    assert "1 started, kept" in page.text


async def test_applying_keeps_started_work_and_emails_only_the_jurors_whose_lists_changed(
        admin_client, db, mailbox, app):
    edition, entries, jurors = await released_four_entries_two_jurors(admin_client, db)
    before = await pairs_of(db, edition)
    started = set(sorted(before)[:2])
    for pair in started:
        await start_sheet(db, *pair)
    await factories.juror(db, edition_id=edition.id, country="PL", name="Piotr")
    page = await run(admin_client)
    basis = re.search(r'name="basis" value="([^"]+)"', page.text).group(1)
    proposal = re.search(r'name="proposal" value="([^"]+)"', page.text).group(1)
    await app.state.mailer.flush()
    mailbox.messages.clear()
    response = await admin_client.submit(f"{ASSIGNMENT}/apply",
                                         {"basis": basis, "proposal": proposal},
                                         token_from=ASSIGNMENT)
    assert response.status_code == 303
    after = await pairs_of(db, edition)
    assert started <= after and after != before
    await app.state.mailer.flush()
    changed = {juror for juror, _ in before ^ after}
    everyone = {member.user_id: member.email for member in await jury_store.jurors_of(
        db, edition.id, ("active",))}
    for juror_id, email in everyone.items():
        has_entries = any(juror == juror_id for juror, _ in after)
        assert len(mailbox.to(email)) == (1 if juror_id in changed and has_entries else 0)
    assert "assignment.rerun_applied" in [r.action for r in await audit.search(
        db, edition_id=edition.id)]


async def test_applying_a_comparison_that_is_out_of_date_changes_nothing(admin_client, db):
    edition, entries, jurors = await released_four_entries_two_jurors(admin_client, db)
    before = await pairs_of(db, edition)
    await factories.juror(db, edition_id=edition.id, country="PL", name="Piotr")
    response = await admin_client.submit(f"{ASSIGNMENT}/apply",
                                         {"basis": "stale", "proposal": "stale"},
                                         token_from=ASSIGNMENT)
    assert response.status_code == 409
    assert "changed since you looked" in response.text
    assert "Apply these changes" in response.text  # the comparison as it is now
    assert await pairs_of(db, edition) == before


async def test_a_new_run_that_changes_nothing_says_so_and_offers_nothing_to_apply(
        admin_client, db):
    await released_four_entries_two_jurors(admin_client, db)
    page = await run(admin_client)
    assert page.status_code == 200
    assert "would change nobody" in page.text and "Apply these changes" not in page.text


async def test_before_the_release_a_run_is_kept_at_once(admin_client, db):
    edition = await judging_edition(db)
    await judged_entries(db, edition, ("IE", "MT"))
    await factories.juror(db, edition_id=edition.id, country="FR")
    assert (await run(admin_client)).status_code == 303
    assert await pairs_of(db, edition)


async def test_the_assignment_page_says_why_a_load_differs(admin_client, db):
    edition = await factories.edition(db, year=YEAR, status="judging", jurors_per_entry=1)
    await judged_entries(db, edition, ("IE", "MT", "IT", "ES", "FR", "DE"))
    for country, name in (("PL", "Piotr"), ("PT", "Inês"), ("IE", "Aoife")):
        await factories.juror(db, edition_id=edition.id, country=country, name=name)
    await run(admin_client)
    page = await admin_client.get(ASSIGNMENT)
    assert "Why the load differs" in page.text
    loads = {name: int(re.search(rf">{name}</td>.*?data-label=\"Entries\">(\d+)<", page.text,
                                 re.S).group(1)) for name in ("Piotr", "Inês", "Aoife")}
    if loads["Aoife"] < max(loads.values()):
        assert "1 entry they may not score" in page.text
