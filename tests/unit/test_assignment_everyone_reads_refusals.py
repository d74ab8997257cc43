"""In the "every juror without a conflict reads every entry" mode (per_entry=None), each
refusal says who and how many, in the singular and the plural, and a load exactly at a
limit is accepted (what the mutation run of prize/domain/assignment.py found untested in
_everyone_without_conflict)."""

from __future__ import annotations

import pytest

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    assign_edition,
)


def entry(entry_id: int, country: str = "FR") -> EntryForAssignment:
    return EntryForAssignment(
        id=entry_id, reference=f"EDPP-2026-{entry_id:04d}", countries=(country,))


def juror(juror_id: int, country: str = "DE", name: str = "") -> JurorForAssignment:
    return JurorForAssignment(id=juror_id, name=name or f"Juror {juror_id}", country=country)


def refusal(entries, jurors, **rules) -> Infeasible:
    with pytest.raises(Infeasible) as refused:
        assign_edition(entries, jurors, per_entry=None, **rules)
    return refused.value


def test_only_the_entry_nobody_may_read_is_named():
    refused = refusal([entry(1, "DE"), entry(2, "PL"), entry(3, "FR")], [juror(10, "PL")])

    assert str(refused) == "Entry 'EDPP-2026-0002' has no juror without a conflict."
    assert refused.entries == (2,)


def test_four_or_five_unreadable_entries_say_how_many_more():
    jury = [juror(10, "PL")]

    four = refusal([entry(k, "PL") for k in range(1, 5)], jury)
    five = refusal([entry(k, "PL") for k in range(1, 6)], jury)

    named = " ".join(
        f"Entry 'EDPP-2026-000{k}' has no juror without a conflict." for k in (1, 2, 3))
    assert str(four) == named + " 1 more entry in the same case."
    assert str(five) == named + " 2 more entries in the same case."
    assert five.entries == (1, 2, 3, 4, 5)


def test_a_pair_both_pinned_and_forbidden_is_refused_by_name():
    refused = refusal(
        [entry(1)], [juror(10, name="Ana"), juror(11, name="Ben")],
        pinned=[(11, 1)], forbidden=[(11, 1)])

    assert str(refused) == "Ben is both pinned to and forbidden from entry 'EDPP-2026-0001'."
    assert refused.jurors == (11,)


@pytest.mark.parametrize(
    ("countries", "min_load", "message"),
    [
        (["DE", "PL"], 2,
         "Ana has only 1 entry without a conflict but must take at least 2."),
        (["DE", "DE"], 1,
         "Ana has only 0 entries without a conflict but must take at least 1."),
        (["PL", "PL"], 3,
         "Ana has only 2 entries without a conflict but must take at least 3."),
    ],
)
def test_a_juror_below_the_minimum_load_is_named_with_their_count(countries, min_load, message):
    entries = [entry(k, country) for k, country in enumerate(countries, start=1)]

    refused = refusal(entries, [juror(10, "DE", "Ana"), juror(11, "IT", "Ben")],
                      min_load=min_load)

    assert str(refused) == message
    assert refused.jurors == (10,)


@pytest.mark.parametrize(
    ("count", "max_load", "message"),
    [
        (1, 0, "Ana has no conflict with 1 entry and so would read them all, more than the "
               "maximum load of 0."),
        (3, 2, "Ana has no conflict with 3 entries and so would read them all, more than the "
               "maximum load of 2."),
    ],
)
def test_a_juror_above_the_maximum_load_is_named_with_their_count(count, max_load, message):
    refused = refusal([entry(k) for k in range(1, count + 1)], [juror(10, name="Ana")],
                      max_load=max_load)

    assert str(refused) == message
    assert refused.jurors == (10,)


def test_a_load_exactly_at_the_minimum_or_the_maximum_is_accepted():
    entries = [entry(1), entry(2, "DE")]
    jurors = [juror(10, "DE"), juror(11, "IT")]

    result = assign_edition(entries, jurors, per_entry=None, min_load=1, max_load=2)

    assert result.loads == {10: 1, 11: 2}
    assert result.pairs == ((10, 1), (11, 1), (11, 2))
