"""The secretariat's jury screens: invitations, conflicts, assignment, replacement, release."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import audit, users
from prize.store import jury as jury_store
from tests import factories
from tests.factories import complete_application

YEAR = 2026
BASE = f"/admin/editions/{YEAR}/jury"


@pytest.fixture
async def edition(db):
    return await factories.edition(db, year=YEAR, status="judging", jurors_per_entry=2,
                                   judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))


async def judged_entries(db, edition, countries=("IE", "MT", "IT", "ES")):
    owner = await factories.user(db)
    return [
        await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, status="eligible",
            application=complete_application(country=country, title=f"Project {country}",
                                             org_name=f"Org {country}"))
        for country in countries
    ]


async def pairs_of(db, edition) -> set[tuple[int, int]]:
    stored = await jury_store.assignment_of(db, edition.id)
    return {(pair.juror_id, pair.entry_id) for pair in stored}


# Access (who may open these pages: see test_authorisation_matrix.py) ----------------------


async def test_unknown_edition_or_juror_is_404(admin_client, db, edition):
    for path in ("/admin/editions/1999/jury", "/admin/editions/abc/jury",
                 "/admin/editions/99999/jury/assignment"):
        assert (await admin_client.get(path)).status_code == 404, path
    for action in ("/424242/resend", "/abc/revoke", "/0/withdraw"):
        response = await admin_client.submit(BASE + action, {}, token_from=BASE)
        assert response.status_code == 404, action


async def test_wrong_csrf_token_changes_nothing(admin_client, db, edition):
    response = await admin_client.post(f"{BASE}/invite", data={
        "email": "ana@example.org", "name": "Ana", "csrf_token": "stale"})
    assert response.status_code == 403
    assert await users.by_email(db, "ana@example.org") is None


# Invitations ------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "field"), [
    ({"name": "Ana"}, "email"),
    ({"name": "Ana", "email": "not an address"}, "email"),
    ({"name": "", "email": "ana@example.org"}, "name"),
    ({"name": "A" * 121, "email": "ana@example.org"}, "name"),
    ({"name": "Ana", "email": "a" * 250 + "@example.org"}, "email"),
])
async def test_bad_invitation_is_shown_again_with_the_input(admin_client, db, edition, form,
                                                           field):
    response = await admin_client.submit(f"{BASE}/invite", form, token_from=BASE)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text
    if form.get("name") and len(form["name"]) < 20:
        assert f'value="{form["name"]}"' in response.text
    assert await jury_store.jurors_of(db, edition.id) == []


async def test_an_applicant_account_cannot_be_invited(admin_client, db, edition):
    await factories.user(db, email="maria@example.org")
    response = await admin_client.submit(f"{BASE}/invite",
                                         {"name": "Maria", "email": "maria@example.org"},
                                         token_from=BASE)
    assert response.status_code == 422 and "not a juror" in response.text


async def test_invitation_is_mailed_and_accepted_once(admin_client, other_client, db, edition,
                                                      mailbox):
    response = await admin_client.submit(f"{BASE}/invite", {"name": "Ana Kovač",
                                                            "email": "Ana@Example.org "},
                                         token_from=BASE)
    assert response.status_code == 303, response.text
    person = await users.by_email(db, "ana@example.org")
    assert person.role == "juror" and person.password_hash is None
    (member,) = await jury_store.jurors_of(db, edition.id)
    assert member.status == "invited"
    assert [r.action for r in await audit.search(db, edition_id=edition.id)] == ["jury.invited"]
    link = mailbox.link("ana@example.org", "/invitation")
    assert "Invitation to the jury" in mailbox.to("ana@example.org")[0]["Subject"]

    page = await other_client.get(link)
    assert page.status_code == 200 and 'name="password"' in page.text
    token = link.split("token=")[1]
    bad = await other_client.submit("/invitation", [
        ("token", token), ("name", "Ana Kovač"), ("country", "XX"), ("password", "short"),
        ("password_confirm", "short"), ("bio", "B" * 1001), ("organisation", "Ljubljana Youth")],
        token_from=link)
    assert bad.status_code == 422
    for field in ("country", "languages", "password", "bio"):
        assert f'id="error-{field}"' in bad.text, field
    assert 'value="Ljubljana Youth"' in bad.text

    accepted = await other_client.submit("/invitation", [
        ("token", token), ("name", "Ana Kovač"), ("country", "SI"), ("languages", "sl"),
        ("languages", "en"), ("organisation", "Ljubljana Youth Centre"),
        ("expertise_settings", "school"), ("expertise_groups", "adolescents"),
        ("bio", "Secondary school student."), ("password", "a long password"),
        ("password_confirm", "a long password"), ("at_least_16", "on"), ("privacy", "on")],
        token_from=link)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/jury"
    (member,) = await jury_store.jurors_of(db, edition.id)
    assert member.status == "active" and member.country == "SI"
    profile = await jury_store.profile(db, person.id)
    assert profile.languages == ["sl", "en"] and profile.expertise_settings == ["school"]
    assert (await other_client.get("/jury")).status_code == 200

    assert (await admin_client.get(link)).status_code == 400  # single use
    again = await admin_client.submit("/invitation", {"token": token, "name": "X"}, token_from="/")
    assert again.status_code == 400


async def test_invitation_link_expires_after_14_days(admin_client, other_client, db, edition,
                                                     mailbox, clock):
    await admin_client.submit(f"{BASE}/invite", {"name": "Ana", "email": "ana@example.org"},
                              token_from=BASE)
    link = mailbox.link("ana@example.org", "/invitation")
    clock.advance(days=13, hours=23)
    assert (await other_client.get(link)).status_code == 200
    clock.advance(hours=2)
    response = await other_client.get(link)
    assert response.status_code == 400 and "not valid any more" in response.text


async def test_sending_again_revokes_the_old_link(admin_client, other_client, db, edition,
                                                  mailbox):
    await admin_client.submit(f"{BASE}/invite", {"name": "Ana", "email": "ana@example.org"},
                              token_from=BASE)
    first = mailbox.link("ana@example.org", "/invitation")
    person = await users.by_email(db, "ana@example.org")
    response = await admin_client.submit(f"{BASE}/{person.id}/resend", {}, token_from=BASE)
    assert response.status_code == 303
    second = mailbox.link("ana@example.org", "/invitation")
    assert first != second and len(mailbox.to("ana@example.org")) == 2
    assert (await other_client.get(first)).status_code == 400
    assert (await other_client.get(second)).status_code == 200


async def test_revoked_invitation_cannot_be_accepted(admin_client, other_client, db, edition,
                                                     mailbox):
    await admin_client.submit(f"{BASE}/invite", {"name": "Ana", "email": "ana@example.org"},
                              token_from=BASE)
    link = mailbox.link("ana@example.org", "/invitation")
    page = await other_client.get(link)
    assert page.status_code == 200
    person = await users.by_email(db, "ana@example.org")
    revoked = await admin_client.submit(f"{BASE}/{person.id}/revoke", {}, token_from=BASE)
    assert revoked.status_code == 303
    (member,) = await jury_store.jurors_of(db, edition.id)
    assert member.status == "revoked"
    response = await other_client.submit("/invitation", [
        ("token", link.split("token=")[1]), ("name", "Ana"), ("country", "SI"),
        ("languages", "en"), ("password", "a long password"),
        ("password_confirm", "a long password")], token_from=link)
    assert response.status_code == 400
    (member,) = await jury_store.jurors_of(db, edition.id)
    assert member.status == "revoked"
    # Revoking an active juror is refused in words; they withdraw instead.
    active = await factories.juror(db, edition_id=edition.id)
    refused = await admin_client.submit(f"{BASE}/{active.id}/revoke", {}, token_from=BASE)
    assert refused.status_code == 422 and "withdraw" in refused.text


# Assignment -------------------------------------------------------------------------------


async def jury_of_four(db, edition):
    return [await factories.juror(db, edition_id=edition.id, country=country, name=name)
            for country, name in (("IE", "Aoife"), ("FR", "Camille"), ("DE", "Jonas"),
                                  ("PL", "Piotr"))]


async def test_run_gives_each_entry_its_jurors_without_conflicts(admin_client, db, edition):
    entries = await judged_entries(db, edition)
    jurors = await jury_of_four(db, edition)
    response = await admin_client.submit(f"{BASE}/assignment/run", {},
                                         token_from=f"{BASE}/assignment")
    assert response.status_code == 303, response.text
    pairs = await pairs_of(db, edition)
    assert len(pairs) == 8
    for entry in entries:
        assert sum(1 for _, entry_id in pairs if entry_id == entry.id) == 2
    assert (jurors[0].id, entries[0].id) not in pairs  # Irish juror, Irish entry
    page = await admin_client.get(f"{BASE}/assignment")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    assert "✓" in page.text and "conflict: same country" in page.text
    assert "assignment.run" in [r.action for r in await audit.search(db, edition_id=edition.id)]


async def test_pin_and_forbid_are_honoured_on_the_next_run(admin_client, db, edition):
    entries = await judged_entries(db, edition)
    jurors = await jury_of_four(db, edition)
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    pairs = await pairs_of(db, edition)
    assigned = next(pair for pair in pairs if pair[1] == entries[1].id)
    free = next((j.id, entries[1].id) for j in jurors[1:]
                if (j.id, entries[1].id) not in pairs)
    for (juror_id, entry_id), rule in ((assigned, "forbid"), (free, "pin")):
        response = await admin_client.submit(f"{BASE}/assignment/rule", {
            "entry_id": str(entry_id), "juror_id": str(juror_id), "rule": rule},
            token_from=f"{BASE}/assignment")
        assert response.status_code == 303
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    pairs = await pairs_of(db, edition)
    assert assigned not in pairs and free in pairs
    page = await admin_client.get(f"{BASE}/assignment")
    assert "pinned" in page.text and "forbidden" in page.text


@pytest.mark.parametrize(("form", "field"), [
    ({"juror_id": "1", "rule": "pin"}, "entry_id"),
    ({"entry_id": "abc", "juror_id": "1", "rule": "pin"}, "entry_id"),
    ({"entry_id": "424242", "juror_id": "1", "rule": "pin"}, "entry_id"),
    ({"entry_id": "{entry}", "juror_id": "{juror}", "rule": "maybe"}, "rule"),
    ({"entry_id": "{entry}", "juror_id": "99999999999999999999", "rule": "pin"}, "juror_id"),
])
async def test_bad_rule_is_refused_in_place(admin_client, db, edition, form, field):
    (entry,) = await judged_entries(db, edition, ("IE",))
    juror = await factories.juror(db, edition_id=edition.id)
    values = {key: value.format(entry=entry.id, juror=juror.id) for key, value in form.items()}
    response = await admin_client.submit(f"{BASE}/assignment/rule", values,
                                         token_from=f"{BASE}/assignment")
    assert response.status_code == 422 and f'id="error-{field}"' in response.text
    assert await jury_store.rules_of(db, edition.id) == {}


async def test_infeasible_assignment_says_why(admin_client, db, edition):
    await judged_entries(db, edition, ("MT", "MT", "MT"))
    await factories.juror(db, edition_id=edition.id, country="MT", name="Maltese juror")
    await factories.juror(db, edition_id=edition.id, country="FR")
    await factories.juror(db, edition_id=edition.id, country="DE")
    await factories.juror(db, edition_id=edition.id, country="MT", name="Other Maltese")
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET jurors_per_entry = 3 WHERE id = ?", (edition.id,))
    response = await admin_client.submit(f"{BASE}/assignment/run", {},
                                         token_from=f"{BASE}/assignment")
    assert response.status_code == 422
    assert "Malta" in response.text and "without a conflict" in response.text
    assert await pairs_of(db, edition) == set()


async def test_secretariat_conflict_is_honoured_and_checked(admin_client, db, edition):
    (entry,) = await judged_entries(db, edition, ("IE",))
    jurors = [await factories.juror(db, edition_id=edition.id, country=country)
              for country in ("FR", "DE", "PL")]
    bad = await admin_client.submit(f"{BASE}/conflicts", {
        "entry_id": str(entry.id), "juror_id": str(jurors[0].id), "reason": "R" * 501},
        token_from=BASE)
    assert bad.status_code == 422 and 'id="error-reason"' in bad.text
    response = await admin_client.submit(f"{BASE}/conflicts", {
        "entry_id": str(entry.id), "juror_id": str(jurors[0].id), "reason": "Former colleague"},
        token_from=BASE)
    assert response.status_code == 303
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    assert await pairs_of(db, edition) == {(jurors[1].id, entry.id), (jurors[2].id, entry.id)}
    assert "conflict.secretariat_set" in [r.action for r in await audit.search(
        db, edition_id=edition.id)]


async def test_withdrawn_juror_is_replaced_without_moving_started_pairs(admin_client, db, edition
                                                                        ):
    entries = await judged_entries(db, edition)
    jurors = await jury_of_four(db, edition)
    await factories.juror(db, edition_id=edition.id, country="PT", name="Inês")
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    pairs = await pairs_of(db, edition)
    leaving = jurors[1]
    stayers = sorted(pair for pair in pairs if pair[0] != leaving.id)
    started = stayers[:3]
    async with db.transaction() as conn:
        for juror_id, entry_id in started:
            await conn.execute(
                "INSERT INTO score_sheets (entry_id, juror_id, status, created_at, updated_at)"
                " VALUES (?, ?, 'draft', '2026-06-02T00:00:00Z', '2026-06-02T00:00:00Z')",
                (entry_id, juror_id))
    response = await admin_client.submit(f"{BASE}/{leaving.id}/withdraw", {}, token_from=BASE)
    assert response.status_code == 303, response.text
    after = await pairs_of(db, edition)
    assert set(started) <= after
    assert not any(juror_id == leaving.id for juror_id, _ in after)
    for entry in entries:
        assert sum(1 for _, entry_id in after if entry_id == entry.id) == 2
    member = await jury_store.edition_juror(db, edition.id, leaving.id)
    assert member.status == "withdrawn"
    actions = [r.action for r in await audit.search(db, edition_id=edition.id)]
    assert "jury.withdrawn" in actions and "assignment.juror_replaced" in actions


async def test_withdrawal_that_leaves_too_few_jurors_is_refused(admin_client, db, edition):
    await judged_entries(db, edition, ("IE", "MT"))
    jurors = [await factories.juror(db, edition_id=edition.id, country=c) for c in ("FR", "DE")]
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    response = await admin_client.submit(f"{BASE}/{jurors[0].id}/withdraw", {}, token_from=BASE)
    assert response.status_code == 422 and "cannot be replaced" in response.text
    assert (await jury_store.edition_juror(db, edition.id, jurors[0].id)).status == "active"


async def test_release_mails_each_juror_their_entries_and_the_deadline(admin_client, db, edition,
                                                                       mailbox):
    entries = await judged_entries(db, edition)
    jurors = await jury_of_four(db, edition)
    refused = await admin_client.submit(f"{BASE}/assignment/release", {},
                                        token_from=f"{BASE}/assignment")
    assert refused.status_code == 422 and "Run the assignment" in refused.text
    await admin_client.submit(f"{BASE}/assignment/run", {}, token_from=f"{BASE}/assignment")
    response = await admin_client.submit(f"{BASE}/assignment/release", {"confirmed": "yes"},
                                         token_from=f"{BASE}/assignment")
    assert response.status_code == 303
    pairs = await pairs_of(db, edition)
    for juror in jurors:
        if not any(juror_id == juror.id for juror_id, _ in pairs):
            # A juror with no entry gets no "Your entries to judge" email.
            assert mailbox.to(juror.email) == []
            continue
        (message,) = mailbox.to(juror.email)
        body = mailbox.body(message)
        for entry in entries:
            assert (entry.reference in body) == ((juror.id, entry.id) in pairs)
        assert "15 July 2026" in body and "Strasbourg time" in body
    stored = await jury_store.assignment_of(db, edition.id)
    assert stored
    assert "assignment.released" in [r.action for r in await audit.search(
        db, edition_id=edition.id)]
    page = await admin_client.get(f"{BASE}/assignment")
    assert "Released to the jurors" in page.text
