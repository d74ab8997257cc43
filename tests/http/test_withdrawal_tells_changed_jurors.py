"""A juror who withdraws after the release is replaced: the jurors who take over some of
their entries get their new list by email; the others, and the one leaving, get none."""

from __future__ import annotations

import re

from tests import factories
from tests.http.test_assignment_rerun_and_release import (
    ASSIGNMENT,
    released_four_entries_two_jurors,
    run,
)
from tests.http.test_jury_admin import BASE, pairs_of


async def test_after_the_release_only_jurors_whose_lists_change_are_told(
        admin_client, db, mailbox, app):
    edition, entries, (camille, jonas) = await released_four_entries_two_jurors(admin_client, db)
    piotr = await factories.juror(db, edition_id=edition.id, country="PL", name="Piotr")
    # Piotr joins the released assignment through a new run, then Jonas leaves.
    page = await run(admin_client)
    basis = re.search(r'name="basis" value="([^"]+)"', page.text).group(1)
    proposal = re.search(r'name="proposal" value="([^"]+)"', page.text).group(1)
    await admin_client.submit(f"{ASSIGNMENT}/apply", {"basis": basis, "proposal": proposal},
                              token_from=ASSIGNMENT)
    await app.state.mailer.flush()
    before = await pairs_of(db, edition)
    sent = {person.id: len(mailbox.to(person.email)) for person in (camille, jonas, piotr)}
    response = await admin_client.submit(f"{BASE}/{jonas.id}/withdraw", {}, token_from=BASE)
    assert response.status_code == 303
    await app.state.mailer.flush()
    after = await pairs_of(db, edition)
    changed = {juror for juror, _ in {p for p in before if p[0] != jonas.id} ^ after}
    assert changed  # Jonas's entries went to someone
    for person in (camille, piotr):
        new = len(mailbox.to(person.email)) - sent[person.id]
        assert new == (1 if person.id in changed else 0), person.name
    assert len(mailbox.to(jonas.email)) == sent[jonas.id]
    page = await admin_client.get(ASSIGNMENT)
    assert "to the jurors whose lists changed" in page.text
