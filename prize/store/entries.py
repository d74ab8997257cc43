"""Entries, their revisions, their countries and their attachments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.entries import Application
from prize.store.db import Database


class Entry(BaseModel):
    id: int
    edition_id: int
    edition_year: int
    owner_id: int
    reference: str | None
    status: str
    title: str
    organisation: str
    country: str
    language: str
    application: Application
    version: int
    status_reason: str
    jury_statement: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @property
    def display_title(self) -> str:
        return self.title or self.reference or f"#{self.id}"


class VersionConflict(Exception):
    """The entry changed since the form was opened (another tab or device saved first)."""


class Attachment(BaseModel):
    id: int
    entry_id: int
    stored_name: str
    filename: str
    content_type: str
    size: int
    sha256: str
    description: str
    public_allowed: bool
    created_at: datetime


class Revision(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    changed_fields: list[str]


_SELECT = (
    "SELECT e.*, ed.year AS edition_year FROM entries e JOIN editions ed ON ed.id = e.edition_id"
)


def _entry(row) -> Entry:
    return Entry(
        id=row["id"],
        edition_id=row["edition_id"],
        edition_year=row["edition_year"],
        owner_id=row["owner_id"],
        reference=row["reference"],
        status=row["status"],
        title=row["title"],
        organisation=row["organisation"],
        country=row["country"],
        language=row["language"],
        application=Application.model_validate_json(row["application"]),
        version=row["version"],
        status_reason=row["status_reason"],
        jury_statement=row["jury_statement"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        submitted_at=from_iso(row["submitted_at"]),
    )


def _attachment(row) -> Attachment:
    return Attachment(
        id=row["id"],
        entry_id=row["entry_id"],
        stored_name=row["stored_name"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        description=row["description"],
        public_allowed=bool(row["public_allowed"]),
        created_at=from_iso(row["created_at"]),
    )


async def get(db: Database, entry_id: int) -> Entry | None:
    row = await db.fetch_one(f"{_SELECT} WHERE e.id = ?", (entry_id,))
    return _entry(row) if row else None


async def of_owner(db: Database, owner_id: int) -> list[Entry]:
    rows = await db.fetch_all(
        f"{_SELECT} WHERE e.owner_id = ? ORDER BY ed.year DESC, e.updated_at DESC", (owner_id,)
    )
    return [_entry(row) for row in rows]


async def of_edition(db: Database, edition_id: int, statuses: tuple[str, ...] = ()) -> list[Entry]:
    sql, params = f"{_SELECT} WHERE e.edition_id = ?", [edition_id]
    if statuses:
        sql += f" AND e.status IN ({', '.join('?' for _ in statuses)})"
        params += list(statuses)
    rows = await db.fetch_all(sql + " ORDER BY e.reference_number, e.id", params)
    return [_entry(row) for row in rows]


def _columns(application: Application) -> dict[str, str]:
    return {
        "title": application.title,
        "organisation": application.org_name,
        "country": application.country,
        "language": application.language or "en",
        "application": application.model_dump_json(),
    }


async def create(
    conn, *, edition_id: int, owner_id: int, application: Application, now: datetime
) -> int:
    columns = _columns(application)
    cursor = await conn.execute(
        "INSERT INTO entries (edition_id, owner_id, title, organisation, country, language,"
        " application, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            edition_id,
            owner_id,
            columns["title"],
            columns["organisation"],
            columns["country"],
            columns["language"],
            columns["application"],
            to_iso(now),
            to_iso(now),
        ),
    )
    entry_id = cursor.lastrowid
    await _set_countries(conn, entry_id, application)
    await add_revision(
        conn,
        entry_id,
        actor_id=owner_id,
        action="created",
        changed=[],
        application=application,
        now=now,
    )
    return entry_id


async def save_application(
    conn,
    entry_id: int,
    application: Application,
    *,
    expected_version: int,
    actor_id: int,
    action: str,
    changed: list[str],
    now: datetime,
) -> int:
    """Store a new text of the application, if nobody saved since `expected_version`.

    Returns the new version; raises VersionConflict when the stored version moved on,
    so a second tab can never silently overwrite the first.
    """
    columns = _columns(application)
    cursor = await conn.execute(
        "UPDATE entries SET title = ?, organisation = ?, country = ?, language = ?,"
        " application = ?,"
        " version = version + 1, updated_at = ? WHERE id = ? AND version = ? RETURNING version",
        (
            columns["title"],
            columns["organisation"],
            columns["country"],
            columns["language"],
            columns["application"],
            to_iso(now),
            entry_id,
            expected_version,
        ),
    )
    row = await cursor.fetchone()
    if row is None:
        raise VersionConflict
    await _set_countries(conn, entry_id, application)
    await add_revision(
        conn,
        entry_id,
        actor_id=actor_id,
        action=action,
        changed=changed,
        application=application,
        now=now,
    )
    return row[0]


async def _set_countries(conn, entry_id: int, application: Application) -> None:
    await conn.execute("DELETE FROM entry_countries WHERE entry_id = ?", (entry_id,))
    await conn.executemany(
        "INSERT INTO entry_countries (entry_id, country) VALUES (?, ?)",
        [(entry_id, code) for code in application.all_countries()],
    )


async def add_revision(
    conn,
    entry_id: int,
    *,
    actor_id: int | None,
    action: str,
    changed: list[str],
    application: Application,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO entry_revisions (entry_id, at, actor_id, action, changed_fields, application)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            entry_id,
            to_iso(now),
            actor_id,
            action,
            json.dumps(changed),
            application.model_dump_json(),
        ),
    )


async def revisions(db: Database, entry_id: int) -> list[Revision]:
    rows = await db.fetch_all(
        "SELECT id, at, actor_id, action, changed_fields FROM entry_revisions"
        " WHERE entry_id = ? ORDER BY id DESC",
        (entry_id,),
    )
    return [
        Revision(
            id=row["id"],
            at=from_iso(row["at"]),
            actor_id=row["actor_id"],
            action=row["action"],
            changed_fields=json.loads(row["changed_fields"]),
        )
        for row in rows
    ]


async def set_status(
    conn,
    entry_id: int,
    status: str,
    *,
    now: datetime,
    reason: str | None = None,
    statement: str | None = None,
    submitted: bool = False,
) -> None:
    """Only the lifecycle's guarded transitions call this."""
    await conn.execute(
        "UPDATE entries SET status = ?, updated_at = ?,"
        " status_reason = COALESCE(?, status_reason), jury_statement = COALESCE(?, jury_statement),"
        " submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END WHERE id = ?",
        (status, to_iso(now), reason, statement, submitted, to_iso(now), entry_id),
    )


