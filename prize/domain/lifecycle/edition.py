"""The edition's state machine: the facts it is checked against, its preconditions, its steps.

The table of steps is drawn in :mod:`prize.domain.lifecycle`'s docstring; a unit test keeps
the two the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_time

from prize.domain.editions import Edition
from prize.domain.labels import label
from prize.domain.statuses import EditionStatus
from prize.domain.transitions import TransitionRefused, either, require_aware
from prize.i18n import N_, format_day, format_locale, gettext, ngettext, zone_name


def edition_status_label(status: str) -> str:
    """The status of an edition in the current locale, as people read it."""
    return label("edition", EditionStatus(status))


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFacts:
    """What the preconditions need to know of one criterion."""

    key: str
    weight: float
    scale_min: int
    scale_max: int


@dataclass(frozen=True, kw_only=True)
class EditionFacts:
    """A snapshot of an edition, filled by the store, against which preconditions are checked.

    Every field is required so that a store that forgets one fails at once instead of
    letting a precondition pass on a default.
    """

    title: str
    opens_at: datetime | None
    closes_at: datetime | None
    timezone: str
    """The zone deadlines are shown in (the edition's, Strasbourg's by default)."""
    criteria: tuple[CriterionFacts, ...]
    eligible_countries: tuple[str, ...]
    jurors_per_entry: int | None
    """Jurors each entry needs; None means every juror without a conflict."""
    submitted_entries: int
    """Entries submitted and not screened yet (status ``submitted``)."""
    screened_entries: int
    """Entries marked eligible or ineligible so far, whatever happened to them after."""
    eligible_entries: int
    """Entries that passed screening: eligible, shortlisted, awarded or not selected."""
    undecided_entries: int
    """Eligible entries with no decision yet (status still ``eligible``)."""
    winners: int
    assignment_released: bool
    entries_short_of_jurors: int
    """Eligible entries with fewer assigned jurors than they need."""
    active_jurors: int
    """Jurors of the edition who accepted their invitation and have not withdrawn."""
    sheets_assigned: int
    """Score sheets the current round's assignment asks for (and, below, submitted)."""
    sheets_submitted: int
    # The rounds (issue 15): defaults so that a snapshot of a one-round edition reads as
    # before; the store always fills them (from_edition).
    rounds: int = 1
    """1, or 2 when the edition has a final round for its shortlist."""
    current_round: int = 1
    shortlisted_entries: int = 0

    @property
    def before_final_round(self) -> bool:
        """The edition has a final round that has not begun: round 1's decisions are only
        the shortlist."""
        return self.rounds == 2 and self.current_round == 1

    @classmethod
    def from_edition(cls, edition: Edition, **counts: int) -> EditionFacts:
        """Facts from an edition's own fields plus the counts the store queried."""
        return cls(
            title=edition.title,
            opens_at=edition.opens_at,
            closes_at=edition.closes_at,
            timezone=edition.timezone,
            criteria=tuple(
                CriterionFacts(c.key, c.weight, c.scale_min, c.scale_max)
                for c in edition.criteria
            ),
            eligible_countries=tuple(edition.eligible_countries),
            jurors_per_entry=edition.jurors_per_entry,
            assignment_released=edition.assignment_released_at is not None,
            rounds=edition.rounds,
            current_round=edition.current_round,
            **counts,
        )


@dataclass(frozen=True)
class _Problem:
    """One unmet precondition.

    ``reason`` is for the person (translated); ``audit_note`` is the English note kept in the
    audit trail when the secretariat overrides an overridable problem.
    """

    reason: str
    overridable: bool = False
    audit_note: str = ""


# --- edition preconditions ------------------------------------------------------------------


def _local_date_and_time(moment: datetime, timezone: str) -> tuple[str, str]:
    zone = ZoneInfo(timezone)
    return (
        format_day(moment, timezone),
        format_time(moment, "HH:mm", tzinfo=zone, locale=format_locale()),
    )


