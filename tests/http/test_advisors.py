"""Advisors: invited like jurors, they read the entries they have no conflict with, the
submitted sheets and the ranking, and write in the discussions; they never score, decide
or see a sheet that is not submitted."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.store import jury, scoring
from tests import factories
from tests.http.test_discussion_blind_rule import judging_world, seat


async def test_secretariat_invites_an_advisor_who_is_listed_as_one(db, admin_client, mailbox):
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))

    response = await admin_client.submit(f"/admin/editions/{edition.year}/jury/invite", {
        "name": "Dr Expert", "email": "expert@example.org", "role": "advisor"},
        token_from=f"/admin/editions/{edition.year}/jury")
    page = await admin_client.get(f"/admin/editions/{edition.year}/jury")

    assert response.status_code == 303
    assert await db.fetch_value(
        "SELECT role FROM users WHERE email = 'expert@example.org'") == "advisor"
    assert "Dr Expert" in page.text and "Jury advisor" in page.text
    assert mailbox.to("expert@example.org")


async def test_invited_advisor_accepts_and_lands_on_the_jury_dashboard(db, admin_client, client,
                                                                       mailbox):
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    await admin_client.submit(f"/admin/editions/{edition.year}/jury/invite", {
        "name": "Dr Expert", "email": "expert@example.org", "role": "advisor"},
        token_from=f"/admin/editions/{edition.year}/jury")
    link = mailbox.link("expert@example.org", "/invitation")
    token = link.split("token=")[1]

    accepted = await client.submit("/invitation", {
        "token": token, "name": "Dr Expert", "country": "BE", "languages": "en",
        "password": "a long enough password", "password_confirm": "a long enough password",
        "at_least_16": "on", "privacy": "on"},
        token_from=link)
    home = await client.get("/jury")

    assert accepted.status_code == 303 and accepted.headers["location"] == "/jury"
    assert home.status_code == 200
    assert "As an advisor you read the entries" in home.text


async def test_an_address_of_a_juror_cannot_be_invited_as_advisor(db, admin_client):
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    await factories.user(db, role="juror", email="juror@example.org")

    response = await admin_client.submit(f"/admin/editions/{edition.year}/jury/invite", {
        "name": "Juror", "email": "juror@example.org", "role": "advisor"},
        token_from=f"/admin/editions/{edition.year}/jury")

    assert response.status_code == 422
    assert "not an advisor" in response.text
    assert 'value="juror@example.org"' in response.text


async def test_a_role_that_is_neither_is_refused(db, admin_client):
    edition = await factories.edition(db, status="judging",
                                      closes_at=datetime(2026, 2, 1, tzinfo=UTC))

    response = await admin_client.submit(f"/admin/editions/{edition.year}/jury/invite", {
        "name": "X", "email": "x@example.org", "role": "admin"},
        token_from=f"/admin/editions/{edition.year}/jury")

    assert response.status_code == 422
    assert not await db.fetch_value("SELECT 1 FROM users WHERE email = 'x@example.org'")


async def test_signing_in_sends_an_advisor_to_the_jury_pages(db, client):
    advisor = await factories.user(db, role="advisor")

    response = await client.log_in(advisor.email)

    assert response.headers["location"] == "/jury"


async def test_advisor_reads_every_entry_without_a_conflict(db, advisor_client):
    edition, entry, owner = await judging_world(db)
    other = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=factories.complete_application(title="Home Grown", country="BE"))
    await seat(db, edition.id, advisor_client.user.id)
    async with db.transaction() as conn:
        await jury.save_profile(conn, jury.JurorProfile(
            user_id=advisor_client.user.id, country="BE", languages=["en"]),
            datetime(2026, 1, 1, tzinfo=UTC))

    dashboard = await advisor_client.get("/jury")

    assert f'href="/jury/entries/{entry.id}"' in dashboard.text
    assert f'href="/jury/entries/{other.id}"' not in dashboard.text
    assert (await advisor_client.get(f"/jury/entries/{entry.id}")).status_code == 200
    assert (await advisor_client.get(f"/jury/entries/{other.id}")).status_code == 404


async def test_advisor_sees_submitted_sheets_but_never_a_draft(db, advisor_client):
    done = await factories.juror(db, name="Juror Done")
    drafting = await factories.juror(db, name="Juror Drafting")
    edition, entry, _ = await judging_world(db)
    for person, state in ((done, "submitted"), (drafting, "draft")):
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=person.id, sheet=state)
    async with db.transaction() as conn:
        await conn.execute("UPDATE score_sheets SET overall_comment = 'Visible verdict'"
                           " WHERE juror_id = ?", (done.id,))
        await conn.execute("UPDATE score_sheets SET overall_comment = 'Secret draft'"
                           " WHERE juror_id = ?", (drafting.id,))
    await seat(db, edition.id, advisor_client.user.id)

    page = await advisor_client.get(f"/jury/entries/{entry.id}")

    assert "Visible verdict" in page.text and "Juror Done" in page.text
    assert "Secret draft" not in page.text and "Juror Drafting" not in page.text
    assert f"/jury/entries/{entry.id}/sheet" not in page.text


async def test_advisor_can_never_open_or_post_a_score_sheet(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)

    opened = await advisor_client.get(f"/jury/entries/{entry.id}/sheet")
    posted = await advisor_client.submit(f"/jury/entries/{entry.id}/sheet",
                                         {"action": "submit", "overall_comment": "x"},
                                         token_from="/jury")

    assert opened.status_code == posted.status_code == 403
    assert not await db.fetch_value("SELECT COUNT(*) FROM score_sheets")


async def test_advisor_can_never_open_a_sheet_of_the_secretariat(db, advisor_client):
    juror = await factories.juror(db)
    edition, entry, _ = await judging_world(db, sheet="draft", juror_id=juror.id)
    await seat(db, edition.id, advisor_client.user.id)
    sheet_id = await db.fetch_value("SELECT id FROM score_sheets")

    assert (await advisor_client.get(f"/admin/sheets/{sheet_id}")).status_code == 403


async def test_advisor_can_never_decide(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)

    response = await advisor_client.submit(
        f"/admin/editions/{edition.year}/deliberation/decisions",
        {f"decision-{entry.id}": "shortlist"}, token_from="/jury")

    assert response.status_code == 403
    assert await db.fetch_value("SELECT status FROM entries WHERE id = ?",
                                (entry.id,)) == "eligible"
    deliberation = await advisor_client.get(f"/admin/editions/{edition.year}/deliberation")
    assert deliberation.status_code == 403


async def test_advisor_reads_the_ranking_of_submitted_sheets(db, advisor_client):
    juror = await factories.juror(db)
    edition, entry, _ = await judging_world(db, juror_id=juror.id)
    async with db.transaction() as conn:
        await scoring.save(conn, entry_id=entry.id, juror_id=juror.id, expected_version=0,
                           sheet=scoring.SheetInput(scores={
                               criterion.key: scoring.CriterionScore(score=4, justification="Good")
                               for criterion in edition.criteria}),
                           now=datetime(2026, 3, 1, tzinfo=UTC), submit=True)
    await seat(db, edition.id, advisor_client.user.id)

    page = await advisor_client.get(f"/jury/{edition.year}/ranking")

    assert page.status_code == 200
    assert entry.reference in page.text


async def test_advisor_not_on_the_jury_has_no_ranking(db, advisor_client):
    edition, _, _ = await judging_world(db)

    assert (await advisor_client.get(f"/jury/{edition.year}/ranking")).status_code == 404


async def test_advisors_are_never_assigned_entries(db):
    edition, _, _ = await judging_world(db)
    advisor = await factories.juror(db, edition_id=edition.id, role="advisor", country="BE")
    juror = await factories.juror(db, edition_id=edition.id, country="FR")

    _, candidates = await jury.for_assignment(db, edition.id)

    assert [person.id for person in candidates] == [juror.id]
    assert advisor.id not in {member.user_id for member in await jury.jurors_of(db, edition.id)}


async def test_withdrawing_an_advisor_moves_no_entry(db, admin_client):
    juror = await factories.juror(db)
    edition, entry, _ = await judging_world(db, sheet="draft", juror_id=juror.id)
    advisor = await factories.juror(db, edition_id=edition.id, role="advisor", country="BE")

    response = await admin_client.submit(
        f"/admin/editions/{edition.year}/jury/{advisor.id}/withdraw", {},
        token_from=f"/admin/editions/{edition.year}/jury")

    assert response.status_code == 303
    assert await db.fetch_value(
        "SELECT status FROM edition_jurors WHERE user_id = ?", (advisor.id,)) == "withdrawn"
    assert await db.fetch_value("SELECT juror_id FROM assignments") == juror.id


async def test_advisor_keeps_a_profile_and_declares_conflicts_like_a_juror(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)

    profile = await advisor_client.get("/jury/profile")
    declared = await advisor_client.submit(f"/jury/{edition.year}/conflicts", {
        f"conflict_{entry.id}": "on", f"reason_{entry.id}": "I advised them in 2024"})

    assert profile.status_code == 200 and "My advisor profile" in profile.text
    assert declared.status_code == 303
    assert (await advisor_client.get(f"/jury/entries/{entry.id}")).status_code == 404
    assert (await advisor_client.get(f"/jury/entries/{entry.id}/discussion")).status_code == 404
