"""The jury's read rule (prize.store.access.may_read_entry) answers no for anyone who is
neither the secretariat, a juror nor an advisor, even on an entry the jury reads: an
applicant (even its owner, who reads it through their own pages, not the jury's) or a
translator. The routes ask only for the jury's roles today; the rule must not open the
entry if one day a route asks for another (what the mutation run of
prize/store/access.py found untested: its closing "no")."""

from __future__ import annotations

import pytest

from prize.store import access
from tests import factories
from tests.http.test_discussion_blind_rule import judging_world


@pytest.fixture
async def judged(db):
    """An entry in judging, assigned and released to a juror, read by an advisor."""
    juror = await factories.juror(db, country="FR")
    edition, entry, owner = await judging_world(db, sheet="draft", juror_id=juror.id)
    advisor = await factories.juror(db, edition_id=edition.id, role="advisor", country="BE")
    return entry, owner, juror, advisor


async def test_the_jury_reads_the_entry(db, judged):
    entry, _, juror, advisor = judged

    assert await access.may_read_entry(db, juror.id, juror.role, entry.id)
    assert await access.may_read_entry(db, advisor.id, advisor.role, entry.id)


@pytest.mark.parametrize("role", ["applicant", "translator"])
async def test_anyone_else_is_refused(db, judged, role):
    entry, _, _, _ = judged
    person = await factories.user(db, role=role)

    assert not await access.may_read_entry(db, person.id, role, entry.id)


async def test_the_owner_is_refused_as_a_reader_for_the_jury(db, judged):
    entry, owner, _, _ = judged

    assert not await access.may_read_entry(db, owner.id, owner.role, entry.id)