async def status_of(conn, entry_id: int) -> str | None:
    """The status read inside a write transaction, so a transition checks what it changes."""
    cursor = await conn.execute("SELECT status FROM entries WHERE id = ?", (entry_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def assign_reference(conn, entry_id: int, year: int) -> str:
    """Give the entry its reference (EDPP-2026-0042, the identity's prefix) once, at first
    submission."""
    cursor = await conn.execute(
        "SELECT reference, edition_id FROM entries WHERE id = ?", (entry_id,)
    )
    row = await cursor.fetchone()
    if row["reference"]:
        return row["reference"]
    cursor = await conn.execute(
        "SELECT COALESCE(MAX(reference_number), 0) + 1 FROM entries WHERE edition_id = ?",
        (row["edition_id"],),
    )
    number = (await cursor.fetchone())[0]
    # The prefix the secretariat set on the identity page (migration 0055), read in the
    # same transaction: EDPP unless it was changed.
    cursor = await conn.execute("SELECT reference_prefix FROM prize_identity WHERE id = 1")
    prefix_row = await cursor.fetchone()
    prefix = prefix_row[0] if prefix_row else "EDPP"
    reference = f"{prefix}-{year}-{number:04d}"
    await conn.execute(
        "UPDATE entries SET reference = ?, reference_number = ? WHERE id = ?",
        (reference, number, entry_id),
    )
    return reference


# Attachments ------------------------------------------------------------------


async def attachments_of(db: Database, entry_id: int) -> list[Attachment]:
    rows = await db.fetch_all(
        "SELECT * FROM attachments WHERE entry_id = ? ORDER BY id", (entry_id,)
    )
    return [_attachment(row) for row in rows]


async def attachment(db: Database, attachment_id: int) -> Attachment | None:
    row = await db.fetch_one("SELECT * FROM attachments WHERE id = ?", (attachment_id,))
    return _attachment(row) if row else None


async def count_attachments(conn, entry_id: int) -> int:
    cursor = await conn.execute("SELECT COUNT(*) FROM attachments WHERE entry_id = ?", (entry_id,))
    return (await cursor.fetchone())[0]


async def add_attachment(
    conn,
    *,
    entry_id: int,
    stored_name: str,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    description: str,
    now: datetime,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO attachments (entry_id, stored_name, filename, content_type, size, sha256,"
        " description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, stored_name, filename, content_type, size, sha256, description, to_iso(now)),
    )
    return cursor.lastrowid


async def delete_attachment(conn, attachment_id: int) -> None:
    await conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))


async def set_attachment_public(conn, attachment_id: int, allowed: bool) -> None:
    await conn.execute(
        "UPDATE attachments SET public_allowed = ? WHERE id = ?", (int(allowed), attachment_id)
    )


async def by_ids(db: Database, entry_ids: Sequence[int]) -> list[Entry]:
    """The entries of these ids, in the order given (unknown ids left out); one query."""
    if not entry_ids:
        return []
    marks = ", ".join("?" for _ in entry_ids)
    rows = await db.fetch_all(f"{_SELECT} WHERE e.id IN ({marks})", list(entry_ids))
    found = {row["id"]: _entry(row) for row in rows}
    return [found[entry_id] for entry_id in entry_ids if entry_id in found]


async def drafts_of_owner(db: Database, owner_id: int, edition_id: int) -> list[Entry]:
    """The owner's drafts in one edition, the most recently changed first."""
    rows = await db.fetch_all(
        f"{_SELECT} WHERE e.owner_id = ? AND e.edition_id = ? AND e.status = 'draft'"
        " ORDER BY e.updated_at DESC, e.id DESC",
        (owner_id, edition_id),
    )
    return [_entry(row) for row in rows]


async def delete_draft(conn, entry_id: int) -> list[str] | None:
    """Delete a draft that was never submitted, with its revisions, countries and
    attachments (by cascade); the stored file names, for the caller to remove.

    Returns None and deletes nothing when the entry is not such a draft."""
    cursor = await conn.execute(
        "SELECT status, submitted_at, reference FROM entries WHERE id = ?", (entry_id,)
    )
    row = await cursor.fetchone()
    if row is None or row["status"] != "draft" or row["submitted_at"] or row["reference"]:
        return None
    cursor = await conn.execute(
        "SELECT stored_name FROM attachments WHERE entry_id = ?", (entry_id,)
    )
    stored = [found[0] for found in await cursor.fetchall()]
    await conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    return stored
