"""The prize's identity: its names, the prefix of entry references, who organises it.

Data the secretariat edits (/admin/identity), read by every page title and header, every
email's signature, the Atom feed, the Open Graph tags and the demo. The defaults are the
real prize's (see ../shared/DOMAIN-FACTS.md); the French name is the Council of Europe's
own, « Prix européen de la prévention des drogues ».
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator

from prize.domain.text import OneLine
from prize.i18n import current_locale, gettext

PREFIX = re.compile(r"[A-Z][A-Z0-9]{1,9}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Identity(BaseModel):
    name: OneLine = Field(min_length=1, max_length=150)
    name_fr: OneLine = Field(min_length=1, max_length=150)
    short_name: OneLine = Field(min_length=1, max_length=60)
    short_name_fr: OneLine = Field(min_length=1, max_length=60)
    reference_prefix: OneLine = Field(min_length=2, max_length=10)
    organiser: OneLine = Field(min_length=1, max_length=200)
    organiser_fr: OneLine = Field(min_length=1, max_length=200)
    contact_email: OneLine = Field(min_length=3, max_length=254)
    privacy_url: OneLine = Field(default="", max_length=500)

    @field_validator("reference_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        value = value.upper()
        if not PREFIX.fullmatch(value):
            raise ValueError(gettext(
                "Use 2 to 10 capital letters or digits, starting with a letter, like EDPP."))
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.fullmatch(value):
            raise ValueError(gettext("Enter an email address like name@example.org."))
        return value

    @field_validator("privacy_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not (value.startswith(("https://", "http://")) or
                          (value.startswith("/") and not value.startswith("//"))):
            raise ValueError(gettext(
                "Enter a web address starting with https://, or a path of this site"
                " starting with /."))
        return value

    def localized_name(self, locale: str | None = None) -> str:
        return self.name_fr if (locale or current_locale()) == "fr" else self.name

    def localized_short_name(self, locale: str | None = None) -> str:
        return self.short_name_fr if (locale or current_locale()) == "fr" else self.short_name

    def localized_organiser(self, locale: str | None = None) -> str:
        return self.organiser_fr if (locale or current_locale()) == "fr" else self.organiser

    def reference(self, year: int, number: int) -> str:
        """An entry's reference: EDPP-2027-0042."""
        return f"{self.reference_prefix}-{year}-{number:04d}"

    def edition_title(self, year: int, locale: str) -> str:
        """The default title of an edition: "European Prize for Drug Prevention 2027"."""
        return f"{self.localized_name(locale)} {year}"


DEFAULT_IDENTITY = Identity(
    name="European Prize for Drug Prevention",
    name_fr="Prix européen de la prévention des drogues",
    short_name="Drug Prevention Prize",
    short_name_fr="Prix de la prévention des drogues",
    reference_prefix="EDPP",
    organiser="Pompidou Group, Council of Europe",
    organiser_fr="Groupe Pompidou, Conseil de l’Europe",
    contact_email="secretariat@prize.invalid",
    privacy_url="/privacy",
)
