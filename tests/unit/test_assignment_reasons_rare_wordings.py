"""The rarer sentences of prize/domain/assignment_reasons.py, each in its exact words
(what the mutation run found untested): entries named by their labels when no one
describes a group, five offenders ("2 more entries", "2 more jurors"), and the wordings
of explain_shortfall that solve() refuses earlier by simpler rules but that the function
still owes any caller: no juror left at all, one reading per entry each, and the
generic sentence for a problem that is not short."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_flow import Bounds
from prize.domain.assignment_reasons import Infeasible, Wording, explain_shortfall

UNNAMED = Wording(None, None, None)


def bounds(free, demand, upper, lower=None) -> Bounds:
    free = np.array(free, dtype=bool)
    return Bounds(free=free, demand=np.array(demand), upper=np.array(upper),
                  lower=np.array(lower if lower is not None else [0] * free.shape[0]))


def shortfall(remaining: Bounds, wording: Wording = UNNAMED) -> Infeasible:
    return explain_shortfall(remaining, np.zeros(remaining.free.shape, dtype=bool), wording)


def refusal(shape, **rules) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        solve(np.full(shape, 0.5), **rules)
    return refused.value


def test_a_short_group_is_named_by_the_entry_labels():
    # Entries 0-3 may only go to jurors 0 and 1, who take 3 entries at most.
    refused = refusal((5, 6), per_entry=2, max_load=3,
                      forbidden=[(j, e) for j in (2, 3, 4) for e in range(4)],
                      entry_labels=[f"E-{k}" for k in range(6)])

    assert str(refused) == (
        "The 4 entries 'E-0', 'E-1', 'E-2' and 'E-3' need 8 readings but only 2 jurors "
        "without a conflict (juror #0 and juror #1) can take them, 3 each at most.")


def test_five_overpinned_entries_count_two_more_entries():
    refused = refusal((3, 5), per_entry=1, max_load=5,
                      pinned=[(j, e) for j in (0, 1) for e in range(5)])

    assert str(refused).endswith("needs only 1. 2 more entries in the same case.")
    assert refused.entries == (0, 1, 2, 3, 4)


def test_five_overloaded_jurors_count_two_more_jurors():
    refused = refusal((5, 5), per_entry=5, max_load=0, pinned=[(j, 0) for j in range(5)])

    assert str(refused).endswith("may take at most 0. 2 more jurors in the same case.")
    assert refused.jurors == (0, 1, 2, 3, 4)


def test_an_entry_no_juror_is_left_for_says_so():
    refused = shortfall(bounds([[0], [0]], demand=[1], upper=[1, 1]))

    assert str(refused) == (
        "Entry #0 needs 1 reading but no juror without a conflict is left for them.")
    assert refused.entries == (0,)
    assert refused.jurors == ()


def test_jurors_with_room_but_one_reading_per_entry_say_so():
    refused = shortfall(bounds([[1, 1], [1, 1]], demand=[3, 3], upper=[5, 5]))

    assert str(refused) == (
        "The 2 entries #0 and #1 need 6 readings but only 2 jurors without a conflict "
        "(juror #0 and juror #1) can take them, one reading per entry each.")


def test_a_problem_that_is_not_short_gets_the_generic_sentence():
    refused = shortfall(bounds([[1, 1], [1, 1]], demand=[1, 1], upper=[5, 5]))

    assert str(refused) == (
        "No assignment meets all the rules at once; try a higher maximum load, a lower "
        "minimum load, or fewer pinned or forbidden pairs.")
    assert refused.entries == () and refused.jurors == ()


@pytest.mark.parametrize(("count", "rest"), [(4, "1 more entry"), (5, "2 more entries")])
def test_entries_short_of_jurors_past_three_say_how_many_more(count, rest):
    refused = refusal((3, count), per_entry=2, max_load=count,
                      forbidden=[(j, e) for j in (0, 1) for e in range(count)])

    assert str(refused) == (
        "Entry #0 has only 1 juror without a conflict; it needs 2. Entry #1 has only 1 "
        "juror without a conflict; it needs 2. Entry #2 has only 1 juror without a "
        f"conflict; it needs 2. {rest} in the same case.")
    assert refused.entries == tuple(range(count))


def test_too_many_readings_for_a_jury_of_one():
    assert str(refusal((1, 3), per_entry=1, max_load=2)) == (
        "3 entries need 3 readings but the 1 juror can take at most 2 (2 each at most).")


def test_too_many_readings_for_one_entry_are_in_the_singular():
    assert str(refusal((2, 1), per_entry=2, max_load=0)) == (
        "1 entry needs 2 readings but the 2 jurors can take at most 0 (0 each at most).")
    assert str(refusal((1, 1), per_entry=1, max_load=0)) == (
        "1 entry needs 1 reading but the 1 juror can take at most 0 (0 each at most).")
