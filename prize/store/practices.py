"""Good practices: the public catalogue's queries and the publication workflow's writes.

Catalogue reads only ever see `status = 'published'`. Facet filters go through the
`practice_facets` table and text search through `practices_fts` on SQLite,
`practices_search` (a tsvector) on PostgreSQL (all kept in sync by triggers, see
migration 0040 and its PostgreSQL version), so `/practices` is one indexed query.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.practices import CatalogueQuery, Figures, PublicText, fts_match, slugify
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.store.db import Database
from prize.store.dialect import POSTGRESQL, engine_of, json_is_true


class PracticeCard(BaseModel):
    """What a list of practices shows: public fields only."""

    id: int
    slug: str
    title: str
    organisation: str
    country: str
    countries: list[str]
    city: str
    year: int
    award: str
    summary: str
    settings: list[str]
    levels: list[str]
    target_groups: list[str]
    substances: list[str]
    published_at: datetime | None
    updated_at: datetime
    image_card_name: str = ""
    image_card_width: int = 0
    image_card_height: int = 0
    image_alt: str = ""

    @property
    def all_countries(self) -> list[str]:
        """Every country of the practice, its main one first (older records name one)."""
        return list(dict.fromkeys([self.country, *self.countries]))


class PublicImage(BaseModel):
    """The files of a practice's public photo, made by prize.web.images."""

    name: str
    width: int
    height: int
    card_name: str
    card_width: int
    card_height: int
    alt: str


class Practice(PracticeCard):
    """The whole record, including the workflow's internal fields (never shown as is)."""

    entry_id: int | None
    edition_id: int
    status: str
    language: str
    key_facts: str
    activities: str
    youth_participation: str
    evaluation: str
    jury_statement: str
    website: str
    links: list[str]
    image_attachment_ids: list[int]
    applicant_note: str
    created_at: datetime
    image_name: str = ""
    image_width: int = 0
    image_height: int = 0
    young_people: int | None = None
    adults: int | None = None
    people_reached: int | None = None
    running_since: int | None = None

    @property
    def figures(self) -> Figures:
        return Figures(young_people=self.young_people, adults=self.adults,
                       people_reached=self.people_reached, running_since=self.running_since)


class CataloguePage(BaseModel):
    items: list[PracticeCard]
    total: int
    matched_any_term: bool = False
    facets: dict[str, list[tuple[str, int]]] = {}


CARD_COLUMNS = (
    "p.id, p.slug, p.title, p.organisation, p.country, p.countries, p.city, p.year, p.award,"
    " p.summary, p.settings, p.levels, p.target_groups, p.substances, p.published_at,"
    " p.updated_at, p.image_card_name, p.image_card_width, p.image_card_height, p.image_alt"
)
JSON_LISTS = ("countries", "settings", "levels", "target_groups", "substances", "links",
              "image_attachment_ids")
# bm25 weights per FTS column: title, organisation, city, summary, key facts, activities,
# youth participation, evaluation, jury statement. A word in the title counts most.
BM25 = "bm25(practices_fts, 10.0, 4.0, 2.0, 5.0, 1.0, 1.5, 1.5, 1.0, 1.5)"
# A prefix ("snowb") matches every word it starts, and both engines add those up, so a
# text saying "snowboard, snowboarding, snowboarders" would pass a title that says
# "Snowboard" once: a practice whose title alone matches the search comes first, then
# the weighted rank decides. Ranked in a subquery: bm25() cannot sit beside the window
# function of the page. The first parameter is the MATCH restricted to the title.
SQLITE_FOUND = (f" JOIN (SELECT rowid, {BM25}"
                " - CASE WHEN rowid IN (SELECT rowid FROM practices_fts"
                " WHERE practices_fts MATCH ?) THEN 1000 ELSE 0 END AS rank"
                " FROM practices_fts WHERE practices_fts MATCH ?) AS found"
                " ON found.rowid = p.id")
