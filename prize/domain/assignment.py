"""Jury assignment: which jurors read which entry.

Two layers, both pure (data in, data out; no I/O):

* :func:`solve` is the optimiser on indices. It takes an affinity matrix (jurors ×
  entries) and returns the ``(juror, entry)`` pairs of an assignment with the greatest
  total affinity that gives every entry exactly ``per_entry`` jurors, keeps loads within
  bounds and honours forbidden and pinned pairs. It is an exact min-cost flow solved by
  OR-Tools; when no assignment exists it raises :class:`Infeasible` with a sentence
  that names the rule at fault.
* :func:`assign_edition` applies the prize's rules to entries and jurors: conflicts
  (country, organisation, declared), the affinity of a juror for an entry, balanced
  loads, and the "every juror without a conflict scores every entry" mode of the real
  prize's jury of seven. Its messages speak of references, names and countries.

The flow network of :func:`solve`::

    source ──[load]──► juror ──[1, cost −affinity]──► entry ──[per_entry]──► (demand)

Arcs of capacity 1 between a juror and an entry make a duplicate pair impossible;
forbidden pairs have no arc at all; pinned pairs are assigned beforehand (they lower
the entry's demand and the juror's room). The minimum load is a lower bound on the
source → juror arc, moved into the node supplies (the juror supplies its mandatory
units itself), which is exact.
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
from ortools.graph.python import max_flow, min_cost_flow

#: Costs of the flow must be integers: a pair's cost is −round(affinity × AFFINITY_SCALE).
#: Affinities with up to six decimals (the benchmark's have three, assign_edition rounds
#: to six) are therefore optimised exactly; any other float is optimised to within 10⁻⁶
#: per assigned pair. (A scale of 1000 would suffice for three decimals, but saved only
#: about 7 % of the time on 5000 × 500.) Far from OR-Tools' overflow limits, which need
#: the largest cost × the number of nodes to fit in 64 bits.
AFFINITY_SCALE = 1_000_000

# How many offenders a message names before it says "and N more".
_NAMED_IN_MESSAGE = 3
_LISTED_IN_MESSAGE = 5


class Infeasible(ValueError):
    """No assignment follows every rule; ``str(error)`` says which rule, in plain words.

    ``entries`` and ``jurors`` hold what the problem is about (indices when raised by
    :func:`solve`, ids when raised by :func:`assign_edition`), so a page can point at them.
    """

    def __init__(
        self, message: str, *, entries: Iterable[Any] = (), jurors: Iterable[Any] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.entries = tuple(entries)
        self.jurors = tuple(jurors)


# ---------------------------------------------------------------------------------------
# Wording of messages
# ---------------------------------------------------------------------------------------


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _listing(items: Sequence[str], limit: int = _LISTED_IN_MESSAGE) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C, D, E and 4 more'."""
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


@dataclass(frozen=True)
class _Wording:
    """Names entries and jurors in messages, with labels when the caller gave them."""

    entry_labels: Sequence[str] | None
    juror_labels: Sequence[str] | None
    describe_entries: Callable[[Sequence[int]], str] | None

    def entry(self, e: int) -> str:
        return f"entry '{self.entry_labels[e]}'" if self.entry_labels else f"entry #{e}"

    def juror(self, j: int) -> str:
        return self.juror_labels[j] if self.juror_labels else f"juror #{j}"

    def entry_group(self, group: Sequence[int]) -> str:
        if self.describe_entries is not None:
            return self.describe_entries(group)
        if len(group) == 1:
            return self.entry(group[0])
        labels = [f"'{self.entry_labels[e]}'" if self.entry_labels else f"#{e}" for e in group]
        return f"the {len(group)} entries {_listing(labels)}"

    def juror_group(self, group: Sequence[int]) -> str:
        return _listing([self.juror(j) for j in group])


def _several(sentences: list[str], kind: str, kinds: str) -> str:
    """The first few sentences, then how many more offenders are in the same case."""
    shown = " ".join(sentences[:_NAMED_IN_MESSAGE])
    rest = len(sentences) - _NAMED_IN_MESSAGE
    if rest > 0:
        shown += f" {rest} more {kind if rest == 1 else kinds} in the same case."
    return shown


# ---------------------------------------------------------------------------------------
# Input checks (programming errors: plain ValueError)
# ---------------------------------------------------------------------------------------


