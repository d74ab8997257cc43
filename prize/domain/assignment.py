"""Jury assignment: which jurors read which entry, under the prize's rules.

Two layers, both pure (data in, data out; no I/O):

* :func:`solve` works on indices. It takes an affinity matrix (jurors × entries) and
  returns the ``(juror, entry)`` pairs of an assignment with the greatest total affinity
  that gives every entry exactly ``per_entry`` jurors, keeps loads within bounds and
  honours forbidden and pinned pairs. Pinned pairs are assigned beforehand (they lower
  the entry's demand and the juror's room); the rest is an exact min-cost flow
  (:mod:`prize.domain.assignment_flow`). When no assignment exists it raises
  :class:`Infeasible` with a sentence that names the rule at fault
  (:mod:`prize.domain.assignment_reasons`).
* :func:`assign_edition` applies the prize's rules to entries and jurors: conflicts
  (country, organisation, declared), the affinity of a juror for an entry, balanced
  loads, and the "every juror without a conflict scores every entry" mode of the real
  prize's jury of seven. Its messages speak of references, names and countries.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from babel import Locale

from prize.domain.assignment_flow import AFFINITY_SCALE, Bounds, optimal_pairs
from prize.domain.assignment_reasons import (
    Infeasible,
    Wording,
    capitalised,
    explain_shortfall,
    listing,
    plural,
    refuse_clashes,
    refuse_impossible_rules,
    several,
)

__all__ = [
    "AFFINITY_SCALE",
    "EditionAssignment",
    "EntryForAssignment",
    "Infeasible",
    "JurorForAssignment",
    "affinity_between",
    "assign_edition",
    "conflict_between",
    "country_name",
    "solve",
]


def _affinity_matrix(affinity: Any) -> np.ndarray:
    weights = np.asarray(affinity, dtype=np.float64)
    if weights.ndim != 2:
        raise ValueError(f"affinity must be a 2-D jurors × entries matrix, not {weights.ndim}-D")
    # Written so that NaN fails too.
    if not np.all((weights >= 0.0) & (weights <= 1.0)):
        raise ValueError("every affinity must be a number between 0 and 1")
    return weights


def _count(name: str, value: Any) -> int:
    number = operator.index(value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    return number


def _pair_mask(pairs: Any, shape: tuple[int, int], name: str) -> np.ndarray:
    """A jurors × entries boolean mask of the given (juror, entry) index pairs."""
    array = np.asarray(pairs if isinstance(pairs, np.ndarray) else list(pairs))
    if array.size and array.dtype.kind not in "iu":
        raise ValueError(f"{name} pairs must be (juror, entry) integer indices")
    index = array.astype(np.int64).reshape(-1, 2)
    outside = (index < 0) | (index >= np.array(shape))
    if outside.any():
        juror, entry = index[np.flatnonzero(outside.any(axis=1))[0]]
        raise ValueError(f"{name} pair ({juror}, {entry}) is outside {shape[0]} × {shape[1]}")
    mask = np.zeros(shape, dtype=bool)
    # A pair given twice means the same as once.
    mask[index[:, 0], index[:, 1]] = True
    return mask


def solve(
    affinity: Any,
    *,
    per_entry: int,
    max_load: int,
    min_load: int = 0,
    forbidden: Iterable[tuple[int, int]] = (),
    pinned: Iterable[tuple[int, int]] = (),
    entry_labels: Sequence[str] | None = None,
    juror_labels: Sequence[str] | None = None,
    describe_entries: Callable[[Sequence[int]], str] | None = None,
) -> list[tuple[int, int]]:
    """Assign jurors to entries with the greatest total affinity.

    ``affinity[j][e]`` (a list of lists or a 2-D array, jurors × entries) is how well
    juror ``j`` fits entry ``e``, a number in [0, 1]. Returns the ``(juror, entry)``
    index pairs, sorted, of an assignment in which:

    * every entry has exactly ``per_entry`` distinct jurors;
    * every juror has between ``min_load`` and ``max_load`` entries;
    * no ``forbidden`` pair appears and every ``pinned`` pair does;
    * the total affinity is the greatest possible (exactly, for affinities with up to
      six decimals; see :data:`AFFINITY_SCALE`).

    Raises :class:`Infeasible`, with a sentence naming the rule that makes it
    impossible, when no such assignment exists; never returns a partial one. Raises a
    plain :class:`ValueError` for malformed input (negative counts, affinities outside
    [0, 1], indices out of range).

    ``entry_labels`` and ``juror_labels`` (one string per entry / juror) name them in
    messages; ``describe_entries`` turns a group of entry indices into a noun phrase
    such as "3 entries from Malta".
    """
    weights = _affinity_matrix(affinity)
    per_entry = _count("per_entry", per_entry)
    max_load = _count("max_load", max_load)
    min_load = _count("min_load", min_load)
    shape = weights.shape
    for labels, count, kind in (
        (juror_labels, shape[0], "juror"),
        (entry_labels, shape[1], "entry"),
    ):
        if labels is not None and len(labels) != count:
            raise ValueError(f"{len(labels)} {kind} labels given for {count} {kind} rows/columns")
    wording = Wording(entry_labels, juror_labels, describe_entries)
    forbidden_mask = _pair_mask(forbidden, shape, "forbidden")
    pinned_mask = _pair_mask(pinned, shape, "pinned")

    refuse_impossible_rules(forbidden_mask, pinned_mask, per_entry, min_load, max_load, wording)
    pinned_per_entry = pinned_mask.sum(axis=0)
    pinned_per_juror = pinned_mask.sum(axis=1)
    remaining = Bounds(
        free=~forbidden_mask & ~pinned_mask,
        demand=per_entry - pinned_per_entry,
        lower=np.maximum(min_load - pinned_per_juror, 0),
        upper=max_load - pinned_per_juror,
    )
    chosen = optimal_pairs(weights, remaining)
    if chosen is None:
        raise explain_shortfall(remaining, pinned_mask, wording)
    jurors, entries = np.nonzero(chosen | pinned_mask)
    return list(zip(jurors.tolist(), entries.tolist(), strict=True))


@dataclass(frozen=True)
class EntryForAssignment:
    """What assignment needs to know of an eligible entry."""

    id: int
    reference: str
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2 codes of the countries of activity
    organisation: str = ""
    language: str = "en"
    settings: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    #: The languages of the entry's complete translations: it reads in those too.
    translated: tuple[str, ...] = ()


@dataclass(frozen=True)
class JurorForAssignment:
    """What assignment needs to know of a juror.

    ``preferences`` maps entry ids to +1 (would like to read it) or −1 (would rather
    not); ``declared_conflicts`` holds the ids of entries the juror declared a conflict
    of interest with.
    """

    id: int
    name: str
    country: str
    organisation: str = ""
    languages: tuple[str, ...] = ("en",)
    expertise_settings: tuple[str, ...] = ()
    expertise_groups: tuple[str, ...] = ()
    preferences: Mapping[int, int] = field(default_factory=dict, hash=False)
    declared_conflicts: frozenset[int] = frozenset()


@dataclass(frozen=True)
class EditionAssignment:
    """Who reads which entry, as found by :func:`assign_edition`.

    ``pairs`` holds ``(juror_id, entry_id)`` in the order of the jurors, then entries,
    given; ``loads`` has every juror (0 for one without entries); ``affinity`` the
    affinity of each assigned pair; ``objective`` their sum (rounded to six decimals);
    ``per_entry`` and ``max_load`` the rules applied (None: every juror without a
    conflict, no load limit).
    """

    pairs: tuple[tuple[int, int], ...]
    loads: Mapping[int, int]
    affinity: Mapping[tuple[int, int], float]
    objective: float
    per_entry: int | None
    max_load: int | None

    def jurors_of(self, entry_id: int) -> tuple[int, ...]:
        """The ids of the jurors who read this entry."""
        return tuple(juror for juror, entry in self.pairs if entry == entry_id)

    def entries_of(self, juror_id: int) -> tuple[int, ...]:
        """The ids of the entries this juror reads."""
        return tuple(entry for juror, entry in self.pairs if juror == juror_id)


# The affinity of a juror for an entry, a sum of weights that adds up to 1.
LANGUAGE_WEIGHT = 0.35  # the juror reads the entry's language
SETTING_WEIGHT = 0.25  # times the share of the entry's settings in the juror's expertise
TARGET_GROUP_WEIGHT = 0.20  # times the share of the entry's target groups likewise
PREFERENCE_WEIGHT = 0.20  # liked: all of it, no preference: half, disliked: none


def affinity_between(juror: JurorForAssignment, entry: EntryForAssignment) -> float:
    """How well the juror fits the entry, in [0, 1], rounded to six decimals.

    0.35 if the entry's language (or that of one of its complete translations) is one of
    the juror's languages; plus 0.25 × the
    share of the entry's settings within the juror's expertise; plus 0.20 × the share
    of its target groups within the juror's; plus 0.20 if the juror likes the entry,
    0.10 with no preference, 0 if they dislike it. (A neutral preference sits in the
    middle so that a dislike lowers the fit even when nothing else matches, with no
    clipping needed.)
    """
    languages = {language.casefold() for language in juror.languages}
    # The store may not know an entry's language (None): then nothing matches.
    readable = {(entry.language or "").casefold()} | {t.casefold() for t in entry.translated}
    fit = LANGUAGE_WEIGHT if (readable - {""}) & languages else 0.0
    fit += SETTING_WEIGHT * _share(entry.settings, juror.expertise_settings)
    fit += TARGET_GROUP_WEIGHT * _share(entry.target_groups, juror.expertise_groups)
    preference = juror.preferences.get(entry.id, 0)
    fit += PREFERENCE_WEIGHT * (1 + (preference > 0) - (preference < 0)) / 2
    # Rounded so that solve() optimises exactly these numbers (see AFFINITY_SCALE).
    return round(min(max(fit, 0.0), 1.0), 6)


def _share(wanted: tuple[str, ...], offered: tuple[str, ...]) -> float:
    if not wanted:
        return 0.0
    return len(set(wanted) & set(offered)) / len(set(wanted))


def conflict_between(juror: JurorForAssignment, entry: EntryForAssignment) -> str | None:
    """Why the juror must not read the entry, or None when they may.

    A conflict is: the juror's country among the entry's countries; the same
    organisation (compared without case and surrounding or repeated spaces); or a
    conflict the juror declared.
    """
    countries = {country.upper() for country in entry.countries}
    # A juror whose country is not known yet conflicts with no country.
    if juror.country and juror.country.upper() in countries:
        return f"same country: {country_name(juror.country)}"
    organisation = _organisation_key(juror.organisation)
    if organisation and organisation == _organisation_key(entry.organisation):
        return f"same organisation: {(entry.organisation or '').strip()}"
    if entry.id in juror.declared_conflicts:
        return "declared conflict of interest"
    return None


def _organisation_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


@lru_cache(maxsize=1)
def _english_territories() -> Mapping[str, str]:
    return Locale.parse("en").territories


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 code, or the code when unknown.

    English because the jury works in English and these messages are for the
    secretariat; a page in another language can translate codes itself.
    """
    return _english_territories().get(code.upper(), code)


