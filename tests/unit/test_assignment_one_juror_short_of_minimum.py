"""One juror who cannot reach the minimum load because the entries they may read are
full is named alone, with what they still owe ("1 more entry" when some are pinned):
what the mutation run of prize/domain/assignment_reasons.py found no test for."""

from __future__ import annotations

import numpy as np
import pytest

from prize.domain.assignment import solve
from prize.domain.assignment_reasons import Infeasible

# Ben and Cy are pinned to entries 0 and 1, which need two jurors each: both are full.
FULL = [(1, 0), (2, 0), (1, 1), (2, 1)]
LABELS = ["Ana", "Ben", "Cy"]


def test_a_juror_whose_entries_are_all_taken_is_named_alone():
    # Ana may read entries 0 and 1 only, and must take 2.
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((3, 4), 0.5), per_entry=2, max_load=4, min_load=2,
              forbidden=[(0, 2), (0, 3)], pinned=FULL, juror_labels=LABELS)
    assert str(refusal.value) == (
        "Ana must take at least 2 entries (the minimum load), but the entries without a "
        "conflict can give them only 0.")
    assert refusal.value.jurors == (0,)


def test_a_juror_with_a_pinned_entry_is_told_what_they_still_owe():
    # Ana is pinned to entry 2 and may not read entry 3: she still owes 1 more.
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((3, 4), 0.5), per_entry=2, max_load=4, min_load=2,
              forbidden=[(0, 3)], pinned=[*FULL, (0, 2)], juror_labels=LABELS)
    assert str(refusal.value) == (
        "Ana must take at least 1 more entry (the minimum load), but the entries without a "
        "conflict can give them only 0.")
    assert refusal.value.jurors == (0,)


def test_without_labels_the_juror_is_named_by_number():
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((3, 4), 0.5), per_entry=2, max_load=4, min_load=2,
              forbidden=[(0, 2), (0, 3)], pinned=FULL)
    assert str(refusal.value).startswith("Juror #0 must take at least 2 entries")