def _refuse_clashes(pinned: np.ndarray, forbidden: np.ndarray, wording: _Wording) -> None:
    """Infeasible, naming every pair that is both pinned and forbidden."""
    clashes = np.argwhere(pinned & forbidden)
    if len(clashes):
        raise Infeasible(
            _several(
                [
                    _capitalised(
                        f"{wording.juror(j)} is both pinned to and forbidden "
                        f"from {wording.entry(e)}."
                    )
                    for j, e in clashes
                ],
                "pair",
                "pairs",
            ),
            entries=clashes[:, 1].tolist(),
            jurors=clashes[:, 0].tolist(),
        )


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


# ---------------------------------------------------------------------------------------
# solve()
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Remaining:
    """What is left to decide once the pinned pairs are assigned."""

    free: np.ndarray  # jurors × entries: pairs the flow may still choose
    demand: np.ndarray  # per entry: readings still needed
    lower: np.ndarray  # per juror: entries they must still take
    upper: np.ndarray  # per juror: entries they may still take
    pinned: np.ndarray  # jurors × entries: the pinned pairs


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
    wording = _Wording(entry_labels, juror_labels, describe_entries)
    forbidden_mask = _pair_mask(forbidden, shape, "forbidden")
    pinned_mask = _pair_mask(pinned, shape, "pinned")

    _check_rules(forbidden_mask, pinned_mask, per_entry, min_load, max_load, wording)
    pinned_per_entry = pinned_mask.sum(axis=0)
    pinned_per_juror = pinned_mask.sum(axis=1)
    remaining = _Remaining(
        free=~forbidden_mask & ~pinned_mask,
        demand=per_entry - pinned_per_entry,
        lower=np.maximum(min_load - pinned_per_juror, 0),
        upper=max_load - pinned_per_juror,
        pinned=pinned_mask,
    )
    chosen = _optimal_flow(weights, remaining)
    if chosen is None:
        raise _explain_shortfall(remaining, wording)
    jurors, entries = np.nonzero(chosen | pinned_mask)
    return list(zip(jurors.tolist(), entries.tolist(), strict=True))


def _check_rules(
    forbidden: np.ndarray,
    pinned: np.ndarray,
    per_entry: int,
    min_load: int,
    max_load: int,
    wording: _Wording,
) -> None:
    """Raise Infeasible for the reasons one can see without solving, most specific first."""
    n_jurors, n_entries = forbidden.shape
    if min_load > max_load:
        raise Infeasible(
            f"Each juror must take at least {_plural(min_load, 'entry', 'entries')} "
            f"but at most {max_load}: no load fits both."
        )

    if per_entry > n_jurors and n_entries:
        raise Infeasible(
            f"Each entry needs {_plural(per_entry, 'juror')} but the jury has "
            f"{'only ' + str(n_jurors) if n_jurors else 'no juror'}."
        )

    _refuse_clashes(pinned, forbidden, wording)

    pinned_per_entry = pinned.sum(axis=0)
    overpinned = np.flatnonzero(pinned_per_entry > per_entry)
    if len(overpinned):
        needs = f"needs only {per_entry}" if per_entry else "needs none"
        raise Infeasible(
            _several(
                [
                    _capitalised(
                        f"{wording.entry(e)} has {pinned_per_entry[e]} pinned jurors but {needs}."
                    )
                    for e in overpinned
                ],
                "entry",
                "entries",
            ),
            entries=overpinned.tolist(),
        )

    pinned_per_juror = pinned.sum(axis=1)
    overloaded = np.flatnonzero(pinned_per_juror > max_load)
    if len(overloaded):
        raise Infeasible(
            _several(
                [
                    _capitalised(
                        f"{wording.juror(j)} is pinned to "
                        f"{_plural(pinned_per_juror[j], 'entry', 'entries')} "
                        f"but may take at most {max_load}."
                    )
                    for j in overloaded
                ],
                "juror",
                "jurors",
            ),
            jurors=overloaded.tolist(),
        )

    allowed_per_entry = n_jurors - forbidden.sum(axis=0)
    short = np.flatnonzero(allowed_per_entry < per_entry)
    if len(short):

        def lacking(e: int) -> str:
            allowed = allowed_per_entry[e]
            jurors = f"only {_plural(allowed, 'juror')}" if allowed else "no juror"
            return _capitalised(
                f"{wording.entry(e)} has {jurors} without a conflict; it needs {per_entry}."
            )

        raise Infeasible(
            _several([lacking(e) for e in short], "entry", "entries"), entries=short.tolist()
        )

    readings = n_entries * per_entry
    if readings > n_jurors * max_load:
        if n_jurors == 0:
            jurors = "there is no juror to take them"
        else:
            jurors = (
                f"the {_plural(n_jurors, 'juror')} can take at most "
                f"{n_jurors * max_load} ({max_load} each at most)"
            )
        raise Infeasible(
            f"{_plural(n_entries, 'entry', 'entries')} need {readings} readings but {jurors}."
        )

    if n_jurors * min_load > readings:
        raise Infeasible(
            f"The {_plural(n_jurors, 'juror')} must take at least {min_load} "
            f"{'entry' if min_load == 1 else 'entries'} each ({n_jurors * min_load} readings) "
            f"but the {_plural(n_entries, 'entry', 'entries')} need only {readings} readings "
            f"({per_entry} each)."
        )

    allowed_per_juror = n_entries - forbidden.sum(axis=1)
    idle = np.flatnonzero(allowed_per_juror < min_load)
    if len(idle):
        raise Infeasible(
            _several(
                [
                    _capitalised(
                        f"{wording.juror(j)} has only "
                        f"{_plural(allowed_per_juror[j], 'entry', 'entries')} "
                        f"without a conflict but must take at least {min_load}."
                    )
                    for j in idle
                ],
                "juror",
                "jurors",
            ),
            jurors=idle.tolist(),
        )


