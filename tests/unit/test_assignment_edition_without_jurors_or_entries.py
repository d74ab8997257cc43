"""An edition with no juror or no entry yet gets a plain answer, not a crash (what the
mutation run of prize/domain/assignment.py found untested: the empty matrices and the
default load of an empty jury)."""

from __future__ import annotations

import pytest

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    assign_edition,
)


def entry(entry_id: int) -> EntryForAssignment:
    return EntryForAssignment(id=entry_id, reference=f"EDPP-2026-{entry_id:04d}", countries=("FR",))


def juror(juror_id: int) -> JurorForAssignment:
    return JurorForAssignment(id=juror_id, name=f"Juror {juror_id}", country="DE")


def test_entries_and_no_jury_is_refused_in_words():
    with pytest.raises(Infeasible) as refusal:
        assign_edition([entry(1), entry(2)], [], per_entry=2)

    assert str(refusal.value) == "Each entry needs 2 jurors but the jury has no juror."


def test_entries_and_no_jury_in_the_everyone_reads_mode_names_the_entries():
    with pytest.raises(Infeasible) as refusal:
        assign_edition([entry(1), entry(2)], [], per_entry=None)

    assert str(refusal.value) == (
        "Entry 'EDPP-2026-0001' has no juror without a conflict. "
        "Entry 'EDPP-2026-0002' has no juror without a conflict.")
    assert refusal.value.entries == (1, 2)


def test_a_jury_and_no_entries_gives_everyone_nothing_to_read():
    result = assign_edition([], [juror(10), juror(11)], per_entry=2)

    assert result.pairs == ()
    assert result.loads == {10: 0, 11: 0}
    assert result.per_entry == 2
    assert result.max_load == 1  # the balanced load of no readings, 0, plus the slack


def test_nothing_to_read_and_nobody_to_read_it_has_a_maximum_load_of_zero():
    result = assign_edition([], [], per_entry=3)

    assert result.pairs == () and result.loads == {}
    assert result.max_load == 0
