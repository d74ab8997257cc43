"""What a person reads for a stored key: every status, role and event, through one function.

Keys (``special_mention``, ``entry.resubmitted``) are stored and compared; people read
labels. Each kind of key has one table of ``N_()`` strings here, translated by
:func:`label` where it is shown, so a page never shows a key as it is stored. A key a table
does not know (an audit action written by an older version, say) reads as the kind's
fallback, never as the key itself.
"""

from __future__ import annotations

from typing import Literal

from prize.domain.statuses import (
    EditionStatus,
    EntryStatus,
    JurorStatus,
    PracticeStatus,
    Role,
    SheetStatus,
)
from prize.i18n import N_, gettext, pgettext

Kind = Literal[
    "edition", "entry", "practice", "juror", "sheet", "role", "event", "revision", "subject",
    "document", "occasion",
]

EDITION_STATUS_LABELS: dict[str, str] = {
    EditionStatus.DRAFT: N_("Draft"),
    EditionStatus.OPEN: N_("Open for entries"),
    EditionStatus.SCREENING: N_("Screening"),
    EditionStatus.JUDGING: N_("Judging"),
    EditionStatus.DELIBERATION: N_("Deliberation"),
    EditionStatus.PUBLISHED: N_("Results published"),
    EditionStatus.ARCHIVED: N_("Archived"),
}

ENTRY_STATUS_LABELS: dict[str, str] = {
    EntryStatus.DRAFT: N_("Draft"),
    EntryStatus.SUBMITTED: N_("Submitted"),
    EntryStatus.ELIGIBLE: N_("Eligible"),
    EntryStatus.INELIGIBLE: N_("Not eligible"),
    EntryStatus.SHORTLISTED: N_("Shortlisted"),
    EntryStatus.WINNER: N_("Winner"),
    EntryStatus.SPECIAL_MENTION: N_("Special mention"),
    EntryStatus.NOT_SELECTED: N_("Not selected"),
    EntryStatus.WITHDRAWN: N_("Withdrawn"),
}

PRACTICE_STATUS_LABELS: dict[str, str] = {
    PracticeStatus.DRAFT: N_("Draft"),
    PracticeStatus.AWAITING_APPLICANT: N_("Awaiting the applicant's approval"),
    PracticeStatus.APPROVED: N_("Approved by the applicant"),
    PracticeStatus.PUBLISHED: N_("Published"),
    PracticeStatus.UNPUBLISHED: N_("Unpublished"),
}

#: A juror's status needs its own French forms (« Invitation envoyée », « En fonction »): the
#: English words are shared with other kinds, so they are looked up under the context below.
JUROR_STATUS_CONTEXT = "juror status"
JUROR_STATUS_LABELS: dict[str, str] = {
    JurorStatus.INVITED: N_("Invited"),
    JurorStatus.ACTIVE: N_("Active"),
    JurorStatus.WITHDRAWN: N_("Left the jury"),
    JurorStatus.REVOKED: N_("Invitation cancelled"),
}
if False:  # pragma: no cover - only for extraction: the contexts label() looks these up under
    pgettext("juror status", "Invited")
    pgettext("juror status", "Active")
    pgettext("juror status", "Left the jury")
    pgettext("juror status", "Invitation cancelled")

SHEET_STATUS_LABELS: dict[str, str] = {
    SheetStatus.DRAFT: N_("Draft"),
    SheetStatus.SUBMITTED: N_("Submitted"),
}

ROLE_LABELS: dict[str, str] = {
    Role.ADMIN: N_("Secretariat"),
    Role.JUROR: N_("Juror"),
    Role.ADVISOR: N_("Jury advisor"),
    Role.TRANSLATOR: N_("Translator"),
    Role.APPLICANT: N_("Applicant"),
}

#: What happened in an entry's history (``entry_revisions.action``), as the applicant reads it.
REVISION_LABELS: dict[str, str] = {
    "created": N_("Created"),
    "saved": N_("Saved"),
    "submitted": N_("Submitted"),
    "resubmitted": N_("Resubmitted"),
    "withdrawn": N_("Withdrawn"),
}

