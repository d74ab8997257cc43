"""Published good practices: slugs, catalogue queries, full-text search terms, workflow.

Pure: no I/O. The store turns a `CatalogueQuery` into SQL; the web layer turns
query-string parameters into a `CatalogueQuery` (or a 400 with a readable reason).

Publication workflow
====================

The public page of an awarded or shortlisted entry, from the secretariat's draft to the
catalogue. Every change of status goes through :func:`next_status`, which either says where
the practice goes or raises :class:`~prize.domain.transitions.TransitionRefused` with a
translated sentence.

::

    draft ──► awaiting_applicant ──► approved ──► published ◄──► unpublished
      ▲               │  ▲   │ resend
      └───────────────┘  └───┘
        request_changes, recall

===============  =====================  ==================  ===============================
transition       from                   to                  who
===============  =====================  ==================  ===============================
send             draft                  awaiting_applicant  secretariat (with an email)
approve          awaiting_applicant     approved            applicant
request_changes  awaiting_applicant     draft               applicant (with a note)
recall           awaiting_applicant     draft               secretariat (to edit again)
resend           awaiting_applicant     awaiting_applicant  secretariat (the email again)
publish          approved, unpublished  published           secretariat
unpublish        published              unpublished         secretariat
===============  =====================  ==================  ===============================

"Send" saves the secretariat's edits first (one form), so the applicant approves the words
on the screen. On approving, the applicant may choose one of the entry's images for the
public page and must then describe it (its alt text): :class:`PublicPhotoChoice`.

The secretariat may edit the text while it is draft, approved or unpublished
(``PracticeStatus.EDITABLE``); an approved or unpublished text that is edited goes back to
draft, because the applicant has not seen the new words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from prize.domain import vocabulary as voc
from prize.domain.labels import label
from prize.domain.statuses import EntryStatus, PracticeStatus
from prize.domain.text import OneLine
from prize.domain.transitions import TransitionRefused, either
from prize.i18n import N_, gettext

__all__ = [
    "PRACTICE_TRANSITIONS",
    "BadQuery",
    "CatalogueQuery",
    "Figures",
    "PublicPhotoChoice",
    "PublicText",
    "TransitionRefused",
    "bad_query_message",
    "fold",
    "fts_match",
    "key_facts_from",
    "may_publish_entry",
    "next_status",
    "parse_catalogue_query",
    "search_terms",
    "slugify",
]

SortName = Literal["relevance", "newest", "title", "country"]

SORTS = {
    "relevance": N_("Relevance"),
    "newest": N_("Newest first"),
    "title": N_("Title"),
    "country": N_("Country"),
}
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_PAGE = 10_000

# Words that carry no meaning in a search; dropped unless the query has nothing else.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
    "on", "or", "the", "to", "with", "au", "aux", "de", "des", "du", "en", "et", "la", "le",
    "les", "ou", "pour", "sur", "un", "une",
})
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Prévention' → 'prevention'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def slugify(title: str, max_length: int = 80) -> str:
    """A readable URL part made of a-z, 0-9 and hyphens; never empty."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "practice"


def search_terms(q: str) -> list[str]:
    """The words of a search, folded, stop words dropped, at most MAX_TERMS."""
    words = [fold(word) for word in _WORD.findall(q)]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return list(dict.fromkeys(meaningful or words))[:MAX_TERMS]


