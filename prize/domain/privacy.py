"""The rules of the rights of access and erasure, and of retention: pure, no I/O.

What an erasure removes, what it keeps for the prize's record and under which pseudonym,
when it is refused, and when an edition's retention period ends. The store
(:mod:`prize.store.privacy`) carries them out; `EXPORTED` and `ON_ERASURE` say, column by
column of the inventory (``prize/privacy_inventory.toml``), what the export and the
erasure do, and a test checks that no personal column is left without an answer.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prize.i18n import N_, gettext, ngettext

#: The erased account's address: under .invalid (RFC 2606), so no mail can reach anyone.
ERASED_DOMAIN = "erased.invalid"
#: What replaces the details of an audit record that named the erased person (the one
#: update the audit log's trigger allows, migration 0045).
SCRUBBED_DETAILS = '{"scrubbed": "erasure"}'
#: A name shorter than this is too common to look for in free text (the audit log).
MIN_NAME_TO_SCRUB = 4
#: Retention: the secretariat's bounds and the default of a new edition (months).
RETENTION_MIN, RETENTION_MAX, RETENTION_DEFAULT = 1, 240, 24
#: Keys of an application (its JSON) that hold the contact person.
CONTACT_PREFIX = "contact_"


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def pseudonym(role: str, user_id: int, *, number: int | None = None,
              year: int | None = None) -> str:
    """The name an erased account keeps: "Juror 4 (2026)" for the fourth juror of the
    2026 jury, so that the sheets they submitted still read as one juror's work."""
    if role in ("juror", "advisor") and number is not None and year is not None:
        title = "Juror" if role == "juror" else "Advisor"
        return f"{title} {number} ({year})"
    return f"Erased account {user_id}"


def without_contact(application: Mapping[str, Any]) -> dict[str, Any]:
    """The application with its contact person's fields blank; the project stays."""
    return {key: ("" if key.startswith(CONTACT_PREFIX) and isinstance(value, str) else value)
            for key, value in application.items()}


@dataclass(frozen=True)
class ErasureFacts:
    """What decides whether an account may be erased now."""

    role: str
    erased_at: datetime | None = None
    other_active_admins: int = 0
    #: (year, number of assigned entries without a submitted sheet) of each edition the
    #: person is an active juror of and that is in judging.
    open_sheets: tuple[tuple[int, int], ...] = ()


def erasure_refusal(facts: ErasureFacts) -> str | None:
    """Why this account may not be erased now, as a sentence; None when it may."""
    if facts.erased_at is not None:
        return gettext("This account is erased already.")
    if facts.role == "admin" and facts.other_active_admins == 0:
        return gettext("This is the last member of the secretariat: give someone else the "
                       "secretariat role before erasing this account.")
    for year, count in facts.open_sheets:
        if count:
            return ngettext(
                "This juror has {count} score sheet not submitted in the {year} edition, "
                "which is in judging: erase the account once judging is over, or remove "
                "the juror from the jury first.",
                "This juror has {count} score sheets not submitted in the {year} edition, "
                "which is in judging: erase the account once judging is over, or remove "
                "the juror from the jury first.",
                count,
            ).format(count=count, year=year)
    return None


def erasure_wait(facts: ErasureFacts) -> str | None:
    """What the person asking reads when the secretariat cannot erase them yet; None when
    it can (the same rules as `erasure_refusal`, said to the person)."""
    if facts.role == "admin" and facts.other_active_admins == 0:
        return gettext("You are the only member of the secretariat: the account can be erased "
                       "once someone else has the secretariat role.")
    for year, count in facts.open_sheets:
        if count:
            return ngettext(
                "You still have {count} score sheet to submit in the {year} edition: the "
                "secretariat can erase your account once judging is over.",
                "You still have {count} score sheets to submit in the {year} edition: the "
                "secretariat can erase your account once judging is over.",
                count,
            ).format(count=count, year=year)
    return None


# What the confirmation pages say, in the order of the issue: what goes, what stays.
WHAT_GOES = (
    N_("the account's email address, name and password: the account can no longer be used"),
    N_("the juror profile (country, languages, organisation, expertise, introduction)"),
    N_("drafts and entries that were never submitted, with their files"),
    N_("the contact person (name, email, phone) of every other entry, in its history too"),
    N_("uploaded files that were not published"),
    N_("the text of every email sent to the person"),
    N_("unsubmitted score sheets, reading preferences and single-use links"),
    N_("the record of the notices and declarations the person accepted"),
)
WHAT_STAYS = (
    N_("submitted score sheets, under a pseudonym such as \u201cJuror 4 (2026)\u201d, so that "
       "rankings and agreement figures do not change"),
    N_("submitted entries' project text and organisation, without the contact person"),
    N_("published good practices, with their organisation and public images, without the "
       "contact person"),
    N_("the audit log's record of what was done, and that an erasure happened, without "
       "the person's name or address"),
)


def what_goes() -> list[str]:
    return [gettext(line) for line in WHAT_GOES]