# PostgreSQL: the document's columns carry weights A-D in the bm25 weights' order (see
# its 0040); ts_rank takes them as {D, C, B, A}; the title is class A. Negated, so that
# the smaller rank comes first on both engines. prize_search_query(terms, any_term)
# builds the tsquery.
PG_FOUND = (" JOIN (SELECT s.practice_id,"
            " -(ts_rank('{0.1, 0.2, 0.45, 1.0}', s.document, q.query)"
            " + CASE WHEN ts_filter(s.document, '{a}') @@ q.query THEN 10 ELSE 0 END) AS rank"
            " FROM practices_search s, (SELECT prize_search_query(?, ?) AS query) q"
            " WHERE s.document @@ q.query) AS found ON found.practice_id = p.id")
ORDER_BY = {
    "relevance": "found.rank, p.year DESC, p.id DESC",
    "newest": "p.year DESC, p.published_at DESC, p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "country": "p.country, p.title COLLATE NOCASE, p.id",
}


def _values(row, model: type[BaseModel]) -> dict[str, Any]:
    names = row.keys()  # aiosqlite.Row iterates over values, not names
    values = {key: row[key] for key in names if key in model.model_fields}
    for key in JSON_LISTS:
        if key in values:
            values[key] = json.loads(values[key])
    for key in ("published_at", "updated_at", "created_at"):
        if key in values:
            values[key] = from_iso(values[key])
    return values


def _card(row) -> PracticeCard:
    return PracticeCard(**_values(row, PracticeCard))


def _practice(row) -> Practice:
    return Practice(**_values(row, Practice))


# Catalogue reads ---------------------------------------------------------------------


async def catalogue_version(db: Database) -> int:
    """A number that changes whenever anything a public page shows changes."""
    return await db.fetch_value("SELECT version FROM catalogue_version WHERE id = 1") or 0


@dataclass(frozen=True)
class Match:
    """The words a search looks for, every one of them or any."""

    terms: tuple[str, ...]
    any_term: bool = False


def _match_sql(db: Database, match: Match) -> tuple[str, list[Any]]:
    """The join that keeps (and ranks as `found.rank`) the practices matching the words."""
    if engine_of(db) == POSTGRESQL:
        # Terms are \w+ words (search_terms), so a space separates them unambiguously.
        return PG_FOUND, [" ".join(match.terms), 1 if match.any_term else 0]
    expression = fts_match(list(match.terms), any_term=match.any_term)
    return SQLITE_FOUND, [f"title : ({expression})", expression]


def _where(db: Database, query: CatalogueQuery,
           match: Match | None) -> tuple[str, str, list[Any]]:
    joins, where, params = "", ["p.status = 'published'"], []
    if match is not None:
        joins, params = _match_sql(db, match)
    if query.year is not None:
        where.append("p.year = ?")
        params.append(query.year)
    if query.award is not None:
        where.append("p.award = ?")
        params.append(query.award)
    for facet, value in query.facets().items():
        where.append(
            "p.id IN (SELECT practice_id FROM practice_facets WHERE facet = ? AND value = ?)"
        )
        params += [facet, value]
    return joins, " AND ".join(where), params


async def rebuild_search_index(conn, engine: str) -> None:
    """Index every practice's present text again, so nothing erased stays findable.

    FTS5 keeps its own copy of the words (an external-content 'delete' with other values
    than those indexed leaves words behind); PostgreSQL's triggers rewrite a practice's
    whole document, so there this recomputes the same documents, to be sure.
    """
    if engine == POSTGRESQL:
        await conn.execute(
            "INSERT INTO practices_search (practice_id, document)"
            " SELECT id, prize_search_document(title, organisation, city, summary, key_facts,"
            " activities, youth_participation, evaluation, jury_statement) FROM practices"
            " ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document")
    else:
        await conn.execute("INSERT INTO practices_fts (practices_fts) VALUES ('rebuild')")


