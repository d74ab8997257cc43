"""Failed sign-ins (which hold client addresses) are kept no longer than the throttle's
window: purged at every attempt and at start-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prize.clock import to_iso
from prize.store import users
from prize.store.db import Database
from prize.web.app import create_app
from prize.web.auth import THROTTLE_WINDOW
from tests import factories

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def keys_left(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT throttle_key FROM login_attempts ORDER BY throttle_key")
    return [row[0] for row in rows]


async def add_attempt(db: Database, key: str, at: datetime) -> None:
    await db.execute_write("INSERT INTO login_attempts (throttle_key, at) VALUES (?, ?)",
                           (key, to_iso(at)))


async def test_purge_removes_only_the_attempts_older_than_the_window(tmp_path):
    async with Database(tmp_path / "prize.db") as db:
        await db.migrate()
        await add_attempt(db, "address:192.0.2.1", NOW - THROTTLE_WINDOW - timedelta(seconds=1))
        await add_attempt(db, "address:192.0.2.2", NOW - THROTTLE_WINDOW)
        await add_attempt(db, "address:192.0.2.3", NOW - THROTTLE_WINDOW + timedelta(seconds=1))
        await add_attempt(db, "address:192.0.2.4", NOW)

        removed = await users.purge_attempts(db, NOW, THROTTLE_WINDOW)

        assert removed == 2
        assert await keys_left(db) == ["address:192.0.2.3", "address:192.0.2.4"]


async def test_a_new_attempt_removes_the_old_ones_first(tmp_path):
    async with Database(tmp_path / "prize.db") as db:
        await db.migrate()
        await add_attempt(db, "address:192.0.2.1", NOW - timedelta(hours=3))
        ids = await users.reserve_attempt(db, [("address:198.51.100.7", 20)], NOW,
                                          THROTTLE_WINDOW)
        assert ids and await keys_left(db) == ["address:198.51.100.7"]


async def test_start_up_purges_what_outlived_the_window(tmp_path):
    """A site where nobody signs in for a day keeps no address from the day before."""
    settings = factories.settings(tmp_path)
    async with Database(settings.database) as db:
        await db.migrate()
        await add_attempt(db, "address:192.0.2.1", NOW - timedelta(days=1))
        await add_attempt(db, "address:192.0.2.9", NOW - timedelta(minutes=1))
    app = create_app(settings, clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        assert await keys_left(app.state.db) == ["address:192.0.2.9"]
