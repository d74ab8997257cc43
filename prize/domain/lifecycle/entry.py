"""The entry's state machine: its steps and the phase of the edition each step belongs to.

The table of steps is drawn in :mod:`prize.domain.lifecycle`'s docstring; a unit test keeps
the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prize.domain.editions import call_is_open
from prize.domain.labels import label
from prize.domain.lifecycle.edition import edition_status_label
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.domain.transitions import TransitionRefused, require_aware
from prize.i18n import N_, gettext

_E = EditionStatus


def entry_status_label(status: str) -> str:
    """The status of an entry in the current locale, as people read it."""
    return label("entry", EntryStatus(status))



@dataclass(frozen=True)
class _EntryStep:
    label: str
    sources: frozenset[EntryStatus]
    target: EntryStatus
    phase: EditionStatus
    audit_action: str
    audit_description: str
    needs_reason: bool = False
    needs_statement: bool = False


_S = EntryStatus
_EDITABLE = frozenset(map(EntryStatus, EntryStatus.EDITABLE))
_DECIDABLE = frozenset(map(EntryStatus, EntryStatus.DECIDABLE))
_AWARDED = frozenset(map(EntryStatus, EntryStatus.AWARDED))

# The one place where an entry's steps are defined.
ENTRY_TRANSITIONS: dict[str, _EntryStep] = {
    "submit": _EntryStep(
        N_("Submit"), _EDITABLE, _S.SUBMITTED, _E.OPEN,
        "entry.submitted", "Submitted the entry",
    ),
    "withdraw": _EntryStep(
        N_("Withdraw"), _EDITABLE, _S.WITHDRAWN, _E.OPEN,
        "entry.withdrawn", "Withdrew the entry",
    ),
    "mark_eligible": _EntryStep(
        N_("Mark eligible"), frozenset({_S.SUBMITTED, _S.INELIGIBLE}), _S.ELIGIBLE,
        _E.SCREENING, "entry.marked_eligible", "Marked the entry eligible",
    ),
    "mark_ineligible": _EntryStep(
        N_("Mark not eligible"), frozenset({_S.SUBMITTED, _S.ELIGIBLE}), _S.INELIGIBLE,
        _E.SCREENING, "entry.marked_ineligible", "Marked the entry not eligible",
        needs_reason=True,
    ),
    "shortlist": _EntryStep(
        N_("Shortlist"), frozenset({_S.ELIGIBLE}), _S.SHORTLISTED, _E.DELIBERATION,
        "entry.shortlisted", "Shortlisted the entry",
    ),
    "unshortlist": _EntryStep(
        N_("Remove from the shortlist"), frozenset({_S.SHORTLISTED}), _S.ELIGIBLE,
        _E.DELIBERATION, "entry.unshortlisted", "Removed the entry from the shortlist",
    ),
    "award_winner": _EntryStep(
        N_("Award a prize"), _DECIDABLE, _S.WINNER, _E.DELIBERATION,
        "entry.awarded_winner", "Awarded the entry a prize", needs_statement=True,
    ),
    "award_special_mention": _EntryStep(
        N_("Give a special mention"), _DECIDABLE, _S.SPECIAL_MENTION, _E.DELIBERATION,
        "entry.awarded_special_mention", "Gave the entry a special mention",
        needs_statement=True,
    ),
    "not_select": _EntryStep(
        N_("Mark not selected"), _DECIDABLE, _S.NOT_SELECTED, _E.DELIBERATION,
        "entry.not_selected", "Marked the entry not selected",
    ),
    "revoke_award": _EntryStep(
        N_("Cancel the award"), _AWARDED, _S.SHORTLISTED,
        _E.DELIBERATION, "entry.award_revoked", "Withdrew the entry's award",
    ),
    "reconsider": _EntryStep(
        N_("Reconsider"), frozenset({_S.NOT_SELECTED}), _S.ELIGIBLE, _E.DELIBERATION,
        "entry.reconsidered", "Put the entry back among the undecided",
    ),
}


@dataclass(frozen=True)
class EntryTransitionResult:
    """An entry transition that may go ahead.

    ``reason`` and ``statement`` are what to store: a stripped text, ``""`` to clear an
    earlier one, or None to leave the stored one as it is.
    """

    name: str
    source: EntryStatus
    target: EntryStatus
    audit_action: str
    audit_description: str
    reason: str | None = None
    statement: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _entry_step(name: str) -> _EntryStep:
    try:
        return ENTRY_TRANSITIONS[name]
    except KeyError:
        raise ValueError(f"unknown entry transition {name!r}") from None


def entry_transition_label(name: str) -> str:
    """The button text of an entry transition, in the current locale."""
    return gettext(_entry_step(name).label)


def available_entry_transitions(status: str) -> list[str]:
    """Names of the entry transitions that start from ``status``, in table order.

    Whether each may go ahead depends on the edition's status and the time.
    """
    current = EntryStatus(status)
    return [name for name, step in ENTRY_TRANSITIONS.items() if current in step.sources]


def is_editable_by_applicant(
    entry_status: str, edition_status: str, now: datetime, closes_at: datetime | None
) -> bool:
    """The applicant may still change (and so submit or withdraw) this entry now.

    True for a draft or submitted entry while the call is open and ``now`` is before the
    deadline; at the deadline itself the entry is closed.
    """
    require_aware(now, "now")
    require_aware(closes_at, "closes_at")
    return EntryStatus(entry_status) in EntryStatus.EDITABLE and call_is_open(
        EditionStatus(edition_status), now, closes_at
    )


def _phase_problem(
    step: _EntryStep, name: str, edition_status: EditionStatus, now: datetime,
    closes_at: datetime | None,
) -> str | None:
    if step.phase is EditionStatus.OPEN:
        if call_is_open(edition_status, now, closes_at):
            return None
        if edition_status is EditionStatus.DRAFT:
            return gettext("The call for entries has not opened yet.")
        if edition_status is EditionStatus.OPEN and closes_at is not None:
            if name == "submit":
                return gettext(
                    "The deadline has passed, so this entry can no longer be submitted. "
                    "Your saved text is kept."
                )
            return gettext("The deadline has passed, so this entry can no longer be withdrawn.")
        return gettext("The call for entries is closed.")
    if edition_status is step.phase:
        return None
    current = f"“{edition_status_label(edition_status)}”"
    if step.phase is EditionStatus.SCREENING:
        return gettext(
            "Eligibility is decided only while the edition is in screening; it is {current}."
        ).format(current=current)
    return gettext(
        "Decisions are recorded only while the edition is in deliberation; it is {current}."
    ).format(current=current)


_AWARD_STEPS = frozenset({"award_winner", "award_special_mention"})
_FINAL_DECISIONS = _AWARD_STEPS | {"not_select"}


def _round_problem(name: str, source: EntryStatus, *, current_round: int,
                   in_final_round: bool) -> str | None:
    """Why a decision does not belong to this round of a two-round edition, or None.

    Round 1's deliberation decides the shortlist only; the final round's decides the
    awards of the entries it judged, and its shortlist no longer changes.
    """
    if current_round == 1:
        if name in _AWARD_STEPS:
            return gettext("This edition has a final round: awards are decided after it.")
        if name == "not_select" and source is _S.SHORTLISTED:
            return gettext(
                "A shortlisted entry is decided after the final round; remove it from the "
                "shortlist first if the jury changed its mind.")
        return None
    if name in {"shortlist", "unshortlist"}:
        return gettext("The shortlist was fixed when the final round opened.")
    if name in _FINAL_DECISIONS and not in_final_round:
        return gettext("Only the entries of the final round can be decided now.")
    if name == "reconsider" and not in_final_round:
        return gettext(
            "This entry was not selected in round 1; the final round is only for the shortlist.")
    return None


def entry_transition(
    name: str,
    current: str,
    *,
    edition_status: str,
    now: datetime,
    closes_at: datetime | None,
    reason: str | None = None,
    statement: str | None = None,
    rounds: int = 1,
    current_round: int = 1,
    in_final_round: bool = False,
) -> EntryTransitionResult:
    """Check an entry transition and say its outcome; the caller writes it and the audit.

    Raises :class:`TransitionRefused` with every reason at once: the entry's status, the
    edition's phase (and the deadline, for the applicant's steps), a decision that belongs
    to the other round of a two-round edition (``rounds``, ``current_round``;
    ``in_final_round``: the final round judged this entry), a missing reason for
    ``mark_ineligible`` or a missing jury statement for an award.
    Raises ValueError for an unknown transition or status, or a time without a time zone.
    """
    require_aware(now, "now")
    require_aware(closes_at, "closes_at")
    step = _entry_step(name)
    source = EntryStatus(current)
    phase = EditionStatus(edition_status)
    reason_text = (reason or "").strip()
    statement_text = (statement or "").strip()
    problems = []
    if source not in step.sources:
        problems.append(
            gettext("“{action}” is not possible for an entry whose status is {current}.").format(
                action=gettext(step.label), current=f"“{entry_status_label(source)}”"
            )
        )
    phase_problem = _phase_problem(step, name, phase, now, closes_at)
    if phase_problem:
        problems.append(phase_problem)
    elif rounds == 2 and step.phase is EditionStatus.DELIBERATION:
        round_problem = _round_problem(name, source, current_round=current_round,
                                       in_final_round=in_final_round)
        if round_problem:
            problems.append(round_problem)
    if step.needs_reason and not reason_text:
        problems.append(
            gettext("Give the reason the entry is not eligible; the applicant will see it.")
        )
    if step.needs_statement and not statement_text:
        problems.append(
            gettext("Write the jury's statement for this award; it is published with the result.")
        )
    if problems:
        raise TransitionRefused(problems)

    stored_reason: str | None = None
    stored_statement: str | None = None
    audit_action = step.audit_action
    if name == "submit" and source is _S.SUBMITTED:
        audit_action = "entry.resubmitted"
    if step.needs_reason or name == "mark_eligible":
        # An eligible entry keeps an optional note; a corrected one loses the old refusal.
        stored_reason = reason_text
    if step.needs_statement:
        stored_statement = statement_text
    elif name == "revoke_award":
        stored_statement = ""
    target = step.target
    if name == "reconsider" and rounds == 2 and current_round == 2:
        # Back among the final round's undecided entries, which are shortlisted.
        target = _S.SHORTLISTED
    details: dict[str, Any] = {"from": str(source), "to": str(target)}
    if stored_reason:
        details["reason"] = stored_reason
    return EntryTransitionResult(
        name=name,
        source=source,
        target=target,
        audit_action=audit_action,
        audit_description=step.audit_description,
        reason=stored_reason,
        statement=stored_statement,
        details=details,
    )
