"""What an applicant is told about their entry: its status as far as it has been announced,
and, once it can no longer be changed, why.

The secretariat's screening and the jury's decisions are stored as soon as they are made,
but an applicant learns of them only by the email that announces them: the eligibility
results go out when judging starts, the jury's results when they are published. Until then
the applicant's pages show the last status the applicant was told.
"""

from __future__ import annotations

from datetime import datetime

from prize.domain.editions import call_is_open
from prize.domain.statuses import EditionStatus, EntryStatus

_E = EditionStatus
_S = EntryStatus

#: The edition statuses in which the eligibility results have been sent (start_judging).
SCREENING_ANNOUNCED = frozenset({_E.JUDGING, _E.DELIBERATION, _E.PUBLISHED, _E.ARCHIVED})
#: The edition statuses in which the jury's results have been sent (publish_results).
RESULTS_ANNOUNCED = frozenset({_E.PUBLISHED, _E.ARCHIVED})


def status_told(entry_status: str, edition_status: str) -> str:
    """The entry's status as the applicant has been told it.

    A screening outcome (eligible, not eligible) shows once judging has started, a jury
    decision (shortlisted, awarded, not selected) once the results are published; before
    that the entry reads as it last did for its applicant.
    """
    status = EntryStatus(entry_status)
    edition = EditionStatus(edition_status)
    if status in EntryStatus.DECIDED and edition not in RESULTS_ANNOUNCED:
        status = _S.ELIGIBLE
    if status in EntryStatus.SCREENED and edition not in SCREENING_ANNOUNCED:
        status = _S.SUBMITTED
    return status.value


def why_closed(
    entry_status: str, edition_status: str, now: datetime, closes_at: datetime | None
) -> str | None:
    """Why the applicant can no longer change the entry, as a key; None while they can.

    ``withdrawn``: they withdrew it. ``not_open``: the edition is not open yet.
    ``deadline_passed``: the call is still open for the
    secretariat but its deadline is behind us. For a draft, ``call_closed`` (never
    submitted, so not judged). ``not_eligible``: screened out (pass the status as told, see
    :func:`status_told`, so that this shows only once announced). For a submitted entry, the
    phase the edition moved on to:
    ``screening``, ``judging``, ``deliberation`` or ``published`` (archived reads as
    published).
    """
    status = EntryStatus(entry_status)
    edition = EditionStatus(edition_status)
    if status is _S.WITHDRAWN:
        return "withdrawn"
    if status in EntryStatus.EDITABLE and call_is_open(edition, now, closes_at):
        return None
    if edition is _E.DRAFT:
        return "not_open"
    if edition is _E.OPEN:
        return "deadline_passed"
    if status is _S.DRAFT:
        return "call_closed"
    if status is _S.INELIGIBLE:
        return "not_eligible"
    if edition is _E.ARCHIVED:
        return "published"
    return edition.value
