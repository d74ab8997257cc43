"""One bad subject must not stop the mail, nor the site: against a real SMTP server.

A title pasted from a word processor carries line separators (U+2028, NEL, form
feed…) that Python's email package refuses in a header. Titles are folded to one line
when saved, every header is built on one line, a message that cannot go is marked
failed with its reason while the others go, and the site starts whatever the mail
server does.
"""

from __future__ import annotations

import socket
import sqlite3
import time

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from prize.mail import build_message
from prize.store import editions, outbox
from prize.web.app import create_app
from tests import factories, pg
from tests.conftest import Browser, MailCatcher, free_port

# Every character str.splitlines() breaks on, which is what the email package refuses.
SEPARATORS = ["\u2028", "\u2029", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\x1c", "\x1e"]
YEAR = 2026


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_every_header_is_built_on_one_line(separator):
    message = build_message(
        sender=f"Prize{separator}<no-reply@prize.invalid>", recipient=f"ana@example.org{separator}",
        subject=f"Invitation to the jury of the Prize{separator}2026", body="Hello\nAna\n")

    assert message["Subject"] == "Invitation to the jury of the Prize 2026"
    assert message["To"] == "ana@example.org"
    assert message["From"] == "Prize <no-reply@prize.invalid>"
    assert message.get_content() == "Hello\nAna\n"  # the body keeps its lines
    assert b"\r\n\r\n" in message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


async def _queue(db, clock, recipient: str, subject: str) -> int:
    async with db.transaction() as conn:
        return await outbox.enqueue(conn, kind="reminder", recipient=recipient, subject=subject,
                                    body="Hello.\n", now=clock())


async def test_a_subject_saved_with_a_line_separator_is_sent_and_the_others_follow(
        app, db, clock, mailbox):
    # A message kept before titles were cleaned, with a password reset queued behind it.
    await _queue(db, clock, "juror@example.org", "Reminder: Prize\u20282026")
    await _queue(db, clock, "reset@example.org", "Choose a new password")

    # (The flush the start-up began may have sent some already: the outcome is what counts.)
    await app.state.mailer.flush()

    assert [m["Subject"] for m in mailbox.to("juror@example.org")] == ["Reminder: Prize 2026"]
    assert len(mailbox.to("reset@example.org")) == 1
    assert not await outbox.pending(db)


class RefusingCatcher(MailCatcher):
    """Refuses one recipient, as a mail server refuses an address it does not know."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address == "refused@example.org":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


async def test_a_message_that_cannot_be_sent_is_marked_failed_and_the_others_go(
        tmp_path, clock):
    catcher = RefusingCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = factories.settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{controller.port}")
        app = create_app(settings, clock=clock)
        async with app.router.lifespan_context(app):
            db = app.state.db
            refused = await _queue(db, clock, "refused@example.org", "First")
            await _queue(db, clock, "next@example.org", "Second")

            await app.state.mailer.flush()

            assert [m["Subject"] for m in catcher.to("next@example.org")] == ["Second"]
            failed = next(m for m in await outbox.recent(db) if m.id == refused)
            assert failed.status == "failed"
            assert "No such user here" in (failed.error or "")
    finally:
        controller.stop()


async def test_a_message_given_up_is_not_tried_again(app, db, clock):
    message_id = await _queue(db, clock, "ana@example.org", "Hello")

    await outbox.mark(db, message_id, "failed", clock(), "ValueError: cannot be built",
                      give_up=True)

    assert not await outbox.pending(db)
    (kept,) = await outbox.recent(db)
    assert (kept.status, kept.error) == ("failed", "ValueError: cannot be built")


async def test_an_edition_title_pasted_with_line_separators_is_saved_on_one_line_and_mailed(
        admin_client, db, mailbox):
    edition = await factories.edition(db, year=YEAR, status="judging")
    pasted = "European Prize\u2028for Drug\r\nPrevention\x0b2026"

    saved = await admin_client.submit(f"/admin/editions/{YEAR}/edit", [
        ("title", pasted), ("theme", "Youth\u2029voices"), ("opens_at", "2025-10-01T09:00"),
        ("closes_at", "2026-05-30T23:59"), ("judging_ends_at", "2026-07-15T18:00"),
        ("jurors_per_entry", "3"), ("spread_threshold", "25"), ("eligible_countries", "FR")])
    invited = await admin_client.submit(f"/admin/editions/{YEAR}/jury/invite",
                                        {"name": "Ana", "email": "ana@example.org"},
                                        token_from=f"/admin/editions/{YEAR}/jury")

    assert saved.status_code == 303
    stored = await editions.get(db, edition.id)
    assert (stored.title, stored.theme) == (
        "European Prize for Drug Prevention 2026", "Youth voices")
    assert invited.status_code == 303
    (mail,) = mailbox.to("ana@example.org")
    assert mail["Subject"] == (
        "Invitation to the jury of the European Prize for Drug Prevention 2026")


def _silent_smtp_server() -> tuple[socket.socket, int]:
    """A port that takes the connection and never answers: a mail server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener, listener.getsockname()[1]


async def test_the_site_starts_while_the_mail_server_hangs(tmp_path, clock):
    listener, port = _silent_smtp_server()
    try:
        settings = factories.settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{port}")
        first = create_app(settings, clock=clock)
        async with first.router.lifespan_context(first):
            await _queue(first.state.db, clock, "ana@example.org", "Left from before")

        # The restart: the message is still pending and the mail server does not answer.
        restarted = create_app(settings, clock=clock)
        started = time.monotonic()
        async with restarted.router.lifespan_context(restarted):
            assert time.monotonic() - started < 3
            async with Browser.for_app(restarted) as browser:
                assert (await browser.get("/healthz")).status_code == 200
    finally:
        listener.close()


async def test_a_failed_start_up_closes_the_database(tmp_path, clock):
    # A table the first migration wants to create is there already: migrating fails.
    if pg.ENABLED:
        # A database of its own whose migrations are forgotten: 0001 meets its own tables.
        settings = factories.settings(tmp_path, db_path=None, db_url=pg.own_database())
        conn = await asyncpg.connect(settings.db_url)
        try:
            await conn.execute("DELETE FROM schema_migrations")
        finally:
            await conn.close()
        refusal = asyncpg.DuplicateTableError
    else:
        settings = factories.settings(tmp_path)
        with sqlite3.connect(settings.db_path) as conn:
            conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        refusal = sqlite3.OperationalError
    app = create_app(settings, clock=clock)

    with pytest.raises(refusal):
        async with app.router.lifespan_context(app):
            pass  # pragma: no cover (never reached)

    # No connection is left open, so no thread of one (or no pooled connection to the
    # server) keeps the process alive.
    if pg.ENABLED:
        assert app.state.db._pool is None
    else:
        assert app.state.db._writer is None and app.state.db._reader is None