def assign_edition(
    entries: Sequence[EntryForAssignment],
    jurors: Sequence[JurorForAssignment],
    *,
    per_entry: int | None,
    max_load: int | None = None,
    slack: int = 1,
    min_load: int = 0,
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> EditionAssignment:
    """Assign the edition's jurors to its eligible entries under the prize's rules.

    With ``per_entry`` = R, every entry gets exactly R distinct jurors without a
    conflict (see :func:`conflict_between`), no juror takes more than ``max_load``
    entries (default ⌈E·R/J⌉ + ``slack``) nor fewer than ``min_load``, ``pinned``
    ``(juror_id, entry_id)`` pairs are kept and ``forbidden`` ones avoided, and the
    total affinity (see :func:`affinity_between`) is the greatest possible.

    With ``per_entry=None`` every juror without a conflict (and not forbidden) reads
    every entry, as the real prize's jury of seven does; loads follow, and are only
    checked against ``min_load`` and an explicit ``max_load``.

    To replace a juror who withdraws without moving others' submitted work, pin the
    pairs to keep and leave the juror out of ``jurors``.

    Raises :class:`Infeasible` (ids in ``entries``/``jurors``) with a sentence naming
    references, jurors and countries when no assignment exists; :class:`ValueError`
    for unknown ids, duplicate ids or negative numbers.
    """
    entries = tuple(entries)
    jurors = tuple(jurors)
    entry_index = _index_by_id(entries, "entry")
    juror_index = _index_by_id(jurors, "juror")
    shape = (len(jurors), len(entries))
    pinned_mask = _id_pair_mask(pinned, juror_index, entry_index, shape, "pinned")
    forbidden_mask = _id_pair_mask(forbidden, juror_index, entry_index, shape, "forbidden")
    reasons = [[conflict_between(juror, entry) for entry in entries] for juror in jurors]
    conflicted = np.array(
        [[reason is not None for reason in row] for row in reasons], dtype=bool
    ).reshape(shape)
    wording = Wording(
        [entry.reference for entry in entries],
        [juror.name for juror in jurors],
        lambda group: _describe_by_country(group, entries),
    )

    pinned_conflicts = np.argwhere(pinned_mask & conflicted)
    if len(pinned_conflicts):
        raise Infeasible(
            several(
                [
                    f"{jurors[j].name} is pinned to entry '{entries[e].reference}' but has "
                    f"a conflict with it ({reasons[j][e]})."
                    for j, e in pinned_conflicts
                ],
                "pair",
                "pairs",
            ),
            entries=[entries[e].id for e in pinned_conflicts[:, 1]],
            jurors=[jurors[j].id for j in pinned_conflicts[:, 0]],
        )

    fit = np.array(
        [[affinity_between(juror, entry) for entry in entries] for juror in jurors],
        dtype=np.float64,
    ).reshape(shape)
    excluded = conflicted | forbidden_mask
    try:
        if per_entry is None:
            limit = max_load
            chosen = _everyone_without_conflict(excluded, pinned_mask, min_load, limit, wording)
        else:
            per_entry = _count("per_entry", per_entry)
            limit = (
                max_load
                if max_load is not None
                else _balanced_load(len(entries) * per_entry, len(jurors), _count("slack", slack))
            )
            chosen = np.zeros(shape, dtype=bool)
            pairs = solve(
                fit,
                per_entry=per_entry,
                max_load=limit,
                min_load=min_load,
                forbidden=np.argwhere(excluded),
                pinned=np.argwhere(pinned_mask),
                entry_labels=wording.entry_labels,
                juror_labels=wording.juror_labels,
                describe_entries=wording.describe_entries,
            )
            for j, e in pairs:
                chosen[j, e] = True
    except Infeasible as error:
        # Callers know entries and jurors by id, not by their position here.
        raise Infeasible(
            error.message,
            entries=[entries[e].id for e in error.entries],
            jurors=[jurors[j].id for j in error.jurors],
        ) from error

    assigned = [(jurors[j].id, entries[e].id, float(fit[j, e])) for j, e in np.argwhere(chosen)]
    loads = chosen.sum(axis=1)
    return EditionAssignment(
        pairs=tuple((juror_id, entry_id) for juror_id, entry_id, _ in assigned),
        loads={juror.id: int(loads[j]) for j, juror in enumerate(jurors)},
        affinity={(juror_id, entry_id): value for juror_id, entry_id, value in assigned},
        objective=round(sum(value for _, _, value in assigned), 6),
        per_entry=per_entry,
        max_load=limit,
    )


def _balanced_load(readings: int, n_jurors: int, slack: int) -> int:
    """⌈readings / jurors⌉ + slack: the design's default maximum load."""
    return math.ceil(readings / n_jurors) + slack if n_jurors else 0


def _index_by_id(items: Sequence[Any], kind: str) -> dict[int, int]:
    index = {item.id: position for position, item in enumerate(items)}
    if len(index) != len(items):
        raise ValueError(f"two {kind} records share an id")
    return index


def _id_pair_mask(
    pairs: Iterable[tuple[int, int]],
    juror_index: Mapping[int, int],
    entry_index: Mapping[int, int],
    shape: tuple[int, int],
    name: str,
) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    for juror_id, entry_id in pairs:
        if juror_id not in juror_index:
            raise ValueError(f"{name} pair names unknown juror id {juror_id!r}")
        if entry_id not in entry_index:
            raise ValueError(f"{name} pair names unknown entry id {entry_id!r}")
        mask[juror_index[juror_id], entry_index[entry_id]] = True
    return mask


def _describe_by_country(group: Sequence[int], entries: Sequence[EntryForAssignment]) -> str:
    """'3 entries from Malta' when the group shares countries, else their references."""
    if len(group) == 1:
        return f"entry '{entries[group[0]].reference}'"
    shared = set.intersection(
        *({country.upper() for country in entries[e].countries} for e in group)
    )
    if shared:
        return f"{len(group)} entries from {listing(sorted(map(country_name, shared)))}"
    references = [f"'{entries[e].reference}'" for e in group]
    return f"the {len(group)} entries {listing(references)}"


def _everyone_without_conflict(
    excluded: np.ndarray,
    pinned: np.ndarray,
    min_load: int,
    max_load: int | None,
    wording: Wording,
) -> np.ndarray:
    """Every allowed pair, after checking that the rules still hold."""
    min_load = _count("min_load", min_load)
    refuse_clashes(pinned, excluded, wording)
    chosen = ~excluded
    readers = chosen.sum(axis=0)
    unread = np.flatnonzero(readers == 0)
    if len(unread):
        raise Infeasible(
            several(
                [
                    capitalised(f"{wording.entry(e)} has no juror without a conflict.")
                    for e in unread
                ],
                "entry",
                "entries",
            ),
            entries=unread.tolist(),
        )
    loads = chosen.sum(axis=1)
    for j in range(len(loads)):
        if loads[j] < min_load:
            raise Infeasible(
                f"{capitalised(wording.juror(j))} has only "
                f"{plural(int(loads[j]), 'entry', 'entries')} without a conflict but must "
                f"take at least {min_load}.",
                jurors=[j],
            )
        if max_load is not None and loads[j] > max_load:
            raise Infeasible(
                f"{capitalised(wording.juror(j))} has no conflict with "
                f"{plural(int(loads[j]), 'entry', 'entries')} and so would read them all, "
                f"more than the maximum load of {max_load}.",
                jurors=[j],
            )
    return chosen