#: Every action of the audit trail, as the secretariat reads it. A unit test collects every
#: action the code can write and demands a label here.
EVENT_LABELS: dict[str, str] = {
    "edition.created": N_("Edition created"),
    "edition.updated": N_("Edition settings changed"),
    "edition.call_opened": N_("Call for entries opened"),
    "edition.call_closed": N_("Call for entries closed"),
    "edition.call_reopened": N_("Call for entries reopened"),
    "edition.judging_started": N_("Judging started"),
    "edition.deliberation_started": N_("Deliberation started"),
    "edition.final_round_opened": N_("Final round opened"),
    "edition.rounds_changed": N_("Final round added or removed"),
    "edition.results_published": N_("Results published"),
    "edition.archived": N_("Edition archived"),
    "criterion.added": N_("Criterion added"),
    "criterion.updated": N_("Criterion changed"),
    "criterion.removed": N_("Criterion removed"),
    "criterion.moved": N_("Criterion moved"),
    "criterion.final_round_own": N_("Final round given criteria of its own"),
    "criterion.final_round_same": N_("Final round set to use round 1's criteria"),
    "form.changed": N_("Application form changed"),
    "entry.submitted": N_("Entry submitted"),
    "entry.resubmitted": N_("Entry submitted again"),
    "entry.withdrawn": N_("Entry withdrawn"),
    "entry.draft_deleted": N_("Draft deleted by its applicant (never submitted)"),
    "entry.marked_eligible": N_("Entry marked eligible"),
    "entry.marked_ineligible": N_("Entry marked not eligible"),
    "entry.shortlisted": N_("Entry shortlisted"),
    "entry.unshortlisted": N_("Entry removed from the shortlist"),
    "entry.awarded_winner": N_("Entry awarded a prize"),
    "entry.awarded_special_mention": N_("Entry given a special mention"),
    "entry.not_selected": N_("Entry marked not selected"),
    "entry.award_revoked": N_("Award cancelled"),
    "entry.reconsidered": N_("Entry put back among the undecided"),
    "meeting.attendance_recorded": N_("Attendance at the jury meeting recorded"),
    "entry.nominated": N_("Entry nominated at the jury meeting"),
    "translation.handed": N_("Entry handed to a translator"),
    "translation.handover_withdrawn": N_("Entry taken back from a translator"),
    "translation.saved": N_("Translation of an entry saved"),
    "translation.completed": N_("Translation of an entry marked complete"),
    "translation.reopened": N_("Translation of an entry reopened as a draft"),
    "sheet.submitted": N_("Score sheet submitted"),
    "sheet.reopened": N_("Score sheet reopened"),
    "sheet.reinstated": N_("Score sheet reinstated despite a conflict"),
    "jury.invited": N_("Juror invited"),
    "jury.invitation_resent": N_("Invitation sent again"),
    "jury.invitation_revoked": N_("Invitation cancelled"),
    "jury.accepted": N_("Invitation accepted"),
    "jury.withdrawn": N_("Juror left the jury"),
    "jury.profile_saved": N_("Juror profile saved"),
    "jury.preferences_saved": N_("Juror preferences saved"),
    "jurors.reminded": N_("Jurors reminded"),
    "conflict.declared": N_("Conflict of interest declared"),
    "conflict.withdrawn": N_("Declared conflict of interest withdrawn"),
    "conflict.secretariat_set": N_("Conflict of interest set by the secretariat"),
    "conflict.secretariat_remove": N_("Conflict of interest removed by the secretariat"),
    "assignment.run": N_("Assignment computed"),
    "assignment.released": N_("Assignment released to the jury"),
    "assignment.rerun_applied": N_("New run of the assignment applied"),
    "assignment.juror_replaced": N_("Juror who left the jury replaced in the assignment"),
    "assignment.rule_pin": N_("Juror and entry pinned together"),
    "assignment.rule_forbid": N_("Juror and entry kept apart"),
    "assignment.rule_clear": N_("Assignment rule cleared"),
    "practice.prepared": N_("Good practice prepared"),
    "practice.edited": N_("Good practice edited"),
    "practice.send": N_("Good practice sent to the applicant"),
    "practice.approve": N_("Good practice approved by the applicant"),
    "practice.request_changes": N_("Changes to the good practice requested"),
    "practice.recall": N_("Good practice taken back from the applicant"),
    "practice.resend": N_("Good practice sent to the applicant again"),
    "practice.publish": N_("Good practice published"),
    "practice.unpublish": N_("Good practice unpublished"),
    "practice.translation_saved": N_("Public page of a good practice in the other language saved"),
    "practice.translation_removed": N_(
        "Public page of a good practice in the other language removed"),
    "practice.translation_approved": N_(
        "Public page in the other language approved by the applicant"),
    "user.role_changed": N_("Role changed"),
    "user.deactivated": N_("Account deactivated"),
    "user.reactivated": N_("Account reactivated"),
    "user.verification_resent": N_("Verification email sent again"),
    "notice.published": N_("New version of the privacy notice published"),
    "user.erasure_requested": N_("Deletion of the account requested"),
    "user.erasure_cancelled": N_("Request to delete the account withdrawn"),
    "user.erased": N_("Account erased"),
    "user.exported": N_("Personal data exported"),
    "edition.retention_set": N_("Retention period set"),
    "retention.applied": N_("Personal data erased at the end of the retention period"),
    "identity.updated": N_("The prize's identity changed"),
    "email_text.saved": N_("Email text changed"),
    "email_text.restored": N_("Email text back to the default"),
}

