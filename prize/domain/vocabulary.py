"""The words of prevention practice used in forms, facets and the catalogue.

Keys are stored; labels are shown (through gettext where they are rendered).
"""

from __future__ import annotations

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
    "delivery": N_("Delivery"),
    "evaluation": N_("Evaluation"),
    "decisions": N_("Decision-making structures"),
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


def country_name(code: str) -> str:
    """The country's name in the current language (Babel's CLDR data)."""
    territories = Locale.parse(current_locale()).territories
    return territories.get(code.upper(), code)


def country_choices(
    codes: tuple[str, ...] | list[str] = ELIGIBLE_COUNTRIES,
) -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


# CLDR lists regions that are not countries under two-letter codes too.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})
COUNTRY_CODES = frozenset(
    code
    for code in Locale.parse("en").territories
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)


def is_country_code(code: str) -> bool:
    return code.upper() in COUNTRY_CODES
