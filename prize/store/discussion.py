"""The jury's discussion threads (one per entry and round) and each person's digest choice.

Who may read a thread is ruled by :mod:`prize.domain.discussion`; the facts it needs are
read here and in :mod:`prize.store.access`. Functions that write take the caller's
connection, so that a comment and its audit record land in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.discussion import may_read_discussion
from prize.domain.statuses import Role, SheetStatus
from prize.store import access
from prize.store.db import Database


async def round_of_entry(db: Database, entry_id: int) -> int:
    """The round whose thread an entry has now: the edition's current round when the entry
    is judged in it (the final round judges the shortlist only), else round 1."""
    return await db.fetch_value(
        "SELECT CASE WHEN ed.current_round = 2 AND EXISTS (SELECT 1 FROM assignments a"
        " WHERE a.entry_id = e.id AND a.round = 2) THEN 2 ELSE 1 END"
        " FROM entries e JOIN editions ed ON ed.id = e.edition_id WHERE e.id = ?",
        (entry_id,)) or 1


class Comment(BaseModel):
    id: int
    entry_id: int
    round: int
    author_id: int | None
    author_name: str
    author_role: str
    body: str
    created_at: datetime
    edited_at: datetime | None


class DigestComment(Comment):
    """A comment with what a digest names of its entry."""

    edition_id: int
    reference: str
    title: str


_SELECT = (
    "SELECT c.*, COALESCE(NULLIF(u.name, ''), u.email, '') AS author_name,"
    " COALESCE(u.role, '') AS author_role"
    " FROM discussion_comments c LEFT JOIN users u ON u.id = c.author_id"
)


def _comment(row) -> Comment:
    return Comment(
        id=row["id"], entry_id=row["entry_id"], round=row["round"], author_id=row["author_id"],
        author_name=row["author_name"], author_role=row["author_role"], body=row["body"],
        created_at=from_iso(row["created_at"]), edited_at=from_iso(row["edited_at"]),
    )


async def comments_of(db: Database, entry_id: int, round_number: int | None = None
                      ) -> list[Comment]:
    """The thread of the round (default: the entry's current one), oldest first."""
    if round_number is None:
        round_number = await round_of_entry(db, entry_id)
    rows = await db.fetch_all(
        f"{_SELECT} WHERE c.entry_id = ? AND c.round = ? ORDER BY c.created_at, c.id",
        (entry_id, round_number))
    return [_comment(row) for row in rows]


async def get(db: Database, comment_id: int) -> Comment | None:
    row = await db.fetch_one(f"{_SELECT} WHERE c.id = ?", (comment_id,))
    return _comment(row) if row else None


async def add(conn, *, entry_id: int, author_id: int, body: str, now: datetime,
              round_number: int | None = None) -> int:
    """A comment in the round's thread (default: the entry's current round, read in the
    caller's transaction)."""
    if round_number is None:
        cursor = await conn.execute(
            "SELECT CASE WHEN ed.current_round = 2 AND EXISTS (SELECT 1 FROM assignments a"
            " WHERE a.entry_id = e.id AND a.round = 2) THEN 2 ELSE 1 END"
            " FROM entries e JOIN editions ed ON ed.id = e.edition_id WHERE e.id = ?",
            (entry_id,))
        row = await cursor.fetchone()
        round_number = row[0] if row else 1
    cursor = await conn.execute(
        "INSERT INTO discussion_comments (entry_id, round, author_id, body, created_at)"
        " VALUES (?, ?, ?, ?, ?)", (entry_id, round_number, author_id, body, to_iso(now)))
    return cursor.lastrowid


async def edit(conn, comment_id: int, *, author_id: int, body: str, now: datetime,
               written_after: datetime) -> bool:
    """Change the text and mark it edited; false when it is not the author's or written
    before `written_after` any more (checked in the write, so two tabs cannot race it)."""
    cursor = await conn.execute(
        "UPDATE discussion_comments SET body = ?, edited_at = ?"
        " WHERE id = ? AND author_id = ? AND created_at >= ?",
        (body, to_iso(now), comment_id, author_id, to_iso(written_after)))
    return cursor.rowcount == 1


async def comment_counts(db: Database, edition_id: int,
                         round_number: int | None = None) -> dict[int, int]:
    """Per entry of the edition that has a thread in the round (default: the current
    round), its number of comments."""
    if round_number is None:
        round_number = await db.fetch_value(
            "SELECT current_round FROM editions WHERE id = ?", (edition_id,)) or 1
    rows = await db.fetch_all(
        "SELECT c.entry_id, COUNT(*) AS n FROM discussion_comments c"
        " JOIN entries e ON e.id = c.entry_id WHERE e.edition_id = ? AND c.round = ?"
        " GROUP BY c.entry_id", (edition_id, round_number))
    return {row["entry_id"]: row["n"] for row in rows}


def thread_url(entry_id: int) -> str:
    """Where an entry's thread is read and written (for the deliberation page too)."""
    return f"/jury/entries/{entry_id}/discussion"


# Who reads a thread ------------------------------------------------------------------------


async def submitted_own_sheet(db: Database, entry_id: int, juror_id: int,
                              round_number: int | None = None) -> bool:
    """The blind rule's fact: the juror submitted their sheet for the entry in the round
    (default: the entry's current round, so a final round's thread waits for the final
    sheet)."""
    if round_number is None:
        round_number = await round_of_entry(db, entry_id)
    status = await db.fetch_value(
        "SELECT status FROM score_sheets WHERE entry_id = ? AND juror_id = ? AND round = ?",
        (entry_id, juror_id, round_number))
    return status == SheetStatus.SUBMITTED


async def may_read(db: Database, user_id: int, role: str, entry_id: int) -> bool:
    """:func:`prize.domain.discussion.may_read_discussion` with the facts of the store."""
    if role not in (*Role.STAFF, *Role.JURY_READERS):
        return False
    reads_entry = await access.may_read_entry(db, user_id, role, entry_id)
    submitted = role in Role.JURY and reads_entry and await submitted_own_sheet(
        db, entry_id, user_id)
    return may_read_discussion(role, reads_entry=reads_entry, submitted_own_sheet=submitted)


# Daily digests -------------------------------------------------------------------------------


#: The digest is on by default for these roles (and off for jurors until they choose it).
DIGEST_BY_DEFAULT = (Role.ADVISOR, *Role.STAFF)


class DigestChoice(BaseModel):
    user_id: int
    enabled: bool
    covered_until: datetime | None


async def digest_choice(db: Database, user_id: int, role: str) -> DigestChoice:
    row = await db.fetch_one("SELECT * FROM discussion_digests WHERE user_id = ?", (user_id,))
    if row is None:
        return DigestChoice(user_id=user_id, enabled=role in DIGEST_BY_DEFAULT,
                            covered_until=None)
    return DigestChoice(user_id=user_id, enabled=bool(row["enabled"]),
                        covered_until=from_iso(row["covered_until"]))


async def set_digest(conn, user_id: int, enabled: bool) -> None:
    await conn.execute(
        "INSERT INTO discussion_digests (user_id, enabled) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled",
        (user_id, int(enabled)))


async def mark_covered(conn, user_id: int, role: str, until: datetime) -> None:
    """The digest sent covered the comments written up to `until`."""
    await conn.execute(
        "INSERT INTO discussion_digests (user_id, enabled, covered_until) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET covered_until = excluded.covered_until",
        (user_id, int(role in DIGEST_BY_DEFAULT), to_iso(until)))


class Reader(BaseModel):
    id: int
    email: str
    name: str
    role: str
    locale: str


async def digest_readers(db: Database) -> list[Reader]:
    """Active people who want the digest: by choice, or by their role's default."""
    defaults = DIGEST_BY_DEFAULT
    roles = (*Role.STAFF, *Role.JURY_READERS)
    rows = await db.fetch_all(
        "SELECT u.id, u.email, COALESCE(NULLIF(u.name, ''), u.email) AS name, u.role, u.locale"
        " FROM users u LEFT JOIN discussion_digests d ON d.user_id = u.id"
        f" WHERE u.is_active = 1 AND u.role IN ({', '.join('?' for _ in roles)})"
        " AND (d.enabled = 1 OR (d.enabled IS NULL"
        f" AND u.role IN ({', '.join('?' for _ in defaults)})))"
        " ORDER BY u.id", (*roles, *defaults))
    return [Reader(id=row["id"], email=row["email"], name=row["name"], role=row["role"],
                   locale=row["locale"] or "en") for row in rows]


async def comments_between(db: Database, since: datetime, until: datetime
                           ) -> list[DigestComment]:
    """Comments written in (since, until], with their entry, by entry then time."""
    rows = await db.fetch_all(
        "SELECT c.*, COALESCE(NULLIF(u.name, ''), u.email, '') AS author_name,"
        " COALESCE(u.role, '') AS author_role, e.edition_id,"
        " COALESCE(e.reference, '#' || e.id) AS reference, e.title"
        " FROM discussion_comments c JOIN entries e ON e.id = c.entry_id"
        " LEFT JOIN users u ON u.id = c.author_id"
        " WHERE c.created_at > ? AND c.created_at <= ?"
        " ORDER BY e.reference_number, e.id, c.created_at, c.id",
        (to_iso(since), to_iso(until)))
    return [DigestComment(**_comment(row).model_dump(), edition_id=row["edition_id"],
                          reference=row["reference"], title=row["title"]) for row in rows]