def _integer_affinities(
    weights: np.ndarray, pair_juror: np.ndarray, pair_entry: np.ndarray
) -> np.ndarray:
    """round(affinity × AFFINITY_SCALE) of the listed pairs.

    Works in place on one gathered copy: on 5000 × 500, every extra temporary array of
    2.4 million floats costs more than the arithmetic.
    """
    scaled = weights[pair_juror, pair_entry]
    scaled *= AFFINITY_SCALE
    return np.rint(scaled, out=scaled).astype(np.int64)


def _optimal_flow(weights: np.ndarray, remaining: _Remaining) -> np.ndarray | None:
    """The chosen (juror, entry) pairs as a mask, or None when no flow meets every bound."""
    n_jurors, n_entries = remaining.free.shape
    readings = int(remaining.demand.sum())
    mandatory = int(remaining.lower.sum())
    chosen = np.zeros((n_jurors, n_entries), dtype=bool)
    if readings < mandatory:
        return None
    if readings == 0:
        return chosen

    # int32 node indices, as OR-Tools takes them, keep the 2.4 million arcs of
    # 5000 × 500 small. (Listing arcs entry by entry or juror by juror made no
    # measurable difference to the solve.)
    flat = np.flatnonzero(remaining.free.T)
    pair_entry = (flat // n_jurors).astype(np.int32)
    pair_juror = (flat % n_jurors).astype(np.int32)
    del flat
    source = n_jurors + n_entries
    n_pairs = len(pair_entry)

    tails = np.empty(n_jurors + n_pairs, dtype=np.int32)
    heads = np.empty(n_jurors + n_pairs, dtype=np.int32)
    capacities = np.ones(n_jurors + n_pairs, dtype=np.int64)
    costs = np.zeros(n_jurors + n_pairs, dtype=np.int64)
    tails[:n_jurors] = source
    heads[:n_jurors] = np.arange(n_jurors, dtype=np.int32)
    # The minimum load is supplied by the juror node itself (below), so the source
    # only sends what lies between the lower and the upper bound.
    capacities[:n_jurors] = remaining.upper - remaining.lower
    tails[n_jurors:] = pair_juror
    heads[n_jurors:] = pair_entry + n_jurors
    # Maximising affinity = minimising its negation; the total flow is fixed, so no
    # offset is needed to keep costs positive (OR-Tools accepts negative costs).
    costs[n_jurors:] = _integer_affinities(weights, pair_juror, pair_entry)
    np.negative(costs, out=costs)

    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    del tails, heads, capacities, costs
    supplies = np.concatenate([remaining.lower, -remaining.demand, [readings - mandatory]]).astype(
        np.int64
    )
    network.set_nodes_supplies(np.arange(source + 1, dtype=np.int32), supplies)

    status = network.solve()
    if status == network.INFEASIBLE:
        return None
    if status != network.OPTIMAL:
        # Overflow or a bad graph: a bug in this module, not something a user caused.
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = network.flows(np.arange(n_jurors, n_jurors + n_pairs, dtype=np.int32)) > 0
    chosen[pair_juror[used], pair_entry[used]] = True
    return chosen


# ---------------------------------------------------------------------------------------
# Why the flow could not route everything
# ---------------------------------------------------------------------------------------


def _max_flow_cut(
    free: np.ndarray, juror_capacity: np.ndarray, entry_capacity: np.ndarray, sink_side: bool
) -> np.ndarray | None:
    """Max flow source → jurors → entries → sink.

    None when the flow saturates the sink arcs (with ``sink_side``) or the source arcs
    (without); else the nodes on that side of a minimum cut, the smallest such side
    (jurors are numbered 0..J-1, entries J..J+E-1).
    """
    n_jurors, n_entries = free.shape
    source, sink = n_jurors + n_entries, n_jurors + n_entries + 1
    pair_juror, pair_entry = np.nonzero(free)
    tails = np.concatenate(
        [np.full(n_jurors, source), pair_juror, n_jurors + np.arange(n_entries)]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n_jurors), n_jurors + pair_entry, np.full(n_entries, sink)]
    ).astype(np.int32)
    capacities = np.concatenate([juror_capacity, np.ones(len(pair_juror)), entry_capacity]).astype(
        np.int64
    )
    network = max_flow.SimpleMaxFlow()
    network.add_arcs_with_capacity(tails, heads, capacities)
    if network.solve(source, sink) != network.OPTIMAL:
        raise RuntimeError("max flow failed while explaining an infeasible assignment")
    wanted = int(entry_capacity.sum() if sink_side else juror_capacity.sum())
    if network.optimal_flow() >= wanted:
        return None
    side = network.get_sink_side_min_cut() if sink_side else network.get_source_side_min_cut()
    return np.asarray(side, dtype=np.int64)


