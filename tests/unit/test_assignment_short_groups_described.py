"""When solving finds a group of entries it cannot serve, assign_edition names the group
by a country the entries share, else by their references, and a single entry by its
reference (what the mutation run of prize/domain/assignment.py found untested in
_describe_by_country); the minimum load reaches the solver."""

from __future__ import annotations

import pytest

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    assign_edition,
)

NAMES = ["Ana", "Ben", "Cy", "Dee", "Eve"]


def entry(entry_id: int, *countries: str) -> EntryForAssignment:
    return EntryForAssignment(
        id=entry_id, reference=f"EDPP-2026-{entry_id:04d}", countries=countries)


def jury() -> list[JurorForAssignment]:
    return [JurorForAssignment(id=10 + k, name=name, country="SE") for k, name in enumerate(NAMES)]


def short_group_refusal(first_four: list[tuple[str, ...]]) -> Infeasible:
    """Entries 1-4 may only go to Ana and Ben, 3 entries each at most: each entry alone
    has the 2 jurors it needs, together they need 8 readings and get 6."""
    entries = [entry(k, *countries) for k, countries in enumerate(first_four, start=1)]
    entries += [entry(5, "IT"), entry(6, "IT")]
    forbidden = [(j, e) for j in (12, 13, 14) for e in (1, 2, 3, 4)]
    with pytest.raises(Infeasible) as refused:
        assign_edition(entries, jury(), per_entry=2, max_load=3, forbidden=forbidden)
    return refused.value


def test_a_group_without_a_shared_country_is_named_by_its_references():
    refused = short_group_refusal([("FR",), ("DE",), ("FR",), ("DE",)])

    assert str(refused) == (
        "The 4 entries 'EDPP-2026-0001', 'EDPP-2026-0002', 'EDPP-2026-0003' and "
        "'EDPP-2026-0004' need 8 readings but only 2 jurors without a conflict (Ana and Ben) "
        "can take them, 3 each at most.")
    assert refused.entries == (1, 2, 3, 4)
    assert refused.jurors == (10, 11)


def test_a_group_sharing_countries_is_named_by_them_whatever_their_case():
    refused = short_group_refusal([("MT", "be"), ("BE", "MT"), ("mt", "BE"), ("BE", "MT", "FR")])

    assert str(refused).startswith("4 entries from Belgium and Malta need 8 readings")


def test_a_single_entry_is_named_by_its_reference():
    # Only Ana may read entry 1, and her one place is taken by her pin on entry 2.
    entries = [entry(1, "FR"), entry(2, "FR"), entry(3, "FR")]

    with pytest.raises(Infeasible) as refused:
        assign_edition(entries, jury()[:3], per_entry=1, max_load=1, pinned=[(10, 2)],
                       forbidden=[(11, 1), (12, 1)])

    assert str(refused.value) == (
        "Entry 'EDPP-2026-0001' needs 1 reading but every juror without a conflict (Ana) "
        "already has a full load.")
    assert refused.value.entries == (1,)
    assert refused.value.jurors == (10,)


def test_two_entries_from_one_country_are_named_by_it():
    # Entries 1 and 2 may only go to Ana, who takes 1 entry at most.
    entries = [entry(1, "MT"), entry(2, "MT"), entry(3, "FR")]

    with pytest.raises(Infeasible) as refused:
        assign_edition(entries, jury()[:3], per_entry=1, max_load=1,
                       forbidden=[(j, e) for j in (11, 12) for e in (1, 2)])

    assert str(refused.value) == (
        "2 entries from Malta need 2 readings but only 1 juror without a conflict (Ana) "
        "can take them, 1 each at most.")


def test_assign_edition_passes_the_minimum_load_to_the_solver():
    entries = [entry(k, "FR") for k in (1, 2, 3)]
    # Ana reads the entries' language and Ben does not; with a minimum load of 1, Ben
    # still reads one.
    keen = JurorForAssignment(id=10, name="Ana", country="SE", languages=("en",))
    reluctant = JurorForAssignment(id=11, name="Ben", country="SE", languages=("de",))

    free = assign_edition(entries, [keen, reluctant], per_entry=1, max_load=3)
    bound = assign_edition(entries, [keen, reluctant], per_entry=1, max_load=3, min_load=1)

    assert free.loads == {10: 3, 11: 0}
    assert bound.loads == {10: 2, 11: 1}
