"""The jury meeting: what it goes through, who may vote, and the rules its decisions follow.

The real prize is decided by a jury of young people advised by experts who never vote. At
the meeting the secretariat goes through the shortlist in ranking order, records who
attended and, for each entry, the decision with the jury's statement and, where the jury
votes, the counts for, against and abstaining.

Decisions follow the real prize: at most the edition's number of awards (when it says one),
plus any number of special mentions and nominations. A nomination is an entry kept on the
shortlist: it is published as shortlisted, as before. The statement an award needs is
checked by :func:`prize.domain.lifecycle.entry_transition`; the number of awards by
:func:`award_problems`, which every place that records decisions calls (the deliberation
page and the meeting).

Pure: no clock, no database, no request. A meeting belongs to an edition and a round
(round 1 until rounds exist).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from prize.domain.lifecycle import (
    EntryTransitionResult,
    TransitionRefused,
    edition_status_label,
)
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.i18n import gettext

#: Round 1's meeting (each round has its own: prize.domain.rounds).
FIRST_ROUND = 1
#: The meeting's own decision: a shortlisted entry stays on the shortlist as a nomination
#: (its status does not change; the vote and statement are recorded).
NOMINATE = "nominate"
#: The steps the meeting offers, in the order of the decision list: the lifecycle's entry
#: transitions (which apply depends on the entry's status) and the nomination.
MEETING_DECISIONS = ("award_winner", "award_special_mention", NOMINATE, "shortlist",
                     "not_select", "revoke_award", "reconsider")
#: Entries the meeting goes through when the jury has made a shortlist: the shortlisted
#: ones and those already decided from it.
ON_THE_AGENDA = frozenset({EntryStatus.SHORTLISTED, EntryStatus.WINNER,
                           EntryStatus.SPECIAL_MENTION})
MAX_GUESTS = 30
MAX_GUEST_CHARS = 120
#: No count of votes is higher than any jury could be.
MAX_VOTES = 999

_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def agenda(ranked_ids: Sequence[int], statuses: Mapping[int, str],
           recorded: Iterable[int] = ()) -> list[int]:
    """The entries the meeting goes through, in ranking order.

    The shortlist (shortlisted entries, those awarded from it, and any entry whose decision
    was recorded at the meeting) when there is one; otherwise every ranked entry.
    """
    recorded_ids = set(recorded)
    listed = [entry_id for entry_id in ranked_ids
              if statuses.get(entry_id) in ON_THE_AGENDA or entry_id in recorded_ids]
    return listed or list(ranked_ids)


def neighbours(order: Sequence[int], entry_id: int) -> tuple[int | None, int | None]:
    """The entries before and after ``entry_id`` on the agenda (None at either end)."""
    if entry_id not in order:
        return None, None
    at = order.index(entry_id)
    return (order[at - 1] if at > 0 else None,
            order[at + 1] if at + 1 < len(order) else None)


def award_problems(awards: int | None, statuses: Mapping[int, str],
                   planned: Mapping[int, str]) -> list[str]:
    """Sentences saying why decisions would break the number of awards, or none.

    ``statuses`` are the edition's entries' statuses now, ``planned`` the statuses some of
    them would get. With ``awards`` None the edition has not said how many awards it
    gives, so there is no limit. Decisions that lower the number of awards, or keep it,
    are always allowed (so an edition above its limit can be put right).
    """
    if awards is None:
        return []
    before = sum(1 for status in statuses.values() if status == EntryStatus.WINNER)
    after = sum(1 for entry_id, status in {**statuses, **planned}.items()
                if status == EntryStatus.WINNER)
    if after <= awards or after <= before:
        return []
    return [gettext(
        "The edition gives at most {awards} awards, and these decisions would make {count}: "
        "give a special mention or a nomination instead, or cancel an award first."
    ).format(awards=awards, count=after)]


@dataclass(frozen=True)
class Vote:
    """The jury's vote on one decision."""

    in_favour: int
    against: int
    abstaining: int

    @property
    def total(self) -> int:
        return self.in_favour + self.against + self.abstaining


VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstaining")


