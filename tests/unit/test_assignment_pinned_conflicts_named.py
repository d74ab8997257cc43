"""Pinned pairs with a conflict are refused naming each juror and entry, and "N more
pairs in the same case" past three (what the mutation run of prize/domain/assignment.py
found untested: the plural of 'pair', and which column holds the jurors)."""

from __future__ import annotations

import pytest

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    assign_edition,
)


def entry(entry_id: int, country: str) -> EntryForAssignment:
    return EntryForAssignment(
        id=entry_id, reference=f"EDPP-2026-{entry_id:04d}", countries=(country,))


def juror(juror_id: int, country: str) -> JurorForAssignment:
    return JurorForAssignment(id=juror_id, name=f"Juror {juror_id}", country=country)


def pinned_refusal(pinned, jurors, entries) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        assign_edition(entries, jurors, per_entry=1, max_load=5, pinned=pinned)
    return refused.value


def test_the_refusal_points_at_the_pinned_juror_and_entry_by_id():
    # The conflicted juror is second in the list, the entry first.
    refused = pinned_refusal([(11, 1)], [juror(10, "DE"), juror(11, "MT")],
                             [entry(1, "MT"), entry(2, "PL")])

    assert str(refused) == (
        "Juror 11 is pinned to entry 'EDPP-2026-0001' but has a conflict with it "
        "(same country: Malta).")
    assert refused.jurors == (11,)
    assert refused.entries == (1,)


@pytest.mark.parametrize(("count", "rest"), [(4, "1 more pair"), (5, "2 more pairs")])
def test_more_than_three_conflicting_pins_say_how_many_more(count, rest):
    entries = [entry(k, "MT") for k in range(1, count + 1)]
    jurors = [juror(10, "MT"), juror(11, "DE")]

    refused = pinned_refusal([(10, k) for k in range(1, count + 1)], jurors, entries)

    named = " ".join(
        f"Juror 10 is pinned to entry 'EDPP-2026-000{k}' but has a conflict with it "
        "(same country: Malta)." for k in (1, 2, 3))
    assert str(refused) == f"{named} {rest} in the same case."
    assert refused.entries == tuple(range(1, count + 1))
