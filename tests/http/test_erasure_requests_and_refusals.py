"""A person asks for their account to be deleted; the secretariat confirms on a page that
says what goes and what stays, or why it cannot be done; what goes is gone, what the
prize's record needs stays under a pseudonym."""

from __future__ import annotations

import json
import sqlite3

import pytest

from prize.store import audit, entries, users
from tests import factories
from tests.conftest import Browser


async def test_a_person_asks_and_sees_exactly_what_will_go_and_what_stays(
        db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    await client.log_in(world.people["applicant_b"].email)
    page = await client.get("/account/delete")
    assert page.status_code == 200
    assert "drafts and entries that were never submitted" in page.text
    assert "Juror 4 (2026)" in page.text
    asked = await client.submit("/account/delete")
    assert asked.status_code == 303
    mine = await client.get("/account/data")
    assert "You asked for your account to be deleted on" in mine.text
    again = await client.submit("/account/delete", token_from="/account/data")
    assert again.status_code == 409
    assert "You asked for this already" in again.text
    (record,) = await audit.search(db, action="user.erasure_requested")
    assert record.subject_id == world.people["applicant_b"].id


async def test_a_person_may_withdraw_their_request(db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    await client.log_in(world.people["applicant_b"].email)
    nothing = await client.submit("/account/delete/cancel", token_from="/account/data")
    assert nothing.status_code == 409 and "There is no request to withdraw" in nothing.text
    await client.submit("/account/delete")
    withdrawn = await client.submit("/account/delete/cancel", token_from="/account/data")
    assert withdrawn.status_code == 303
    assert "Withdraw my request" not in (await client.get("/account/data")).text


async def test_the_secretariat_sees_the_request_and_erases_the_applicant(
        db, settings, client: Browser, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    applicant = world.people["applicant_a"]
    draft_edition = await factories.edition(db, year=2027, status="open")
    draft = await factories.entry(db, edition_id=draft_edition.id, owner_id=applicant.id)
    async with db.transaction() as conn:
        await audit.record(conn, now=factories.datetime(2026, 1, 9, tzinfo=factories.UTC),
                           actor_id=None, action="user.role_changed", subject_type="user",
                           subject_id=applicant.id, details={"note": applicant.email})
    await client.log_in(applicant.email)
    await client.submit("/account/delete")

    listing = await admin_client.get("/admin/privacy")
    assert f'href="/admin/users/{applicant.id}/erase"' in listing.text
    confirm = await admin_client.get(f"/admin/users/{applicant.id}/erase")
    assert confirm.status_code == 200
    assert "What will be deleted" in confirm.text and "Erase this account" in confirm.text
    erased = await admin_client.submit(f"/admin/users/{applicant.id}/erase")
    assert erased.status_code == 303

    # Signed out for good, and cannot sign in again.
    assert (await client.get("/account/data")).headers["location"].startswith("/login")
    refused = await client.submit("/login", {"email": applicant.email,
                                             "password": factories.PASSWORD})
    assert refused.status_code != 303
    person = await users.get(db, applicant.id)
    assert person.email == f"erased-{applicant.id}@erased.invalid"
    assert person.name == f"Erased account {applicant.id}" and person.password_hash is None
    # The draft is gone; the submitted entry stays without its contact person or files.
    assert await entries.get(db, draft.id) is None
    kept = await entries.get(db, world.entry_id)
    assert kept.application.contact_email == "" and kept.application.contact_name == ""
    assert kept.application.title == "Entry E"
    for revision in await entries.revisions(db, world.entry_id):
        assert "maria@example.org" not in json.dumps(revision.model_dump(mode="json"))
    assert await entries.attachments_of(db, world.entry_id) == []
    assert not (settings.upload_dir / "entry-e.pdf").exists()
    # The audit log says it happened, without the person; a record naming them is scrubbed.
    (record,) = await audit.search(db, action="user.erased")
    assert record.subject_id == applicant.id and record.actor_id == admin_client.user.id
    (named,) = await audit.search(db, action="user.role_changed", subject_id=applicant.id)
    assert named.details == {"scrubbed": "erasure"}
    assert "No request is waiting" in (await admin_client.get("/admin/privacy")).text


async def test_the_audit_log_still_refuses_every_other_change(db, settings):
    await factories.security_world(db, settings.upload_dir)
    async with db.transaction() as conn:
        await audit.record(conn, now=factories.datetime(2026, 1, 9, tzinfo=factories.UTC),
                           actor_id=None, action="user.role_changed", subject_type="user")
    for sql in ("UPDATE audit_log SET action = 'x'",
                "UPDATE audit_log SET details = '{}'",
                "UPDATE audit_log SET details = '{\"scrubbed\": \"erasure\"}', subject_id = 5",
                "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.transaction() as conn:
                await conn.execute(sql)


async def test_a_juror_with_open_sheets_in_judging_is_refused_with_the_reason(
        db, settings, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    juror = world.people["juror"]
    page = await admin_client.get(f"/admin/users/{juror.id}/erase")
    assert "1 score sheet not submitted in the 2026 edition, which is in judging" in page.text
    assert "Erase this account</button>" not in page.text
    refused = await admin_client.submit(f"/admin/users/{juror.id}/erase",
                                        token_from=f"/admin/users/{juror.id}")
    assert refused.status_code == 409
    assert "remove the juror from the jury first" in refused.text
    assert (await users.get(db, juror.id)).email == juror.email
    # Once the sheet is submitted, the juror may go; the sheet stays under a pseudonym.
    async with db.transaction() as conn:
        await conn.execute("UPDATE score_sheets SET status = 'submitted' WHERE id = ?",
                           (world.sheet_id,))
    done = await admin_client.submit(f"/admin/users/{juror.id}/erase",
                                     token_from=f"/admin/users/{juror.id}")
    assert done.status_code == 303
    assert (await users.get(db, juror.id)).name == "Juror 1 (2026)"
    assert await db.fetch_value("SELECT juror_id FROM score_sheets WHERE id = ?",
                                (world.sheet_id,)) == juror.id
    assert await db.fetch_value("SELECT COUNT(*) FROM juror_profiles WHERE user_id = ?",
                                (juror.id,)) == 0


async def test_the_last_administrator_cannot_be_erased(db, admin_client: Browser):
    me = admin_client.user
    refused = await admin_client.submit(f"/admin/users/{me.id}/erase",
                                        token_from=f"/admin/users/{me.id}")
    assert refused.status_code == 409
    assert "This is the last member of the secretariat" in refused.text
    assert (await users.get(db, me.id)).erased_at is None
    await factories.user(db, role="admin")
    page = await admin_client.get(f"/admin/users/{me.id}/erase")
    assert "Erase this account</button>" in page.text


async def test_an_unknown_or_erased_person_cannot_be_erased(
        db, settings, admin_client: Browser):
    assert (await admin_client.get("/admin/users/999999/erase")).status_code == 404
    missing = await admin_client.submit("/admin/users/999999/erase", token_from="/admin")
    assert missing.status_code == 404
    person = await factories.user(db)
    assert (await admin_client.submit(f"/admin/users/{person.id}/erase",
                                      token_from="/admin")).status_code == 303
    again = await admin_client.submit(f"/admin/users/{person.id}/erase", token_from="/admin")
    assert again.status_code == 409 and "erased already" in again.text


async def test_an_erased_advisors_comments_stay_under_a_pseudonym(
        db, settings, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    advisor = world.people["advisor"]
    response = await admin_client.submit(f"/admin/users/{advisor.id}/erase",
                                         token_from=f"/admin/users/{advisor.id}")
    assert response.status_code == 303
    assert (await users.get(db, advisor.id)).name == "Advisor 1 (2026)"
    body = await db.fetch_value("SELECT body FROM discussion_comments WHERE id = ?",
                                (world.comment_id,))
    assert body == "A first thought."


async def test_a_published_practice_keeps_its_organisation_and_image_without_the_contact(
        db, settings, client: Browser, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    applicant = world.people["applicant_a"]
    winner_id = await db.fetch_value("SELECT entry_id FROM practices WHERE id = ?",
                                     (world.practice_id,))
    for name in ("public.png", "private.pdf"):
        (settings.upload_dir / name).write_bytes(factories.PDF_BYTES)
    async with db.transaction() as conn:
        for name, kind in (("public.png", "image/png"), ("private.pdf", "application/pdf")):
            await entries.add_attachment(conn, entry_id=winner_id, stored_name=name,
                                         filename=name, content_type=kind, size=10,
                                         sha256="0", description="",
                                         now=factories.datetime(2025, 3, 1,
                                                                tzinfo=factories.UTC))
        public_id = await (await conn.execute(
            "SELECT id FROM attachments WHERE stored_name = 'public.png'")).fetchone()
        await conn.execute(
            "UPDATE practices SET status = 'published', published_at = '2026-01-06T00:00:00Z',"
            " image_attachment_ids = ?, applicant_note = 'Call me, Maria' WHERE id = ?",
            (f"[{public_id[0]}]", world.practice_id))
    slug = await db.fetch_value("SELECT slug FROM practices WHERE id = ?", (world.practice_id,))

    assert (await admin_client.submit(f"/admin/users/{applicant.id}/erase",
                                      token_from="/admin")).status_code == 303

    practice = await db.fetch_one("SELECT status, organisation, applicant_note FROM practices"
                                  " WHERE id = ?", (world.practice_id,))
    assert (practice["status"], practice["organisation"]) == ("published", "Youth Voices")
    assert practice["applicant_note"] == ""
    page = await client.get(f"/practices/{slug}")
    assert page.status_code == 200 and "Youth Voices" in page.text
    assert "Maria Example" not in page.text
    assert (settings.upload_dir / "public.png").exists()
    assert not (settings.upload_dir / "private.pdf").exists()
    assert [a.stored_name for a in await entries.attachments_of(db, winner_id)] == ["public.png"]
    assert (await entries.get(db, winner_id)).application.contact_name == ""


async def test_the_account_page_says_when_it_was_erased_and_offers_no_second_erasure(
        db, admin_client: Browser):
    person = await factories.user(db)
    await admin_client.submit(f"/admin/users/{person.id}/erase", token_from="/admin")
    page = await admin_client.get(f"/admin/users/{person.id}")
    assert "erased on 2 March 2026" in page.text
    assert f'href="/admin/users/{person.id}/erase"' not in page.text
    assert f'href="/admin/users/{person.id}/export.zip"' in page.text


async def test_a_sheet_set_aside_by_the_jurors_country_stays_set_aside_after_erasure(
        db, settings, admin_client: Browser):
    from prize.store import editions
    from prize.store.scoring import edition_results, is_set_aside

    world = await factories.security_world(db, settings.upload_dir)
    conflicted = world.people["conflicted_juror"]  # from Ireland, like entry E
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE score_sheets SET status = 'submitted' WHERE juror_id = ?", (conflicted.id,))
        sheet_id = (await (await conn.execute(
            "SELECT id FROM score_sheets WHERE juror_id = ?", (conflicted.id,))).fetchone())[0]
        for criterion in (await editions.get(db, world.edition_id)).criteria:
            await conn.execute("INSERT INTO scores (sheet_id, criterion_key, score)"
                               " VALUES (?, ?, 5)", (sheet_id, criterion.key))
    edition = await editions.get(db, world.edition_id)
    assert await is_set_aside(db, sheet_id)
    before = (await edition_results(db, edition))[0]

    response = await admin_client.submit(f"/admin/users/{conflicted.id}/erase",
                                         token_from="/admin")
    assert response.status_code == 303
    assert await db.fetch_value("SELECT COUNT(*) FROM juror_profiles WHERE user_id = ?",
                                (conflicted.id,)) == 0
    assert await is_set_aside(db, sheet_id)
    assert (await edition_results(db, edition))[0] == before


async def test_the_console_home_says_when_a_request_is_waiting(
        db, settings, client: Browser, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    assert "to delete an account" not in (await admin_client.get("/admin")).text
    await client.log_in(world.people["applicant_b"].email)
    await client.submit("/account/delete")
    home = await admin_client.get("/admin")
    assert "1 request to delete an account is waiting." in home.text
    assert 'href="/admin/privacy"' in home.text


async def test_a_juror_with_sheets_to_submit_is_told_before_asking(
        db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    await client.log_in(world.people["juror"].email)
    page = await client.get("/account/delete")
    assert ("You still have 1 score sheet to submit in the 2026 edition: the secretariat can "
            "erase your account once judging is over.") in page.text
    assert "Ask for my account to be deleted" in page.text  # asking is still possible
    await client.log_in(world.people["applicant_b"].email)
    assert "You still have" not in (await client.get("/account/delete")).text
