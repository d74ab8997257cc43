"""Judging progress and reminders: pure arithmetic on counts and times."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class JurorProgress:
    juror_id: int
    name: str
    email: str
    assigned: int
    submitted: int
    last_activity: datetime | None
    is_active: bool = True

    @property
    def percent(self) -> int:
        return completion_percent(self.submitted, self.assigned)

    @property
    def is_late(self) -> bool:
        """Still has sheets to submit (a reminder may go to this juror)."""
        return self.is_active and self.submitted < self.assigned


def completion_percent(submitted: int, assigned: int) -> int:
    """Whole percent, rounded down so that 100 means truly done."""
    if assigned <= 0:
        return 0
    return math.floor(100 * min(submitted, assigned) / assigned)


def days_left(now: datetime, ends_at: datetime | None, tz: str) -> int | None:
    """Whole calendar days (in the edition's zone) from today to the judging deadline."""
    if ends_at is None:
        return None
    zone = ZoneInfo(tz)
    return (ends_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def start_of_local_day(now: datetime, tz: str) -> datetime:
    """Midnight of `now`'s day in the zone `tz`, as a UTC time."""
    zone = ZoneInfo(tz)
    local_day = now.astimezone(zone).date()
    return datetime.combine(local_day, time(0), tzinfo=zone).astimezone(UTC)
