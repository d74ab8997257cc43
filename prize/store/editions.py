"""Editions and their criteria."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from prize.clock import from_iso, to_iso
from prize.domain.editions import Criterion, Edition, VocabularyItem
from prize.store.db import Database


def _edition(row, criteria: tuple[Criterion, ...],
             final_criteria: tuple[Criterion, ...] = ()) -> Edition:
    return Edition(
        id=row["id"],
        year=row["year"],
        title=row["title"],
        title_fr=row["title_fr"],
        theme=row["theme"],
        theme_fr=row["theme_fr"],
        status=row["status"],
        opens_at=from_iso(row["opens_at"]),
        closes_at=from_iso(row["closes_at"]),
        judging_ends_at=from_iso(row["judging_ends_at"]),
        timezone=row["timezone"],
        jurors_per_entry=row["jurors_per_entry"],
        spread_threshold=row["spread_threshold"],
        eligible_countries=tuple(json.loads(row["eligible_countries"])),
        assignment_released_at=from_iso(row["assignment_released_at"]),
        criteria=criteria,
        scope=row["scope"],
        scope_fr=row["scope_fr"],
        prize_money=row["prize_money"],
        awards=row["awards"],
        substances_extra=tuple(VocabularyItem.model_validate(item)
                               for item in json.loads(row["substances_extra"])),
        rounds=row["rounds"],
        current_round=row["current_round"],
        final_judging_ends_at=from_iso(row["final_judging_ends_at"]),
        final_criteria=final_criteria,
    )


def _vocabulary(edition: Edition) -> str:
    return json.dumps([item.model_dump() for item in edition.substances_extra],
                      ensure_ascii=False)


def _criterion(row) -> Criterion:
    return Criterion(
        key=row["key"],
        title=row["title"],
        title_fr=row["title_fr"],
        guidance=row["guidance"],
        guidance_fr=row["guidance_fr"],
        weight=row["weight"],
        scale_min=row["scale_min"],
        scale_max=row["scale_max"],
        rubric=tuple(json.loads(row["rubric"])),
        rubric_fr=tuple(json.loads(row["rubric_fr"])),
    )


async def criteria_of(db: Database, edition_id: int, round_number: int = 1
                      ) -> tuple[Criterion, ...]:
    """The criteria stored for that round (round 2: the final round's own, often none)."""
    rows = await db.fetch_all(
        "SELECT * FROM criteria WHERE edition_id = ? AND round = ? ORDER BY position, id",
        (edition_id, round_number),
    )
    return tuple(_criterion(row) for row in rows)


async def _with_criteria(db: Database, row) -> Edition:
    final = await criteria_of(db, row["id"], 2) if row["rounds"] == 2 else ()
    return _edition(row, await criteria_of(db, row["id"]), final)


async def get(db: Database, edition_id: int) -> Edition | None:
    row = await db.fetch_one("SELECT * FROM editions WHERE id = ?", (edition_id,))
    return await _with_criteria(db, row) if row else None


async def by_year(db: Database, year: int) -> Edition | None:
    row = await db.fetch_one("SELECT * FROM editions WHERE year = ?", (year,))
    return await _with_criteria(db, row) if row else None


async def id_of_year(conn, year: int) -> int | None:
    """The id of the year's edition, read inside the caller's transaction."""
    cursor = await conn.execute("SELECT id FROM editions WHERE year = ?", (year,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def status_of(conn, edition_id: int) -> str | None:
    """The status read inside a write transaction, so a change checks what it changes."""
    cursor = await conn.execute("SELECT status FROM editions WHERE id = ?", (edition_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def all_editions(db: Database) -> list[Edition]:
    rows = await db.fetch_all("SELECT * FROM editions ORDER BY year DESC")
    return [_edition(row, ()) for row in rows]


async def open_for_entries(db: Database, now: datetime) -> list[Edition]:
    """Editions whose call is open now, soonest deadline first."""
    rows = await db.fetch_all(
        "SELECT * FROM editions WHERE status = 'open' AND closes_at > ? ORDER BY closes_at",
        (to_iso(now),),
    )
    criteria = await _criteria_by_edition(db, [row["id"] for row in rows]) if rows else {}
    return [_edition(row, criteria.get(row["id"], ())) for row in rows]


async def insert(conn, edition: Edition, now: datetime) -> int:
    """Create an edition with its criteria inside the caller's transaction."""
    cursor = await conn.execute(
        "INSERT INTO editions (year, title, title_fr, theme, theme_fr, status, opens_at, closes_at,"
        " judging_ends_at, timezone, jurors_per_entry, spread_threshold, eligible_countries,"
        " created_at, updated_at, scope, scope_fr, prize_money, awards, substances_extra,"
        " rounds, current_round, final_judging_ends_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            edition.year, edition.title, edition.title_fr, edition.theme, edition.theme_fr,
            edition.status,
            to_iso(edition.opens_at) if edition.opens_at else None,
            to_iso(edition.closes_at) if edition.closes_at else None,
            to_iso(edition.judging_ends_at) if edition.judging_ends_at else None,
            edition.timezone, edition.jurors_per_entry, edition.spread_threshold,
            json.dumps(list(edition.eligible_countries)), to_iso(now), to_iso(now),
            edition.scope, edition.scope_fr, edition.prize_money, edition.awards,
            _vocabulary(edition), edition.rounds, edition.current_round,
            to_iso(edition.final_judging_ends_at) if edition.final_judging_ends_at else None,
        ),
    )
    edition_id = cursor.lastrowid
    await replace_criteria(conn, edition_id, edition.criteria)
    if edition.final_criteria:
        await replace_criteria(conn, edition_id, edition.final_criteria, 2)
    return edition_id


async def replace_criteria(conn, edition_id: int, criteria: tuple[Criterion, ...],
                           round_number: int = 1) -> None:
    """The round's criteria become these (round 2 with none: it uses round 1's)."""
    await conn.execute("DELETE FROM criteria WHERE edition_id = ? AND round = ?",
                       (edition_id, round_number))
    await conn.executemany(
        "INSERT INTO criteria (edition_id, round, key, position, title, title_fr, guidance,"
        " guidance_fr, weight, scale_min, scale_max, rubric, rubric_fr)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                edition_id, round_number, c.key, position, c.title, c.title_fr, c.guidance,
                c.guidance_fr,
                c.weight, c.scale_min, c.scale_max,
                json.dumps(list(c.rubric), ensure_ascii=False),
                json.dumps(list(c.rubric_fr), ensure_ascii=False),
            )
            for position, c in enumerate(criteria)
        ],
    )


async def set_status(conn, edition_id: int, status: str, now: datetime) -> None:
    """Only the lifecycle's guarded transitions call this."""
    await conn.execute(
        "UPDATE editions SET status = ?, updated_at = ? WHERE id = ?",
        (status, to_iso(now), edition_id),
    )


async def current_round_of(conn, edition_id: int) -> int | None:
    """The current round read inside a write transaction."""
    cursor = await conn.execute("SELECT current_round FROM editions WHERE id = ?", (edition_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def set_current_round(conn, edition_id: int, round_number: int, now: datetime) -> None:
    """Only the lifecycle's "open the final round" calls this."""
    await conn.execute(
        "UPDATE editions SET current_round = ?, updated_at = ? WHERE id = ?",
        (round_number, to_iso(now), edition_id),
    )


async def set_rounds(conn, edition_id: int, rounds: int, now: datetime) -> None:
    """Add (2) or remove (1) the final round; the caller checked that it may
    (:func:`prize.domain.lifecycle.rounds_change_problems`). Removing it drops its criteria."""
    await conn.execute(
        "UPDATE editions SET rounds = ?, updated_at = ? WHERE id = ? AND current_round = 1",
        (rounds, to_iso(now), edition_id),
    )
    if rounds == 1:
        await conn.execute("DELETE FROM criteria WHERE edition_id = ? AND round = 2",
                           (edition_id,))


async def set_final_deadline(conn, edition_id: int, deadline: datetime | None,
                             now: datetime) -> None:
    await conn.execute(
        "UPDATE editions SET final_judging_ends_at = ?, updated_at = ? WHERE id = ?",
        (to_iso(deadline) if deadline else None, to_iso(now), edition_id))


async def final_sheets_exist(conn, edition_id: int) -> bool:
    """Some score sheet of the edition's final round exists (read in the caller's transaction)."""
    cursor = await conn.execute(
        "SELECT 1 FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        " WHERE e.edition_id = ? AND s.round = 2 LIMIT 1", (edition_id,))
    return await cursor.fetchone() is not None


async def update_settings(conn, edition_id: int, edition: Edition, now: datetime) -> None:
    """Store an edition's editable settings (not its status, which only the lifecycle sets)."""
    await conn.execute(
        "UPDATE editions SET title = ?, title_fr = ?, theme = ?, theme_fr = ?, opens_at = ?,"
        " closes_at = ?, judging_ends_at = ?, final_judging_ends_at = ?, jurors_per_entry = ?,"
        " spread_threshold = ?,"
        " eligible_countries = ?, scope = ?, scope_fr = ?, prize_money = ?, awards = ?,"
        " substances_extra = ?, updated_at = ? WHERE id = ?",
        (
            edition.title, edition.title_fr, edition.theme, edition.theme_fr,
            to_iso(edition.opens_at) if edition.opens_at else None,
            to_iso(edition.closes_at) if edition.closes_at else None,
            to_iso(edition.judging_ends_at) if edition.judging_ends_at else None,
            to_iso(edition.final_judging_ends_at) if edition.final_judging_ends_at else None,
            edition.jurors_per_entry, edition.spread_threshold,
            json.dumps(list(edition.eligible_countries)), edition.scope, edition.scope_fr,
            edition.prize_money, edition.awards, _vocabulary(edition), to_iso(now), edition_id,
        ),
    )


async def by_ids(db: Database, edition_ids: Iterable[int]) -> dict[int, Edition]:
    """The editions of these ids with their criteria, in two queries whatever their number."""
    ids = sorted(set(edition_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = await db.fetch_all(f"SELECT * FROM editions WHERE id IN ({marks})", ids)
    criteria = await _criteria_by_edition(db, ids)
    return {row["id"]: _edition(row, criteria.get(row["id"], ())) for row in rows}


async def _criteria_by_edition(
    db: Database, edition_ids: list[int]
) -> dict[int, tuple[Criterion, ...]]:
    marks = ", ".join("?" for _ in edition_ids)
    rows = await db.fetch_all(
        f"SELECT * FROM criteria WHERE edition_id IN ({marks}) AND round = 1"
        " ORDER BY position, id", edition_ids
    )
    grouped: dict[int, list[Criterion]] = {}
    for row in rows:
        grouped.setdefault(row["edition_id"], []).append(_criterion(row))
    return {edition_id: tuple(criteria) for edition_id, criteria in grouped.items()}


async def substances_chosen(db: Database, edition_id: int) -> dict[str, list[str]]:
    """Each substance or behaviour the edition's entries chose (drafts and withdrawn ones
    too: their answers exist), with those entries by reference (`#id` for a draft)."""
    rows = await db.fetch_all(
        # GROUP BY rather than DISTINCT: PostgreSQL orders a DISTINCT only by what it selects.
        "SELECT j.value AS word, coalesce(e.reference, '#' || e.id) AS entry,"
        " e.reference_number, e.id FROM entries e, json_each(e.application, '$.substances') j"
        " WHERE e.edition_id = ? GROUP BY j.value, e.id"
        " ORDER BY e.reference_number IS NULL, e.reference_number, e.id",
        (edition_id,),
    )
    chosen: dict[str, list[str]] = {}
    for row in rows:
        chosen.setdefault(row["word"], []).append(row["entry"])
    return chosen


async def substances_vocabulary(db: Database) -> list[Edition]:
    """The editions that add words to "substances and behaviours", with those words, so
    that a page can label every value practices use (`domain.editions.substance_label`)."""
    rows = await db.fetch_all(
        "SELECT * FROM editions WHERE substances_extra <> '[]' ORDER BY year DESC")
    return [_edition(row, ()) for row in rows]
