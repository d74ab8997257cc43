"""The jury meeting: its attendance, guests and the vote on each decision taken there.

The decisions themselves are entry statuses and statements (see :mod:`prize.store.entries`),
changed through the lifecycle. Writes take the caller's connection, so that a decision,
its vote and its audit record land in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.meeting import FIRST_ROUND, Vote
from prize.store.db import Database


class Meeting(BaseModel):
    id: int
    edition_id: int
    round: int
    held_at: datetime
    guests: list[str]
    attendee_ids: list[int]


class MeetingDecision(BaseModel):
    entry_id: int
    outcome: str
    vote: tuple[int, int, int] | None
    recorded_at: datetime


async def meeting_of(db: Database, edition_id: int, round_number: int = FIRST_ROUND
                     ) -> Meeting | None:
    row = await db.fetch_one(
        "SELECT * FROM jury_meetings WHERE edition_id = ? AND round = ?",
        (edition_id, round_number))
    if row is None:
        return None
    attendees = await db.fetch_all(
        "SELECT user_id FROM jury_meeting_attendees WHERE meeting_id = ? ORDER BY user_id",
        (row["id"],))
    return Meeting(id=row["id"], edition_id=row["edition_id"], round=row["round"],
                   held_at=from_iso(row["held_at"]),
                   guests=[line for line in row["guests"].splitlines() if line],
                   attendee_ids=[attendee["user_id"] for attendee in attendees])


async def ensure_meeting(conn, edition_id: int, *, now: datetime, by: int,
                         round_number: int = FIRST_ROUND) -> int:
    """The meeting's id, opening it (held now) if it has no record yet."""
    await conn.execute(
        "INSERT INTO jury_meetings (edition_id, round, held_at, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (edition_id, round) DO NOTHING",
        (edition_id, round_number, to_iso(now), to_iso(now), by))
    cursor = await conn.execute(
        "SELECT id FROM jury_meetings WHERE edition_id = ? AND round = ?",
        (edition_id, round_number))
    return (await cursor.fetchone())[0]


async def set_attendance(conn, meeting_id: int, *, attendee_ids: list[int],
                         guests: list[str], now: datetime, by: int,
                         held_at: datetime | None = None) -> None:
    """Who attended and the guests; and when the meeting was held, when given."""
    await conn.execute("DELETE FROM jury_meeting_attendees WHERE meeting_id = ?",
                       (meeting_id,))
    await conn.executemany(
        "INSERT INTO jury_meeting_attendees (meeting_id, user_id) VALUES (?, ?)",
        [(meeting_id, user_id) for user_id in sorted(set(attendee_ids))])
    await conn.execute(
        "UPDATE jury_meetings SET guests = ?, updated_at = ?, updated_by = ?,"
        " held_at = COALESCE(?, held_at) WHERE id = ?",
        ("\n".join(guests), to_iso(now), by, to_iso(held_at) if held_at else None,
         meeting_id))


async def record_decision(conn, meeting_id: int, *, entry_id: int, outcome: str,
                          vote: Vote | None, now: datetime, by: int) -> None:
    """The meeting's decision on the entry, replacing an earlier one of the same meeting."""
    counts = (vote.in_favour, vote.against, vote.abstaining) if vote else (None, None, None)
    await conn.execute(
        "INSERT INTO jury_meeting_decisions (meeting_id, entry_id, outcome, votes_for,"
        " votes_against, votes_abstaining, recorded_at, recorded_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, entry_id) DO UPDATE SET"
        " outcome = excluded.outcome, votes_for = excluded.votes_for,"
        " votes_against = excluded.votes_against, votes_abstaining = excluded.votes_abstaining,"
        " recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
        (meeting_id, entry_id, outcome, *counts, to_iso(now), by))


async def decisions_of(db: Database, meeting_id: int) -> dict[int, MeetingDecision]:
    rows = await db.fetch_all(
        "SELECT * FROM jury_meeting_decisions WHERE meeting_id = ?", (meeting_id,))
    return {
        row["entry_id"]: MeetingDecision(
            entry_id=row["entry_id"], outcome=row["outcome"],
            vote=None if row["votes_for"] is None else (
                row["votes_for"], row["votes_against"], row["votes_abstaining"]),
            recorded_at=from_iso(row["recorded_at"]))
        for row in rows
    }


async def entry_statuses(conn, edition_id: int) -> dict[int, str]:
    """Every entry's status in the edition, read in the caller's transaction (so that the
    number of awards is checked against what is written, not what a page showed)."""
    cursor = await conn.execute("SELECT id, status FROM entries WHERE edition_id = ?",
                                (edition_id,))
    return {row[0]: row[1] for row in await cursor.fetchall()}