def what_stays() -> list[str]:
    return [gettext(line) for line in WHAT_STAYS]


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention_ends(archived_at: datetime | None, months: int) -> datetime | None:
    """When the personal data of an archived edition's unpublished entries is due for
    erasure; None while the edition is not archived."""
    return None if archived_at is None else add_months(archived_at, months)


def retention_problem(text: str) -> str | None:
    """Why a typed retention period is refused, or None."""
    value = text.strip()
    if not value.isdigit() or not RETENTION_MIN <= int(value) <= RETENTION_MAX:
        return gettext("Enter a whole number of months from {low} to {high}.").format(
            low=RETENTION_MIN, high=RETENTION_MAX)
    return None


@dataclass
class ErasureReport:
    """What an erasure (or a retention run) did: counts only, no personal data."""

    entries_deleted: int = 0
    entries_anonymised: int = 0
    files_deleted: int = 0
    emails_blanked: int = 0
    sheets_kept: int = 0
    drafts_deleted: int = 0
    audit_scrubbed: int = 0
    files: list[str] = field(default_factory=list, repr=False)
    #: False when a reader in another process kept the WAL from being emptied at once (it
    #: is at SQLite's next checkpoint; the erased pages are zeroed in it all the same).
    wal_emptied: bool = True

    def details(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items()
                if name not in ("files", "wal_emptied")}


# Column by column of the inventory: where the export puts it, or why it does not.
EXPORTED: dict[str, str] = {
    "users.email": "account.email",
    "users.name": "account.name",
    "users.password_hash": "not exported: a one-way hash, of no use to the person",
    "users.last_seen_at": "account.last_seen_at",
    "tokens.user_id": "not exported: single-use links are secrets and expire",
    "login_attempts.throttle_key": "not exported: kept minutes, for the throttle only",
    "juror_profiles.user_id": "profile",
    "juror_profiles.country": "profile.country",
    "juror_profiles.languages": "profile.languages",
    "juror_profiles.organisation": "profile.organisation",
    "juror_profiles.expertise_settings": "profile.expertise_settings",
    "juror_profiles.expertise_groups": "profile.expertise_groups",
    "juror_profiles.bio": "profile.bio",
    "edition_jurors.user_id": "juries",
    "conflicts.juror_id": "conflicts",
    "conflicts.reason": "conflicts[].reason",
    "conflicts.created_by": "audit_events.by_them (the secretariat's own work)",
    "preferences.juror_id": "preferences",
    "assignment_rules.juror_id": "assignments[].rule",
    "assignment_rules.created_by": "audit_events.by_them (the secretariat's own work)",
    "assignments.juror_id": "assignments",
    "score_sheets.juror_id": "score_sheets",
    "score_sheets.overall_comment": "score_sheets[].overall_comment",
    "score_sheets.harm_reported": "score_sheets[].harm_reported",
    "score_sheets.harm_note": "score_sheets[].harm_note",
    "scores.justification": "score_sheets[].scores[].justification",
    "advice.author_id": "advice",
    "advice.body": "advice[].body",
    "entries.owner_id": "entries",
    "entries.organisation": "entries[].organisation",
    "entries.application": "entries[].application",
    "entries.status_reason": "entries[].status_reason",
    "entries.jury_statement": "entries[].jury_statement",
    "entry_revisions.actor_id": "entries[].history[].by_them",
    "entry_revisions.application": "entries[].history[].application",
    "attachments.filename": "entries[].attachments[].filename",
    "attachments.description": "entries[].attachments[].description",
    "attachments.file": "files/ in the ZIP",
    "practices.organisation": "entries[].practice.organisation",
    "practices.applicant_note": "entries[].practice.applicant_note",
    "practices_fts.organisation": "entries[].practice.organisation (the index repeats it)",
    "outbox.recipient": "emails[].recipient",
    "outbox.subject": "emails[].subject",
    "outbox.body": "emails[].body",
    "outbox.related_user_id": "emails",
    "audit_log.actor_id": "audit_events.by_them",
    "audit_log.details": "audit_events[].details",
    "sheet_reinstatements.reinstated_by": "audit_events.by_them (sheet.reinstated)",
    "sheet_reinstatements.reason": "audit_events.by_them (sheet.reinstated)",
    "erasure_requests.user_id": "erasure_requests",
    "erasure_requests.decided_by": "audit_events.by_them (user.erased)",
    "consents.user_id": "consents",
    "consents.entry_id": "consents[].entry_id",
    "discussion_comments.author_id": "discussion_comments",
    "discussion_comments.body": "discussion_comments[].body",
    "discussion_digests.user_id": "discussion_digest",
    "edition_forms.updated_by": "audit_events.by_them (the secretariat's own work)",
    "email_texts.updated_by": "audit_events.by_them (the secretariat's own work)",
    "notice_versions.published_by": "audit_events.by_them (the secretariat's own work)",
    "practices.image_alt": "entries[].practice.image_alt",
    "practices.image_name": "entries[].practice.image_name",
    "practices.image_card_name": "not exported: a smaller copy of practices.image_name",
    "entry_translations.translator_id": "translations",
    "entry_translations.texts": "translations[].texts",
    "translation_handovers.translator_id": "translation_handovers",
    "translation_handovers.handed_by": "audit_events.by_them (translation.handed)",
    "jury_meeting_attendees.user_id": "jury_meetings_attended",
    "jury_meeting_decisions.recorded_by": "audit_events.by_them (the secretariat's own work)",
    "jury_meetings.updated_by": "audit_events.by_them (the secretariat's own work)",
    "jury_meetings.guests": ("not exported: names the secretariat typed for guests without"
                             " an account, kept with the minutes"),
}

