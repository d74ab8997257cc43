"""Applicants are told the eligibility rules that screening applies (issue 19 part 5): on the
edition's public page (the call) and at the top of the form, with the dates worked out from
the edition's deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from prize.domain import screening
from prize.domain.editions import ELIGIBLE_COUNTRIES
from prize.i18n import use_locale
from tests import factories
from tests.http.test_entry_autosave import start

DEADLINE = datetime(2099, 5, 30, 21, 59, tzinfo=UTC)


def test_the_rules_give_the_dates_that_screening_applies():
    rules = screening.eligibility_rules(closes_at=DEADLINE, eligible_countries=("FR", "IE"))
    assert rules[0].endswith("it started on or before 29 November 2098.")
    assert rules[1].endswith("on or after 30 May 2097.")
    assert "under 25" in rules[2] and "more than one person" in rules[3]
    assert "at least one of the 2 eligible countries" in rules[4]
    # The first date is the last start the checklist accepts, the second the first end it does.
    def running(started: date) -> bool:
        application = factories.complete_application(start_date=started)
        checks = screening.eligibility_checklist(
            application, eligible_countries=ELIGIBLE_COUNTRIES, reference_date=DEADLINE.date())
        return next(check.passed for check in checks if check.key == "running")

    assert running(date(2098, 11, 29)) and not running(date(2098, 11, 30))


def test_without_a_deadline_the_rules_are_said_without_dates():
    rules = screening.eligibility_rules(closes_at=None, eligible_countries=ELIGIBLE_COUNTRIES)
    assert rules[0] == "The project has been running for at least six months by the deadline."


def test_the_rules_are_in_french_for_a_french_page():
    with use_locale("fr"):
        rules = screening.eligibility_rules(closes_at=DEADLINE, eligible_countries=("FR",))
    assert "2098" in rules[0]


@pytest.fixture
async def open_edition(db):
    return await factories.edition(db, year=2099, status="open", closes_at=DEADLINE)


async def test_the_call_shows_who_can_take_part(client, open_edition):
    page = (await client.get("/editions/2099")).text
    assert "Who can take part" in page
    assert "it started on or before 29 November 2098." in page
    assert "ended less than two years before the deadline: on or after 30 May 2097." in page
    assert "more than one person, with some structure" in page


async def test_the_form_opens_with_the_rules(applicant_client, open_edition):
    entry_id = await start(applicant_client, open_edition)
    page = (await applicant_client.get(f"/my/entries/{entry_id}/edit")).text
    assert "Who can take part" in page and "29 November 2098" in page
    assert page.index("Who can take part") < page.index('id="entry-form"')
