"""The transition tables drawn in the docstrings are the step tables in code, and no other.

The lifecycle's docstring (edition and entry) and the publication workflow's docstring are
what people read to learn the rules; each is parsed here as an RST simple table and compared
with the table the code runs: the names and their order, the sources, the target and, for
entries, the edition status each step belongs to and what it asks for.
"""

from __future__ import annotations

import re

import pytest

from prize.domain import lifecycle, practices
from prize.domain.statuses import EditionStatus, EntryStatus, PracticeStatus

BORDER = re.compile(r"^=+( +=+)+$")


def simple_tables(docstring: str) -> list[list[list[str]]]:
    """Every RST simple table of a docstring: its body rows, cells stripped.

    A row whose first cell is blank continues the row above (its words are appended).
    """
    lines = docstring.splitlines()
    tables, index = [], 0
    while index < len(lines):
        line = lines[index].strip()
        if not BORDER.match(line):
            index += 1
            continue
        indent = len(lines[index]) - len(lines[index].lstrip())
        spans = [(m.start() + indent, m.end() + indent) for m in re.finditer(r"=+", line)]
        # Border, header, border, body…, border.
        body_start = index + 3
        end = next(i for i in range(body_start, len(lines)) if BORDER.match(lines[i].strip()))
        rows: list[list[str]] = []
        for raw in lines[body_start:end]:
            cells = [raw[start:(spans[n + 1][0] if n + 1 < len(spans) else None)].strip()
                     for n, (start, _end) in enumerate(spans)]
            if not cells[0] and rows:
                pairs = zip(rows[-1], cells, strict=True)
                rows[-1] = [f"{old} {new}".strip() for old, new in pairs]
            else:
                rows.append(cells)
        tables.append(rows)
        index = end + 1
    return tables


def statuses(cell: str) -> set[str]:
    """'draft, submitted (re-submit)' → {'draft', 'submitted'}."""
    without_notes = re.sub(r"\([^)]*\)", "", cell)
    return {word.strip() for word in without_notes.split(",") if word.strip()}


EDITION_TABLE, ENTRY_TABLE = simple_tables(lifecycle.__doc__ or "")
(PRACTICE_TABLE,) = simple_tables(practices.__doc__ or "")


def test_the_docstrings_hold_the_three_tables():
    assert [row[0] for row in EDITION_TABLE][:2] == ["open_call", "close_call"]
    assert [row[0] for row in ENTRY_TABLE][:2] == ["submit", "withdraw"]
    assert [row[0] for row in PRACTICE_TABLE][:2] == ["send", "approve"]


@pytest.mark.parametrize(("table", "steps"), [
    (EDITION_TABLE, lifecycle.EDITION_TRANSITIONS),
    (ENTRY_TABLE, lifecycle.ENTRY_TRANSITIONS),
    (PRACTICE_TABLE, practices.PRACTICE_TRANSITIONS),
], ids=["edition", "entry", "practice"])
def test_documented_names_sources_and_targets_are_the_codes(table, steps):
    assert [row[0] for row in table] == list(steps)
    for name, source, target, *_rest in table:
        step = steps[name]
        assert statuses(source) == {str(s) for s in step.sources}, name
        assert target == str(step.target), name


def test_every_documented_status_exists():
    for rows, enum in ((EDITION_TABLE, EditionStatus), (ENTRY_TABLE, EntryStatus),
                       (PRACTICE_TABLE, PracticeStatus)):
        for _name, source, target, *_rest in rows:
            assert statuses(source) | {target} <= {str(s) for s in enum}


def test_each_entry_step_belongs_to_the_documented_edition_status():
    for name, _source, _target, phase in ENTRY_TABLE:
        step = lifecycle.ENTRY_TRANSITIONS[name]
        documented = re.match(r"[a-z]+", phase)
        assert documented and documented.group() == str(step.phase), name
        assert ("(reason)" in phase) == step.needs_reason, name
        assert ("(stmt.)" in phase) == step.needs_statement, name

