"""The demo data of CONTRACTS.md; loading it twice changes nothing."""

from __future__ import annotations

from prize.clock import Clock
from prize.demo import (
    accounts,
    discussion,
    judging_edition,
    jury,
    open_edition,
    practice_photos,
    published_edition,
    two_round_edition,
)
from prize.settings import Settings
from prize.store.db import Database
from prize.web.security import Passwords

DEMO_PASSWORD = "demo-password"


async def load_demo(db: Database, settings: Settings, clock: Clock) -> None:
    await accounts.load(db, Passwords(settings), clock)
    await open_edition.load(db, clock)
    await jury.load(db, clock)
    await judging_edition.load(db, clock)
    await two_round_edition.load(db, clock)
    await discussion.load(db, settings, clock)
    await published_edition.load(db, clock)
    await practice_photos.load(db, settings.upload_dir)
