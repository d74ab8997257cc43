"""An edition's assignment lists each juror's entries, and each entry's jurors (what
the mutation run of prize/domain/assignment.py found untested: entries_of)."""

from __future__ import annotations

from prize.domain.assignment import EntryForAssignment, JurorForAssignment, assign_edition


def test_entries_of_a_juror_and_jurors_of_an_entry():
    entries = [EntryForAssignment(id=k, reference=f"EDPP-2026-{k:04d}", countries=("PL",))
               for k in (1, 2)]
    jurors = [JurorForAssignment(id=10, name="Ana", country="DE"),
              JurorForAssignment(id=11, name="Ben", country="PL")]

    result = assign_edition(entries, jurors, per_entry=None)

    assert result.entries_of(10) == (1, 2)
    assert result.entries_of(11) == ()
    assert result.jurors_of(2) == (10,)
