"""Pairs the secretariat both pinned and forbade are refused naming each juror and
entry, past three as "N more pairs in the same case", and the refusal points at the
jurors and entries concerned (what the mutation run of
prize/domain/assignment_reasons.py found untested in refuse_clashes)."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_reasons import Infeasible

JURORS = ["Ana", "Ben", "Cy"]
ENTRIES = [f"EDPP-2026-000{k}" for k in range(1, 7)]


def clash_refusal(pairs) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        solve(np.full((3, 6), 0.5), per_entry=1, max_load=6, pinned=pairs, forbidden=pairs,
              juror_labels=JURORS, entry_labels=ENTRIES)
    return refused.value


def test_one_clash_points_at_its_juror_and_entry():
    # Juror 2, entry 4: the two indices differ, so jurors and entries cannot be swapped.
    refused = clash_refusal([(2, 4)])

    assert str(refused) == "Cy is both pinned to and forbidden from entry 'EDPP-2026-0005'."
    assert refused.jurors == (2,)
    assert refused.entries == (4,)


def test_a_pinned_pair_that_is_not_forbidden_is_no_clash():
    # Ben is pinned to entry 1 and forbidden from entry 2: nothing to refuse.
    assignment = solve(np.full((3, 6), 0.5), per_entry=1, max_load=6,
                       pinned=[(1, 0)], forbidden=[(1, 1)])

    assert (1, 0) in assignment
    assert (1, 1) not in assignment


@pytest.mark.parametrize(("count", "rest"), [(4, "1 more pair"), (5, "2 more pairs")])
def test_more_than_three_clashes_say_how_many_more_pairs(count, rest):
    pairs = [(1, e) for e in range(1, count + 1)]

    refused = clash_refusal(pairs)

    assert str(refused) == (
        "Ben is both pinned to and forbidden from entry 'EDPP-2026-0002'. "
        "Ben is both pinned to and forbidden from entry 'EDPP-2026-0003'. "
        "Ben is both pinned to and forbidden from entry 'EDPP-2026-0004'. "
        f"{rest} in the same case.")
    assert refused.jurors == (1,) * count
    assert refused.entries == tuple(range(1, count + 1))
