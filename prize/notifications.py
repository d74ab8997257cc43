"""Messages the platform sends on its own account: composed here, kept by the store.

`send_reminders` is shared by the console's button and `prize remind YEAR`, so the
rule "never two reminders the same day to the same juror" lives in one place. The
SQL stays in `prize.store`; this module decides who hears what, and when.
"""

from __future__ import annotations

from datetime import datetime

from prize.domain.editions import Edition
from prize.domain.progress import days_left, start_of_local_day
from prize.mail import Mailer
from prize.store import audit, outbox, progress
from prize.store.db import Database

REMINDER_KIND = "reminder"


async def send_reminders(db: Database, mailer: Mailer, edition: Edition, *, now: datetime,
                         actor_id: int | None, base_url: str) -> tuple[list[str], list[str]]:
    """Remind every late juror once per day (the edition's day); returns (reminded, skipped)."""
    assert edition.id is not None
    since = start_of_local_day(now, edition.timezone)
    late = [juror for juror in await progress.juror_progress(db, edition.id) if juror.is_late]
    reminded, skipped = [], []
    locales = await progress.juror_locales(db, edition.id)
    async with db.transaction() as conn:
        for juror in late:
            # Checked on the writer inside the transaction: two clicks at once send one reminder.
            if await outbox.count_since(conn, kind=REMINDER_KIND, related_user_id=juror.juror_id,
                                        since=since):
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
