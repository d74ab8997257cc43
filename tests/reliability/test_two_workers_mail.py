"""Two workers flushing the one outbox at once send each message once, not twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from prize.store import outbox
from prize.web.app import create_app


@pytest.fixture
async def other_worker(settings, clock) -> AsyncIterator:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


async def queue(db, clock, recipient: str, subject: str) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue(conn, kind="reminder", recipient=recipient, subject=subject,
                             body="Hello.\n", now=clock())


async def test_two_workers_flushing_together_send_each_message_once(app, other_worker, db,
                                                                    clock, mailbox):
    # Given three messages waiting, which both workers read as pending
    for n in range(3):
        await queue(db, clock, f"juror{n}@example.org", f"Reminder {n}")
    # When both flush at the same moment
    sent = await asyncio.gather(app.state.mailer.flush(), other_worker.state.mailer.flush())
    # Then each message went out once, and each is marked sent after one attempt
    assert sum(sent) == 3
    assert sorted(message["Subject"] for message in mailbox.messages) == [
        "Reminder 0", "Reminder 1", "Reminder 2"]
    kept = await outbox.recent(db)
    assert {(message.status, message.attempts) for message in kept} == {("sent", 1)}


async def test_a_kept_message_counts_one_attempt_and_cannot_be_claimed_again(
        app, db, clock):
    # No SMTP server in these settings: each message is logged, one attempt each
    await queue(db, clock, "ana@example.org", "Hello")
    assert await app.state.mailer.flush() == 0
    (message,) = await outbox.recent(db)
    assert (message.status, message.attempts) == ("logged", 1)
    # A claim on a message read before it went is refused
    assert not await outbox.claim(db, message)
