"""The secretariat's eligibility checklist: the prize's rules applied to one application.

Pure: the application and the edition's rules in, a list of checks out. The
checklist informs the secretariat's decision; it never decides on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from prize.domain.entries import Application, submission_problems
from prize.i18n import format_day, gettext, ngettext
from prize.settings import DEFAULT_TIMEZONE

# "Currently running or recently finished": a project needs some months of work behind
# it to show results, and a finished one should not be older than two years.
MIN_RUNNING = timedelta(days=182)
MAX_FINISHED_AGO = timedelta(days=2 * 365)


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    detail: str


def eligibility_checklist(
    application: Application,
    *,
    eligible_countries: tuple[str, ...] | list[str],
    reference_date: date,
) -> list[Check]:
    """The four eligibility rules for `application`, judged at `reference_date` (the deadline)."""
    return [
        _country(application, eligible_countries),
        _youth(application),
        _running(application, reference_date),
        _complete(application, reference_date),
    ]


def _country(application: Application, eligible: tuple[str, ...] | list[str]) -> Check:
    countries = application.all_countries()
    outside = [code for code in countries if code not in eligible]
    if not countries:
        detail, passed = gettext("No country of activity is given."), False
    elif outside:
        detail = gettext("Not an eligible country: {codes}.").format(codes=", ".join(outside))
        passed = False
    else:
        detail, passed = ", ".join(countries), True
    return Check("country", gettext("Country eligible"), passed, detail)


def _youth(application: Application) -> Check:
    stages = [stage for stage, part in application.participation_grid.items() if part.involved]
    problems = []
    if not application.youth_participation.strip():
        problems.append(gettext("no description of how young people take part"))
    if not stages:
        problems.append(gettext("no stage ticked in the participation grid"))
    if not application.young_people:
        problems.append(gettext("no young people under 25 engaged"))
    if problems:
        detail = gettext("Missing: {what}.").format(what="; ".join(problems))
    else:
        detail = gettext("{n} young people; stages: {stages}.").format(
            n=application.young_people, stages=", ".join(stages))
    return Check("youth", gettext("Youth participation present"), not problems, detail)


def _running(application: Application, reference_date: date) -> Check:
    label = gettext("Project running long enough")
    start = application.start_date
    # Dates as people read them ("1 March 2025"), not ISO: prize.i18n.format_day.
    started = format_day(start, DEFAULT_TIMEZONE)
    if start is None:
        return Check("running", label, False, gettext("No start date is given."))
    if reference_date - start < MIN_RUNNING:
        return Check("running", label, False, gettext(
            "Started on {start}: less than six months before the deadline.").format(start=started))
    end = application.end_date
    if application.running == "no" and end is not None and reference_date - end > MAX_FINISHED_AGO:
        return Check("running", label, False, gettext(
            "Finished on {end}: more than two years before the deadline.").format(
            end=format_day(end, DEFAULT_TIMEZONE)))
    return Check("running", label, True, gettext("Started on {start}.").format(start=started))


def _complete(application: Application, reference_date: date) -> Check:
    problems = submission_problems(application, today=reference_date)
    detail = (gettext("Every required answer is given.") if not problems
              else ngettext("{n} answer missing or too long: {fields}.",
                            "{n} answers missing or too long: {fields}.",
                            len(problems)).format(
                  n=len(problems), fields=", ".join(sorted(problems))))
    return Check("complete", gettext("Complete"), not problems, detail)


def eligibility_rules(
    *, closes_at: datetime | None, eligible_countries: tuple[str, ...] | list[str],
    timezone: str = DEFAULT_TIMEZONE,
) -> list[str]:
    """The rules the checklist above applies, as sentences for applicants, from the edition's
    settings: its deadline (the checklist's reference date) and its eligible countries."""
    if closes_at is not None:
        deadline = closes_at.date()
        running = gettext(
            "The project has been running for at least six months by the deadline: it started "
            "on or before {day}.").format(day=format_day(deadline - MIN_RUNNING, timezone))
        finished = gettext(
            "If it has finished, it ended less than two years before the deadline: on or after "
            "{day}.").format(day=format_day(deadline - MAX_FINISHED_AGO, timezone))
    else:
        running = gettext(
            "The project has been running for at least six months by the deadline.")
        finished = gettext(
            "If it has finished, it ended less than two years before the deadline.")
    return [
        running,
        finished,
        gettext("Young people under 25 take part in running the project, not only as its "
                "audience."),
        gettext("It is run by more than one person, with some structure: an organisation, or a "
                "group with a plan (it does not need a legal status)."),
        ngettext("It works in the eligible country ({count}).",
                 "It works in at least one of the {count} eligible countries (the Pompidou "
                 "Group's member states).", len(eligible_countries)).format(
            count=len(eligible_countries)),
    ]