def _open_call_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    problems: list[str] = []
    if not facts.title.strip():
        problems.append(gettext("The edition has no title yet."))
    if facts.opens_at is None:
        problems.append(gettext("The opening date is not set."))
    if facts.closes_at is None:
        problems.append(gettext("The deadline is not set."))
    if facts.opens_at and facts.closes_at and facts.closes_at <= facts.opens_at:
        problems.append(gettext("The deadline must come after the opening date."))
    if facts.closes_at and facts.closes_at <= now:
        problems.append(gettext("The deadline has already passed; set a later one."))
    problems.extend(_criteria_problems(facts.criteria))
    if not facts.eligible_countries:
        problems.append(gettext("No country is eligible yet; choose at least one."))
    if facts.jurors_per_entry is not None and facts.jurors_per_entry < 1:
        problems.append(gettext("Each entry needs at least 1 juror."))
    return [_Problem(reason) for reason in problems]


def _criteria_problems(criteria: tuple[CriterionFacts, ...]) -> list[str]:
    if not criteria:
        return [gettext("The edition has no criteria yet; add at least one.")]
    problems = []
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.key in seen:
            problems.append(
                gettext("Two criteria share the key “{key}”.").format(key=criterion.key)
            )
        seen.add(criterion.key)
        if not criterion.weight > 0:
            problems.append(
                gettext("The weight of criterion “{key}” must be above 0.").format(
                    key=criterion.key
                )
            )
        if criterion.scale_max <= criterion.scale_min:
            problems.append(
                gettext(
                    "The scale of criterion “{key}” must have its top above its bottom "
                    "(it is {low} to {high})."
                ).format(key=criterion.key, low=criterion.scale_min, high=criterion.scale_max)
            )
    return problems


def _close_call_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    # Without a deadline there is nothing to wait for; open_call makes that case rare.
    if facts.closes_at is None or now >= facts.closes_at:
        return []
    date, time = _local_date_and_time(facts.closes_at, facts.timezone)
    return [
        _Problem(
            gettext(
                "The deadline has not passed yet: the call closes on {date} at {time} "
                "({timezone}). Confirm to close it early."
            ).format(date=date, time=time, timezone=zone_name(facts.timezone)),
            overridable=True,
            audit_note=f"before the deadline of {facts.closes_at.isoformat()}",
        )
    ]


def _reopen_call_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    problems = []
    if facts.screened_entries:
        problems.append(
            ngettext(
                "{count} entry has already been screened, so the call cannot be reopened.",
                "{count} entries have already been screened, so the call cannot be reopened.",
                facts.screened_entries,
            ).format(count=facts.screened_entries)
        )
    if facts.closes_at is None:
        problems.append(gettext("The deadline is not set."))
    elif facts.closes_at <= now:
        problems.append(
            gettext("The deadline has passed; set a later one before reopening the call.")
        )
    return [_Problem(reason) for reason in problems]


def _start_judging_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    problems = []
    if facts.submitted_entries:
        problems.append(
            ngettext(
                "{count} submitted entry is not screened yet.",
                "{count} submitted entries are not screened yet.",
                facts.submitted_entries,
            ).format(count=facts.submitted_entries)
        )
    if facts.eligible_entries < 1:
        problems.append(gettext("No entry is eligible, so there is nothing to score."))
    if not facts.assignment_released:
        problems.append(gettext("The jury's assignment has not been released yet."))
    elif facts.entries_short_of_jurors:
        problems.append(
            ngettext(
                "{count} eligible entry has fewer jurors assigned than it needs.",
                "{count} eligible entries have fewer jurors assigned than they need.",
                facts.entries_short_of_jurors,
            ).format(count=facts.entries_short_of_jurors)
        )
    needed = facts.jurors_per_entry or 1
    if facts.active_jurors < needed:
        if facts.active_jurors == 0:
            problems.append(gettext("No juror has accepted an invitation to this edition yet."))
        else:
            problems.append(
                ngettext(
                    "The edition has {count} active juror; each entry needs {needed}.",
                    "The edition has {count} active jurors; each entry needs {needed}.",
                    facts.active_jurors,
                ).format(count=facts.active_jurors, needed=needed)
            )
    return [_Problem(reason) for reason in problems]


def _start_deliberation_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    missing = max(facts.sheets_assigned - facts.sheets_submitted, 0)
    if not missing:
        return []
    return [
        _Problem(
            ngettext(
                "{count} score sheet is not submitted yet ({submitted} of {assigned} "
                "submitted). Confirm to start deliberation without it.",
                "{count} score sheets are not submitted yet ({submitted} of {assigned} "
                "submitted). Confirm to start deliberation without them.",
                missing,
            ).format(
                count=missing, submitted=facts.sheets_submitted, assigned=facts.sheets_assigned
            ),
            overridable=True,
            audit_note=(
                f"with {missing} of {facts.sheets_assigned} score sheets not submitted"
            ),
        )
    ]