def _explain_shortfall(remaining: _Remaining, wording: _Wording) -> Infeasible:
    """Find the group of entries (or jurors) that the flow cannot serve, and say why.

    For this bipartite network a feasible flow exists exactly when (1) the jurors'
    upper bounds can cover every entry's demand and (2) the entries' demands can absorb
    every juror's lower bound (Hoffman's circulation theorem, the two families of cuts).
    A max flow for each finds a minimum cut when one fails; the cut's side is a group
    whose demand exceeds what its possible jurors can give (Hall's condition).
    """
    n_jurors, n_entries = remaining.free.shape
    free = remaining.free

    side = _max_flow_cut(free, remaining.upper, remaining.demand, sink_side=True)
    if side is not None:
        # The smallest sink side gives the smallest group of entries at fault; entries
        # that need nothing more only blur the message.
        entries = side[(side >= n_jurors) & (side < n_jurors + n_entries)] - n_jurors
        entries = entries[remaining.demand[entries] > 0]
        return _entries_short_message(entries, remaining, wording)

    side = _max_flow_cut(free, remaining.lower, remaining.demand, sink_side=False)
    if side is not None:
        jurors = side[side < n_jurors]
        jurors = jurors[remaining.lower[jurors] > 0]
        return _jurors_idle_message(jurors, remaining, wording)

    # Unreachable by the theorem above; kept so that a bug still yields a refusal,
    # never a partial assignment.
    return Infeasible(
        "No assignment meets all the rules at once; try a higher maximum load, a lower "
        "minimum load, or fewer pinned or forbidden pairs."
    )


