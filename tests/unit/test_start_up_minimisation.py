"""At start-up, personal data no longer of use goes: single-use links 30 days after they
expired, and the text of account emails (their links long expired) 30 days after sending;
the record that an email was sent stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prize.store import minimise, outbox, users
from prize.store.db import Database
from prize.web.app import create_app
from tests import factories

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def world(db: Database) -> int:
    async with db.transaction() as conn:
        user_id = await users.create(conn, email="ana@example.org", name="Ana",
                                     role="applicant", password_hash=None, now=NOW)
        for days_ago, purpose in ((40, "reset_password"), (20, "verify_email")):
            await users.issue_token(conn, user_id=user_id, purpose=purpose,
                                    now=NOW - timedelta(days=days_ago),
                                    valid_for=timedelta(hours=48))
        for days_ago, kind in ((40, "reset_password"), (40, "results"), (10, "verify_email")):
            await outbox.enqueue(conn, kind=kind, recipient="ana@example.org",
                                 subject=f"About {kind}", body=f"Link for {kind}",
                                 now=NOW - timedelta(days=days_ago), related_user_id=user_id)
        await conn.execute("UPDATE outbox SET status = 'sent'")
    return user_id


async def test_old_links_go_and_old_account_mail_keeps_only_its_record(tmp_path):
    async with Database(tmp_path / "prize.db") as db:
        await db.migrate()
        await world(db)
        removed = await minimise.at_start_up(db, NOW, timedelta(minutes=15))
        assert removed == {"login_attempts": 0, "tokens": 1, "account_mail": 1}
        assert [row[0] for row in await db.fetch_all("SELECT purpose FROM tokens")] == [
            "verify_email"]
        bodies = {row["kind"]: row["body"] for row in await db.fetch_all(
            "SELECT kind, body FROM outbox")}
        # Only the account email older than 30 days is emptied; an edition's email stays.
        assert bodies == {"reset_password": "", "results": "Link for results",
                          "verify_email": "Link for verify_email"}
        assert await db.fetch_value("SELECT COUNT(*) FROM outbox") == 3
        # Running it again changes nothing.
        assert await minimise.at_start_up(db, NOW, timedelta(minutes=15)) == {
            "login_attempts": 0, "tokens": 0, "account_mail": 0}


async def test_mail_not_sent_yet_is_never_emptied(tmp_path):
    async with Database(tmp_path / "prize.db") as db:
        await db.migrate()
        await world(db)
        await db.execute_write("UPDATE outbox SET status = 'failed'")
        assert await minimise.empty_old_account_mail(db, NOW) == 0


async def test_the_app_does_it_when_it_starts(tmp_path):
    settings = factories.settings(tmp_path)
    async with Database(settings.database) as db:
        await db.migrate()
        await world(db)
    app = create_app(settings, clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        assert await app.state.db.fetch_value("SELECT COUNT(*) FROM tokens") == 1
