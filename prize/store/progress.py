"""Judging progress per juror, and the reminders sent to late jurors.

`send_reminders` is shared by the console's button and `prize remind YEAR`, so the
rule "never two reminders the same day to the same juror" lives in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from prize.clock import from_iso, to_iso
from prize.domain.editions import Edition
from prize.domain.progress import JurorProgress, days_left, start_of_local_day
from prize.store import audit
from prize.store.db import Database

REMINDER_KIND = "reminder"


class Mailer(Protocol):
    def compose(self, kind: str, recipient: str, context: dict[str, Any], *, locale: str = "en",
                related_user_id: int | None = None) -> Any: ...

    async def enqueue(self, conn: Any, email: Any) -> int: ...

    async def flush(self) -> int: ...


async def juror_progress(db: Database, edition_id: int) -> list[JurorProgress]:
    """Each assigned juror's sheets submitted out of assigned, and their last activity."""
    rows = await db.fetch_all(
        "SELECT u.id, u.name, u.email, u.is_active, u.last_seen_at,"
        " COUNT(a.entry_id) AS assigned,"
        " SUM(CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END) AS submitted,"
        " MAX(s.updated_at) AS last_sheet"
        " FROM assignments a JOIN users u ON u.id = a.juror_id"
        " LEFT JOIN score_sheets s ON s.entry_id = a.entry_id AND s.juror_id = a.juror_id"
        " WHERE a.edition_id = ? GROUP BY u.id ORDER BY u.name COLLATE NOCASE, u.email",
        (edition_id,),
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


async def send_reminders(db: Database, mailer: Mailer, edition: Edition, *, now: datetime,
                         actor_id: int | None, base_url: str) -> tuple[list[str], list[str]]:
    """Remind every late juror once per day (the edition's day); returns (reminded, skipped)."""
    assert edition.id is not None
    since = start_of_local_day(now, edition.timezone)
    late = [juror for juror in await juror_progress(db, edition.id) if juror.is_late]
    reminded, skipped = [], []
    locales = {row["id"]: row["locale"] for row in await db.fetch_all(
        "SELECT id, locale FROM users WHERE id IN (SELECT juror_id FROM assignments"
        " WHERE edition_id = ?)", (edition.id,))}
    async with db.transaction() as conn:
        for juror in late:
            # Checked on the writer inside the transaction: two clicks at once send one reminder.
            cursor = await conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE kind = ? AND related_user_id = ?"
                " AND created_at >= ?",
                (REMINDER_KIND, juror.juror_id, to_iso(since)),
            )
            if (await cursor.fetchone())[0]:
                skipped.append(juror.email)
                continue
            await mailer.enqueue(conn, mailer.compose(
                REMINDER_KIND, juror.email,
                {"name": juror.name, "edition": edition, "submitted": juror.submitted,
                 "assigned": juror.assigned, "link": base_url.rstrip("/") + "/jury",
                 "days_left": days_left(now, edition.judging_ends_at, edition.timezone)},
                locale=locales.get(juror.juror_id, "en"), related_user_id=juror.juror_id,
            ))
            reminded.append(juror.email)
        if reminded:
            await audit.record(conn, now=now, actor_id=actor_id, action="jurors.reminded",
                               subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                               details={"reminded": len(reminded), "skipped": len(skipped)})
    if reminded:
        await mailer.flush()
    return reminded, skipped
