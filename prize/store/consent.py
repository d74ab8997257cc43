"""Versioned notices (privacy notice, declaration, age confirmation) and who accepted which.

Migration 0050. A consent record names the document, its version, the language it was
read in, the time (UTC) and the occasion (sign-up, sign-in, submission...). Records are
never changed; a new version of a notice asks people again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.notices import Document, NoticeDraft
from prize.store.db import Database

Occasion = Literal["signup", "sign_in", "submission", "invitation", "profile", "operator"]


class NoticeVersion(BaseModel):
    document: Document
    version: int
    body_en: str
    body_fr: str
    change_note: str
    published_at: datetime
    published_by: int | None = None
    published_by_name: str | None = None

    def body(self, locale: str) -> str:
        return self.body_fr if locale == "fr" else self.body_en


def _version(row) -> NoticeVersion:
    return NoticeVersion(
        document=row["document"],
        version=row["version"],
        body_en=row["body_en"],
        body_fr=row["body_fr"],
        change_note=row["change_note"],
        published_at=from_iso(row["published_at"]),
        published_by=row["published_by"],
        published_by_name=row["published_by_name"],
    )


_SELECT_VERSION = (
    "SELECT n.*, u.name AS published_by_name FROM notice_versions n"
    " LEFT JOIN users u ON u.id = n.published_by"
)


async def current(db: Database, document: Document) -> NoticeVersion | None:
    """The version in force: the latest one published."""
    row = await db.fetch_one(
        f"{_SELECT_VERSION} WHERE n.document = ? ORDER BY n.version DESC LIMIT 1", (document,)
    )
    return _version(row) if row else None


async def version(db: Database, document: Document, number: int) -> NoticeVersion | None:
    row = await db.fetch_one(
        f"{_SELECT_VERSION} WHERE n.document = ? AND n.version = ?", (document, number)
    )
    return _version(row) if row else None


async def versions(db: Database, document: Document) -> list[NoticeVersion]:
    """Every version of a document, newest first."""
    rows = await db.fetch_all(
        f"{_SELECT_VERSION} WHERE n.document = ? ORDER BY n.version DESC", (document,)
    )
    return [_version(row) for row in rows]


async def current_version_number(conn, document: Document) -> int | None:
    """The number of the version in force, read inside the caller's transaction."""
    cursor = await conn.execute(
        "SELECT MAX(version) FROM notice_versions WHERE document = ?", (document,)
    )
    return (await cursor.fetchone())[0]


async def publish(conn, document: Document, draft: NoticeDraft, *, published_by: int | None,
                  now: datetime) -> int:
    """A new version of `document` in the caller's transaction; returns its number."""
    number = (await current_version_number(conn, document) or 0) + 1
    await conn.execute(
        "INSERT INTO notice_versions"
        " (document, version, body_en, body_fr, change_note, published_at, published_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (document, number, draft.body_en, draft.body_fr, draft.change_note, to_iso(now),
         published_by),
    )
    return number


async def version_with_wording(conn, document: Document, body_en: str, body_fr: str, *,
                               now: datetime, note: str) -> int:
    """The number of the latest version of `document` worded exactly so, published now
    (with `note`) when there is none: a form whose wording changed asks for a new version
    rather than recording acceptance of words it did not show."""
    cursor = await conn.execute(
        "SELECT MAX(version) FROM notice_versions WHERE document = ? AND body_en = ?"
        " AND body_fr = ?", (document, body_en, body_fr))
    found = (await cursor.fetchone())[0]
    if found is not None:
        return found
    return await publish(conn, document, NoticeDraft(body_en=body_en, body_fr=body_fr,
                                                     change_note=note),
                         published_by=None, now=now)


async def record(conn, *, user_id: int, document: Document, language: str, occasion: Occasion,
                 now: datetime, version: int | None = None, entry_id: int | None = None) -> int:
    """Record that the person accepted `document` (the version in force unless given)
    inside the caller's transaction, so the record lands with what it was given for.
    Returns the version recorded."""
    if version is None:
        version = await current_version_number(conn, document)
    if version is None:
        raise LookupError(f"no version of {document} is published")
    await conn.execute(
        "INSERT INTO consents"
        " (user_id, document, version, language, accepted_at, occasion, entry_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (user_id, document, version, language if language in ("en", "fr") else "en",
         to_iso(now), occasion, entry_id),
    )
    return version


async def acceptance_counts(db: Database, document: Document) -> dict[int, int]:
    """How many people accepted each version of `document` (at least once)."""
    rows = await db.fetch_all(
        "SELECT version, COUNT(DISTINCT user_id) FROM consents WHERE document = ?"
        " GROUP BY version", (document,))
    return {row[0]: row[1] for row in rows}


async def accepted_version(db: Database, user_id: int, document: Document) -> int | None:
    """The latest version of `document` the person accepted, or None."""
    return await db.fetch_value(
        "SELECT MAX(version) FROM consents WHERE user_id = ? AND document = ?",
        (user_id, document),
    )


async def list_for_user(db: Database, user_id: int) -> list[dict[str, Any]]:
    """Every consent record of a person, oldest first, as plain data (for "My data").

    Each is `{"document", "version", "language", "accepted_at" (UTC, ISO 8601 with Z),
    "occasion", "entry_id"}`.
    """
    rows = await db.fetch_all(
        "SELECT document, version, language, accepted_at, occasion, entry_id FROM consents"
        " WHERE user_id = ? ORDER BY accepted_at, id",
        (user_id,),
    )
    return [
        {
            "document": row["document"],
            "version": row["version"],
            "language": row["language"],
            "accepted_at": row["accepted_at"],
            "occasion": row["occasion"],
            "entry_id": row["entry_id"],
        }
        for row in rows
    ]


async def delete_for_user(conn, user_id: int) -> int:
    """Remove a person's consent records (erasure), in the caller's transaction; the count."""
    cursor = await conn.execute("DELETE FROM consents WHERE user_id = ?", (user_id,))
    return cursor.rowcount
