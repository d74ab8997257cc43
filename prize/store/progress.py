"""Judging progress per juror, as the progress page and the reminders read it.

The reminders themselves are composed in `prize.notifications`.
"""

from __future__ import annotations

from prize.clock import from_iso
from prize.domain.progress import JurorProgress
from prize.store.db import Database
from prize.store.scoring import work_set_aside_sql


async def juror_progress(db: Database, edition_id: int, round_number: int = 1
                         ) -> list[JurorProgress]:
    """Each assigned juror's sheets submitted out of assigned in the round, and their last
    activity.

    An assignment whose juror has a conflict with the entry is left out of both counts
    (its sheet, if any, is set aside), unless the secretariat reinstated that sheet.
    """
    rows = await db.fetch_all(
        "SELECT u.id, u.name, u.email, u.is_active, u.last_seen_at,"
        " COUNT(a.entry_id) AS assigned,"
        " SUM(CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END) AS submitted,"
        " MAX(s.updated_at) AS last_sheet"
        " FROM assignments a JOIN users u ON u.id = a.juror_id"
        " LEFT JOIN score_sheets s ON s.entry_id = a.entry_id AND s.juror_id = a.juror_id"
        " AND s.round = a.round"
        f" WHERE a.edition_id = ? AND a.round = ?"
        f" AND NOT {work_set_aside_sql('a.juror_id', 'a.entry_id')}"
        " GROUP BY u.id ORDER BY u.name COLLATE NOCASE, u.email",
        (edition_id, round_number),
    )
    progress = []
    for row in rows:
        moments = [m for m in (from_iso(row["last_seen_at"]), from_iso(row["last_sheet"])) if m]
        progress.append(JurorProgress(
            juror_id=row["id"], name=row["name"] or row["email"], email=row["email"],
            assigned=row["assigned"], submitted=row["submitted"] or 0,
            last_activity=max(moments) if moments else None, is_active=bool(row["is_active"]),
        ))
    return progress


async def juror_locales(db: Database, edition_id: int) -> dict[int, str]:
    """The language each juror assigned in the edition reads their mail in, by user id."""
    rows = await db.fetch_all(
        "SELECT id, locale FROM users WHERE id IN (SELECT juror_id FROM assignments"
        " WHERE edition_id = ?)", (edition_id,))
    return {row["id"]: row["locale"] for row in rows}
