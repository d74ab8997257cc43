"""The refusals one can see without solving, in each of their wordings: singular and
plural, "no juror", "needs none", and "N more ... in the same case" with what the refusal
is about (what the mutation run of prize/domain/assignment_reasons.py found untested)."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_reasons import Infeasible


def refusal(shape, **rules) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        solve(np.full(shape, 0.5), **rules)
    return refused.value


def test_a_minimum_load_of_one_above_the_maximum_says_one_entry():
    assert str(refusal((2, 2), per_entry=1, max_load=0, min_load=1)) == (
        "Each juror must take at least 1 entry but at most 0: no load fits both.")


def test_a_jury_without_jurors_says_no_juror():
    assert str(refusal((0, 2), per_entry=1, max_load=2)) == (
        "Each entry needs 1 juror but the jury has no juror.")


def test_one_entry_and_one_reading_are_singular():
    assert str(refusal((3, 1), per_entry=1, max_load=2, min_load=1)) == (
        "The 3 jurors must take at least 1 entry each (3 readings) but the 1 entry needs "
        "only 1 reading (1 each).")


def test_a_pinned_juror_on_an_entry_that_needs_none():
    refused = refusal((2, 2), per_entry=0, max_load=2, pinned=[(0, 0)])
    assert str(refused) == "Entry #0 has 1 pinned juror but needs none."
    assert refused.entries == (0,)


def test_four_overpinned_entries_name_three_and_count_the_fourth():
    refused = refusal((3, 4), per_entry=1, max_load=4,
                      pinned=[(j, e) for j in (0, 1) for e in range(4)],
                      entry_labels=["A-1", "A-2", "A-3", "A-4"])
    assert str(refused) == (
        "Entry 'A-1' has 2 pinned jurors but needs only 1. Entry 'A-2' has 2 pinned jurors "
        "but needs only 1. Entry 'A-3' has 2 pinned jurors but needs only 1. 1 more entry in "
        "the same case.")
    assert refused.entries == (0, 1, 2, 3)


def test_four_overloaded_jurors_name_three_and_count_the_fourth():
    refused = refusal((4, 4), per_entry=4, max_load=0, pinned=[(j, 0) for j in range(4)],
                      juror_labels=["Ana", "Ben", "Cy", "Dee"])
    assert str(refused) == (
        "Ana is pinned to 1 entry but may take at most 0. Ben is pinned to 1 entry but may "
        "take at most 0. Cy is pinned to 1 entry but may take at most 0. 1 more juror in the "
        "same case.")
    assert refused.jurors == (0, 1, 2, 3)


def test_an_entry_every_juror_is_forbidden_from_says_no_juror():
    refused = refusal((2, 2), per_entry=1, max_load=2, forbidden=[(0, 0), (1, 0)])
    assert str(refused) == "Entry #0 has no juror without a conflict; it needs 1."
