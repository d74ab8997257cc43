"""Entries the flow cannot serve are explained in each wording the case calls for: one
entry ("needs 1 reading"), readings still owed beside pinned ones ("3 more readings"),
jurors whose loads are already full, and a capacity shared unequally ("5 readings at
most between them"): what the mutation run of prize/domain/assignment_reasons.py found no
test for."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_reasons import Infeasible

LABELS = ["Ana", "Ben", "Cy", "Dee", "Eve"]


def refusal(shape, **rules) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        solve(np.full(shape, 0.5), juror_labels=LABELS[:shape[0]], **rules)
    return refused.value


def test_one_entry_whose_jurors_are_all_full_is_named_alone():
    # Entry 0 may go to Ana or Ben, both pinned elsewhere up to their maximum load of 1.
    refused = refusal((3, 3), per_entry=1, max_load=1, forbidden=[(2, 0), (1, 1)],
                      pinned=[(0, 1), (1, 2)])
    assert str(refused) == ("Entry #0 needs 1 reading but every juror without a conflict "
                            "(Ana and Ben) already has a full load.")
    assert (refused.entries, refused.jurors) == ((0,), (0, 1))


def test_readings_owed_beside_pinned_ones_are_counted_as_more():
    refused = refusal((3, 3), per_entry=2, max_load=2, min_load=1, forbidden=[(1, 2)],
                      pinned=[(2, 1), (2, 2), (0, 1)])
    assert str(refused) == (
        "The 2 entries #0 and #2 need 3 more readings but only 3 jurors without a conflict "
        "(Ana, Ben and Cy) can take them, 2 readings at most between them.")
    assert (refused.entries, refused.jurors) == ((0, 2), (0, 1, 2))


def test_a_capacity_shared_unequally_is_given_as_a_total():
    # As in test_assignment's group test, but Ana is pinned to entry 4: she has room for
    # 2 more, Ben for 3, so no "each at most" is true of both.
    refused = refusal((5, 6), per_entry=2, max_load=3,
                      forbidden=[(j, e) for j in (2, 3, 4) for e in range(4)], pinned=[(0, 4)])
    assert str(refused) == (
        "The 4 entries #0, #1, #2 and #3 need 8 readings but only 2 jurors without a conflict "
        "(Ana and Ben) can take them, 5 readings at most between them.")
