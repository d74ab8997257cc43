"""Why no jury assignment exists, in sentences the secretariat understands.

:class:`Infeasible` carries the sentence. :func:`refuse_impossible_rules` finds the
reasons one can see without solving (counts, clashes, pinned pairs beyond a limit);
:func:`explain_shortfall` words the group of entries or jurors that the flow of
:mod:`prize.domain.assignment_flow` could not serve. Entries and jurors are indices
here; :class:`Wording` names them by reference and name when the caller gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from prize.domain.assignment_flow import Bounds, columns_out_of_reach, rows_out_of_reach

# How many offenders a message names before it says "and N more".
_NAMED_IN_MESSAGE = 3
_LISTED_IN_MESSAGE = 5


class Infeasible(ValueError):
    """No assignment follows every rule; ``str(error)`` says which rule, in plain words.

    ``entries`` and ``jurors`` hold what the problem is about (indices when raised by
    :func:`~prize.domain.assignment.solve`, ids when raised by
    :func:`~prize.domain.assignment.assign_edition`), so a page can point at them.
    """

    def __init__(
        self, message: str, *, entries: Iterable[Any] = (), jurors: Iterable[Any] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.entries = tuple(entries)
        self.jurors = tuple(jurors)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 juror', '2 jurors'; ``plural_form`` where adding an 's' is wrong."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def listing(items: Sequence[str], limit: int = _LISTED_IN_MESSAGE) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C, D, E and 4 more'."""
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


@dataclass(frozen=True)
class Wording:
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
        return f"the {len(group)} entries {listing(labels)}"

    def juror_group(self, group: Sequence[int]) -> str:
        return listing([self.juror(j) for j in group])


def several(sentences: list[str], kind: str, kinds: str) -> str:
    """The first few sentences, then how many more offenders are in the same case."""
    shown = " ".join(sentences[:_NAMED_IN_MESSAGE])
    rest = len(sentences) - _NAMED_IN_MESSAGE
    if rest > 0:
        shown += f" {rest} more {kind if rest == 1 else kinds} in the same case."
    return shown


