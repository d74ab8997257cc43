"""Users, the audit log and the entries overview from the secretariat's console."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from prize.store import audit, users
from tests import factories


async def test_search_users_by_name_or_email_and_role(admin_client, db):
    await factories.user(db, email="zoe@example.org", name="Zoé Juror", role="juror")
    await factories.user(db, email="max@example.org", name="Max Applicant")
    found = await admin_client.get("/admin/users?q=zoe")
    assert "zoe@example.org" in found.text and "max@example.org" not in found.text
    jurors = await admin_client.get("/admin/users?role=juror")
    assert "zoe@example.org" in jurors.text and "max@example.org" not in jurors.text


async def test_changing_a_role_is_audited_and_ends_their_sessions(admin_client, other_client, db):
    person = await factories.user(db, email="soon-juror@example.org")
    await other_client.log_in(person.email)
    path = f"/admin/users/{person.id}"
    bad = await admin_client.submit(f"{path}/role", {"role": "emperor"}, token_from=path)
    assert bad.status_code == 422 and "Choose from the list." in bad.text
    missing = await admin_client.submit(f"{path}/role", {}, token_from=path)
    assert missing.status_code == 422
    response = await admin_client.submit(f"{path}/role", {"role": "juror"}, token_from=path)
    assert response.status_code == 303
    assert (await users.get(db, person.id)).role == "juror"
    (record,) = await audit.search(db, action="user.role_changed")
    assert record.details == {"from": "applicant", "to": "juror"}
    assert (await other_client.get("/my")).status_code == 303  # signed out


async def test_an_admin_cannot_demote_or_deactivate_themselves(admin_client, db):
    path = f"/admin/users/{admin_client.user.id}"
    response = await admin_client.submit(f"{path}/role", {"role": "applicant"}, token_from=path)
    assert response.status_code == 422
    response = await admin_client.submit(f"{path}/active", {"active": "0"}, token_from=path)
    assert response.status_code == 422
    assert (await users.get(db, admin_client.user.id)).is_active


async def test_deactivation_keeps_past_work_and_stops_sign_in(admin_client, other_client, db):
    edition = await factories.edition(db, status="open")
    person = await factories.user(db, email="leaving@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=person.id)
    await other_client.log_in(person.email)
    path = f"/admin/users/{person.id}"
    response = await admin_client.submit(f"{path}/active", {"active": "0"}, token_from=path)
    assert response.status_code == 303
    stored = await users.get(db, person.id)
    assert not stored.is_active and stored.session_epoch == person.session_epoch + 1
    assert (await other_client.get("/my")).status_code == 303
    assert (await admin_client.get(f"/admin/entries/{entry.id}")).status_code == 200
    refused = await other_client.submit("/login", {"email": person.email,
                                                   "password": factories.PASSWORD})
    assert refused.status_code == 422
    await admin_client.submit(f"{path}/active", {"active": "1"}, token_from=path)
    assert (await users.get(db, person.id)).is_active


async def test_resend_verification_sends_a_working_link(admin_client, other_client, db, mailbox):
    person = await factories.user(db, email="late@example.org", verified=False)
    path = f"/admin/users/{person.id}"
    response = await admin_client.submit(f"{path}/verification", token_from=path)
    assert response.status_code == 303
    link = mailbox.link(person.email, "/verify")
    assert (await other_client.get(link)).status_code == 200
    assert await audit.search(db, action="user.verification_resent")
    verified = await factories.user(db)
    again = await admin_client.submit(f"/admin/users/{verified.id}/verification",
                                      token_from=f"/admin/users/{verified.id}")
    assert again.status_code == 409


async def test_audit_log_is_filterable_newest_first_and_paginated(admin_client, db, clock):
    first = await factories.edition(db, year=2026, status="draft")
    second = await factories.edition(db, year=2028, status="draft")
    async with db.transaction() as conn:
        for n in range(60):
            await audit.record(conn, now=clock(), actor_id=admin_client.user.id,
                               action="edition.updated",
                               subject_type="edition", subject_id=first.id, edition_id=first.id,
                               details={"n": n})
        await audit.record(conn, now=clock(), actor_id=None, action="edition.created",
                           subject_type="edition", subject_id=second.id, edition_id=second.id)
    page = await admin_client.get("/admin/audit")
    assert "61 records" in page.text and "Page 1 of 2" in page.text
    assert page.text.index("edition.created") < page.text.index("n: 59")
    second_page = await admin_client.get("/admin/audit?page=2")
    assert "n: 0" in second_page.text and "n: 59" not in second_page.text
    only = await admin_client.get(f"/admin/audit?edition={second.id}")
    assert "1 record," in only.text
    by_actor = await admin_client.get(
        f"/admin/audit?actor={admin_client.user.id}&action=edition.updated")
    assert "60 records" in by_actor.text


async def test_the_audit_log_is_append_only(db, admin_client, clock):
    async with db.transaction() as conn:
        await audit.record(conn, now=clock(), actor_id=admin_client.user.id, action="x",
                           subject_type="y")
    for statement in ("UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute_write(statement)
    assert (await audit.search(db))[0].action == "x"


async def test_entries_overview_searches_and_exports_csv(admin_client, db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    peer = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted",
                          application=factories.complete_application(
                              title="=HYPERLINK(\"http://evil\")", org_name="Other"))
    page = await admin_client.get("/admin/entries?q=Peer")
    assert peer.reference in page.text and "HYPERLINK" not in page.text
    export = await admin_client.get(f"/admin/entries.csv?year={edition.year}")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["reference", "year", "status", "title", "organisation", "country",
                       "submitted_at"]
    assert len(rows) == 3
    assert rows[2][3].startswith("'=")  # never a formula in a spreadsheet
