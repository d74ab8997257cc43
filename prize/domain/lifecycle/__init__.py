"""The life of an edition and of an entry: two guarded state machines, each in one place.

Every change of status goes through :func:`edition_transition` or :func:`entry_transition`.
They check where the thing is now and what must be true before the step, and either refuse
with sentences a secretariat (or an applicant) understands, or say where the thing goes, which
emails belong to the step and what to write in the audit trail. Nothing here reads a clock,
a database or a request: the store fills an :class:`EditionFacts` snapshot and passes the time.
The edition's machine lives in :mod:`.edition`, the entry's in :mod:`.entry`; every public
name is importable from here. The tables below are the design; a unit test compares them with
the step tables in code.

Edition
=======

::

    draft ──► open ──► screening ──► judging ──► deliberation ──► published ──► archived
                ▲          │
                └──────────┘ reopen_call (while no entry has been screened)

==================  =============  =============  ===========================================
transition          from           to             must be true (``force`` overrides only *)
==================  =============  =============  ===========================================
open_call           draft          open           title; opening date and deadline set, in
                                                  that order, deadline still ahead; at least
                                                  one criterion, unique keys, weights > 0,
                                                  scales with top above bottom; at least one
                                                  eligible country; jurors per entry ≥ 1
close_call          open           screening      * the deadline has passed (now ≥ closes_at)
reopen_call         screening      open           no entry screened yet; deadline still ahead
start_judging       screening      judging        every submitted entry screened; at least
                                                  one eligible entry; assignment released and
                                                  covering every eligible entry; enough
                                                  active jurors for one entry
start_deliberation  judging        deliberation   * every assigned score sheet submitted (of the
                                                  current round)
open_final_round    deliberation   judging        the edition has a final round, not begun;
                                                  every eligible entry decided in round 1
                                                  (shortlisted or not selected); at least one
                                                  shortlisted. The current round becomes 2
publish_results     deliberation   published      at least one winner; every eligible entry
                                                  decided (shortlisted, awarded or not
                                                  selected); with a final round, after it
archive             published      archived       nothing
==================  =============  =============  ===========================================

An edition with a final round (``rounds = 2``) goes judging → deliberation twice: round 1
decides the shortlist only, ``open_final_round`` gives every active juror without a conflict
the shortlisted entries, and the final round's deliberation decides the awards.

Emails that belong to a step: ``call_opened`` (open_call), ``eligibility_results``
(start_judging), ``results`` (publish_results). Releasing the jury's assignment is a separate
operation of its own and sends its own email.

The opening date is the advertised date: the secretariat opens the call by hand, so
``open_call`` does not compare it with now.

Entry
=====

::

    draft ──► submitted ──► eligible ◄──► ineligible              (open, then screening)
      │           │
      └───────────┴──► withdrawn

    eligible ◄──► shortlisted                                     (deliberation)
    eligible, shortlisted ──► winner | special_mention | not_selected
    winner, special_mention ──► shortlisted                       (revoke_award)
    not_selected ──► eligible                                     (reconsider)

=====================  ==============================  ================  ====================
transition             from                            to                while the edition is
=====================  ==============================  ================  ====================
submit                 draft, submitted (re-submit)    submitted         open, before deadline
withdraw               draft, submitted                withdrawn         open, before deadline
mark_eligible          submitted, ineligible           eligible          screening
mark_ineligible        submitted, eligible             ineligible        screening (reason)
shortlist              eligible                        shortlisted       deliberation
unshortlist            shortlisted                     eligible          deliberation
award_winner           eligible, shortlisted           winner            deliberation (stmt.)
award_special_mention  eligible, shortlisted           special_mention   deliberation (stmt.)
not_select             eligible, shortlisted           not_selected      deliberation
revoke_award           winner, special_mention         shortlisted       deliberation
reconsider             not_selected                    eligible          deliberation
=====================  ==============================  ================  ====================

In an edition with a final round the decisions follow the round (``entry_transition``'s
``rounds`` and ``current_round``): round 1's deliberation shortlists, unshortlists and marks
entries not selected, but awards nothing and decides no shortlisted entry; the final round's
deliberation awards and decides only the entries it judged, its shortlist fixed, and
``reconsider`` takes such an entry back to the shortlist.

"Before the deadline" means ``now < closes_at``: at the deadline itself the call is closed.
``reconsider`` is not in the first design: without it a mistaken "not selected" could not be
undone, while every other decision in deliberation can.
"""

from __future__ import annotations

from prize.domain.labels import EDITION_STATUS_LABELS, ENTRY_STATUS_LABELS
from prize.domain.lifecycle.edition import (
    EDITION_TRANSITIONS,
    CriterionFacts,
    EditionFacts,
    TransitionResult,
    available_transitions,
    check_edition_transition,
    edition_status_label,
    edition_transition,
    edition_transition_label,
)
from prize.domain.lifecycle.entry import (
    ENTRY_TRANSITIONS,
    EntryTransitionResult,
    available_entry_transitions,
    entry_status_label,
    entry_transition,
    entry_transition_label,
    is_editable_by_applicant,
)
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.domain.transitions import TransitionRefused
from prize.i18n import N_

__all__ = [
    "EDITION_STATUS_LABELS",
    "EDITION_TRANSITIONS",
    "ENTRY_STATUS_LABELS",
    "ENTRY_TRANSITIONS",
    "N_",
    "CriterionFacts",
    "EditionFacts",
    "EditionStatus",
    "EntryStatus",
    "EntryTransitionResult",
    "TransitionRefused",
    "TransitionResult",
    "available_entry_transitions",
    "available_transitions",
    "check_edition_transition",
    "edition_status_label",
    "edition_transition",
    "edition_transition_label",
    "entry_status_label",
    "entry_transition",
    "entry_transition_label",
    "is_editable_by_applicant",
]
