"""Who may read an entry besides its owner and the secretariat: the rule for jurors."""

from __future__ import annotations

from prize.domain.statuses import EditionStatus, EntryStatus, Role
from prize.store.db import Database


def conflict_sql(juror: str, entry: str) -> str:
    """An SQL condition, true when the juror has a conflict with the entry.

    ``juror`` and ``entry`` are SQL expressions for their ids (column names of the
    enclosing query). Declared, set by the secretariat, or automatic: the juror's
    country is one of the entry's countries, or the organisation is the same. It is
    the conflict half of :func:`juror_may_read`, kept here so that whatever else asks
    "is this juror conflicted?" (which sheets count, for one) asks it the same way.
    """
    # Aliases of their own, so that none hides a table of the enclosing query.
    return f"""(
        EXISTS (SELECT 1 FROM conflicts cf_c
                 WHERE cf_c.entry_id = {entry} AND cf_c.juror_id = {juror})
        OR EXISTS (SELECT 1 FROM entry_countries cf_ec
                     JOIN juror_profiles cf_p ON cf_p.user_id = {juror}
                    WHERE cf_ec.entry_id = {entry} AND cf_p.country != ''
                      AND upper(cf_ec.country) = upper(cf_p.country))
        OR EXISTS (SELECT 1 FROM entries cf_e
                     JOIN juror_profiles cf_p ON cf_p.user_id = {juror}
                    WHERE cf_e.id = {entry}
                      AND cf_p.organisation IS NOT NULL AND cf_p.organisation != ''
                      AND lower(trim(cf_p.organisation)) = lower(trim(cf_e.organisation)))
    )"""


async def juror_may_read(db: Database, juror_id: int, entry_id: int) -> bool:
    """Assigned, released, active on the edition's jury, and without any conflict
    (declared, set by the secretariat, or automatic: see :func:`conflict_sql`).

    The automatic conflicts (the juror's country is one of the entry's countries,
    or the same organisation) are checked here too, so that no later pin or data
    change can open an entry to a conflicted juror.
    """
    return entry_id in await entries_juror_may_read(db, juror_id, [entry_id])


async def entries_juror_may_read(db: Database, juror_id: int,
                                 entry_ids: list[int]) -> set[int]:
    """Those of `entry_ids` the juror may read (:func:`juror_may_read`), in one query:
    the juror's dashboard asks for all its entries at once. The one statement of the rule."""
    if not entry_ids:
        return set()
    marks = ", ".join("?" for _ in entry_ids)
    rows = await db.fetch_all(
        f"""
        SELECT a.entry_id
          FROM assignments a
          JOIN entries e ON e.id = a.entry_id
          JOIN editions ed ON ed.id = e.edition_id
          JOIN users u ON u.id = a.juror_id AND u.is_active = 1
         WHERE a.juror_id = ? AND a.entry_id IN ({marks})
           AND ed.assignment_released_at IS NOT NULL
           AND EXISTS (SELECT 1 FROM edition_jurors ej
                        WHERE ej.edition_id = e.edition_id AND ej.user_id = a.juror_id
                          AND ej.status = 'active')
           AND NOT {conflict_sql("a.juror_id", "a.entry_id")}
        """,
        (juror_id, *entry_ids),
    )
    return {row[0] for row in rows}


async def advisor_may_read(db: Database, advisor_id: int, entry_id: int) -> bool:
    """An advisor reads every entry the jury judges, once judging has begun, while active
    on the edition's jury and without any conflict (the same rule as jurors':
    :func:`conflict_sql`). Advisors are never assigned: they read them all."""
    frozen = EditionStatus.FROZEN
    judged = EntryStatus.PASSED_SCREENING
    row = await db.fetch_one(
        f"""
        SELECT 1
          FROM entries e
          JOIN editions ed ON ed.id = e.edition_id
          JOIN users u ON u.id = ? AND u.is_active = 1 AND u.role = ?
         WHERE e.id = ?
           AND ed.status IN ({", ".join("?" for _ in frozen)})
           AND e.status IN ({", ".join("?" for _ in judged)})
           AND EXISTS (SELECT 1 FROM edition_jurors ej
                        WHERE ej.edition_id = e.edition_id AND ej.user_id = u.id
                          AND ej.status = 'active')
           AND NOT {conflict_sql("u.id", "e.id")}
        """,
        (advisor_id, Role.ADVISOR, entry_id, *frozen, *judged),
    )
    return row is not None


async def may_read_entry(db: Database, user_id: int, role: str, entry_id: int) -> bool:
    """Whether a person of the jury's side reads the entry: the secretariat always, a
    juror by :func:`juror_may_read`, an advisor by :func:`advisor_may_read`."""
    if role in Role.STAFF:
        return await db.fetch_value("SELECT 1 FROM entries WHERE id = ?", (entry_id,)) is not None
    if role in Role.JURY:
        return await juror_may_read(db, user_id, entry_id)
    if role == Role.ADVISOR:
        return await advisor_may_read(db, user_id, entry_id)
    return False
