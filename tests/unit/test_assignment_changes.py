"""What a new run of the assignment changes, juror by juror, and why loads differ."""

from __future__ import annotations

import pytest

from prize.domain.assignment import EntryForAssignment, JurorForAssignment
from prize.domain.assignment_changes import (
    LoadFacts,
    StartedWorkRemoved,
    compare,
    facts_of,
    fingerprint,
    load_reasons,
    typical_load,
)


def test_each_juror_gets_their_entries_added_removed_and_kept():
    current = {(1, 10), (1, 11), (2, 10), (2, 12)}
    proposed = {(1, 10), (1, 12), (1, 13), (2, 10), (2, 11)}
    changes = compare(current, proposed, started={(1, 10)}, jurors=[1, 2, 3])
    one, two, three = changes.jurors
    assert (one.added, one.removed, one.kept, one.started) == ((12, 13), (11,), (10,), (10,))
    assert (one.before, one.after) == (2, 3)
    assert (two.added, two.removed) == ((11,), (12,))
    assert not three.changed and three.before == three.after == 0
    assert changes.changed_juror_ids() == {1, 2}
    assert (changes.added, changes.removed, changes.unchanged_jurors) == (3, 2, 1)


def test_a_proposal_that_drops_an_entry_already_started_is_refused():
    with pytest.raises(StartedWorkRemoved) as refused:
        compare({(1, 10), (1, 11)}, {(1, 11)}, started={(1, 10)})
    assert refused.value.pairs == ((1, 10),)


def test_a_started_pair_that_is_not_assigned_now_does_not_count():
    # A sheet left from a pair no longer assigned is not the proposal's to keep.
    changes = compare({(1, 11)}, {(1, 11)}, started={(1, 10)})
    assert not changes.changed


def test_the_same_proposal_has_the_same_fingerprint_and_a_different_one_does_not():
    assert fingerprint([(1, 2), (3, 4)]) == fingerprint([(3, 4), (1, 2), (1, 2)])
    assert fingerprint([(1, 2)]) != fingerprint([(2, 1)])
    same = compare({(1, 10)}, {(1, 10)}, started=())
    assert not same.changed and same.added == same.removed == 0
    moved = compare({(1, 10)}, {(1, 11)}, started=())
    assert moved.basis == same.basis and moved.proposal != same.proposal


def test_jurors_not_named_come_after_the_named_ones_by_id():
    changes = compare({(5, 1), (2, 1)}, {(5, 1), (2, 1)}, started=(), jurors=[9])
    assert [change.juror_id for change in changes.jurors] == [9, 2, 5]


def test_the_typical_load_is_the_most_common_one():
    assert typical_load([12, 12, 12, 9, 5]) == 12
    assert typical_load([3, 4]) == 4
    assert typical_load([]) is None


def test_a_lighter_load_is_explained_by_conflicts_forbidden_pairs_and_language():
    reasons = load_reasons({
        1: LoadFacts(load=12), 2: LoadFacts(load=12),
        3: LoadFacts(load=5, conflicts=7, forbidden=1, unreadable=2),
        4: LoadFacts(load=13, pinned=2, started=13),
    })
    assert 1 not in reasons and 2 not in reasons
    assert [(r.key, r.count) for r in reasons[3]] == [
        ("conflicts", 7), ("forbidden", 1), ("unreadable", 2)]
    assert [(r.key, r.count) for r in reasons[4]] == [("pinned", 2), ("started", 13),
                                                      ("capacity", 1)]


def test_a_heavier_load_of_a_juror_with_more_conflicts_than_others_is_not_capacity():
    reasons = load_reasons({1: LoadFacts(load=4), 2: LoadFacts(load=4),
                            3: LoadFacts(load=5, conflicts=2)})
    assert reasons[3] == ()


def test_facts_count_conflicts_unreadable_entries_pins_and_started_sheets():
    entries = [EntryForAssignment(10, "A", ("MT",), language="en"),
               EntryForAssignment(11, "B", ("FR",), language="fr"),
               EntryForAssignment(12, "C", ("DE",), language="fr")]
    jurors = [JurorForAssignment(1, "Ana", "MT", languages=("en",)),
              JurorForAssignment(2, "Luc", "BE", languages=("en", "fr"))]
    facts = facts_of(entries, jurors, {(1, 11), (2, 10), (2, 12)}, pinned={(2, 12)},
                     forbidden={(1, 12)}, started={(2, 10)})
    assert facts[1] == LoadFacts(load=1, conflicts=1, unreadable=2, pinned=0, forbidden=1)
    assert facts[2] == LoadFacts(load=2, conflicts=0, unreadable=0, pinned=1, started=1)
