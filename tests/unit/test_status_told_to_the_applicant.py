"""What the applicant is told: an outcome only once announced, and why an entry is closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prize.domain.applicant_view import status_told, why_closed
from prize.domain.statuses import EditionStatus, EntryStatus

DEADLINE = datetime(2027, 5, 30, 21, 59, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(minutes=1)


@pytest.mark.parametrize("edition", ["open", "screening"])
@pytest.mark.parametrize("entry", ["eligible", "ineligible"])
def test_a_screening_outcome_reads_as_submitted_until_judging_starts(entry, edition):
    assert status_told(entry, edition) == "submitted"


@pytest.mark.parametrize("edition", ["judging", "deliberation", "published", "archived"])
@pytest.mark.parametrize("entry", ["eligible", "ineligible"])
def test_a_screening_outcome_shows_once_judging_has_started(entry, edition):
    assert status_told(entry, edition) == entry


@pytest.mark.parametrize("entry", ["shortlisted", "winner", "special_mention", "not_selected"])
def test_a_jury_decision_reads_as_eligible_until_published(entry):
    assert status_told(entry, "deliberation") == "eligible"
    assert status_told(entry, "judging") == "eligible"


@pytest.mark.parametrize("edition", ["published", "archived"])
@pytest.mark.parametrize("entry", ["shortlisted", "winner", "special_mention", "not_selected"])
def test_a_jury_decision_shows_once_published(entry, edition):
    assert status_told(entry, edition) == entry


@pytest.mark.parametrize("entry", ["draft", "submitted", "withdrawn"])
@pytest.mark.parametrize("edition", [status.value for status in EditionStatus])
def test_the_applicant_s_own_steps_show_at_once(entry, edition):
    assert status_told(entry, edition) == entry


def test_status_told_returns_plain_strings():
    assert type(status_told(EntryStatus.ELIGIBLE, EditionStatus.JUDGING)) is str
    assert type(status_told("eligible", "screening")) is str


@pytest.mark.parametrize("entry", ["draft", "submitted"])
def test_an_open_call_before_its_deadline_closes_nothing(entry):
    assert why_closed(entry, "open", BEFORE, DEADLINE) is None


@pytest.mark.parametrize("now", [DEADLINE, DEADLINE + timedelta(days=1)])
@pytest.mark.parametrize("entry", ["draft", "submitted"])
def test_at_and_after_the_deadline_the_deadline_has_passed(entry, now):
    assert why_closed(entry, "open", now, DEADLINE) == "deadline_passed"


def test_an_open_edition_without_a_deadline_counts_as_past_it():
    assert why_closed("draft", "open", BEFORE, None) == "deadline_passed"


@pytest.mark.parametrize("edition", ["open", "screening", "published"])
def test_a_withdrawn_entry_is_closed_because_it_was_withdrawn(edition):
    assert why_closed("withdrawn", edition, BEFORE, DEADLINE) == "withdrawn"


def test_an_edition_not_opened_yet():
    assert why_closed("draft", "draft", BEFORE, DEADLINE) == "not_open"


@pytest.mark.parametrize("edition", ["screening", "judging", "deliberation", "published",
                                     "archived"])
def test_a_draft_of_an_edition_that_moved_on_closed_with_the_call(edition):
    assert why_closed("draft", edition, BEFORE, DEADLINE) == "call_closed"


@pytest.mark.parametrize(("edition", "reason"), [
    ("screening", "screening"), ("judging", "judging"), ("deliberation", "deliberation"),
    ("published", "published"), ("archived", "published"),
])
@pytest.mark.parametrize("entry", ["submitted", "eligible", "shortlisted", "winner",
                                   "not_selected"])
def test_a_submitted_entry_names_the_phase_the_edition_moved_on_to(entry, edition, reason):
    assert why_closed(entry, edition, BEFORE, DEADLINE) == reason


@pytest.mark.parametrize("edition", ["screening", "judging", "deliberation", "published",
                                     "archived"])
def test_an_entry_screened_out_is_closed_because_it_is_not_eligible(edition):
    assert why_closed("ineligible", edition, BEFORE, DEADLINE) == "not_eligible"
