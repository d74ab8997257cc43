"""What a new run of the assignment would change, juror by juror, and why loads differ.

Pure functions over ids, no I/O. :func:`compare` sets the pairs assigned now beside a
proposal: each juror's entries added and removed, and the pairs on which scoring has
started (a score sheet exists), which a proposal may never remove: such a proposal is
refused with :class:`StartedWorkRemoved`. :func:`load_reasons` says, for a juror whose
load differs from the most common one, what explains it: conflicts, pins, forbidden
pairs, entries they may not read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Pair = tuple[int, int]  # (juror_id, entry_id)


class StartedWorkRemoved(ValueError):
    """A proposal drops pairs on which a juror has started scoring."""

    def __init__(self, pairs: Iterable[Pair]) -> None:
        self.pairs = tuple(sorted(pairs))
        super().__init__(f"the proposal removes {len(self.pairs)} pair(s) already started")


@dataclass(frozen=True)
class JurorChange:
    juror_id: int
    added: tuple[int, ...]      # entry ids the juror would get
    removed: tuple[int, ...]    # entry ids the juror would lose (none started)
    kept: tuple[int, ...]       # entry ids the juror keeps
    started: tuple[int, ...]    # of the kept, those with a score sheet (never removed)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def before(self) -> int:
        return len(self.kept) + len(self.removed)

    @property
    def after(self) -> int:
        return len(self.kept) + len(self.added)


@dataclass(frozen=True)
class AssignmentChanges:
    jurors: tuple[JurorChange, ...]
    basis: str      # fingerprint of the assignment compared against
    proposal: str   # fingerprint of the proposal
    unchanged_jurors: int = field(default=0)

    @property
    def changed(self) -> tuple[JurorChange, ...]:
        return tuple(change for change in self.jurors if change.changed)

    @property
    def added(self) -> int:
        return sum(len(change.added) for change in self.jurors)

    @property
    def removed(self) -> int:
        return sum(len(change.removed) for change in self.jurors)

    def changed_juror_ids(self) -> frozenset[int]:
        return frozenset(change.juror_id for change in self.changed)


def fingerprint(pairs: Iterable[Pair]) -> str:
    """A short digest of a set of pairs, the same whatever their order."""
    text = ";".join(f"{juror}:{entry}" for juror, entry in sorted(set(pairs)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def compare(current: Iterable[Pair], proposed: Iterable[Pair], started: Iterable[Pair],
            jurors: Iterable[int] = ()) -> AssignmentChanges:
    """Each juror's change from `current` to `proposed` (jurors named in `jurors` are
    listed even with no pair, in that order first; others follow by id).

    Raises :class:`StartedWorkRemoved` if `proposed` lacks a started pair of `current`.
    """
    current, proposed = set(current), set(proposed)
    started = set(started) & current
    lost = started - proposed
    if lost:
        raise StartedWorkRemoved(lost)
    order = list(dict.fromkeys(jurors))
    for juror, _ in sorted(current | proposed):
        if juror not in order:
            order.append(juror)
    changes = []
    for juror in order:
        before = {entry for j, entry in current if j == juror}
        after = {entry for j, entry in proposed if j == juror}
        changes.append(JurorChange(
            juror_id=juror,
            added=tuple(sorted(after - before)),
            removed=tuple(sorted(before - after)),
            kept=tuple(sorted(before & after)),
            started=tuple(sorted(entry for j, entry in started if j == juror)),
        ))
    return AssignmentChanges(
        jurors=tuple(changes), basis=fingerprint(current) + fingerprint(started),
        proposal=fingerprint(proposed),
        unchanged_jurors=sum(1 for change in changes if not change.changed))


# Why a juror's load differs --------------------------------------------------------


@dataclass(frozen=True)
class LoadFacts:
    """What bears on one juror's load, counted over the edition's judged entries."""

    load: int
    conflicts: int = 0       # entries the juror may not score (country, organisation, declared)
    unreadable: int = 0      # entries in no language the juror reads (assigned only if needed)
    pinned: int = 0
    forbidden: int = 0
    started: int = 0


@dataclass(frozen=True)
class LoadReason:
    """One fact that explains a load, as a key and a count; the page words it."""

    key: str  # "conflicts", "unreadable", "forbidden", "pinned", "started", "capacity"
    count: int


def typical_load(loads: Iterable[int]) -> int | None:
    """The most common load (the larger one on a tie), or None without jurors."""
    counted = Counter(loads)
    if not counted:
        return None
    return max(counted, key=lambda load: (counted[load], load))


def load_reasons(facts: Mapping[int, LoadFacts]) -> dict[int, tuple[LoadReason, ...]]:
    """For each juror whose load is not the typical one, the facts that explain it.

    Below the typical load: conflicts, forbidden pairs and unreadable entries leave the
    juror fewer entries to take. Above it: pins, started sheets kept, or others' conflicts
    ("capacity": the juror is among the few who may read some entries).
    """
    typical = typical_load(fact.load for fact in facts.values())
    if typical is None:
        return {}
    fewest_conflicts = min(fact.conflicts for fact in facts.values())
    explained: dict[int, tuple[LoadReason, ...]] = {}
    for juror, fact in facts.items():
        if fact.load == typical:
            continue
        reasons: list[LoadReason] = []
        if fact.load < typical:
            if fact.conflicts:
                reasons.append(LoadReason("conflicts", fact.conflicts))
            if fact.forbidden:
                reasons.append(LoadReason("forbidden", fact.forbidden))
            if fact.unreadable:
                reasons.append(LoadReason("unreadable", fact.unreadable))
        else:
            if fact.pinned:
                reasons.append(LoadReason("pinned", fact.pinned))
            if fact.started > typical:
                reasons.append(LoadReason("started", fact.started))
            if fact.conflicts <= fewest_conflicts:
                reasons.append(LoadReason("capacity", fact.load - typical))
        explained[juror] = tuple(reasons)
    return explained


def facts_of(entries, jurors, pairs: Iterable[Pair], *, pinned: Iterable[Pair] = (),
             forbidden: Iterable[Pair] = (), started: Iterable[Pair] = ()) -> dict[int, LoadFacts]:
    """The :class:`LoadFacts` of each juror (``JurorForAssignment``) over the entries
    (``EntryForAssignment``) of :mod:`prize.domain.assignment`, for `pairs` assigned."""
    from prize.domain.assignment import conflict_between

    pairs, pinned, forbidden, started = set(pairs), set(pinned), set(forbidden), set(started)
    facts = {}
    for juror in jurors:
        languages = {language.lower() for language in juror.languages}
        facts[juror.id] = LoadFacts(
            load=sum(1 for j, _ in pairs if j == juror.id),
            conflicts=sum(1 for entry in entries if conflict_between(juror, entry)),
            unreadable=sum(1 for entry in entries if languages
                           and (entry.language or "en").lower() not in languages
                           and not conflict_between(juror, entry)),
            pinned=sum(1 for j, _ in pinned if j == juror.id),
            forbidden=sum(1 for j, _ in forbidden if j == juror.id),
            started=sum(1 for j, _ in started if j == juror.id),
        )
    return facts