async def _search(db: Database, query: CatalogueQuery, match: Match | None,
                  country_order: Sequence[str]) -> CataloguePage:
    joins, where, params = _where(db, query, match)
    sort = query.effective_sort if match is not None else (
        "newest" if query.effective_sort == "relevance" else query.effective_sort)
    order, order_params = ORDER_BY[sort], []
    if sort == "country" and country_order:
        # The countries' order by name in the page's language: each code's place in a list.
        order = "instr(?, ',' || p.country || ','), " + order
        order_params = ["," + ",".join(country_order) + ","]
    rows = await db.fetch_all(
        f"SELECT {CARD_COLUMNS}, count(*) OVER () AS total FROM practices p{joins}"
        f" WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        (*params, *order_params, query.per_page, query.offset),
    )
    if rows:
        total = rows[0]["total"]
    elif query.page > 1:
        total = await db.fetch_value(
            f"SELECT count(*) FROM practices p{joins} WHERE {where}", params
        )
    else:
        total = 0
    return CataloguePage(items=[_card(row) for row in rows], total=total)


async def search(db: Database, query: CatalogueQuery, *,
                 country_order: Sequence[str] = (), with_facets: bool = False) -> CataloguePage:
    """One page of published practices matching the query, with the total count.

    Every word must match; when that finds nothing, any word may (ranked by relevance).
    With ``with_facets``, the page also holds each facet's counts for this search (see
    :func:`facet_counts`).
    """
    terms = query.terms
    match = Match(tuple(terms)) if terms else None
    found = await _search(db, query, match, country_order)
    if found.total == 0 and len(terms) > 1:
        any_match = Match(tuple(terms), any_term=True)
        wider = await _search(db, query, any_match, country_order)
        if wider.total:
            found, match = wider, any_match
            found.matched_any_term = True
    if with_facets:
        found.facets = await facet_counts(db, query, match)
    return found


FACETS = ("country", "year", "setting", "level", "target_group", "substance", "award")


async def facet_counts(db: Database, query: CatalogueQuery | None = None,
                       match: Match | None = None) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with the number of published practices that match the search
    and every *other* filter (so each count is what choosing that value would find).

    One query; without a query, the counts of the whole catalogue.
    """
    query = query or CatalogueQuery()
    parts, params = [], []
    for facet in FACETS:
        joins, where, facet_params = _where(db, query.model_copy(update={facet: None}), match)
        if facet in ("year", "award"):
            parts.append(
                f"SELECT '{facet}' AS facet, CAST(p.{facet} AS TEXT) AS value, count(*) AS n"
                f" FROM practices p{joins} WHERE {where} GROUP BY p.{facet}")
        else:
            parts.append(
                f"SELECT '{facet}' AS facet, f.value AS value, count(*) AS n"
                f" FROM practices p{joins} JOIN practice_facets f"
                f" ON f.practice_id = p.id AND f.facet = '{facet}'"
                f" WHERE {where} GROUP BY f.value")
        params += facet_params
    rows = await db.fetch_all(" UNION ALL ".join(parts), params)
    counts: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        counts.setdefault(row["facet"], []).append((row["value"], row["n"]))
    for facet, values in counts.items():
        values.sort(key=lambda pair: pair[0], reverse=facet == "year")
    return counts


async def published_by_slug(db: Database, slug: str) -> Practice | None:
    row = await db.fetch_one(
        "SELECT * FROM practices WHERE slug = ? AND status = 'published'", (slug,)
    )
    return _practice(row) if row else None


async def published_of_edition(db: Database, edition_id: int) -> list[PracticeCard]:
    """An edition's published practices: winners, then special mentions, then shortlisted."""
    rows = await db.fetch_all(
        f"SELECT {CARD_COLUMNS} FROM practices p WHERE p.edition_id = ? AND p.status = 'published'"
        " ORDER BY CASE p.award WHEN 'winner' THEN 0 WHEN 'special_mention' THEN 1 ELSE 2 END,"
        " p.title COLLATE NOCASE",
        (edition_id,),
    )
    return [_card(row) for row in rows]


async def featured(db: Database, limit: int = 3) -> list[PracticeCard]:
    """The latest winners for the home page."""
    rows = await db.fetch_all(
        f"SELECT {CARD_COLUMNS} FROM practices p WHERE p.status = 'published'"
        " AND p.award = 'winner' ORDER BY p.year DESC, p.published_at DESC, p.id DESC LIMIT ?",
        (limit,),
    )
    return [_card(row) for row in rows]


