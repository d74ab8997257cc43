"""The lifecycle's thresholds of one, and the facts read from an edition: one juror per
entry is enough to open a call, one winner is enough to publish, and an edition's own
juror count reaches the check; a time without a zone is refused by its name (what the
mutation run of prize/domain/lifecycle found no test for: `< 1` made `<= 1` or `< 2`,
the edition's value dropped, a check or a name left out)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from prize.domain.editions import default_edition
from prize.domain.lifecycle import (
    EditionFacts,
    check_edition_transition,
    entry_transition,
    is_editable_by_applicant,
)
from tests.unit.test_lifecycle import AFTER, BEFORE, DEADLINE, OPENS_AT, edition_facts

COUNTS = dict(
    submitted_entries=0, screened_entries=0, eligible_entries=0, undecided_entries=0,
    winners=0, entries_short_of_jurors=0, active_jurors=0, sheets_assigned=0,
    sheets_submitted=0,
)


def test_one_juror_per_entry_is_enough_to_open_the_call():
    assert check_edition_transition("open_call", edition_facts(jurors_per_entry=1),
                                    now=BEFORE) == []


def test_one_winner_is_enough_to_publish_the_results():
    assert check_edition_transition("publish_results", edition_facts(winners=1),
                                    now=AFTER) == []


def test_an_edition_asking_for_no_juror_per_entry_cannot_open_its_call():
    # The edition's own setting, read by from_edition, is what the check sees.
    edition = default_edition(2026).model_copy(update={
        "opens_at": OPENS_AT, "closes_at": DEADLINE, "jurors_per_entry": 0,
    })
    facts = EditionFacts.from_edition(edition, **COUNTS)
    assert facts.jurors_per_entry == 0
    assert check_edition_transition("open_call", facts, now=BEFORE) == [
        "Each entry needs at least 1 juror."]


def test_an_edition_s_time_zone_reaches_the_facts():
    edition = default_edition(2026).model_copy(update={
        "opens_at": OPENS_AT, "closes_at": DEADLINE, "timezone": "Europe/Lisbon",
    })
    assert EditionFacts.from_edition(edition, **COUNTS).timezone == "Europe/Lisbon"


# A time without a time zone is refused by name, whichever one it is -------------------------

NAIVE = datetime(2026, 5, 1, 12, 0)


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize(("facts", "now", "name"), [
    ({}, NAIVE, "now"),
    ({"opens_at": NAIVE}, BEFORE, "opens_at"),
    ({"closes_at": NAIVE}, BEFORE, "closes_at"),
], ids=["now", "opens_at", "closes_at"])
def test_an_edition_step_names_the_time_that_lacks_a_zone(facts, now, name):
    with pytest.raises(ValueError, match=exactly(f"{name} must carry a time zone")):
        check_edition_transition("close_call", edition_facts(**facts), now=now)


@pytest.mark.parametrize(("now", "closes_at", "name"), [
    (NAIVE, DEADLINE, "now"),
    (BEFORE, NAIVE, "closes_at"),
], ids=["now", "closes_at"])
def test_an_entry_step_names_the_time_that_lacks_a_zone(now, closes_at, name):
    with pytest.raises(ValueError, match=exactly(f"{name} must carry a time zone")):
        entry_transition("submit", "draft", edition_status="open", now=now, closes_at=closes_at)


@pytest.mark.parametrize(("now", "closes_at", "name"), [
    (NAIVE, DEADLINE, "now"),
    (BEFORE, NAIVE, "closes_at"),
], ids=["now", "closes_at"])
def test_whether_the_applicant_may_edit_names_the_time_that_lacks_a_zone(now, closes_at, name):
    with pytest.raises(ValueError, match=exactly(f"{name} must carry a time zone")):
        is_editable_by_applicant("draft", "open", now, closes_at)
