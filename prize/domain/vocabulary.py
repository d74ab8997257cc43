"""The words of prevention practice used in forms, facets and the catalogue.

Keys are stored; labels are shown (through gettext where they are rendered).
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale

from prize.i18n import N_, current_locale, gettext

ORGANISATION_TYPES = {
    "ngo": N_("NGO or association"),
    "school": N_("School or university"),
    "youth_group": N_("Youth group"),
    "municipality": N_("Municipality or regional authority"),
    "health_service": N_("Health service"),
    "police": N_("Police or law enforcement"),
    "other": N_("Other"),
}

SETTINGS = {
    "school": N_("School"),
    "family": N_("Family"),
    "community": N_("Community"),
    "nightlife": N_("Leisure and nightlife"),
    "online": N_("Online and media"),
    "workplace": N_("Workplace"),
    "criminal_justice": N_("Criminal justice and policing"),
    "health_care": N_("Health care"),
    "sport": N_("Sport"),
}

LEVELS = {
    "environmental": N_("Environmental"),
    "universal": N_("Universal"),
    "selective": N_("Selective"),
    "indicated": N_("Indicated"),
}

TARGET_GROUPS = {
    "children": N_("Children (under 12)"),
    "young_adolescents": N_("Young adolescents (12–14)"),
    "adolescents": N_("Adolescents (15–17)"),
    "young_adults": N_("Young adults (18–25)"),
    "parents": N_("Parents and carers"),
    "professionals": N_("Professionals"),
}

SUBSTANCES = {
    "alcohol": N_("Alcohol"),
    "tobacco": N_("Tobacco and nicotine"),
    "cannabis": N_("Cannabis"),
    "illegal_drugs": N_("Other illegal drugs"),
    "volatile": N_("Volatile substances"),
    "medicines": N_("Misused medicines"),
    "behaviours": N_("Gambling, gaming and other behaviours"),
}

PARTICIPATION_STAGES = {
    "needs": N_("Needs assessment"),
    "design": N_("Design and planning"),
    "delivery": N_("Running the activities (delivery)"),
    "evaluation": N_("Evaluation"),
    "decisions": N_("Decision-making bodies (board, steering group)"),
}

LANGUAGES = {"en": N_("English"), "fr": N_("French")}

# The Pompidou Group's member states, with the MedNET countries, as ISO 3166-1 alpha-2.
ELIGIBLE_COUNTRIES = (
    "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "DZ", "EE", "EG",
    "ES", "FI", "FR", "GB", "GE", "GR", "HR", "HU", "IE", "IL", "IS", "IT", "JO", "LB", "LI",
    "LT", "LU", "LV", "MA", "MC", "MD", "ME", "MK", "MT", "MX", "NL", "NO", "PL", "PT", "RO",
    "RS", "SE", "SI", "SK", "SM", "TN", "TR", "UA",
)  # fmt: skip


def label(vocabulary: dict[str, str], key: str) -> str:
    """The translated label of a key of a form vocabulary, or the key itself when unknown.

    Statuses, roles and events are not form vocabularies: see :mod:`prize.domain.labels`.
    """
    return gettext(vocabulary[key]) if key in vocabulary else key


@functools.cache
def _territories(locale: str) -> dict[str, str]:
    """Babel's names of territories in ``locale``, looked up once per language (parsing
    the locale on each call cost more than a whole card of the catalogue)."""
    return dict(Locale.parse(locale).territories)


def country_name(code: str) -> str:
    """The country's name in the current language (Babel's CLDR data)."""
    return _territories(current_locale()).get(code.upper(), code)


@functools.lru_cache(maxsize=4096)
def name_order(name: str) -> tuple[str, str]:
    """A sort key for names in the page's language: accents and case count only to break
    ties, as in a dictionary ('Égypte' between 'Danemark' and 'Espagne', not after 'Z')."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return base, name


def countries_by_name(codes) -> list[str]:
    """Country codes ordered by their names in the current language."""
    return sorted(dict.fromkeys(codes), key=lambda code: name_order(country_name(code)))


@functools.lru_cache(maxsize=8)
def all_countries_by_name(locale: str) -> tuple[str, ...]:
    """Every country code in the order of its name in ``locale`` (sorting by country)."""
    territories = _territories(locale)
    return tuple(sorted(COUNTRY_CODES,
                        key=lambda code: name_order(territories.get(code, code))))


def country_choices(
    codes: tuple[str, ...] | list[str] = ELIGIBLE_COUNTRIES,
) -> list[tuple[str, str]]:
    return [(code, country_name(code)) for code in countries_by_name(codes)]


# CLDR lists regions that are not countries under two-letter codes too.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})
COUNTRY_CODES = frozenset(
    code
    for code in Locale.parse("en").territories
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)


def is_country_code(code: str) -> bool:
    return code.upper() in COUNTRY_CODES
