"""Screening entries, judging progress, reminders (over real SMTP) and `prize remind`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.store import audit, editions, entries, outbox
from prize.store.db import Database
from tests import factories


async def test_screening_table_filters_and_shows_the_checklist(admin_client, db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    irish = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    outside = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="submitted",
        application=factories.complete_application(country="US", title="Far Away"))
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id)  # a draft: not listed
    base = f"/admin/editions/{edition.year}/screening"
    page = await admin_client.get(base)
    assert irish.reference in page.text and outside.reference in page.text
    assert page.text.count("<tr>") == 3  # the header and two entries
    only_ie = await admin_client.get(f"{base}?country=IE&sort=title")
    assert irish.reference in only_ie.text and outside.reference not in only_ie.text
    detail = await admin_client.get(f"/admin/entries/{outside.id}")
    assert "Not an eligible country: US." in detail.text


async def test_screening_reason_reaches_the_applicant_by_email(admin_client, db, mailbox):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db, email="applicant@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    path = f"/admin/entries/{entry.id}"

    missing = await admin_client.submit(f"{path}/screen", {"decision": "ineligible", "reason": " "},
                                        token_from=path)
    assert missing.status_code == 422 and 'id="error-reason"' in missing.text
    wrong = await admin_client.submit(f"{path}/screen", {"decision": "maybe"}, token_from=path)
    assert wrong.status_code == 422 and "Choose from the list." in wrong.text
    long = await admin_client.submit(f"{path}/screen",
                                     {"decision": "ineligible", "reason": "x" * 2001},
                                     token_from=path)
    assert long.status_code == 422 and "At most 2000 characters." in long.text

    reason = "Treatment services only: the prize rewards prevention work."
    response = await admin_client.submit(f"{path}/screen",
                                         {"decision": "ineligible", "reason": reason},
                                         token_from=path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/editions/{edition.year}/screening"
    stored = await entries.get(db, entry.id)
    assert stored.status == "ineligible" and stored.status_reason == reason
    (record,) = await audit.search(db, action="entry.marked_ineligible")
    assert record.subject_id == entry.id and record.details["reason"] == reason

    # The results go out with the step that ends screening, which needs an eligible entry.
    transition = await admin_client.submit(f"/admin/editions/{edition.year}/transition",
                                           {"transition": "start_judging"},
                                           token_from=f"/admin/editions/{edition.year}")
    assert transition.status_code == 409  # no eligible entry: judging cannot start
    assert not mailbox.to(owner.email)


async def test_eligibility_results_email_carries_the_reason(admin_client, db, mailbox):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db, email="owner@example.org")
    good = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    bad = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    await admin_client.submit(f"/admin/entries/{good.id}/screen", {"decision": "eligible"},
                              token_from=f"/admin/entries/{good.id}")
    await admin_client.submit(f"/admin/entries/{bad.id}/screen",
                              {"decision": "ineligible", "reason": "Not drug prevention."},
                              token_from=f"/admin/entries/{bad.id}")
    juror = await factories.user(db, role="juror")
    await factories.assignment(db, edition_id=edition.id, entry_id=good.id, juror_id=juror.id)
    await _release(db, edition.id)
    if (await editions.get(db, edition.id)).jurors_per_entry:
        async with db.transaction() as conn:
            await conn.execute("UPDATE editions SET jurors_per_entry = 1 WHERE id = ?",
                               (edition.id,))
    response = await admin_client.submit(f"/admin/editions/{edition.year}/transition",
                                         {"transition": "start_judging"},
                                         token_from=f"/admin/editions/{edition.year}")
    assert response.status_code == 303, response.text
    bodies = [mailbox.body(m) for m in mailbox.to(owner.email)]
    assert len(bodies) == 2
    assert any("Not drug prevention." in body for body in bodies)
    assert any("it is eligible" in body for body in bodies)


async def _release(db, edition_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET assignment_released_at = ? WHERE id = ?",
                           ("2026-06-01T00:00:00Z", edition_id))


async def test_marking_outside_screening_is_refused(admin_client, db):
    edition = await factories.edition(db, status="open")
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    response = await admin_client.submit(f"/admin/entries/{entry.id}/screen",
                                         {"decision": "eligible"},
                                         token_from=f"/admin/entries/{entry.id}")
    assert response.status_code == 409 and "only while the edition is in screening" in response.text
    assert (await entries.get(db, entry.id)).status == "submitted"


async def _judging(db, clock):
    edition = await factories.edition(db, status="judging",
                                      judging_ends_at=datetime(2026, 3, 12, 22, 0, tzinfo=UTC))
    owner = await factories.user(db)
    first = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    second = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    late = await factories.user(db, role="juror", email="late@example.org", name="Late Juror")
    done = await factories.user(db, role="juror", email="done@example.org", name="Done Juror")
    await factories.assignment(db, edition_id=edition.id, entry_id=first.id, juror_id=late.id,
                               sheet="submitted")
    await factories.assignment(db, edition_id=edition.id, entry_id=second.id, juror_id=late.id,
                               sheet="draft")
    await factories.assignment(db, edition_id=edition.id, entry_id=first.id, juror_id=done.id,
                               sheet="submitted")
    return edition, late, done


async def test_progress_shows_each_juror_and_days_left(admin_client, db, clock):
    edition, late, done = await _judging(db, clock)
    page = await admin_client.get(f"/admin/editions/{edition.year}/progress")
    assert "2 of 3 score sheets submitted (66%)" in page.text
    assert "1 / 2" in page.text and "1 / 1" in page.text
    assert "10 days left" in page.text
    assert "Send reminders to late jurors" in page.text


async def test_reminders_go_once_a_day_to_late_jurors_only(admin_client, db, clock, mailbox):
    edition, late, done = await _judging(db, clock)
    path = f"/admin/editions/{edition.year}/progress"
    response = await admin_client.submit(f"/admin/editions/{edition.year}/reminders",
                                         token_from=path)
    assert response.status_code == 303 and response.headers["location"] == path
    assert len(mailbox.to(late.email)) == 1 and not mailbox.to(done.email)
    assert "Score sheets submitted for the" in mailbox.body(mailbox.to(late.email)[0])
    assert ": 1 of 2." in mailbox.body(mailbox.to(late.email)[0])

    clock.advance(hours=5)
    again = await admin_client.submit(f"/admin/editions/{edition.year}/reminders", token_from=path)
    assert again.status_code == 303
    assert len(mailbox.to(late.email)) == 1
    assert "already reminded today" in (await admin_client.get(path)).text

    clock.advance(days=1)
    await admin_client.submit(f"/admin/editions/{edition.year}/reminders", token_from=path)
    assert len(mailbox.to(late.email)) == 2
    assert len(await audit.search(db, action="jurors.reminded")) == 2


async def test_reminders_only_while_judging(admin_client, db):
    edition = await factories.edition(db, status="screening")
    path = f"/admin/editions/{edition.year}/progress"
    response = await admin_client.submit(f"/admin/editions/{edition.year}/reminders",
                                         token_from=path)
    assert response.status_code == 409 and "only while the edition is in judging" in response.text


def test_prize_remind_sends_once_a_day(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"

    async def given():
        async with Database(path) as db:
            await db.migrate()
            edition, late, _ = await _judging(db, None)
            return edition, late

    edition, late = asyncio.run(given())
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "test-secret")
    monkeypatch.delenv("PRIZE_SMTP_URL", raising=False)
    runner = CliRunner()
    first = runner.invoke(main, ["remind", str(edition.year)])
    assert first.exit_code == 0, first.output
    assert "Reminders sent: 1" in first.output
    second = runner.invoke(main, ["remind", str(edition.year)])
    assert "Reminders sent: 0; already reminded today: 1" in second.output

    async def reminders():
        async with Database(path) as db:
            return await outbox.recent(db, kind="reminder")

    assert [m.recipient for m in asyncio.run(reminders())] == [late.email]


@pytest.mark.parametrize(("year", "message"), [
    ("twenty", "is not a year"), ("1999", "is not a year"), ("2031", "there is no edition 2031"),
])
def test_prize_remind_with_a_bad_year_is_one_line(tmp_path, monkeypatch, year, message):
    monkeypatch.setenv("PRIZE_DB", str(tmp_path / "cli.db"))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "test-secret")
    result = CliRunner().invoke(main, ["remind", year])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