# Column by column of the inventory: what an erasure of the person does to it.
ON_ERASURE: dict[str, str] = {
    "users.email": "replaced by erased-<id>@erased.invalid",
    "users.name": "replaced by the pseudonym (\"Juror 4 (2026)\")",
    "users.password_hash": "deleted: nobody can sign in",
    "users.last_seen_at": "deleted",
    "tokens.user_id": "the person's links are deleted",
    "login_attempts.throttle_key": "rows naming the address are deleted",
    "juror_profiles.user_id": "the profile is deleted",
    "juror_profiles.country": "deleted with the profile (its conflicts kept in conflicts)",
    "juror_profiles.languages": "deleted with the profile",
    "juror_profiles.organisation": "deleted with the profile",
    "juror_profiles.expertise_settings": "deleted with the profile",
    "juror_profiles.expertise_groups": "deleted with the profile",
    "juror_profiles.bio": "deleted with the profile",
    "edition_jurors.user_id": "kept: points to the pseudonymised account",
    "conflicts.juror_id": "kept; conflicts the profile made automatic are recorded first",
    "conflicts.reason": "kept with the conflict",
    "conflicts.created_by": "kept: points to the pseudonymised account",
    "preferences.juror_id": "deleted",
    "assignment_rules.juror_id": "kept: points to the pseudonymised account",
    "assignment_rules.created_by": "kept: points to the pseudonymised account",
    "assignments.juror_id": "kept: points to the pseudonymised account",
    "score_sheets.juror_id": "submitted sheets kept under the pseudonym; drafts deleted",
    "score_sheets.overall_comment": "kept with the submitted sheet",
    "score_sheets.harm_reported": "kept with the submitted sheet",
    "score_sheets.harm_note": "kept with the submitted sheet",
    "scores.justification": "kept with the submitted sheet",
    "advice.author_id": "kept: points to the pseudonymised account",
    "advice.body": "kept: the jury's record",
    "entries.owner_id": "never-submitted entries deleted; others point to the pseudonym",
    "entries.organisation": "kept: the organisation, not a person",
    "entries.application": "contact_* fields blanked; never-submitted entries deleted",
    "entries.status_reason": "kept with the submitted entry",
    "entries.jury_statement": "kept with the submitted entry",
    "entry_revisions.actor_id": "kept: points to the pseudonymised account",
    "entry_revisions.application": "contact_* fields blanked in every revision",
    "attachments.filename": "deleted with the file unless the image is published",
    "attachments.description": "deleted with the file unless the image is published",
    "attachments.file": "deleted from disk unless the image is published",
    "practices.organisation": "kept: a published practice keeps its organisation",
    "practices.applicant_note": "blanked",
    "practices_fts.organisation": "kept (published); the index is rebuilt",
    "outbox.recipient": "replaced by the erased address",
    "outbox.subject": "kept: no personal data (the subjects name no person)",
    "outbox.body": "blanked",
    "outbox.related_user_id": "kept: points to the pseudonymised account",
    "audit_log.actor_id": "kept: points to the pseudonymised account",
    "audit_log.details": "records naming the person's address or name are scrubbed",
    "sheet_reinstatements.reinstated_by": "kept: points to the pseudonymised account",
    "sheet_reinstatements.reason": "kept: the secretariat's reason",
    "erasure_requests.user_id": "kept, marked done: the record that the request was met",
    "erasure_requests.decided_by": "kept: points to the pseudonymised account",
    "consents.user_id": "the person's consent records are deleted",
    "consents.entry_id": "deleted with the consent records",
    "discussion_comments.author_id": "kept: points to the pseudonymised account",
    "discussion_comments.body": "kept: the jury's record, like the sheets",
    "discussion_digests.user_id": "deleted",
    "edition_forms.updated_by": "emptied",
    "email_texts.updated_by": "emptied",
    "notice_versions.published_by": "emptied",
    "practices.image_alt": "blanked with the photo unless the practice is published",
    "practices.image_name": "the file is deleted unless the practice is published",
    "practices.image_card_name": "the file is deleted unless the practice is published",
    "entry_translations.translator_id": "kept: points to the pseudonymised account",
    "entry_translations.texts": "kept: the jury's record, like the sheets",
    "translation_handovers.translator_id": "kept: points to the pseudonymised account",
    "translation_handovers.handed_by": "kept: points to the pseudonymised account",
    "jury_meeting_attendees.user_id": "kept: points to the pseudonymised account (the minutes)",
    "jury_meeting_decisions.recorded_by": "emptied",
    "jury_meetings.updated_by": "emptied",
    "jury_meetings.guests": ("kept with the minutes: guests have no account to erase; the"
                             " secretariat edits the list on request"),
}
