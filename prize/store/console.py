"""Read models of the secretariat's console: counts, screening lists, searches, recipients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prize.clock import from_iso
from prize.domain.statuses import EntryStatus, JurorStatus, Role, SheetStatus
from prize.store.db import Database
from prize.store.entries import _SELECT, Entry, _entry
from prize.store.scoring import work_set_aside_sql


def _marks(values: tuple[str, ...]) -> str:
    """One ``?`` per value, for an SQL ``IN`` list."""
    return ", ".join("?" for _ in values)


SCREENING_SORTS = {
    "reference": "e.reference_number, e.id",
    "title": "e.title COLLATE NOCASE, e.id",
    "country": "e.country, e.reference_number",
    "submitted": "e.submitted_at, e.id",
}


async def status_counts(db: Database) -> dict[int, dict[str, int]]:
    """For each edition id, how many entries it has in each status."""
    rows = await db.fetch_all(
        "SELECT edition_id, status, COUNT(*) AS n FROM entries GROUP BY edition_id, status"
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["edition_id"], {})[row["status"]] = row["n"]
    return counts


async def screening_list(
    db: Database, edition_id: int, *, status: str | None, country: str | None, sort: str
) -> list[Entry]:
    """Submitted entries of an edition (screened or not), filtered and sorted."""
    statuses = (status,) if status in EntryStatus.SCREENING else EntryStatus.SCREENING
    sql = f"{_SELECT} WHERE e.edition_id = ? AND e.status IN ({_marks(statuses)})"
    params: list = [edition_id, *statuses]
    if country:
        sql += " AND e.id IN (SELECT entry_id FROM entry_countries WHERE country = ?)"
        params.append(country)
    order = SCREENING_SORTS.get(sort, SCREENING_SORTS["reference"])
    rows = await db.fetch_all(f"{sql} ORDER BY {order}", params)
    return [_entry(row) for row in rows]


async def screening_countries(db: Database, edition_id: int) -> list[str]:
    rows = await db.fetch_all(
        "SELECT DISTINCT c.country FROM entry_countries c JOIN entries e ON e.id = c.entry_id"
        f" WHERE e.edition_id = ? AND e.status IN ({_marks(EntryStatus.SCREENING)})"
        " ORDER BY c.country",
        (edition_id, *EntryStatus.SCREENING),
    )
    return [row[0] for row in rows]


# Entries across editions ------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    id: int
    reference: str | None
    year: int
    status: str
    title: str
    organisation: str
    country: str
    owner_email: str
    submitted_at: datetime | None
    updated_at: datetime


def _entry_filters(q: str | None, year: int | None, status: str | None) -> tuple[str, list]:
    where, params = ["1 = 1"], []
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            "(e.title LIKE ? ESCAPE '\\' OR e.organisation LIKE ? ESCAPE '\\'"
            " OR e.reference LIKE ? ESCAPE '\\' OR e.country LIKE ? ESCAPE '\\')"
        )
        params += [like] * 4
    if year is not None:
        where.append("ed.year = ?")
        params.append(year)
    if status:
        where.append("e.status = ?")
        params.append(status)
    return " AND ".join(where), params


async def search_entries(
    db: Database, *, q: str | None = None, year: int | None = None, status: str | None = None,
    limit: int | None = 50, offset: int = 0,
) -> tuple[list[EntryRow], int]:
    """Entries of every edition matching the search, newest edition first, and their total."""
    where, params = _entry_filters(q, year, status)
    base = (" FROM entries e JOIN editions ed ON ed.id = e.edition_id"
            f" JOIN users u ON u.id = e.owner_id WHERE {where}")
    total = await db.fetch_value(f"SELECT COUNT(*){base}", params)
    page = " LIMIT ? OFFSET ?" if limit is not None else ""
    rows = await db.fetch_all(
        "SELECT e.id, e.reference, ed.year, e.status, e.title, e.organisation, e.country,"
        f" u.email AS owner_email, e.submitted_at, e.updated_at{base}"
        f" ORDER BY ed.year DESC, e.reference_number, e.id{page}",
        (*params, limit, offset) if limit is not None else params,
    )
    return [
        EntryRow(
            id=row["id"], reference=row["reference"], year=row["year"], status=row["status"],
            title=row["title"], organisation=row["organisation"], country=row["country"],
            owner_email=row["owner_email"], submitted_at=from_iso(row["submitted_at"]),
            updated_at=from_iso(row["updated_at"]),
        )
        for row in rows
    ], total


# Audit ------------------------------------------------------------------------


async def audit_count(db: Database, *, action: str | None, edition_id: int | None,
                      actor_id: int | None) -> int:
    where, params = ["1 = 1"], []
    for column, value in (("action", action), ("edition_id", edition_id), ("actor_id", actor_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return await db.fetch_value(
        f"SELECT COUNT(*) FROM audit_log WHERE {' AND '.join(where)}", params)


async def audit_actions(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT DISTINCT action FROM audit_log ORDER BY action")
    return [row[0] for row in rows]


async def audit_actors(db: Database) -> list[tuple[int, str]]:
    rows = await db.fetch_all(
        "SELECT DISTINCT u.id, u.name, u.email FROM audit_log a JOIN users u ON u.id = a.actor_id"
        " ORDER BY u.name, u.email"
    )
    return [(row["id"], row["name"] or row["email"]) for row in rows]


# Recipients of the lifecycle's emails -----------------------------------------


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str
    locale: str
    entry_id: int | None = None


async def verified_applicants(db: Database) -> list[Recipient]:
    """Everyone who ever signed up as an applicant and confirmed their address."""
    rows = await db.fetch_all(
        "SELECT id, email, name, locale FROM users WHERE role = ? AND is_active = 1"
        " AND email_verified_at IS NOT NULL ORDER BY id", (Role.APPLICANT,)
    )
    return [Recipient(row["id"], row["email"], row["name"], row["locale"]) for row in rows]


async def owners_of(db: Database, edition_id: int, statuses: tuple[str, ...]) -> list[Recipient]:
    """The applicant of each entry of the edition in one of `statuses`, one per entry."""
    rows = await db.fetch_all(
        "SELECT u.id, u.email, u.name, u.locale, e.id AS entry_id FROM entries e"
        " JOIN users u ON u.id = e.owner_id WHERE e.edition_id = ? AND u.is_active = 1"
        f" AND e.status IN ({_marks(statuses)}) ORDER BY e.reference_number, e.id",
        (edition_id, *statuses),
    )
    return [Recipient(row["id"], row["email"], row["name"], row["locale"], row["entry_id"])
            for row in rows]


# Facts for the lifecycle's preconditions ----------------------------------------

async def edition_facts(db: Database, edition, now: datetime):
    """The snapshot of an edition that the lifecycle's preconditions are checked against."""
    from prize.domain.lifecycle import EditionFacts

    counts = {row["status"]: row["n"] for row in await db.fetch_all(
        "SELECT status, COUNT(*) AS n FROM entries WHERE edition_id = ? GROUP BY status",
        (edition.id,))}
    active_jurors = await db.fetch_value(
        "SELECT COUNT(*) FROM edition_jurors ej JOIN users u ON u.id = ej.user_id"
        " WHERE ej.edition_id = ? AND ej.status = ? AND u.is_active = 1 AND u.role = 'juror'",
        (edition.id, JurorStatus.ACTIVE))
    passed = EntryStatus.PASSED_SCREENING
    if edition.jurors_per_entry is None:
        # Every active juror without a conflict must be assigned.
        needed = ("(SELECT COUNT(*) FROM edition_jurors ej WHERE ej.edition_id = e.edition_id"
                  " AND ej.status = ? AND ej.user_id IN (SELECT id FROM users WHERE role = 'juror')"
                  " AND ej.user_id NOT IN"
                  " (SELECT juror_id FROM conflicts c WHERE c.entry_id = e.id))")
        extra: tuple = (JurorStatus.ACTIVE,)
    else:
        needed, extra = "?", (edition.jurors_per_entry,)
    short = await db.fetch_value(
        f"SELECT COUNT(*) FROM entries e WHERE e.edition_id = ? AND e.status IN ({_marks(passed)})"
        f" AND {needed} > (SELECT COUNT(*) FROM assignments a WHERE a.entry_id = e.id"
        " AND a.round = 1)",
        (edition.id, *passed, *extra),
    )
    # A conflicted juror's sheet is set aside: it neither counts nor is waited for.
    sheets = await db.fetch_one(
        "SELECT COUNT(*) AS assigned, SUM(CASE WHEN s.status = ? THEN 1 ELSE 0 END)"
        " AS submitted FROM assignments a LEFT JOIN score_sheets s"
        " ON s.entry_id = a.entry_id AND s.juror_id = a.juror_id AND s.round = a.round"
        " WHERE a.edition_id = ? AND a.round = ?"
        f" AND NOT {work_set_aside_sql('a.juror_id', 'a.entry_id')}",
        (SheetStatus.SUBMITTED, edition.id, edition.current_round))
    return EditionFacts.from_edition(
        edition,
        submitted_entries=counts.get(EntryStatus.SUBMITTED, 0),
        screened_entries=sum(counts.get(s, 0) for s in EntryStatus.SCREENED),
        eligible_entries=sum(counts.get(s, 0) for s in passed),
        undecided_entries=counts.get(EntryStatus.ELIGIBLE, 0),
        winners=counts.get(EntryStatus.WINNER, 0),
        entries_short_of_jurors=short,
        active_jurors=active_jurors,
        sheets_assigned=sheets["assigned"],
        sheets_submitted=sheets["submitted"] or 0,
        shortlisted_entries=counts.get(EntryStatus.SHORTLISTED, 0),
    )