def refuse_clashes(pinned: np.ndarray, forbidden: np.ndarray, wording: Wording) -> None:
    """Infeasible, naming every pair that is both pinned and forbidden."""
    clashes = np.argwhere(pinned & forbidden)
    if len(clashes):
        raise Infeasible(
            several(
                [
                    capitalised(
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


def refuse_impossible_rules(
    forbidden: np.ndarray,
    pinned: np.ndarray,
    per_entry: int,
    min_load: int,
    max_load: int,
    wording: Wording,
) -> None:
    """Raise Infeasible for the reasons one can see without solving, most specific first."""
    n_jurors, n_entries = forbidden.shape
    if min_load > max_load:
        raise Infeasible(
            f"Each juror must take at least {plural(min_load, 'entry', 'entries')} "
            f"but at most {max_load}: no load fits both."
        )

    if per_entry > n_jurors and n_entries:
        raise Infeasible(
            f"Each entry needs {plural(per_entry, 'juror')} but the jury has "
            f"{'only ' + str(n_jurors) if n_jurors else 'no juror'}."
        )

    refuse_clashes(pinned, forbidden, wording)

    pinned_per_entry = pinned.sum(axis=0)
    overpinned = np.flatnonzero(pinned_per_entry > per_entry)
    if len(overpinned):
        needs = f"needs only {per_entry}" if per_entry else "needs none"
        raise Infeasible(
            several(
                [
                    capitalised(
                        f"{wording.entry(e)} has {plural(int(pinned_per_entry[e]), 'pinned juror')}"
                        f" but {needs}."
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
            several(
                [
                    capitalised(
                        f"{wording.juror(j)} is pinned to "
                        f"{plural(pinned_per_juror[j], 'entry', 'entries')} "
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
            jurors = f"only {plural(allowed, 'juror')}" if allowed else "no juror"
            return capitalised(
                f"{wording.entry(e)} has {jurors} without a conflict; it needs {per_entry}."
            )

        raise Infeasible(
            several([lacking(e) for e in short], "entry", "entries"), entries=short.tolist()
        )

    readings = n_entries * per_entry
    if readings > n_jurors * max_load:
        if n_jurors == 0:
            jurors = "there is no juror to take them"
        else:
            jurors = (
                f"the {plural(n_jurors, 'juror')} can take at most "
                f"{n_jurors * max_load} ({max_load} each at most)"
            )
        raise Infeasible(
            f"{plural(n_entries, 'entry', 'entries')} {'needs' if n_entries == 1 else 'need'} "
            f"{plural(readings, 'reading')} but {jurors}."
        )

    if n_jurors * min_load > readings:
        raise Infeasible(
            f"The {plural(n_jurors, 'juror')} must take at least {min_load} "
            f"{'entry' if min_load == 1 else 'entries'} each ({n_jurors * min_load} readings) "
            f"but the {plural(n_entries, 'entry', 'entries')} "
            f"{'needs' if n_entries == 1 else 'need'} only {plural(readings, 'reading')} "
            f"({per_entry} each)."
        )

    allowed_per_juror = n_entries - forbidden.sum(axis=1)
    idle = np.flatnonzero(allowed_per_juror < min_load)
    if len(idle):
        raise Infeasible(
            several(
                [
                    capitalised(
                        f"{wording.juror(j)} has only "
                        f"{plural(allowed_per_juror[j], 'entry', 'entries')} "
                        f"without a conflict but must take at least {min_load}."
                    )
                    for j in idle
                ],
                "juror",
                "jurors",
            ),
            jurors=idle.tolist(),
        )


def explain_shortfall(remaining: Bounds, pinned: np.ndarray, wording: Wording) -> Infeasible:
    """Find the group of entries (or jurors) that the flow cannot serve, and say why.

    ``remaining`` holds what was left to route once the ``pinned`` pairs were assigned;
    the pinned pairs only change the wording ("3 more readings").
    """
    entries = columns_out_of_reach(remaining)
    if entries is not None:
        return _entries_short_message(entries, remaining, pinned, wording)
    jurors = rows_out_of_reach(remaining)
    if jurors is not None:
        return _jurors_idle_message(jurors, remaining, pinned, wording)

    # Unreachable by the theorem above; kept so that a bug still yields a refusal,
    # never a partial assignment.
    return Infeasible(
        "No assignment meets all the rules at once; try a higher maximum load, a lower "
        "minimum load, or fewer pinned or forbidden pairs."
    )


def _entries_short_message(
    entries: np.ndarray, remaining: Bounds, pinned: np.ndarray, wording: Wording
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
    subject = capitalised(wording.entry_group(group))
    verb = "needs" if len(group) == 1 else "need"
    more = " more" if pinned[:, entries].any() else ""
    readings = f"{demand}{more} reading{'s' if demand != 1 else ''}"
    if len(jurors) == 0:
        message = f"{subject} {verb} {readings} but no juror without a conflict is left for them."
    elif capacity == 0:
        names = wording.juror_group(jurors.tolist())
        message = (f"{subject} {verb} {readings} but every juror without a conflict ({names}) "
                   "already has a full load.")
    else:
        names = wording.juror_group(jurors.tolist())
        who = f"only {plural(len(jurors), 'juror')} without a conflict ({names})"
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
    jurors: np.ndarray, remaining: Bounds, pinned: np.ndarray, wording: Wording
) -> Infeasible:
    jurors = np.sort(jurors)
    owed = int(remaining.lower[jurors].sum())
    # What the entries can give these jurors: at most their remaining demand, and one
    # reading per juror each.
    links = remaining.free[jurors, :].sum(axis=0)
    open_readings = int(np.minimum(remaining.demand, links).sum())
    group = jurors.tolist()
    if len(group) == 1:
        who = capitalised(wording.juror(group[0]))
        between = ""
    else:
        who = f"{len(group)} jurors ({wording.juror_group(group)})"
        between = " between them"
    more = " more" if pinned[jurors, :].any() else ""
    return Infeasible(
        f"{who} must take at least {owed}{more} {'entry' if owed == 1 else 'entries'}"
        f"{between} (the minimum load), but the entries without a conflict can give them "
        f"only {open_readings}.",
        jurors=group,
    )