async def latest(db: Database, limit: int = 50) -> list[Practice]:
    """Published practices, most recently published first (for the feed)."""
    rows = await db.fetch_all(
        "SELECT * FROM practices WHERE status = 'published'"
        " ORDER BY published_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [_practice(row) for row in rows]


async def sitemap_entries(db: Database) -> list[tuple[str, datetime]]:
    rows = await db.fetch_all(
        "SELECT slug, updated_at FROM practices WHERE status = 'published' ORDER BY id"
    )
    return [(row["slug"], from_iso(row["updated_at"])) for row in rows]


async def published_years(db: Database) -> list[int]:
    results_out = EditionStatus.RESULTS_OUT
    rows = await db.fetch_all(
        f"SELECT year FROM editions WHERE status IN ({', '.join('?' for _ in results_out)})"
        " ORDER BY year DESC", results_out,
    )
    return [row["year"] for row in rows]


async def jury_size(db: Database, edition_id: int) -> int:
    return await db.fetch_value(
        "SELECT count(*) FROM edition_jurors ej JOIN users u ON u.id = ej.user_id"
        " WHERE ej.edition_id = ? AND ej.status = 'active' AND u.role = 'juror'",
        (edition_id,),
    )


# The publication workflow -------------------------------------------------------------


async def get(db: Database, practice_id: int) -> Practice | None:
    row = await db.fetch_one("SELECT * FROM practices WHERE id = ?", (practice_id,))
    return _practice(row) if row else None


async def all_practices(db: Database) -> list[Practice]:
    rows = await db.fetch_all("SELECT * FROM practices ORDER BY year DESC, title COLLATE NOCASE")
    return [_practice(row) for row in rows]


async def owner_of(db: Database, practice_id: int) -> int | None:
    """The account that owns the entry behind a practice (None for demo records)."""
    return await db.fetch_value(
        "SELECT e.owner_id FROM practices p JOIN entries e ON e.id = p.entry_id WHERE p.id = ?",
        (practice_id,),
    )


async def of_owner(db: Database, owner_id: int) -> list[Practice]:
    rows = await db.fetch_all(
        "SELECT p.* FROM practices p JOIN entries e ON e.id = p.entry_id"
        " WHERE e.owner_id = ? ORDER BY p.year DESC",
        (owner_id,),
    )
    return [_practice(row) for row in rows]


async def candidate_entries(db: Database) -> list[dict[str, Any]]:
    """Awarded or shortlisted entries with consent to publication and no public record yet."""
    publishable = EntryStatus.PUBLISHABLE
    rows = await db.fetch_all(
        "SELECT e.id, e.reference, e.title, e.organisation, e.country, e.status, ed.year"
        " FROM entries e JOIN editions ed ON ed.id = e.edition_id"
        " LEFT JOIN practices p ON p.entry_id = e.id"
        f" WHERE e.status IN ({', '.join('?' for _ in publishable)}) AND p.id IS NULL"
        f" AND {json_is_true(engine_of(db), 'e.application', 'consent_publication')}"
        " ORDER BY ed.year DESC, e.reference", publishable,
    )
    return [dict(row) for row in rows]


async def id_of_entry(conn, entry_id: int) -> int | None:
    """The id of the public record prepared from an entry, read inside the caller's
    transaction (an entry has at most one)."""
    cursor = await conn.execute("SELECT id FROM practices WHERE entry_id = ?", (entry_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def has_title(conn, edition_id: int, title: str) -> bool:
    """Whether the edition already has a practice of this title, in any status."""
    cursor = await conn.execute(
        "SELECT 1 FROM practices WHERE edition_id = ? AND title = ?", (edition_id, title)
    )
    return await cursor.fetchone() is not None


async def unique_slug(conn, title: str, year: int) -> str:
    base = slugify(title)
    candidates = [base, f"{base}-{year}"] + [f"{base}-{year}-{n}" for n in range(2, 100)]
    for slug in candidates:
        cursor = await conn.execute("SELECT 1 FROM practices WHERE slug = ?", (slug,))
        if await cursor.fetchone() is None:
            return slug
    raise ValueError("no free slug")


async def create(
    conn, *, edition_id: int, year: int, award: str, text: PublicText, country: str,
    countries: list[str], substances: list[str], now: datetime, entry_id: int | None = None,
    language: str = "en", status: str = "draft", slug: str | None = None,
) -> int:
    """A new public record inside the caller's transaction; returns its id."""
    slug = slug or await unique_slug(conn, text.title, year)
    published_at = to_iso(now) if status == "published" else None
    cursor = await conn.execute(
        "INSERT INTO practices (entry_id, edition_id, slug, status, award, language, title,"
        " organisation, country, countries, city, year, summary, key_facts, activities,"
        " youth_participation, evaluation, jury_statement, website, links, settings, levels,"
        " target_groups, substances, image_attachment_ids, published_at, created_at, updated_at)"
        f" VALUES ({', '.join('?' * 28)})",
        (
            entry_id, edition_id, slug, status, award, language, text.title, text.organisation,
            country, json.dumps(countries), text.city, year, text.summary, text.key_facts,
            text.activities, text.youth_participation, text.evaluation, text.jury_statement,
            text.website, json.dumps(text.links), json.dumps(text.settings),
            json.dumps(text.levels), json.dumps(text.target_groups), json.dumps(substances),
            json.dumps(text.image_attachment_ids), published_at, to_iso(now), to_iso(now),
        ),
    )
    return cursor.lastrowid


async def update_text(conn, practice_id: int, text: PublicText, *, status: str,
                      now: datetime) -> None:
    """The secretariat's words; the photo stays the applicant's choice (set_public_photo)."""
    await conn.execute(
        "UPDATE practices SET title = ?, organisation = ?, city = ?, summary = ?, key_facts = ?,"
        " activities = ?, youth_participation = ?, evaluation = ?, jury_statement = ?,"
        " website = ?, links = ?, settings = ?, levels = ?, target_groups = ?,"
        " status = ?, updated_at = ? WHERE id = ?",
        (
            text.title, text.organisation, text.city, text.summary, text.key_facts,
            text.activities, text.youth_participation, text.evaluation, text.jury_statement,
            text.website, json.dumps(text.links), json.dumps(text.settings),
            json.dumps(text.levels), json.dumps(text.target_groups),
            status, to_iso(now), practice_id,
        ),
    )


async def set_status(conn, practice_id: int, status: str, *, now: datetime,
                     applicant_note: str | None = None) -> None:
    """Only the workflow's guarded transitions call this."""
    await conn.execute(
        "UPDATE practices SET status = ?, updated_at = ?,"
        " applicant_note = COALESCE(?, applicant_note),"
        " published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?)"
        " ELSE published_at END WHERE id = ?",
        (status, to_iso(now), applicant_note, status, to_iso(now), practice_id),
    )


async def status_of(conn, practice_id: int) -> str | None:
    """The status read inside a write transaction, so a transition checks what it changes."""
    cursor = await conn.execute("SELECT status FROM practices WHERE id = ?", (practice_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def set_public_photo(conn, practice_id: int, photo: PublicImage | None,
                           attachment_id: int | None, *, now: datetime) -> None:
    """The photo the applicant chose (None: none), inside the caller's transaction."""
    photo = photo or PublicImage(name="", width=0, height=0, card_name="", card_width=0,
                                 card_height=0, alt="")
    await conn.execute(
        "UPDATE practices SET image_name = ?, image_width = ?, image_height = ?,"
        " image_card_name = ?, image_card_width = ?, image_card_height = ?, image_alt = ?,"
        " image_attachment_ids = ?, updated_at = ? WHERE id = ?",
        (photo.name, photo.width, photo.height, photo.card_name, photo.card_width,
         photo.card_height, photo.alt, json.dumps([attachment_id] if attachment_id else []),
         to_iso(now), practice_id),
    )


async def set_figures(conn, practice_id: int, figures: Figures) -> None:
    await conn.execute(
        "UPDATE practices SET young_people = ?, adults = ?, people_reached = ?,"
        " running_since = ? WHERE id = ?",
        (figures.young_people, figures.adults, figures.people_reached, figures.running_since,
         practice_id),
    )
