"""Outgoing email: rendered in the recipient's language, kept in the outbox, then sent.

A message is written to the outbox in the same transaction as the change it
reports, and delivered after the commit by `Mailer.flush()`. Without
PRIZE_SMTP_URL the message stays in the outbox and a line is logged (no
personal data in it); with it, aiosmtplib delivers and failures are retried.

One message never holds back the others: one that cannot be built or sent is marked
failed with its reason, and the flush goes on with the next. Every header goes through
`build_message`, which keeps it on one line whatever the text it was made from.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment

from prize.clock import Clock
from prize.domain.text import one_line
from prize.i18n import use_locale
from prize.settings import Settings
from prize.store import outbox
from prize.store.db import Database

log = logging.getLogger("prize.mail")


def build_message(*, sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    """The message as it goes out, each header on one line (see `prize.domain.text`).

    Raises ValueError (the email package's own) if a header still cannot be written,
    e.g. an address it cannot parse.
    """
    message = EmailMessage()
    message["From"] = one_line(sender)
    message["To"] = one_line(recipient)
    message["Subject"] = one_line(subject)
    message.set_content(body)
    return message


@dataclass(frozen=True)
class Email:
    kind: str
    recipient: str
    subject: str
    body: str
    related_user_id: int | None = None


class Mailer:
    def __init__(self, db: Database, settings: Settings, templates: Environment, clock: Clock):
        self.db = db
        self.settings = settings
        self.templates = templates
        self.clock = clock
        self._lock = asyncio.Lock()

    def compose(
        self,
        kind: str,
        recipient: str,
        context: dict[str, Any],
        *,
        locale: str = "en",
        related_user_id: int | None = None,
    ) -> Email:
        """Render templates/email/<kind>.txt, whose first line is 'Subject: …'."""
        with use_locale(locale):
            text = self.templates.get_template(f"email/{kind}.txt").render(
                base_url=self.settings.base_url, **context
            )
        first, _, body = text.partition("\n")
        subject = one_line(first.removeprefix("Subject:"))
        return Email(kind, recipient, subject, body.strip() + "\n", related_user_id)

    async def enqueue(self, conn, email: Email) -> int:
        """Keep the message inside the caller's transaction; `flush()` sends it after."""
        return await outbox.enqueue(
            conn,
            kind=email.kind,
            recipient=email.recipient,
            subject=email.subject,
            body=email.body,
            now=self.clock(),
            related_user_id=email.related_user_id,
        )

    async def send_now(self, email: Email) -> None:
        async with self.db.transaction() as conn:
            await self.enqueue(conn, email)
        await self.flush()

    async def flush(self) -> int:
        """Deliver what waits in the outbox; returns how many went out."""
        async with self._lock:
            delivered = 0
            for message in await outbox.pending(self.db):
                if not self.settings.smtp_url:
                    # The subject and the recipient's role, never the address: enough to
                    # find the message with `prize outbox --show ID`.
                    log.info(
                        "mail kept in outbox (no PRIZE_SMTP_URL): #%s %s to %s: %r"
                        " (read it with: prize outbox --show %s)", message.id, message.kind,
                        message.recipient_role or "a person without an account",
                        message.subject, message.id,
                    )
                    await outbox.mark(self.db, message.id, "logged", self.clock())
                    continue
                try:
                    email = build_message(sender=self.settings.mail_from,
                                          recipient=message.recipient,
                                          subject=message.subject, body=message.body)
                except ValueError as error:
                    # Trying again would build the same refusal: given up at once.
                    await self._failed(message.id, error, give_up=True)
                    continue
                try:
                    await self._deliver(email)
                except (aiosmtplib.SMTPException, OSError, ValueError) as error:
                    await self._failed(message.id, error, give_up=False)
                else:
                    await outbox.mark(self.db, message.id, "sent", self.clock())
                    delivered += 1
            return delivered

    async def _failed(self, message_id: int, error: Exception, *, give_up: bool) -> None:
        # The type only in the log (the text may hold an address); the reason in the outbox.
        log.warning("mail #%s not sent: %s", message_id, type(error).__name__)
        reason = f"{type(error).__name__}: {error}"[:500]
        await outbox.mark(self.db, message_id, "failed", self.clock(), reason, give_up=give_up)

    async def _deliver(self, message: EmailMessage) -> None:
        url = urlsplit(self.settings.smtp_url or "")
        await aiosmtplib.send(
            message,
            hostname=url.hostname or "localhost",
            port=url.port or (465 if url.scheme == "smtps" else 25),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_tls=url.scheme == "smtps",
            start_tls=url.scheme == "smtp+starttls",
            timeout=15,
        )