def _entries_short_message(
    entries: np.ndarray, remaining: _Remaining, wording: _Wording
) -> Infeasible:
    entries = np.sort(entries)
    demand = int(remaining.demand[entries].sum())
    # What each juror can give this group: at most one reading per entry, at most
    # the room left in their load.
    links = remaining.free[:, entries].sum(axis=1)
    jurors = np.flatnonzero(links > 0)
    gives = np.minimum(remaining.upper[jurors], links[jurors])
    capacity = int(gives.sum())
    group = [int(e) for e in entries]
    subject = _capitalised(wording.entry_group(group))
    verb = "needs" if len(group) == 1 else "need"
    more = " more" if remaining.pinned[:, entries].any() else ""
    readings = f"{demand}{more} reading{'s' if demand != 1 else ''}"
    if len(jurors) == 0:
        message = f"{subject} {verb} {readings} but no juror without a conflict is left for them."
    else:
        names = wording.juror_group(jurors.tolist())
        who = f"only {_plural(len(jurors), 'juror')} without a conflict ({names})"
        uppers = remaining.upper[jurors]
        if np.all(gives == uppers) and np.all(uppers == uppers[0]):
            limit = f"{uppers[0]} each at most"
        elif np.all(gives == len(group)):
            limit = "one reading per entry each"
        else:
            limit = f"{capacity} readings at most between them"
        message = f"{subject} {verb} {readings} but {who} can take them, {limit}."
    return Infeasible(message, entries=group, jurors=jurors.tolist())


def _jurors_idle_message(
    jurors: np.ndarray, remaining: _Remaining, wording: _Wording
) -> Infeasible:
    jurors = np.sort(jurors)
    owed = int(remaining.lower[jurors].sum())
    # What the entries can give these jurors: at most their remaining demand, and one
    # reading per juror each.
    links = remaining.free[jurors, :].sum(axis=0)
    open_readings = int(np.minimum(remaining.demand, links).sum())
    group = jurors.tolist()
    if len(group) == 1:
        who = _capitalised(wording.juror(group[0]))
        between = ""
    else:
        who = f"{len(group)} jurors ({wording.juror_group(group)})"
        between = " between them"
    more = " more" if remaining.pinned[jurors, :].any() else ""
    return Infeasible(
        f"{who} must take at least {owed}{more} {'entry' if owed == 1 else 'entries'}"
        f"{between} (the minimum load), but the entries without a conflict can give them "
        f"only {open_readings}.",
        jurors=group,
    )


# ---------------------------------------------------------------------------------------
# The prize's rules: assign_edition()
# ---------------------------------------------------------------------------------------


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

    0.35 if the entry's language is one of the juror's languages; plus 0.25 × the
    share of the entry's settings within the juror's expertise; plus 0.20 × the share
    of its target groups within the juror's; plus 0.20 if the juror likes the entry,
    0.10 with no preference, 0 if they dislike it. (A neutral preference sits in the
    middle so that a dislike lowers the fit even when nothing else matches, with no
    clipping needed.)
    """
    languages = {language.casefold() for language in juror.languages}
    # The store may not know an entry's language (None): then nothing matches.
    fit = LANGUAGE_WEIGHT if (entry.language or "").casefold() in languages else 0.0
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
    wording = _Wording(
        [entry.reference for entry in entries],
        [juror.name for juror in jurors],
        lambda group: _describe_by_country(group, entries),
    )

    pinned_conflicts = np.argwhere(pinned_mask & conflicted)
    if len(pinned_conflicts):
        raise Infeasible(
            _several(
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
        return f"{len(group)} entries from {_listing(sorted(map(country_name, shared)))}"
    references = [f"'{entries[e].reference}'" for e in group]
    return f"the {len(group)} entries {_listing(references)}"


def _everyone_without_conflict(
    excluded: np.ndarray,
    pinned: np.ndarray,
    min_load: int,
    max_load: int | None,
    wording: _Wording,
) -> np.ndarray:
    """Every allowed pair, after checking that the rules still hold."""
    min_load = _count("min_load", min_load)
    _refuse_clashes(pinned, excluded, wording)
    chosen = ~excluded
    readers = chosen.sum(axis=0)
    unread = np.flatnonzero(readers == 0)
    if len(unread):
        raise Infeasible(
            _several(
                [
                    _capitalised(f"{wording.entry(e)} has no juror without a conflict.")
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
                f"{_capitalised(wording.juror(j))} has only "
                f"{_plural(int(loads[j]), 'entry', 'entries')} without a conflict but must "
                f"take at least {min_load}.",
                jurors=[j],
            )
        if max_load is not None and loads[j] > max_load:
            raise Infeasible(
                f"{_capitalised(wording.juror(j))} has no conflict with "
                f"{_plural(int(loads[j]), 'entry', 'entries')} and so would read them all, "
                f"more than the maximum load of {max_load}.",
                jurors=[j],
            )
    return chosen
