"""The prize's identity (one row, migration 0055) and the email texts the secretariat
changed (table email_texts): the configuration that pages and emails are made from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prize.clock import to_iso
from prize.domain.identity import DEFAULT_IDENTITY, Identity
from prize.store.db import Database

FIELDS = tuple(Identity.model_fields)


async def get(db: Database) -> Identity:
    row = await db.fetch_one(f"SELECT {', '.join(FIELDS)} FROM prize_identity WHERE id = 1")
    if row is None:
        return DEFAULT_IDENTITY
    return Identity.model_validate({name: row[name] for name in FIELDS})


async def save(conn, identity: Identity, now: datetime) -> None:
    assignments = ", ".join(f"{name} = ?" for name in FIELDS)
    await conn.execute(
        f"UPDATE prize_identity SET {assignments}, updated_at = ? WHERE id = 1",
        (*(getattr(identity, name) for name in FIELDS), to_iso(now)),
    )


# Email texts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredText:
    edition_id: int | None
    kind: str
    locale: str
    subject: str
    body: str


async def all_texts(db: Database) -> list[StoredText]:
    rows = await db.fetch_all(
        "SELECT edition_id, kind, locale, subject, body FROM email_texts ORDER BY id")
    return [StoredText(row["edition_id"], row["kind"], row["locale"], row["subject"],
                       row["body"]) for row in rows]


async def save_text(conn, *, edition_id: int | None, kind: str, locale: str, subject: str,
                    body: str, now: datetime, actor_id: int | None) -> None:
    await conn.execute(
        "DELETE FROM email_texts WHERE COALESCE(edition_id, 0) = COALESCE(?, 0)"
        " AND kind = ? AND locale = ?", (edition_id, kind, locale))
    await conn.execute(
        "INSERT INTO email_texts (edition_id, kind, locale, subject, body, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (edition_id, kind, locale, subject, body, to_iso(now), actor_id))


async def delete_text(conn, *, edition_id: int | None, kind: str, locale: str) -> int:
    cursor = await conn.execute(
        "DELETE FROM email_texts WHERE COALESCE(edition_id, 0) = COALESCE(?, 0)"
        " AND kind = ? AND locale = ?", (edition_id, kind, locale))
    return cursor.rowcount


async def copy_previous_texts(conn, edition_id: int, year: int, now: datetime) -> int | None:
    """A new edition starts with the email texts the secretariat wrote for the edition
    before it (the year just below); returns that year, or None when it had none."""
    cursor = await conn.execute(
        "SELECT e.id, e.year FROM editions e WHERE e.year < ? ORDER BY e.year DESC LIMIT 1",
        (year,))
    previous = await cursor.fetchone()
    if previous is None:
        return None
    cursor = await conn.execute(
        "INSERT INTO email_texts (edition_id, kind, locale, subject, body, updated_at,"
        " updated_by) SELECT ?, kind, locale, subject, body, ?, updated_by FROM email_texts"
        " WHERE edition_id = ?", (edition_id, to_iso(now), previous["id"]))
    return previous["year"] if cursor.rowcount else None
