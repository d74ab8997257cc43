"""A juror whose entries without a conflict are fewer than the minimum load is named with
that count, in the singular and the plural, and past three jurors the refusal says how
many more are in the same case (what the mutation run of
prize/domain/assignment_reasons.py found untested: the last check of
refuse_impossible_rules, which needs numbered entries, not the every-juror-reads mode)."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_reasons import Infeasible


def refusal(shape, **rules) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        solve(np.full(shape, 0.5), **rules)
    return refused.value


@pytest.mark.parametrize(
    ("n_entries", "min_load", "allowed", "message"),
    [
        (4, 2, [0], "Ana has only 1 entry without a conflict but must take at least 2."),
        (4, 1, [], "Ana has only 0 entries without a conflict but must take at least 1."),
        (5, 3, [0, 1], "Ana has only 2 entries without a conflict but must take at least 3."),
    ],
)
def test_a_juror_below_the_minimum_load_is_named_with_their_count(
        n_entries, min_load, allowed, message):
    # Ben and Cy read every entry, so no entry is short of jurors; only Ana falls short.
    forbidden = [(0, e) for e in range(n_entries) if e not in allowed]

    refused = refusal((3, n_entries), per_entry=2, max_load=n_entries, min_load=min_load,
                      forbidden=forbidden, juror_labels=["Ana", "Ben", "Cy"])

    assert str(refused) == message
    assert refused.jurors == (0,)
    assert refused.entries == ()


@pytest.mark.parametrize(("count", "rest"), [(4, "1 more juror"), (5, "2 more jurors")])
def test_more_than_three_jurors_below_the_minimum_say_how_many_more(count, rest):
    # The first `count` jurors have a conflict with all six entries; the last two read
    # them all.
    forbidden = [(j, e) for j in range(count) for e in range(6)]

    refused = refusal((count + 2, 6), per_entry=2, max_load=6, min_load=1,
                      forbidden=forbidden)

    assert str(refused) == (
        "Juror #0 has only 0 entries without a conflict but must take at least 1. "
        "Juror #1 has only 0 entries without a conflict but must take at least 1. "
        "Juror #2 has only 0 entries without a conflict but must take at least 1. "
        f"{rest} in the same case.")
    assert refused.jurors == tuple(range(count))
