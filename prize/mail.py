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
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment, TemplateError

from prize.clock import Clock
from prize.configuration import Configuration
from prize.domain import email_texts
from prize.domain.editions import Edition
from prize.domain.text import one_line
from prize.i18n import current_locale, format_moment, use_locale
from prize.settings import DEFAULT_TIMEZONE, Settings
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
    def __init__(self, db: Database, settings: Settings, templates: Environment, clock: Clock,
                 config: Configuration | None = None):
        self.db = db
        self.settings = settings
        self.templates = templates
        self.clock = clock
        # The prize's identity and the secretariat's email texts (see prize.configuration);
        # the web app shares its own, a command refreshes this one before composing.
        self.config = config or Configuration(db)
        self._lock = asyncio.Lock()

    def compose(
        self,
        kind: str,
        recipient: str,
        context: dict[str, Any],
        *,
        locale: str = "en",
        related_user_id: int | None = None,
        text: tuple[str, str] | None = None,
    ) -> Email:
        """The message `kind` (prize.domain.email_texts) for one recipient, wholly in the
        recipient's language: the edition's title, dates and outcomes are worked out here,
        under `locale`, never in the language of the person whose action sends it.

        The subject and body are the secretariat's text for the edition (or the default),
        or `text` (subject, body) for a preview of a text not saved yet. The signature is
        added to every message. A kind without a text in the catalogue falls back to a file
        template templates/email/<kind>.txt whose first line is 'Subject: …'.
        """
        if locale not in email_texts.LOCALES:
            locale = "en"
        with use_locale(locale):
            if kind not in email_texts.MESSAGES:
                return self._compose_file(kind, recipient, context, related_user_id)
            values = self.placeholder_values(kind, context, locale)
            edition = context.get("edition")
            edition_id = edition.id if isinstance(edition, Edition) else None
            subject_source, body_source = (
                text or self.config.text_of(kind, locale, edition_id)[:2])
            try:
                subject = email_texts.render_subject(subject_source, values)
                body = email_texts.render(body_source, values)
            except (TemplateError, TypeError, ValueError, ArithmeticError) as error:
                # Checked at save, so this is rare (a value of an unexpected kind): the
                # default text goes out rather than no message at all.
                log.warning("email text %s (%s) could not be filled in: %s; default sent",
                            kind, locale, type(error).__name__)
                message = email_texts.MESSAGES[kind]
                subject = email_texts.render_subject(message.subject[locale], values)
                body = email_texts.render(message.body[locale], values)
            body = body.strip() + "\n\n" + self.signature(locale) + "\n"
        return Email(kind, recipient, subject, body, related_user_id)

    def sender(self) -> str:
        """The From header: the prize's name (its identity) before the platform's address,
        unless PRIZE_MAIL_FROM gave a name of its own."""
        name, address = parseaddr(self.settings.mail_from)
        if name and name != parseaddr(Settings.mail_from)[0]:
            return self.settings.mail_from
        return formataddr((self.config.identity.name, address))

    def signature(self, locale: str) -> str:
        """The end of every email: the secretariat, the organiser and how to reach them."""
        identity = self.config.identity
        locale = locale if locale in email_texts.LOCALES else "en"
        text = email_texts.SIGNATURE[locale].format(
            prize=identity.localized_name(locale),
            organiser=identity.localized_organiser(locale), contact=identity.contact_email)
        if identity.privacy_url:
            url = identity.privacy_url
            if url.startswith("/"):
                url = self.settings.base_url.rstrip("/") + url
            text += "\n" + email_texts.PRIVACY_LINE[locale].format(link=url)
        return text

    def placeholder_values(self, kind: str, context: dict[str, Any], locale: str) -> dict[str, Any]:
        """The placeholders of message `kind`, worked out in `locale` from what the caller
        knows (an Edition, UTC datetimes, an entry's status, its sections…)."""
        message = email_texts.MESSAGES[kind]
        identity = self.config.identity
        base_url = self.settings.base_url.rstrip("/")
        edition = context.get("edition")
        zone = edition.timezone if isinstance(edition, Edition) else DEFAULT_TIMEZONE
        with use_locale(locale):
            values: dict[str, Any] = {
                "prize": identity.localized_name(locale), "contact": identity.contact_email,
                "login_link": base_url + "/login", "reset_link": base_url + "/password/forgot",
            }
            for key, value in context.items():
                if isinstance(value, datetime):
                    value = format_moment(value, zone)
                values[key] = value
            if isinstance(edition, Edition):
                scope = getattr(edition, "localized_scope", None)
                values.update(
                    edition=edition.localized_title(), year=edition.year,
                    theme=edition.localized_theme(),
                    scope=scope() if callable(scope) else "",
                    deadline=format_moment(edition.closes_at, zone),
                    judging_ends=format_moment(edition.judging_ends_at, zone),
                    call_link=f"{base_url}/editions/{edition.year}",
                )
            status = context.get("status")
            if kind == "results":
                values["outcome"] = str(status or context.get("outcome") or "")
                values["consent"] = bool(context.get("consent"))
            if kind == "eligibility_result":
                values["eligible"] = str(status) == "eligible" if status else bool(
                    context.get("eligible"))
            if kind == "assignment_released":
                assigned = context.get("entries") or []
                if isinstance(assigned, list | tuple):
                    values["count"] = len(assigned)
                    values["entries"] = "\n".join(
                        f"- {entry.reference} ({entry.title})" for entry in assigned)
            if kind == "entry_submitted" and "sections" in context:
                values["entry_copy"] = self.templates.get_template(
                    "email/_entry_copy.txt").render(
                        sections=context["sections"],
                        attachments=context.get("attachments") or []).strip()
            if kind == "discussion_digest" and "threads" in context:
                values["comments"] = self.templates.get_template(
                    "email/_digest_comments.txt").render(threads=context["threads"]).strip()
            if kind == "reminder" and values.get("days_left") is None:
                values["days_left"] = ""
        return {name: values.get(name, "") for name in message.names}

    def _compose_file(self, kind: str, recipient: str, context: dict[str, Any],
                      related_user_id: int | None) -> Email:
        text = self.templates.get_template(f"email/{kind}.txt").render(
            base_url=self.settings.base_url, **context
        )
        first, _, body = text.partition("\n")
        subject = one_line(first.removeprefix("Subject:"))
        locale = current_locale()
        return Email(kind, recipient, subject,
                     body.strip() + "\n\n" + self.signature(locale) + "\n", related_user_id)

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
                # The lock above keeps this process's flushes apart; the claim keeps apart
                # those of other processes (several workers, a CLI command).
                if not await outbox.claim(self.db, message):
                    continue
                if not self.settings.smtp_url:
                    # The subject and the recipient's role, never the address: enough to
                    # find the message with `prize outbox --show ID`.
                    log.info(
                        "mail kept in outbox (no PRIZE_SMTP_URL): #%s %s to %s: %r"
                        " (read it with: prize outbox --show %s)", message.id, message.kind,
                        message.recipient_role or "a person without an account",
                        message.subject, message.id,
                    )
                    await outbox.mark(self.db, message.id, "logged", self.clock(), claimed=True)
                    continue
                try:
                    email = build_message(sender=self.sender(),
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
                    await outbox.mark(self.db, message.id, "sent", self.clock(), claimed=True)
                    delivered += 1
            return delivered

    async def _failed(self, message_id: int, error: Exception, *, give_up: bool) -> None:
        # The type only in the log (the text may hold an address); the reason in the outbox.
        log.warning("mail #%s not sent: %s", message_id, type(error).__name__)
        reason = f"{type(error).__name__}: {error}"[:500]
        await outbox.mark(self.db, message_id, "failed", self.clock(), reason,
                          give_up=give_up, claimed=True)

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