def _open_final_round_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    if facts.rounds != 2:
        return [_Problem(gettext(
            "This edition has no final round; add one on the edition's settings page first."))]
    if facts.current_round == 2:
        return [_Problem(gettext("The final round has already begun."))]
    problems = []
    if facts.undecided_entries:
        problems.append(
            ngettext(
                "{count} entry has no round 1 decision yet; shortlist it or mark it not "
                "selected before the final round.",
                "{count} entries have no round 1 decision yet; shortlist each one or mark it "
                "not selected before the final round.",
                facts.undecided_entries,
            ).format(count=facts.undecided_entries)
        )
    if facts.shortlisted_entries < 1:
        problems.append(
            gettext("No entry is shortlisted, so the final round would have nothing to score."))
    return [_Problem(reason) for reason in problems]


def _publish_results_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    if facts.before_final_round:
        return [_Problem(gettext(
            "This edition has a final round: awards are decided after it. Open the final "
            "round first."))]
    problems = []
    if facts.winners < 1:
        problems.append(gettext("No winner has been recorded yet."))
    # The results email tells every applicant their outcome, so none may be left undecided.
    if facts.undecided_entries:
        problems.append(
            ngettext(
                "{count} eligible entry has no decision yet; shortlist it, award it or mark it "
                "not selected.",
                "{count} eligible entries have no decision yet; shortlist, award or mark each "
                "one not selected.",
                facts.undecided_entries,
            ).format(count=facts.undecided_entries)
        )
    return [_Problem(reason) for reason in problems]


def _no_problems(facts: EditionFacts, now: datetime) -> list[_Problem]:
    return []


# --- edition transitions --------------------------------------------------------------------


@dataclass(frozen=True)
class _EditionStep:
    label: str
    sources: frozenset[EditionStatus]
    target: EditionStatus
    emails: tuple[str, ...]
    audit_action: str
    audit_description: str
    problems: Callable[[EditionFacts, datetime], list[_Problem]]
    opens_round: int | None = None
    """The round the step begins (the final round's opening), else None."""


_E = EditionStatus

# The one place where an edition's steps are defined; the order is the order of the diagram.
EDITION_TRANSITIONS: dict[str, _EditionStep] = {
    "open_call": _EditionStep(
        N_("Open the call for entries"), frozenset({_E.DRAFT}), _E.OPEN, ("call_opened",),
        "edition.call_opened", "Opened the call for entries", _open_call_problems,
    ),
    "close_call": _EditionStep(
        N_("Close the call for entries"), frozenset({_E.OPEN}), _E.SCREENING, (),
        "edition.call_closed", "Closed the call for entries", _close_call_problems,
    ),
    "reopen_call": _EditionStep(
        N_("Reopen the call for entries"), frozenset({_E.SCREENING}), _E.OPEN, (),
        "edition.call_reopened", "Reopened the call for entries", _reopen_call_problems,
    ),
    "start_judging": _EditionStep(
        N_("Start judging"), frozenset({_E.SCREENING}), _E.JUDGING, ("eligibility_results",),
        "edition.judging_started", "Started judging", _start_judging_problems,
    ),
    "start_deliberation": _EditionStep(
        N_("Start deliberation"), frozenset({_E.JUDGING}), _E.DELIBERATION, (),
        "edition.deliberation_started", "Started deliberation", _start_deliberation_problems,
    ),
    "open_final_round": _EditionStep(
        N_("Open the final round"), frozenset({_E.DELIBERATION}), _E.JUDGING, (),
        "edition.final_round_opened", "Opened the final round for the shortlist",
        _open_final_round_problems, opens_round=2,
    ),
    "publish_results": _EditionStep(
        N_("Publish the results"), frozenset({_E.DELIBERATION}), _E.PUBLISHED, ("results",),
        "edition.results_published", "Published the results", _publish_results_problems,
    ),
    "archive": _EditionStep(
        N_("Archive the edition"), frozenset({_E.PUBLISHED}), _E.ARCHIVED, (),
        "edition.archived", "Archived the edition", _no_problems,
    ),
}


