"""Personal data kept no longer than it is of use: what start-up removes.

- failed sign-ins (client addresses) older than the throttle's window;
- single-use links (verification, password reset, invitation) 30 days after they expired:
  nobody can use them, and they say who was sent what and when;
- the text of account emails (confirm the address, reset the password, someone tried to
  sign up with it) 30 days after it went: the links in it expired within two days, and
  the outbox row (kind, recipient, time) stays as the record that it was sent.

Each step is one DELETE or UPDATE; the counts are returned for the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from prize.clock import to_iso
from prize.store import users
from prize.store.db import Database

SPENT_LINKS_KEPT = timedelta(days=30)
ACCOUNT_MAIL_KEPT = timedelta(days=30)
#: Emails whose whole point is a short-lived link (prize.web.accounts).
ACCOUNT_MAIL_KINDS = ("verify_email", "reset_password", "signup_existing")


async def purge_expired_tokens(db: Database, now: datetime,
                               kept: timedelta = SPENT_LINKS_KEPT) -> int:
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM tokens WHERE expires_at <= ?",
                                    (to_iso(now - kept),))
        return cursor.rowcount


async def empty_old_account_mail(db: Database, now: datetime,
                                 kept: timedelta = ACCOUNT_MAIL_KEPT) -> int:
    """Empty the body of account emails sent (or logged) longer than `kept` ago."""
    marks = ", ".join("?" * len(ACCOUNT_MAIL_KINDS))
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"UPDATE outbox SET body = '' WHERE kind IN ({marks}) AND body != ''"
            " AND status IN ('sent', 'logged') AND created_at <= ?",
            (*ACCOUNT_MAIL_KINDS, to_iso(now - kept)))
        return cursor.rowcount


async def at_start_up(db: Database, now: datetime, throttle_window: timedelta) -> dict[str, int]:
    """Every step above; how many rows each removed or emptied."""
    return {
        "login_attempts": await users.purge_attempts(db, now, throttle_window),
        "tokens": await purge_expired_tokens(db, now),
        "account_mail": await empty_old_account_mail(db, now),
    }
