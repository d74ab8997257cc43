"""The eligibility checklist and the arithmetic of judging progress."""

from __future__ import annotations

from datetime import UTC, date, datetime

from prize.domain.entries import Participation
from prize.domain.progress import JurorProgress, completion_percent, days_left, start_of_local_day
from prize.domain.screening import eligibility_checklist
from tests.factories import complete_application

DEADLINE = date(2026, 5, 30)


def checks(application, countries=("IE", "FR")):
    return {c.key: c for c in eligibility_checklist(
        application, eligible_countries=countries, reference_date=DEADLINE)}


def test_a_complete_application_passes_every_check():
    assert all(check.passed for check in checks(complete_application()).values())


def test_a_country_outside_the_list_fails_and_is_named():
    result = checks(complete_application(countries=["US"]))["country"]
    assert not result.passed and "US" in result.detail


def test_youth_participation_needs_text_a_stage_and_young_people():
    application = complete_application(youth_participation="", young_people=0,
                                       participation_grid={"needs": Participation()})
    result = checks(application)["youth"]
    assert not result.passed and "grid" in result.detail


def test_a_project_started_a_month_ago_has_not_run_long_enough():
    assert not checks(complete_application(start_date="2026-04-30"))["running"].passed


def test_a_project_finished_long_ago_is_not_recent():
    application = complete_application(start_date="2020-01-01", running="no",
                                       end_date="2023-01-01")
    assert not checks(application)["running"].passed


def test_an_incomplete_application_fails_the_completeness_check():
    assert not checks(complete_application(summary=""))["complete"].passed


def test_completion_rounds_down_and_never_divides_by_zero():
    assert completion_percent(2, 3) == 66
    assert completion_percent(0, 0) == 0
    assert completion_percent(5, 5) == 100


def test_days_left_count_calendar_days_in_the_editions_zone():
    now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 3 March in Strasbourg
    ends = datetime(2026, 3, 12, 22, 0, tzinfo=UTC)  # 12 March 23:00 in Strasbourg
    assert days_left(now, ends, "Europe/Paris") == 9
    assert days_left(now, None, "Europe/Paris") is None


def test_the_day_starts_at_midnight_in_strasbourg():
    assert start_of_local_day(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "Europe/Paris") == \
        datetime(2026, 6, 30, 22, 0, tzinfo=UTC)


def test_a_juror_is_late_while_sheets_are_missing_and_active():
    assert JurorProgress(1, "A", "a@x", assigned=3, submitted=1, last_activity=None).is_late
    assert not JurorProgress(1, "A", "a@x", assigned=3, submitted=3, last_activity=None).is_late
    assert not JurorProgress(1, "A", "a@x", 3, 1, None, is_active=False).is_late