@dataclass(frozen=True)
class TransitionResult:
    """An edition transition that may go ahead: where to, what to send, what to audit."""

    name: str
    source: EditionStatus
    target: EditionStatus
    emails: tuple[str, ...]
    """Names of the email templates that belong to this step (sent to their audiences)."""
    audit_action: str
    audit_description: str
    """English, as the audit trail is kept; says what the secretariat overrode, if anything."""
    overridden: tuple[str, ...] = ()
    """The reasons ``force`` overrode, in the current locale (empty when nothing was)."""
    opens_round: int | None = None
    """The round the edition's current round becomes (2 when the final round opens)."""

    @property
    def forced(self) -> bool:
        return bool(self.overridden)

    @property
    def audit_details(self) -> dict[str, Any]:
        return {"from": str(self.source), "to": str(self.target), "forced": self.forced}


def _edition_step(name: str) -> _EditionStep:
    try:
        return EDITION_TRANSITIONS[name]
    except KeyError:
        # An unknown name is a bug in the caller, not a refusal to explain to a person.
        raise ValueError(f"unknown edition transition {name!r}") from None


def edition_transition_label(name: str) -> str:
    """The button text of an edition transition, in the current locale."""
    return gettext(_edition_step(name).label)


def available_transitions(status: str, *, rounds: int = 1, current_round: int = 1
                          ) -> list[str]:
    """Names of the edition transitions that start from ``status``, in diagram order.

    "Open the final round" is listed only for an edition whose final round is still ahead.
    Whether each may go ahead now depends on the facts: see :func:`check_edition_transition`.
    """
    current = EditionStatus(status)
    return [name for name, step in EDITION_TRANSITIONS.items() if current in step.sources
            and (step.opens_round is None or (rounds == 2 and current_round == 1))]


def _problems(name: str, facts: EditionFacts, now: datetime) -> list[_Problem]:
    require_aware(now, "now")
    require_aware(facts.opens_at, "opens_at")
    require_aware(facts.closes_at, "closes_at")
    return _edition_step(name).problems(facts, now)


def check_edition_transition(
    name: str, facts: EditionFacts, *, now: datetime, force: bool = False
) -> list[str]:
    """The unmet preconditions of an edition transition, as sentences; empty when it may go.

    With ``force`` the reasons the secretariat may override (an early close, missing score
    sheets) are left out. The edition's current status is not checked here.
    Raises ValueError for an unknown transition name or a time without a time zone.
    """
    return [
        problem.reason
        for problem in _problems(name, facts, now)
        if not (force and problem.overridable)
    ]


def edition_transition(
    name: str, current_status: str, facts: EditionFacts, *, now: datetime, force: bool = False
) -> TransitionResult:
    """Check an edition transition and say its outcome; the caller writes it and the audit.

    Raises :class:`TransitionRefused` when the edition is not in a status the transition
    starts from, or when a precondition is unmet (``force`` overrides only the overridable
    ones; ``can_force`` on the exception says whether confirming would help).
    """
    step = _edition_step(name)
    source = EditionStatus(current_status)
    if source not in step.sources:
        raise TransitionRefused([
            gettext("“{action}” is possible only when the edition is {allowed}; it is {current}.")
            .format(
                action=gettext(step.label),
                allowed=either(f"“{edition_status_label(s)}”" for s in _ordered(step.sources)),
                current=f"“{edition_status_label(source)}”",
            )
        ])
    problems = _problems(name, facts, now)
    blocking = [p.reason for p in problems if not (force and p.overridable)]
    if blocking:
        raise TransitionRefused(blocking, can_force=all(p.overridable for p in problems))
    overridden = [p for p in problems if p.overridable]
    description = step.audit_description
    if overridden:
        description += " (forced: " + "; ".join(p.audit_note for p in overridden) + ")"
    return TransitionResult(
        name=name,
        source=source,
        target=step.target,
        emails=step.emails,
        audit_action=step.audit_action,
        audit_description=description,
        overridden=tuple(p.reason for p in overridden),
        opens_round=step.opens_round,
    )


def _ordered(statuses: Iterable[EditionStatus]) -> list[EditionStatus]:
    # Sets have no order; list statuses in the order an edition runs through them.
    return sorted(statuses, key=list(EditionStatus).index)