def fts_match(terms: list[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression where every term is a quoted string, never syntax.

    Quoting makes `AND`, `NEAR(`, `*` or a stray quote plain words to look for. Each
    term is a prefix (`"preven"*`): a visitor typing "preven" finds "prévention", as on
    PostgreSQL (see prize_search_query in its migration 0040).
    """
    quoted = ['"' + term.replace('"', '""') + '"*' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


class CatalogueQuery(BaseModel):
    """What a visitor asks of the catalogue; every field is validated."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    q: str | None = Field(default=None, max_length=MAX_QUERY_CHARS)
    country: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    setting: str | None = None
    level: str | None = None
    target_group: str | None = None
    substance: str | None = None
    """A key of substances and behaviours: the platform's or one an edition added (which
    keys exist is the store's to say; here only its shape is checked)."""
    award: str | None = None
    """One of ``EntryStatus.PUBLISHABLE``: winner, special mention, shortlisted."""
    sort: SortName | None = None
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def _blank_query(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None

    @field_validator("award")
    @classmethod
    def _award(cls, value: str | None) -> str | None:
        if value is not None and value not in EntryStatus.PUBLISHABLE:
            raise ValueError("must be one of " + ", ".join(EntryStatus.PUBLISHABLE))
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"[A-Za-z]{2}", value) or not voc.is_country_code(value):
            raise ValueError("must be an ISO 3166-1 alpha-2 country code, for example PL")
        return value.upper()

    @field_validator("setting")
    @classmethod
    def _setting(cls, value: str | None) -> str | None:
        return _known(value, voc.SETTINGS)

    @field_validator("level")
    @classmethod
    def _level(cls, value: str | None) -> str | None:
        return _known(value, voc.LEVELS)

    @field_validator("target_group")
    @classmethod
    def _target_group(cls, value: str | None) -> str | None:
        return _known(value, voc.TARGET_GROUPS)

    @field_validator("substance")
    @classmethod
    def _substance(cls, value: str | None) -> str | None:
        if value is not None and not VOCABULARY_KEY.fullmatch(value):
            raise ValueError("must be a key of substances and behaviours, for example alcohol")
        return value

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q) if self.q else []

    @property
    def effective_sort(self) -> SortName:
        if self.sort == "relevance" and not self.terms:
            return "newest"
        return self.sort or ("relevance" if self.terms else "newest")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def facets(self) -> dict[str, str]:
        """The facet filters that reach the facet table (country, setting, level, group,
        substance)."""
        chosen = {
            "country": self.country,
            "setting": self.setting,
            "level": self.level,
            "target_group": self.target_group,
            "substance": self.substance,
        }
        return {name: value for name, value in chosen.items() if value}

    def is_filtered(self) -> bool:
        return bool(self.q or self.facets() or self.year or self.award)

    def params(self, **changes: object) -> dict[str, str]:
        """The query string that asks for this query again, with changes (for links)."""
        values = self.model_dump()
        values.update(changes)
        defaults = CatalogueQuery().model_dump()
        return {
            key: str(value)
            for key, value in values.items()
            if value is not None and value != defaults[key]
        }


#: The shape of a vocabulary key (`domain.editions.VocabularyItem.key`).
VOCABULARY_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _known(value: str | None, vocabulary: Mapping[str, str]) -> str | None:
    if value is None:
        return None
    if value not in vocabulary:
        raise ValueError("must be one of " + ", ".join(vocabulary))
    return value


class BadQuery(ValueError):
    """A parameter is wrong; the message names it and says why (for the API's callers).

    ``field`` is the parameter, ``kind`` pydantic's error type; :func:`bad_query_message`
    turns them into a sentence for people.
    """

    def __init__(self, message: str, *, field: str = "query", kind: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.kind = kind


_BAD_QUERY_MESSAGES = {
    "q": N_("Your search is too long: use at most {n} characters."),
    "country": N_("We do not know that country: choose one from the list."),
    "year": N_("That year is not one of the prize's: choose one from the list."),
    "page": N_("That page number does not exist: pages are numbered from 1."),
    "per_page": N_("A page shows between 1 and 100 good practices."),
    "sort": N_("The catalogue cannot be sorted that way: choose an order from the list."),
    "substance": N_("We do not know that substance or behaviour: choose one from the list."),
}


def bad_query_message(problem: BadQuery) -> str:
    """What a visitor reads when the catalogue's address holds a wrong value."""
    template = _BAD_QUERY_MESSAGES.get(
        problem.field, N_("One of the filters has a value we do not know: choose from the lists."))
    return gettext(template).format(n=MAX_QUERY_CHARS)


def parse_catalogue_query(params: Mapping[str, str], *, per_page: int = 20) -> CatalogueQuery:
    """Validate query-string parameters; blank values count as absent."""
    values: dict[str, str] = {"per_page": str(per_page)}
    values.update({key: value for key, value in params.items() if value.strip() != ""})
    try:
        return CatalogueQuery.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "query"
        message = first["msg"].removeprefix("Value error, ")
        raise BadQuery(f"{name}: {message}", field=name, kind=first["type"]) from None


# The publication workflow ---------------------------------------------------------


@dataclass(frozen=True)
class _PracticeStep:
    label: str
    """What the step does, as its button says."""
    sources: frozenset[PracticeStatus]
    target: PracticeStatus


_P = PracticeStatus

# The one place where the workflow's steps are defined; the order is the table's.
PRACTICE_TRANSITIONS: dict[str, _PracticeStep] = {
    "send": _PracticeStep(
        N_("Send to the applicant for approval"), frozenset({_P.DRAFT}), _P.AWAITING_APPLICANT,
    ),
    "approve": _PracticeStep(
        N_("Approve the text"), frozenset({_P.AWAITING_APPLICANT}), _P.APPROVED,
    ),
    "request_changes": _PracticeStep(
        N_("Ask for changes"), frozenset({_P.AWAITING_APPLICANT}), _P.DRAFT,
    ),
    "recall": _PracticeStep(
        N_("Take the text back from the applicant"), frozenset({_P.AWAITING_APPLICANT}),
        _P.DRAFT,
    ),
    "resend": _PracticeStep(
        N_("Send the request again"), frozenset({_P.AWAITING_APPLICANT}),
        _P.AWAITING_APPLICANT,
    ),
    "publish": _PracticeStep(
        N_("Publish"), frozenset({_P.APPROVED, _P.UNPUBLISHED}), _P.PUBLISHED,
    ),
    "unpublish": _PracticeStep(
        N_("Unpublish"), frozenset({_P.PUBLISHED}), _P.UNPUBLISHED,
    ),
}


def next_status(current: str, action: str) -> PracticeStatus:
    """The status after ``action``, or :class:`TransitionRefused` with a sentence saying why not.

    Raises ValueError for an unknown action (a bug in the caller, not a refusal).
    """
    try:
        step = PRACTICE_TRANSITIONS[action]
    except KeyError:
        raise ValueError(f"unknown practice transition {action!r}") from None
    if current not in step.sources:
        allowed = sorted(step.sources, key=list(PracticeStatus).index)
        raise TransitionRefused([
            gettext("“{action}” is possible only when the practice is {allowed}; it is {current}.")
            .format(
                action=gettext(step.label),
                allowed=either(f"“{label('practice', status)}”" for status in allowed),
                current=f"“{label('practice', current)}”",
            )
        ])
    return step.target


def may_publish_entry(entry_status: str, consented: bool) -> bool:
    """Winners, special mentions and shortlisted entries whose applicant consented."""
    return entry_status in EntryStatus.PUBLISHABLE and consented


class PublicText(BaseModel):
    """The public record the secretariat prepares; each field checked for size."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: OneLine = Field(min_length=1, max_length=300)
    organisation: OneLine = Field(min_length=1, max_length=300)
    city: OneLine = Field(default="", max_length=200)
    summary: str = Field(min_length=1, max_length=5_000)
    key_facts: str = Field(default="", max_length=3_000)
    activities: str = Field(default="", max_length=20_000)
    youth_participation: str = Field(default="", max_length=20_000)
    evaluation: str = Field(default="", max_length=20_000)
    jury_statement: str = Field(default="", max_length=5_000)
    website: str = Field(default="", max_length=300, pattern=r"^(https?://\S+)?$")
    links: list[str] = Field(default_factory=list, max_length=20)
    settings: list[str] = Field(default_factory=list)
    levels: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    image_attachment_ids: list[int] = Field(default_factory=list)

    @field_validator("links")
    @classmethod
    def _links(cls, values: list[str]) -> list[str]:
        cleaned = [value.strip() for value in values if value.strip()]
        for value in cleaned:
            if not re.fullmatch(r"https?://\S{1,300}", value):
                raise ValueError("each link must start with https:// or http://")
        return cleaned

    @field_validator("settings")
    @classmethod
    def _settings(cls, values: list[str]) -> list[str]:
        return _all_known(values, voc.SETTINGS)

    @field_validator("levels")
    @classmethod
    def _levels(cls, values: list[str]) -> list[str]:
        return _all_known(values, voc.LEVELS)

    @field_validator("target_groups")
    @classmethod
    def _groups(cls, values: list[str]) -> list[str]:
        return _all_known(values, voc.TARGET_GROUPS)


class Figures(BaseModel):
    """The key figures a practice page shows as tiles (None: not given)."""

    model_config = ConfigDict(extra="ignore")

    young_people: int | None = Field(default=None, ge=0, le=100_000_000)
    adults: int | None = Field(default=None, ge=0, le=100_000_000)
    people_reached: int | None = Field(default=None, ge=0, le=1_000_000_000)
    running_since: int | None = Field(default=None, ge=1900, le=2100)

    def any(self) -> bool:
        return any(value is not None for value in self.model_dump().values())


MAX_ALT_CHARS = 300


class PublicPhotoChoice(BaseModel):
    """The applicant's choice of a photo for the public page, when approving the text.

    ``attachment_id`` None: no photo. A chosen photo needs a description for people who
    cannot see it (its alt text), at most MAX_ALT_CHARS characters, on one line.
    """

    model_config = ConfigDict(str_strip_whitespace=True)

    attachment_id: int | None = None
    alt: str = ""

    @classmethod
    def check(cls, attachment_id: int | None, alt: str,
              allowed: set[int]) -> tuple[PublicPhotoChoice | None, dict[str, str]]:
        """The choice, or the problems by field name (sentences for the applicant)."""
        alt = " ".join(alt.split())
        errors: dict[str, str] = {}
        if attachment_id is not None and attachment_id not in allowed:
            errors["photo"] = gettext("Choose one of the images of your entry, or no image.")
        elif attachment_id is not None and not alt:
            errors["image_alt"] = gettext(
                "Describe the image for people who cannot see it (for example: "
                "“Four young people painting a mural in a school yard”).")
        elif len(alt) > MAX_ALT_CHARS:
            errors["image_alt"] = gettext("At most {n} characters.").format(n=MAX_ALT_CHARS)
        if errors:
            return None, errors
        return cls(attachment_id=attachment_id, alt=alt if attachment_id else ""), {}


def _all_known(values: list[str], vocabulary: Mapping[str, str]) -> list[str]:
    unknown = [value for value in values if value not in vocabulary]
    if unknown:
        raise ValueError("choose from the list")
    return list(dict.fromkeys(values))


def key_facts_from(
    *, start_year: int | None, running: str, young_people: int | None,
    adults: int | None, people_reached: int | None,
) -> str:
    """A few plain lines of facts for a new public record (the secretariat can edit them)."""
    lines = []
    if start_year:
        since = "Running since" if running == "yes" else "Started in"
        lines.append(f"{since} {start_year}")
    if young_people is not None:
        lines.append(f"Young people under 25 engaged in the work: {young_people}")
    if adults is not None:
        lines.append(f"Adults engaged in the work: {adults}")
    if people_reached is not None:
        lines.append(f"People reached: {people_reached}")
    return "\n".join(lines)