#: What an audit record is about (``audit_log.subject_type``).
SUBJECT_LABELS: dict[str, str] = {
    "edition": N_("Edition"),
    "entry": N_("Entry"),
    "practice": N_("Good practice"),
    "score_sheet": N_("Score sheet"),
    "user": N_("Account"),
    "notice": N_("Privacy notice"),
    "identity": N_("The prize's identity"),
    "email_text": N_("Email text"),
}

#: The texts people accept (``consents.document``, prize.domain.notices.Document).
DOCUMENT_LABELS: dict[str, str] = {
    "privacy": N_("Privacy notice"),
    "declaration": N_("Declaration that the entry is true"),
    "publication": N_("Consent to publication as a good practice"),
    "age_16": N_("Confirmation of being at least 16"),
}

#: When a text was accepted (``consents.occasion``).
OCCASION_LABELS: dict[str, str] = {
    "signup": N_("On creating the account"),
    "sign_in": N_("On logging in"),
    "submission": N_("On submitting an entry"),
    "invitation": N_("On accepting the invitation to the jury"),
    "profile": N_("On saving the juror profile"),
    "operator": N_("Recorded by the operator"),
}

# Each kind's table, and what an unknown key of that kind reads as.
_KINDS: dict[str, tuple[dict[str, str], str]] = {
    "edition": (EDITION_STATUS_LABELS, N_("Unknown status")),
    "entry": (ENTRY_STATUS_LABELS, N_("Unknown status")),
    "practice": (PRACTICE_STATUS_LABELS, N_("Unknown status")),
    "juror": (JUROR_STATUS_LABELS, N_("Unknown status")),
    "sheet": (SHEET_STATUS_LABELS, N_("Unknown status")),
    "role": (ROLE_LABELS, N_("Unknown role")),
    "event": (EVENT_LABELS, N_("Other action")),
    "revision": (REVISION_LABELS, N_("Other change")),
    "subject": (SUBJECT_LABELS, N_("Other")),
    "document": (DOCUMENT_LABELS, N_("Other text")),
    "occasion": (OCCASION_LABELS, N_("Other occasion")),
}
KINDS: tuple[str, ...] = tuple(_KINDS)
# Kinds whose labels are looked up under a gettext context (see JUROR_STATUS_CONTEXT).
_CONTEXTS: dict[str, str] = {"juror": JUROR_STATUS_CONTEXT}


def label(kind: Kind, key: str | None) -> str:
    """The label of a stored key of ``kind`` in the current locale; never the key itself.

    ``kind`` is one of :data:`KINDS` (an unknown kind is a bug: KeyError). A key the kind's
    table does not know reads as its translated fallback ("Unknown status", "Other action").
    """
    table, fallback = _KINDS[kind]
    if kind in _CONTEXTS and str(key) in table:
        return pgettext(_CONTEXTS[kind], table[str(key)])
    return gettext(table.get(str(key), fallback))


def is_known(kind: Kind, key: str) -> bool:
    """Whether ``key`` has a label of its own (not the fallback)."""
    return key in _KINDS[kind][0]
