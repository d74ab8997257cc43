"""Translation of every user-facing string, chosen per request.

The active locale lives in a context variable so that templates, emails and
validation messages all follow the person being served, without passing it around.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_timezone_location
from babel.support import NullTranslations, Translations

LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"

#: The Babel locale that formats dates and numbers for each of our languages: European
#: English ("30 May 2027, 23:59"), not Babel's default US English ("May 30, 2027").
FORMAT_LOCALES = {"en": "en_GB", "fr": "fr_FR"}

#: The one way a date and a date-time are written, in both languages: day month year,
#: 24-hour clock, never seconds or a UTC offset (the zone is named in words after it).
DATE_PATTERN = "d MMMM y"
DATETIME_PATTERN = "d MMMM y, HH:mm"

#: Zones named after a city other than the one in their IANA name: the prize is the
#: Council of Europe's, so Europe/Paris (the default) is Strasbourg's time.
ZONE_CITIES = {"Europe/Paris": "Strasbourg"}

_current = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> contextvars.Token:
    return _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Render something (an email, say) in another person's language."""
    token = set_locale(locale)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_current.get()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def format_locale() -> str:
    """The Babel locale for dates and numbers in the current language."""
    return FORMAT_LOCALES.get(current_locale(), FORMAT_LOCALES[DEFAULT_LOCALE])


def zone_name(timezone: str) -> str:
    """The edition's time zone as people say it: "Strasbourg time", « heure de Strasbourg »."""
    if timezone == "Europe/Paris":
        return gettext("Strasbourg time")
    if timezone in ("UTC", "Etc/UTC"):
        return "UTC"
    city = ZONE_CITIES.get(timezone) or get_timezone_location(
        ZoneInfo(timezone), locale=format_locale(), return_city=True)
    return gettext("%(city)s time") % {"city": city}


def format_moment(moment: datetime | None, timezone: str, *, zone: bool = True) -> str:
    """A UTC time in the edition's zone: "30 May 2027, 23:59 (Strasbourg time)"."""
    if moment is None:
        return ""
    text = format_datetime(moment, DATETIME_PATTERN, tzinfo=ZoneInfo(timezone),
                           locale=format_locale())
    return f"{text} ({zone_name(timezone)})" if zone else text


def format_day(value: date | datetime | None, timezone: str) -> str:
    """A date, or the day of a UTC time in the edition's zone: "30 May 2027"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(timezone)).date()
    return format_date(value, DATE_PATTERN, locale=format_locale())


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header."""
    if not accept_language:
        return DEFAULT_LOCALE
    weighted = []
    for index, part in enumerate(accept_language.split(",")):
        piece = part.strip().split(";")
        tag = piece[0].strip().lower().split("-")[0]
        quality = 1.0
        for param in piece[1:]:
            name, _sep, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weighted.append((-quality, index, tag))
    for _q, _i, tag in sorted(weighted):
        if tag in LOCALES:
            return tag
    return DEFAULT_LOCALE
