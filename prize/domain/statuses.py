"""Every status, role and their named groups: each defined once, here, and imported.

The groups are the rules' names (what "passed screening" or "decided" means), so a
query, a guard and a page that speak of the same group cannot drift apart. Each group
is a tuple in the order of its enum, so it can fill a filter's options as well as an
SQL ``IN`` list. Labels for people live in :mod:`prize.domain.labels`.
"""

from __future__ import annotations

from enum import StrEnum, nonmember


class EditionStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    SCREENING = "screening"
    JUDGING = "judging"
    DELIBERATION = "deliberation"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    #: Judging has begun: criteria and weights may no longer change.
    FROZEN = nonmember((JUDGING, DELIBERATION, PUBLISHED, ARCHIVED))
    #: Jurors may write and submit score sheets.
    SCORING = nonmember((JUDGING,))
    #: The results are out: winners are public.
    RESULTS_OUT = nonmember((PUBLISHED, ARCHIVED))


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SHORTLISTED = "shortlisted"
    WINNER = "winner"
    SPECIAL_MENTION = "special_mention"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"

    #: The applicant may still change or withdraw it (while the call is open).
    EDITABLE = nonmember((DRAFT, SUBMITTED))
    #: What the secretariat screens: submitted, and either decision so far.
    SCREENING = nonmember((SUBMITTED, ELIGIBLE, INELIGIBLE))
    #: Found eligible, whatever the jury decided since: the entries the jury judges.
    PASSED_SCREENING = nonmember((ELIGIBLE, SHORTLISTED, WINNER, SPECIAL_MENTION, NOT_SELECTED))
    #: Screened either way.
    SCREENED = nonmember((ELIGIBLE, INELIGIBLE, SHORTLISTED, WINNER, SPECIAL_MENTION,
                          NOT_SELECTED))
    #: The jury has said something about it: shortlisted, awarded or not selected.
    DECIDED = nonmember((SHORTLISTED, WINNER, SPECIAL_MENTION, NOT_SELECTED))
    #: May still receive a decision in deliberation.
    DECIDABLE = nonmember((ELIGIBLE, SHORTLISTED))
    #: An award of the prize.
    AWARDED = nonmember((WINNER, SPECIAL_MENTION))
    #: May become a public good practice (with the applicant's consent).
    PUBLISHABLE = nonmember((WINNER, SPECIAL_MENTION, SHORTLISTED))


class PracticeStatus(StrEnum):
    """The public page of an entry, from the secretariat's draft to the catalogue."""

    DRAFT = "draft"
    AWAITING_APPLICANT = "awaiting_applicant"
    APPROVED = "approved"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"

    #: The secretariat may edit the text.
    EDITABLE = nonmember((DRAFT, APPROVED, UNPUBLISHED))


class JurorStatus(StrEnum):
    """A person's place in one edition's jury."""

    INVITED = "invited"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"

    #: An invitation may be sent (again) to them.
    INVITABLE = nonmember((INVITED, REVOKED))


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Role(StrEnum):
    """What a signed-in person is on the platform; routes declare one of the sets below."""

    APPLICANT = "applicant"
    JUROR = "juror"
    ADVISOR = "advisor"
    ADMIN = "admin"
    #: Translates the entries the secretariat hands them, nothing else.
    TRANSLATOR = "translator"

    #: The secretariat.
    STAFF = nonmember((ADMIN,))
    #: Those who score.
    JURY = nonmember((JUROR,))
    #: Those who read entries for the jury: jurors and their advisors.
    JURY_READERS = nonmember((JUROR, ADVISOR))
    APPLICANTS = nonmember((APPLICANT,))
    #: Those who write translations of entries: translators and the secretariat.
    TRANSLATORS = nonmember((TRANSLATOR, ADMIN))
    #: Every role, in the order the secretariat's forms list them.
    ALL = nonmember((ADMIN, JUROR, ADVISOR, TRANSLATOR, APPLICANT))
