"""Every email the platform sends is kept here first, so none is ever lost."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.store.db import Database


class Message(BaseModel):
    id: int
    kind: str
    recipient: str
    subject: str
    body: str
    status: str
    error: str | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    #: The role of the account the message goes to (None: no account has that address).
    recipient_role: str | None = None


#: The columns of a message, with the role of its recipient's account (for logs and
#: `prize outbox`, which name the role rather than the address).
_SELECT = (
    "SELECT o.*, (SELECT u.role FROM users u WHERE u.email = o.recipient) AS recipient_role"
    " FROM outbox o"
)


def _message(row) -> Message:
    return Message(
        id=row["id"],
        kind=row["kind"],
        recipient=row["recipient"],
        subject=row["subject"],
        body=row["body"],
        status=row["status"],
        error=row["error"],
        attempts=row["attempts"],
        created_at=from_iso(row["created_at"]),
        sent_at=from_iso(row["sent_at"]),
        recipient_role=row["recipient_role"],
    )


async def enqueue(
    conn,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    now: datetime,
    related_user_id: int | None = None,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO outbox (kind, recipient, subject, body, related_user_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind, recipient, subject, body, related_user_id, to_iso(now)),
    )
    return cursor.lastrowid


#: A failed message is tried again at each flush, this many times in all.
MAX_ATTEMPTS = 5


async def pending(db: Database, limit: int = 100) -> list[Message]:
    rows = await db.fetch_all(
        f"{_SELECT} WHERE o.status IN ('pending', 'failed') AND o.attempts < ?"
        " ORDER BY o.id LIMIT ?",
        (MAX_ATTEMPTS, limit),
    )
    return [_message(row) for row in rows]


async def claim(db: Database, message: Message) -> bool:
    """Take `message` (as `pending` read it) for one attempt, counted now; False when
    another process (another worker, a CLI command) took it first or it went since.

    Several processes flush the one outbox: without this, two that read the same pending
    message would both send it. The attempts counter is the claim: only one UPDATE finds
    it still at the number read. An attempt cut short (a crash) leaves the message
    pending, tried again at the next flush.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND attempts = ?"
            " AND status IN ('pending', 'failed')", (message.id, message.attempts))
        return cursor.rowcount == 1


async def mark(
    db: Database, message_id: int, status: str, now: datetime, error: str | None = None,
    *, give_up: bool = False, claimed: bool = False,
) -> None:
    """Record an attempt; `give_up` (a message that can never be sent) ends its retries;
    `claimed`: the attempt was counted already by `claim`."""
    step = 0 if claimed else 1
    await db.execute_write(
        "UPDATE outbox SET status = ?, error = ?,"
        # At least MAX_ATTEMPTS when giving up (a CASE: two-argument MAX is SQLite's).
        " attempts = CASE WHEN ? AND attempts + ? < ? THEN ? ELSE attempts + ? END,"
        " sent_at = CASE WHEN ? IN ('sent', 'logged') THEN ? ELSE sent_at END WHERE id = ?",
        (status, error, give_up, step, MAX_ATTEMPTS, MAX_ATTEMPTS, step, status, to_iso(now),
         message_id),
    )


async def recent(
    db: Database, *, recipient: str | None = None, kind: str | None = None, limit: int = 50
) -> list[Message]:
    where, params = ["1 = 1"], []
    if recipient:
        where.append("o.recipient = ?")
        params.append(recipient)
    if kind:
        where.append("o.kind = ?")
        params.append(kind)
    rows = await db.fetch_all(
        f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY o.id DESC LIMIT ?",
        (*params, limit),
    )
    return [_message(row) for row in rows]


async def get(db: Database, message_id: int) -> Message | None:
    row = await db.fetch_one(f"{_SELECT} WHERE o.id = ?", (message_id,))
    return _message(row) if row else None


_SENT_SINCE = (
    "SELECT COUNT(*) FROM outbox WHERE kind = ? AND related_user_id = ? AND created_at >= ?"
)


async def sent_since(db: Database, *, kind: str, related_user_id: int, since: datetime) -> int:
    return await db.fetch_value(_SENT_SINCE, (kind, related_user_id, to_iso(since)))


async def count_since(conn, *, kind: str, related_user_id: int, since: datetime) -> int:
    """`sent_since` on the caller's connection, so the count sees its open transaction."""
    cursor = await conn.execute(_SENT_SINCE, (kind, related_user_id, to_iso(since)))
    return (await cursor.fetchone())[0]
