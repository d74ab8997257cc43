"""Messages the platform sends on its own account: composed here, kept by the store.

`send_reminders` is shared by the console's button and `prize remind YEAR`, so the
rule "never two reminders the same day to the same juror" lives in one place. The
SQL stays in `prize.store`; this module decides who hears what, and when.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from prize.domain.editions import Edition
from prize.domain.progress import days_left, start_of_local_day
from prize.mail import Mailer
from prize.settings import DEFAULT_TIMEZONE
from prize.store import audit, outbox, progress
from prize.store.db import Database

REMINDER_KIND = "reminder"


async def send_reminders(db: Database, mailer: Mailer, edition: Edition, *, now: datetime,
                         actor_id: int | None, base_url: str) -> tuple[list[str], list[str]]:
    """Remind every late juror once per day (the edition's day); returns (reminded, skipped)."""
    assert edition.id is not None
    since = start_of_local_day(now, edition.timezone)
    # The current round's work (a final round has its own assignment and deadline).
    late = [juror for juror in await progress.juror_progress(db, edition.id, edition.current_round)
            if juror.is_late]
    deadline = (edition.final_judging_ends_at if edition.current_round == 2
                else edition.judging_ends_at)
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
                 "days_left": days_left(now, deadline, edition.timezone)},
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


DIGEST_KIND = "discussion_digest"
#: A first digest, for someone who never had one, covers the day before.
FIRST_DIGEST_COVERS = timedelta(days=1)


async def send_digests(db: Database, mailer: Mailer, *, now: datetime, base_url: str,
                       timezone: str = DEFAULT_TIMEZONE) -> tuple[list[str], list[str]]:
    """Mail each person who wants it the comments written since their last digest on
    the entries whose discussion they may read (their own left out), once a day at most
    (the prize's day, in `timezone`); returns (sent to, already sent to today).

    Shared by `prize digest` (a daily cron). A comment someone could not read yet (a juror
    before submitting) is left for a later digest, once they may read it.
    """
    from prize.store import discussion

    since_midnight = start_of_local_day(now, timezone)
    sent, skipped = [], []
    for reader in await discussion.digest_readers(db):
        choice = await discussion.digest_choice(db, reader.id, reader.role)
        covered = choice.covered_until or now - FIRST_DIGEST_COVERS
        readable: dict[int, bool] = {}
        comments = []
        for comment in await discussion.comments_between(db, covered, now):
            if comment.author_id == reader.id:
                continue
            if comment.entry_id not in readable:
                readable[comment.entry_id] = await discussion.may_read(
                    db, reader.id, reader.role, comment.entry_id)
            if readable[comment.entry_id]:
                comments.append(comment)
        if not comments:
            continue
        async with db.transaction() as conn:
            # Checked on the writer inside the transaction: two runs at once send one digest.
            if await outbox.count_since(conn, kind=DIGEST_KIND, related_user_id=reader.id,
                                        since=since_midnight):
                skipped.append(reader.email)
                continue
            await mailer.enqueue(conn, mailer.compose(
                DIGEST_KIND, reader.email,
                {"name": reader.name, "threads": _threads(comments, base_url),
                 "count": len(comments), "link": base_url.rstrip("/") + "/jury/digest"},
                locale=reader.locale, related_user_id=reader.id))
            await discussion.mark_covered(conn, reader.id, reader.role, now)
        sent.append(reader.email)
    if sent:
        await mailer.flush()
    return sent, skipped


def _threads(comments: list, base_url: str) -> list[dict]:
    """The comments grouped by entry, in the order `comments_between` gives them."""
    from prize.store.discussion import thread_url

    threads: dict[int, dict] = {}
    for comment in comments:
        thread = threads.setdefault(comment.entry_id, {
            "reference": comment.reference, "title": comment.title, "comments": [],
            "link": base_url.rstrip("/") + thread_url(comment.entry_id)})
        thread["comments"].append(comment)
    return list(threads.values())
