"""Demo: the nine demo jurors sit on the jury of the open edition."""

from __future__ import annotations

from prize.clock import Clock
from prize.demo.open_edition import _deadline
from prize.store import editions, users
from prize.store.db import Database
from prize.store.jury import add_active_juror


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    edition = await editions.by_year(db, _deadline(now).year)
    if edition is None:
        return
    async with db.transaction() as conn:
        for juror_id in await users.juror_ids_matching(conn, "juror_@demo.prize"):
            await add_active_juror(conn, edition.id, juror_id, now)