def parse_vote(texts: Mapping[str, str], *, jurors_present: int,
               advisors_present: int = 0) -> tuple[Vote | None, dict[str, str]]:
    """The vote typed in the three fields ``votes_for``, ``votes_against``,
    ``votes_abstaining``, or None when all three are empty (the jury did not vote).

    Each count is a whole number from 0; an empty one beside others counts as 0. Only the
    jurors present vote (advisors never do), so the three together are at most
    ``jurors_present``. Errors are keyed by field (``votes_for`` for the sum).
    """
    given = {name: (texts.get(name) or "").strip() for name in VOTE_FIELDS}
    if not any(given.values()):
        return None, {}
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name, text in given.items():
        if not text:
            counts[name] = 0
        elif _WHOLE_NUMBER.fullmatch(text) and int(text) <= MAX_VOTES:
            counts[name] = int(text)
        else:
            errors[name] = gettext("Enter a whole number of votes, 0 or more.")
    if errors:
        return None, errors
    vote = Vote(counts["votes_for"], counts["votes_against"], counts["votes_abstaining"])
    if vote.total > jurors_present:
        if jurors_present == 0 and advisors_present:
            message = gettext(
                "Only jurors vote, and no juror is recorded as present: advisors never vote.")
        elif jurors_present == 0:
            message = gettext("Record who attended first: only the jurors present vote.")
        else:
            message = gettext(
                "{total} votes, but {present} jurors are present: only jurors vote, "
                "advisors never do."
            ).format(total=vote.total, present=jurors_present)
        return None, {"votes_for": message}
    return vote, {}


def parse_guests(text: str) -> tuple[list[str], str | None]:
    """The guests written one a line (blank lines ignored), or a sentence saying what is
    wrong: too many, a name too long, or a character that is not text."""
    names = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(names) > MAX_GUESTS:
        return names, gettext("At most {n} guests, one a line.").format(n=MAX_GUESTS)
    for name in names:
        if len(name) > MAX_GUEST_CHARS:
            return names, gettext("A guest's name and role take at most {n} characters: "
                                  "“{start}…”.").format(n=MAX_GUEST_CHARS, start=name[:30])
        if _CONTROL.search(name):
            return names, gettext("Write each guest on a line of plain text.")
    return names, None


#: How far ahead of now a meeting's time may be written (it is recorded on the day).
AHEAD = timedelta(days=1)


def parse_held_at(text: str, *, timezone: str, now: datetime) -> tuple[datetime | None, str | None]:
    """When the meeting was held, typed as a datetime-local value ("2027-06-20T14:00") in the
    edition's time zone, as UTC; or None with a sentence saying what is wrong. Empty text
    is (None, None): the time already recorded (or now) stays."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        naive = None
    if naive is None or naive.tzinfo is not None:
        return None, gettext("Enter a date and time like 2027-06-20 14:00.")
    zone = ZoneInfo(timezone)
    local = naive.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None, gettext("This time does not exist here: the clocks change then.")
    held_at = local.astimezone(UTC)
    if held_at > now + AHEAD:
        return None, gettext("The meeting cannot be in the future: record it on the day.")
    return held_at, None


def nominate(current: str, *, edition_status: str, statement: str) -> EntryTransitionResult:
    """Keep a shortlisted entry on the shortlist as the jury's nomination, with an optional
    statement; the entry's status does not change, and it is published as shortlisted.

    Raises :class:`TransitionRefused` with every reason: the entry is not shortlisted, or
    the edition is not in deliberation."""
    problems = []
    if EntryStatus(current) is not EntryStatus.SHORTLISTED:
        problems.append(gettext("Only a shortlisted entry can be nominated: shortlist it first."))
    if EditionStatus(edition_status) is not EditionStatus.DELIBERATION:
        problems.append(gettext(
            "Decisions are recorded only while the edition is in deliberation; it is {current}."
        ).format(current=f"“{edition_status_label(edition_status)}”"))
    if problems:
        raise TransitionRefused(problems)
    text = statement.strip()
    return EntryTransitionResult(
        name=NOMINATE, source=EntryStatus.SHORTLISTED, target=EntryStatus.SHORTLISTED,
        audit_action="entry.nominated", audit_description="Nominated the entry",
        statement=text or None, details={"from": "shortlisted", "to": "shortlisted"})
