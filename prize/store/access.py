"""Who may read an entry besides its owner and the secretariat: the rule for jurors."""

from __future__ import annotations

from prize.store.db import Database


async def juror_may_read(db: Database, juror_id: int, entry_id: int) -> bool:
    """Assigned, released, active on the edition's jury, and without any conflict
    (declared, set by the secretariat, or automatic).

    The automatic conflicts (the juror's country is one of the entry's countries,
    or the same organisation) are checked here too, so that no later pin or data
    change can open an entry to a conflicted juror.
    """
    row = await db.fetch_one(
        """
        SELECT 1
          FROM assignments a
          JOIN entries e ON e.id = a.entry_id
          JOIN editions ed ON ed.id = e.edition_id
          JOIN users u ON u.id = a.juror_id AND u.is_active = 1
          LEFT JOIN juror_profiles p ON p.user_id = a.juror_id
         WHERE a.juror_id = ? AND a.entry_id = ?
           AND ed.assignment_released_at IS NOT NULL
           AND EXISTS (SELECT 1 FROM edition_jurors ej
                        WHERE ej.edition_id = e.edition_id AND ej.user_id = a.juror_id
                          AND ej.status = 'active')
           AND NOT EXISTS (SELECT 1 FROM conflicts c
                            WHERE c.entry_id = a.entry_id AND c.juror_id = a.juror_id)
           AND NOT EXISTS (SELECT 1 FROM entry_countries ec
                            WHERE ec.entry_id = a.entry_id AND p.country != ''
                              AND upper(ec.country) = upper(p.country))
           AND NOT (p.organisation IS NOT NULL AND p.organisation != ''
                    AND lower(trim(p.organisation)) = lower(trim(e.organisation)))
        """,
        (juror_id, entry_id),
    )
    return row is not None
