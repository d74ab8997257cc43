"""An edition's rounds (issue 15): round 1, and for some editions a final round in which
every juror without a conflict scores every shortlisted entry.

Pure: labels, the reading of a round asked for, the rules for adding or removing the final
round, and the final round's assignment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prize.i18n import N_, gettext

FIRST_ROUND = 1
FINAL_ROUND = 2
ROUND_LABELS = {FIRST_ROUND: N_("Round 1"), FINAL_ROUND: N_("Final round")}


def round_label(round_number: int) -> str:
    """"Round 1" or "Final round", in the current locale."""
    return gettext(ROUND_LABELS[round_number])


def rounds_of(rounds: int) -> tuple[int, ...]:
    """The round numbers of an edition with ``rounds`` rounds."""
    return tuple(range(FIRST_ROUND, rounds + 1))


def parse_round(text: str, rounds: int) -> int | None:
    """A round typed as ASCII digits that the edition has, else None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 2:
        return None
    number = int(text)
    return number if number in rounds_of(rounds) else None


def unknown_round_message(rounds: int) -> str:
    """The sentence for a round the edition does not have."""
    if rounds == 1:
        return gettext("This edition has one round only: round 1.")
    return gettext("This edition has two rounds: 1 and 2 (the final round).")


def rounds_change_problems(*, wanted: int, rounds: int, current_round: int, published: bool,
                           final_sheets: bool) -> list[str]:
    """Why the final round cannot be added (``wanted`` 2) or removed (1) now; empty: it can.

    Allowed while round 1 is the current round and the results are not out; removing it
    also needs that no final-round sheet exists.
    """
    if wanted == rounds:
        return []
    problems = []
    if published:
        problems.append(gettext("The results are published: the rounds can no longer change."))
    if current_round != FIRST_ROUND:
        problems.append(gettext("The final round has begun: the rounds can no longer change."))
    if wanted == FIRST_ROUND and final_sheets:
        problems.append(gettext(
            "Jurors have started score sheets in the final round, so it cannot be removed."))
    return problems


@dataclass(frozen=True, order=True)
class FinalAssignment:
    entry_id: int
    juror_id: int


def final_assignments(
    shortlisted: Iterable[int], jurors: Iterable[int], may_read: Callable[[int, int], bool]
) -> list[FinalAssignment]:
    """The final round's assignment: every active juror × every shortlisted entry, except
    where ``may_read(juror, entry)`` says no (a conflict: the same rule as round 1's)."""
    juror_ids = sorted(set(jurors))
    return sorted(
        FinalAssignment(entry_id, juror_id)
        for entry_id in sorted(set(shortlisted))
        for juror_id in juror_ids
        if may_read(juror_id, entry_id)
    )
