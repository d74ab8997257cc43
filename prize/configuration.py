"""What the secretariat configures, held in memory: the prize's identity and the email
texts it changed. Pages and emails read it on every render, so it is never read from the
database then: `refresh()` reloads it only when the database's public version moved (the
identity and email-text tables bump it, migration 0055), which costs no I/O otherwise and
also catches the writes of other processes. A write here calls `reload()` at once.
"""

from __future__ import annotations

from prize.domain import email_texts
from prize.domain.identity import DEFAULT_IDENTITY, Identity
from prize.i18n import current_locale
from prize.store import identity as store
from prize.store.db import Database


class Configuration:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.identity: Identity = DEFAULT_IDENTITY
        # (edition_id or None, kind, locale) → (subject, body)
        self.texts: dict[tuple[int | None, str, str], tuple[str, str]] = {}
        self._version: int | None = None

    async def refresh(self) -> None:
        version = await self.db.public_version()
        if version != self._version:
            await self._load(version)

    async def reload(self) -> None:
        await self._load(await self.db.public_version())

    async def _load(self, version: int) -> None:
        self.identity = await store.get(self.db)
        self.texts = {(text.edition_id, text.kind, text.locale): (text.subject, text.body)
                      for text in await store.all_texts(self.db)}
        self._version = version

    # What templates read (the `site` global) ----------------------------------------

    @property
    def name(self) -> str:
        return self.identity.localized_name(current_locale())

    @property
    def short_name(self) -> str:
        return self.identity.localized_short_name(current_locale())

    @property
    def organiser(self) -> str:
        return self.identity.localized_organiser(current_locale())

    # Email texts -------------------------------------------------------------------

    def text_of(self, kind: str, locale: str, edition_id: int | None) -> tuple[str, str, bool]:
        """(subject, body, changed): the secretariat's text of the message, else its default."""
        message = email_texts.MESSAGES[kind]
        key = (edition_id if message.edition else None, kind, locale)
        if key in self.texts:
            subject, body = self.texts[key]
            return subject, body, True
        return message.subject[locale], message.body[locale], False
