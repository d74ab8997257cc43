"""People with accounts, the single-use tokens sent to them, and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.statuses import Role
from prize.store.db import Database

TokenPurpose = Literal["verify_email", "reset_password", "invitation"]


class User(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    email_verified_at: datetime | None
    locale: str
    session_epoch: int
    password_hash: str | None = None
    created_at: datetime
    #: The last time the person signed in with their password (shown to the secretariat).
    last_seen_at: datetime | None = None
    #: When the account was erased (it keeps only a pseudonym, prize.store.privacy).
    erased_at: datetime | None = None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]


def _user(row) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        is_active=bool(row["is_active"]),
        email_verified_at=from_iso(row["email_verified_at"]),
        locale=row["locale"],
        session_epoch=row["session_epoch"],
        password_hash=row["password_hash"],
        created_at=from_iso(row["created_at"]),
        last_seen_at=from_iso(row["last_seen_at"]),
        erased_at=from_iso(row["erased_at"]),
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def get(db: Database, user_id: int) -> User | None:
    row = await db.fetch_one("SELECT * FROM users WHERE id = ?", (user_id,))
    return _user(row) if row else None


async def by_email(db: Database, email: str) -> User | None:
    row = await db.fetch_one("SELECT * FROM users WHERE email = ?", (normalise_email(email),))
    return _user(row) if row else None


async def id_of_email(conn, email: str) -> int | None:
    """The id of the account with this email, read inside the caller's transaction."""
    cursor = await conn.execute(
        "SELECT id FROM users WHERE email = ?", (normalise_email(email),)
    )
    row = await cursor.fetchone()
    return row[0] if row else None


async def juror_ids_matching(conn, email_pattern: str, limit: int | None = None) -> list[int]:
    """Ids of the jurors whose email matches a LIKE pattern, by email, at most `limit`."""
    sql = "SELECT id FROM users WHERE role = ? AND email LIKE ? ORDER BY email"
    params: tuple = (Role.JUROR, email_pattern)
    if limit is not None:
        sql, params = sql + " LIMIT ?", (*params, limit)
    cursor = await conn.execute(sql, params)
    return [row[0] for row in await cursor.fetchall()]


async def create(
    conn,
    *,
    email: str,
    name: str,
    role: Role,
    password_hash: str | None,
    now: datetime,
    verified: bool = False,
    locale: str = "en",
) -> int:
    """Insert a user inside the caller's transaction; returns the new id."""
    cursor = await conn.execute(
        "INSERT INTO users"
        " (email, name, role, password_hash, email_verified_at, locale, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            normalise_email(email),
            name.strip(),
            role,
            password_hash,
            to_iso(now) if verified else None,
            locale,
            to_iso(now),
        ),
    )
    return cursor.lastrowid


async def set_password(conn, user_id: int, password_hash: str) -> None:
    # A new password ends every other session of this account.
    await conn.execute(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
        (password_hash, user_id),
    )


async def end_sessions(conn, user_id: int) -> None:
    """Every signed session cookie of this account stops working (sessions live in the
    cookie, so a copy kept after logging out would otherwise still open the account)."""
    await conn.execute(
        "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", (user_id,)
    )


async def mark_verified(conn, user_id: int, now: datetime) -> None:
    await conn.execute(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?",
        (to_iso(now), user_id),
    )


async def set_locale(db: Database, user_id: int, locale: str) -> None:
    await db.execute_write("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))


async def record_sign_in(db: Database, user_id: int, now: datetime) -> None:
    """Note that the person signed in now (`last_seen_at`)."""
    await db.execute_write("UPDATE users SET last_seen_at = ? WHERE id = ?", (to_iso(now), user_id))


# Tokens ---------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(
    conn, *, user_id: int, purpose: TokenPurpose, now: datetime, valid_for: timedelta
) -> str:
    """A new single-use token; earlier unused tokens of the same purpose stop working."""
    await conn.execute(
        "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND purpose = ?"
        " AND used_at IS NULL AND revoked_at IS NULL",
        (to_iso(now), user_id, purpose),
    )
    token = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO tokens (purpose, token_hash, user_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (purpose, _hash_token(token), user_id, to_iso(now), to_iso(now + valid_for)),
    )
    return token


async def peek_token(db: Database, token: str, purpose: TokenPurpose, now: datetime) -> int | None:
    """The user id of a token that is still usable, without using it up."""
    row = await db.fetch_one(
        "SELECT user_id, expires_at FROM tokens WHERE token_hash = ? AND purpose = ?"
        " AND used_at IS NULL AND revoked_at IS NULL",
        (_hash_token(token), purpose),
    )
    if row is None or from_iso(row["expires_at"]) <= now:
        return None
    return row["user_id"]


async def use_token(conn, token: str, purpose: TokenPurpose, now: datetime) -> int | None:
    """Spend a token inside the caller's transaction; None if unknown, used, revoked or expired."""
    cursor = await conn.execute(
        "UPDATE tokens SET used_at = ? WHERE token_hash = ? AND purpose = ?"
        " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
        " RETURNING user_id",
        (to_iso(now), _hash_token(token), purpose, to_iso(now)),
    )
    row = await cursor.fetchone()
    return row[0] if row else None


async def revoke_tokens(conn, user_id: int, purpose: TokenPurpose, now: datetime) -> None:
    await conn.execute(
        "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND purpose = ?"
        " AND used_at IS NULL AND revoked_at IS NULL",
        (to_iso(now), user_id, purpose),
    )


# Throttling -----------------------------------------------------------------


async def reserve_attempt(
    db: Database, limits: Sequence[tuple[str, int]], now: datetime, window: timedelta
) -> list[int] | None:
    """Count and record an attempt as one step: the ids of the rows it adds, or None.

    When every key has fewer than its limit of rows within `window`, one row is added
    under each key and their ids returned; otherwise nothing is added and the answer is
    None. Counted and added in one write transaction, so that attempts sent at once
    cannot all see a count below the limit. Rows older than `window` are removed first:
    the table never keeps a trace of an address longer than that.
    """
    since = to_iso(now - window)
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM login_attempts WHERE at <= ?", (since,))
        for key, limit in limits:
            cursor = await conn.execute(
                "SELECT COUNT(*) FROM login_attempts WHERE throttle_key = ? AND at > ?",
                (key, since),
            )
            if (await cursor.fetchone())[0] >= limit:
                return None
        ids = []
        for key, _limit in limits:
            cursor = await conn.execute(
                "INSERT INTO login_attempts (throttle_key, at) VALUES (?, ?)", (key, to_iso(now))
            )
            ids.append(cursor.lastrowid)
        return ids


async def purge_attempts(db: Database, now: datetime, window: timedelta) -> int:
    """Delete the attempts older than `window` (they hold client addresses); the count.

    `reserve_attempt` does this at every attempt; start-up does it too, so that rows do
    not outlive the window on a site where nobody signs in for a while."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM login_attempts WHERE at <= ?", (to_iso(now - window),))
        return cursor.rowcount


async def release_attempt(db: Database, ids: Sequence[int]) -> None:
    """Take back the rows of `reserve_attempt`: the attempt did not count (it succeeded)."""
    marks = ", ".join("?" * len(ids))
    await db.execute_write(f"DELETE FROM login_attempts WHERE id IN ({marks})", tuple(ids))


async def clear_failures(db: Database, key: str) -> None:
    await db.execute_write("DELETE FROM login_attempts WHERE throttle_key = ?", (key,))
