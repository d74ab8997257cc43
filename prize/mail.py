"""Outgoing email: rendered in the recipient's language, kept in the outbox, then sent.

A message is written to the outbox in the same transaction as the change it
reports, and delivered after the commit by `Mailer.flush()`. Without
PRIZE_SMTP_URL the message stays in the outbox and a line is logged (no
personal data in it); with it, aiosmtplib delivers and failures are retried.
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
from prize.i18n import use_locale
from prize.settings import Settings
from prize.store import outbox
from prize.store.db import Database

log = logging.getLogger("prize.mail")


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
        subject = first.removeprefix("Subject:").strip()
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
                    log.info(
                        "mail kept in outbox (no PRIZE_SMTP_URL): #%s %s", message.id, message.kind
                    )
                    await outbox.mark(self.db, message.id, "logged", self.clock())
                    continue
                try:
                    await self._deliver(message.recipient, message.subject, message.body)
                except (aiosmtplib.SMTPException, OSError) as error:
                    log.warning("mail #%s not sent: %s", message.id, type(error).__name__)
                    await outbox.mark(self.db, message.id, "failed", self.clock(), str(error)[:500])
                else:
                    await outbox.mark(self.db, message.id, "sent", self.clock())
                    delivered += 1
            return delivered

    async def _deliver(self, recipient: str, subject: str, body: str) -> None:
        url = urlsplit(self.settings.smtp_url or "")
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = recipient
        message["Subject"] = subject
        message.set_content(body)
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
