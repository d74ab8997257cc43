"""A person's data: everything held about them (export), erasure, erasure requests, and
the editions' retention periods. The rules are in :mod:`prize.domain.privacy`.

An erasure runs in one write transaction with ``PRAGMA secure_delete`` on (set on every
connection, :mod:`prize.store.db`), rebuilds the full-text index, and is followed by
``Database.scrub_files()`` (VACUUM, then a WAL checkpoint that truncates the log), so
that no byte of what it removed stays in the database file or its WAL. The caller
removes the upload files it returns once the transaction is committed.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prize.clock import from_iso, to_iso
from prize.domain import privacy as rules
from prize.domain.privacy import ErasureFacts, ErasureReport
from prize.store import access, audit, practices
from prize.store.db import Database
from prize.store.dialect import engine_of

EXPORT_FORMAT = 1
#: What the export shows of an entry's public page (the columns that exist).
PRACTICE_EXPORT = ("slug", "status", "award", "title", "organisation", "applicant_note",
                   "image_alt", "image_name", "published_at")


# Export ------------------------------------------------------------------------------------


def _rows(rows) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def _json_fields(record: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if isinstance(record.get(name), str):
            with contextlib.suppress(ValueError):
                record[name] = json.loads(record[name])
    return record


async def _consents(db: Database, user_id: int) -> list[Any]:
    """The person's consent records (prize.store.consent)."""
    from prize.store import consent

    return list(await consent.list_for_user(db, user_id))


async def collect(db: Database, user_id: int) -> dict[str, Any] | None:
    """Everything the platform holds about the person, as JSON-ready data; None if no
    such account. Passwords' hashes and single-use links are left out (EXPORTED says why)."""
    account = await db.fetch_one(
        "SELECT id, email, name, role, is_active, email_verified_at, locale, last_seen_at,"
        " created_at, erased_at FROM users WHERE id = ?", (user_id,))
    if account is None:
        return None
    email = account["email"]
    profile = await db.fetch_one("SELECT * FROM juror_profiles WHERE user_id = ?", (user_id,))
    entries = []
    for entry in _rows(await db.fetch_all(
            "SELECT e.id, ed.year, e.reference, e.status, e.title, e.organisation, e.country,"
            " e.language, e.application, e.status_reason, e.jury_statement, e.created_at,"
            " e.updated_at, e.submitted_at, e.erased_at FROM entries e"
            " JOIN editions ed ON ed.id = e.edition_id WHERE e.owner_id = ? ORDER BY e.id",
            (user_id,))):
        _json_fields(entry, "application")
        entry["history"] = [
            _json_fields(revision, "changed_fields", "application") for revision in _rows(
                await db.fetch_all(
                    "SELECT at, action, actor_id = ? AS by_them, changed_fields, application"
                    " FROM entry_revisions WHERE entry_id = ? ORDER BY id",
                    (user_id, entry["id"])))]
        entry["attachments"] = _rows(await db.fetch_all(
            "SELECT id, filename, content_type, size, sha256, description, public_allowed,"
            " created_at FROM attachments WHERE entry_id = ? ORDER BY id", (entry["id"],)))
        practice = await db.fetch_one("SELECT * FROM practices WHERE entry_id = ?",
                                      (entry["id"],))
        entry["practice"] = {key: practice[key] for key in PRACTICE_EXPORT
                             if key in practice.keys()} if practice else None  # noqa: SIM118
        entries.append(entry)
    sheets = []
    for sheet in _rows(await db.fetch_all(
            "SELECT s.id, ed.year, e.reference, s.status, s.overall_comment, s.harm_reported,"
            " s.harm_note, s.created_at,"
            " s.updated_at, s.submitted_at FROM score_sheets s"
            " JOIN entries e ON e.id = s.entry_id JOIN editions ed ON ed.id = e.edition_id"
            " WHERE s.juror_id = ? ORDER BY s.id", (user_id,))):
        sheet["scores"] = _rows(await db.fetch_all(
            "SELECT criterion_key, score, justification FROM scores WHERE sheet_id = ?"
            " ORDER BY criterion_key", (sheet["id"],)))
        sheets.append(sheet)
    return {
        "format": EXPORT_FORMAT,
        "account": dict(account),
        "profile": _json_fields(dict(profile), "languages", "expertise_settings",
                                "expertise_groups") if profile else None,
        "juries": _rows(await db.fetch_all(
            "SELECT ed.year, j.status, j.invited_at, j.accepted_at FROM edition_jurors j"
            " JOIN editions ed ON ed.id = j.edition_id WHERE j.user_id = ? ORDER BY ed.year",
            (user_id,))),
        "entries": entries,
        "score_sheets": sheets,
        "assignments": _rows(await db.fetch_all(
            "SELECT ed.year, e.reference, a.created_at,"
            " (SELECT r.rule FROM assignment_rules r WHERE r.entry_id = a.entry_id"
            "   AND r.juror_id = a.juror_id) AS rule"
            " FROM assignments a JOIN entries e ON e.id = a.entry_id"
            " JOIN editions ed ON ed.id = a.edition_id WHERE a.juror_id = ? ORDER BY e.id",
            (user_id,))),
        "conflicts": _rows(await db.fetch_all(
            "SELECT e.reference, c.source, c.reason, c.created_at FROM conflicts c"
            " JOIN entries e ON e.id = c.entry_id WHERE c.juror_id = ? ORDER BY e.id",
            (user_id,))),
        "preferences": _rows(await db.fetch_all(
            "SELECT e.reference, p.preference, p.updated_at FROM preferences p"
            " JOIN entries e ON e.id = p.entry_id WHERE p.juror_id = ? ORDER BY e.id",
            (user_id,))),
        "advice": _rows(await db.fetch_all(
            "SELECT e.reference, a.body, a.created_at FROM advice a"
            " JOIN entries e ON e.id = a.entry_id WHERE a.author_id = ? ORDER BY a.id",
            (user_id,))),
        "consents": await _consents(db, user_id),
        "discussion_comments": _rows(await db.fetch_all(
            "SELECT e.reference, c.round, c.body, c.created_at, c.edited_at"
            " FROM discussion_comments c JOIN entries e ON e.id = c.entry_id"
            " WHERE c.author_id = ? ORDER BY c.id", (user_id,))),
        "translations": [_json_fields(row, "texts") for row in _rows(await db.fetch_all(
            "SELECT e.reference, t.language, t.status, t.texts, t.updated_at, t.completed_at"
            " FROM entry_translations t JOIN entries e ON e.id = t.entry_id"
            " WHERE t.translator_id = ? ORDER BY t.id", (user_id,)))],
        "translation_handovers": _rows(await db.fetch_all(
            "SELECT e.reference, h.created_at FROM translation_handovers h"
            " JOIN entries e ON e.id = h.entry_id WHERE h.translator_id = ?"
            " ORDER BY h.created_at", (user_id,))),
        "jury_meetings_attended": _rows(await db.fetch_all(
            "SELECT ed.year, m.round, m.held_at FROM jury_meeting_attendees a"
            " JOIN jury_meetings m ON m.id = a.meeting_id"
            " JOIN editions ed ON ed.id = m.edition_id WHERE a.user_id = ?"
            " ORDER BY m.held_at", (user_id,))),
        "discussion_digest": _rows(await db.fetch_all(
            "SELECT enabled, covered_until FROM discussion_digests WHERE user_id = ?",
            (user_id,))),
        "emails": _rows(await db.fetch_all(
            "SELECT id, kind, recipient, subject, body, status, created_at, sent_at"
            " FROM outbox WHERE related_user_id = ? OR recipient = ? ORDER BY id",
            (user_id, email))),
        "audit_events": {
            "about_them": [_json_fields(event, "details") for event in _rows(await db.fetch_all(
                "SELECT at, action, subject_type, subject_id, details FROM audit_log"
                " WHERE subject_type = 'user' AND subject_id = ? ORDER BY id", (user_id,)))],
            "by_them": [_json_fields(event, "details") for event in _rows(await db.fetch_all(
                "SELECT at, action, subject_type, subject_id, details FROM audit_log"
                " WHERE actor_id = ? ORDER BY id", (user_id,)))],
        },
        "erasure_requests": _rows(await db.fetch_all(
            "SELECT status, requested_at, decided_at FROM erasure_requests WHERE user_id = ?"
            " ORDER BY id", (user_id,))),
    }


@dataclass(frozen=True)
class Summary:
    """What the "My data" page counts."""

    entries: int
    attachments: int
    sheets: int
    emails: int
    events: int
    has_profile: bool


async def summary(db: Database, user_id: int, email: str) -> Summary:
    row = await db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM entries WHERE owner_id = :u) AS entries,"
        " (SELECT COUNT(*) FROM attachments a JOIN entries e ON e.id = a.entry_id"
        "   WHERE e.owner_id = :u) AS attachments,"
        " (SELECT COUNT(*) FROM score_sheets WHERE juror_id = :u) AS sheets,"
        " (SELECT COUNT(*) FROM outbox WHERE related_user_id = :u OR recipient = :e) AS emails,"
        " (SELECT COUNT(*) FROM audit_log WHERE actor_id = :u"
        "   OR (subject_type = 'user' AND subject_id = :u)) AS events,"
        " EXISTS (SELECT 1 FROM juror_profiles WHERE user_id = :u) AS has_profile",
        {"u": user_id, "e": email})
    return Summary(entries=row["entries"], attachments=row["attachments"], sheets=row["sheets"],
                   emails=row["emails"], events=row["events"],
                   has_profile=bool(row["has_profile"]))


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _archive_name(attachment_id: int, filename: str) -> str:
    cleaned = _UNSAFE.sub("_", Path(filename).name).strip("._") or "file"
    return f"files/{attachment_id}-{cleaned[:100]}"


def export_zip(data: dict[str, Any], upload_dir: Path) -> bytes:
    """The ZIP a person downloads: data.json and their uploaded files under files/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in data["entries"]:
            for attachment in entry["attachments"]:
                stored = attachment.pop("_stored_name", None)
                path = upload_dir / stored if stored else None
                if path is not None and path.is_file():
                    name = _archive_name(attachment["id"], attachment["filename"])
                    archive.write(path, name)
                    attachment["file"] = name
                else:
                    attachment["file"] = None
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2,
                                                 default=str))
    return buffer.getvalue()


async def export(db: Database, user_id: int, upload_dir: Path) -> bytes | None:
    """The person's ZIP (see `export_zip`); None if there is no such account."""
    data = await collect(db, user_id)
    if data is None:
        return None
    stored = {row["id"]: row["stored_name"] for row in await db.fetch_all(
        "SELECT a.id, a.stored_name FROM attachments a JOIN entries e ON e.id = a.entry_id"
        " WHERE e.owner_id = ?", (user_id,))}
    for entry in data["entries"]:
        for attachment in entry["attachments"]:
            attachment["_stored_name"] = stored.get(attachment["id"])
    return export_zip(data, upload_dir)


# Erasure requests -------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureRequest:
    id: int
    user_id: int
    name: str
    email: str
    role: str
    requested_at: datetime


async def request_erasure(conn, user_id: int, now: datetime) -> bool:
    """Record the person's request; False if one is pending already."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO erasure_requests (user_id, requested_at) VALUES (?, ?)",
        (user_id, to_iso(now)))
    return cursor.rowcount == 1


async def cancel_request(conn, user_id: int, now: datetime, by: int) -> bool:
    cursor = await conn.execute(
        "UPDATE erasure_requests SET status = 'cancelled', decided_at = ?, decided_by = ?"
        " WHERE user_id = ? AND status = 'pending'", (to_iso(now), by, user_id))
    return cursor.rowcount > 0


async def pending_request(db: Database, user_id: int) -> datetime | None:
    return from_iso(await db.fetch_value(
        "SELECT requested_at FROM erasure_requests WHERE user_id = ? AND status = 'pending'",
        (user_id,)))


async def pending_requests(db: Database) -> list[ErasureRequest]:
    rows = await db.fetch_all(
        "SELECT r.id, r.user_id, u.name, u.email, u.role, r.requested_at"
        " FROM erasure_requests r JOIN users u ON u.id = r.user_id"
        " WHERE r.status = 'pending' ORDER BY r.requested_at, r.id")
    return [ErasureRequest(id=row["id"], user_id=row["user_id"], name=row["name"],
                           email=row["email"], role=row["role"],
                           requested_at=from_iso(row["requested_at"])) for row in rows]


# Erasure ----------------------------------------------------------------------------------


async def erasure_facts(db: Database, user_id: int) -> ErasureFacts | None:
    person = await db.fetch_one("SELECT role, erased_at FROM users WHERE id = ?", (user_id,))
    if person is None:
        return None
    other_admins = await db.fetch_value(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1"
        " AND erased_at IS NULL AND id != ?", (user_id,))
    open_sheets = await db.fetch_all(
        "SELECT ed.year, COUNT(*) FROM assignments a"
        " JOIN editions ed ON ed.id = a.edition_id"
        " JOIN edition_jurors j ON j.edition_id = a.edition_id AND j.user_id = a.juror_id"
        " LEFT JOIN score_sheets s ON s.entry_id = a.entry_id AND s.juror_id = a.juror_id"
        "   AND s.status = 'submitted'"
        " WHERE a.juror_id = ? AND ed.status = 'judging' AND j.status = 'active'"
        "   AND s.id IS NULL GROUP BY ed.year ORDER BY ed.year", (user_id,))
    return ErasureFacts(role=person["role"], erased_at=from_iso(person["erased_at"]),
                        other_active_admins=other_admins,
                        open_sheets=tuple((row[0], row[1]) for row in open_sheets))


async def _pseudonym(conn, user_id: int, role: str) -> str:
    """"Juror 4 (2026)": the person's place (by account) in the jury of the last edition
    they submitted a sheet in, else of the last jury they belonged to."""
    cursor = await conn.execute(
        "SELECT ed.id, ed.year FROM edition_jurors j JOIN editions ed ON ed.id = j.edition_id"
        " WHERE j.user_id = :u ORDER BY EXISTS (SELECT 1 FROM score_sheets s"
        "   JOIN entries e ON e.id = s.entry_id WHERE s.juror_id = :u"
        "   AND s.status = 'submitted' AND e.edition_id = ed.id) DESC, ed.year DESC LIMIT 1",
        {"u": user_id})
    latest = await cursor.fetchone()
    if latest is None:
        return rules.pseudonym(role, user_id)
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM edition_jurors j JOIN users u ON u.id = j.user_id"
        " WHERE j.edition_id = ? AND u.role = ? AND j.user_id <= ?",
        (latest[0], role, user_id))
    number = (await cursor.fetchone())[0]
    return rules.pseudonym(role, user_id, number=number or None, year=latest[1])


async def _published_images(conn) -> set[int]:
    cursor = await conn.execute(
        "SELECT image_attachment_ids FROM practices WHERE status = 'published'")
    found: set[int] = set()
    for (ids,) in await cursor.fetchall():
        found |= {int(item) for item in json.loads(ids or "[]")}
    return found


async def _erase_practice_image(conn, entry_id: int, report: ErasureReport) -> None:
    """The photo of a public page that is not published goes (a published one stays)."""
    cursor = await conn.execute("SELECT * FROM practices WHERE entry_id = ?", (entry_id,))
    practice = await cursor.fetchone()
    if (practice is None or practice["status"] == "published"
            or "image_name" not in practice.keys()  # noqa: SIM118 (a Row: `in` reads values)
            or not practice["image_name"]):
        return
    report.files += [name for name in (practice["image_name"], practice["image_card_name"])
                     if name]
    report.files_deleted += 1
    await conn.execute(
        "UPDATE practices SET image_name = '', image_card_name = '', image_alt = ''"
        " WHERE id = ?", (practice["id"],))


async def _erase_entries(conn, entry_ids: list[int], now: datetime,
                         report: ErasureReport) -> None:
    """The personal data of these entries: never-submitted ones go whole; the others lose
    their contact person (in every revision too) and their unpublished files."""
    published = await _published_images(conn)
    for entry_id in entry_ids:
        cursor = await conn.execute(
            "SELECT status, submitted_at, reference, application FROM entries WHERE id = ?",
            (entry_id,))
        entry = await cursor.fetchone()
        cursor = await conn.execute(
            "SELECT id, stored_name FROM attachments WHERE entry_id = ?", (entry_id,))
        files = await cursor.fetchall()
        # Never submitted, as entries.delete_draft has it: no submission, no reference.
        if (entry["status"] == "draft" and entry["submitted_at"] is None
                and entry["reference"] is None):
            report.files += [row["stored_name"] for row in files]
            report.files_deleted += len(files)
            await conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            report.entries_deleted += 1
            continue
        for row in files:
            if row["id"] not in published:
                await conn.execute("DELETE FROM attachments WHERE id = ?", (row["id"],))
                report.files.append(row["stored_name"])
                report.files_deleted += 1
        await conn.execute(
            "UPDATE entries SET application = ?, erased_at = ? WHERE id = ?",
            (json.dumps(rules.without_contact(json.loads(entry["application"])),
                        ensure_ascii=False), to_iso(now), entry_id))
        cursor = await conn.execute(
            "SELECT id, application FROM entry_revisions WHERE entry_id = ?", (entry_id,))
        for revision in await cursor.fetchall():
            await conn.execute(
                "UPDATE entry_revisions SET application = ? WHERE id = ?",
                (json.dumps(rules.without_contact(json.loads(revision["application"])),
                            ensure_ascii=False), revision["id"]))
        await conn.execute("UPDATE practices SET applicant_note = '' WHERE entry_id = ?",
                           (entry_id,))
        await _erase_practice_image(conn, entry_id, report)
        report.entries_anonymised += 1


# Other areas' tables: each statement is run with the person's id.
_ELSEWHERE = (
    "DELETE FROM consents WHERE user_id = ?",
    "DELETE FROM discussion_digests WHERE user_id = ?",
    "UPDATE edition_forms SET updated_by = NULL WHERE updated_by = ?",
    "UPDATE email_texts SET updated_by = NULL WHERE updated_by = ?",
    "UPDATE notice_versions SET published_by = NULL WHERE published_by = ?",
    "UPDATE jury_meetings SET updated_by = NULL WHERE updated_by = ?",
    "UPDATE jury_meeting_decisions SET recorded_by = NULL WHERE recorded_by = ?",
)


async def _erase_elsewhere(conn, user_id: int) -> None:
    """Consent records and the digest choice go; "last changed by" marks are emptied.
    Discussion comments stay, like sheets, under the pseudonym."""
    for sql in _ELSEWHERE:
        await conn.execute(sql, (user_id,))


#: The reason of a conflict the profile made automatic, kept when the profile goes.
KEPT_CONFLICT_REASON = ("Automatic conflict (same country or organisation), recorded when "
                        "the juror's account was erased")


async def _keep_automatic_conflicts(conn, user_id: int, now: datetime) -> None:
    """The juror's profile makes some conflicts automatic (country, organisation), and a
    sheet with a conflict counts in no figure: before the profile goes, those conflicts
    on the entries the juror was assigned or scored are recorded as such, so that no
    sheet starts to count and no figure moves."""
    await conn.execute(
        "INSERT OR IGNORE INTO conflicts (entry_id, juror_id, source, reason, created_at)"
        " SELECT w.entry_id, :u, 'secretariat', :reason, :now FROM ("
        "   SELECT entry_id FROM assignments WHERE juror_id = :u"
        "   UNION SELECT entry_id FROM score_sheets WHERE juror_id = :u) w"
        f" WHERE {access.conflict_sql(':u', 'w.entry_id')}",
        {"u": user_id, "reason": KEPT_CONFLICT_REASON, "now": to_iso(now)})


async def erase(db: Database, user_id: int, *, now: datetime,
                actor_id: int | None) -> ErasureReport:
    """Erase the person (the caller checked `erasure_refusal`); returns what was done,
    with the upload files to remove once committed. Run `db.scrub_files()` afterwards."""
    report = ErasureReport()
    async with db.transaction() as conn:
        cursor = await conn.execute("SELECT email, name, role FROM users WHERE id = ?",
                                    (user_id,))
        person = await cursor.fetchone()
        email, name, role = person["email"], person["name"], person["role"]
        cursor = await conn.execute("SELECT id FROM entries WHERE owner_id = ? ORDER BY id",
                                    (user_id,))
        await _erase_entries(conn, [row[0] for row in await cursor.fetchall()], now, report)
        await _keep_automatic_conflicts(conn, user_id, now)
        await conn.execute("DELETE FROM juror_profiles WHERE user_id = ?", (user_id,))
        await conn.execute("DELETE FROM preferences WHERE juror_id = ?", (user_id,))
        cursor = await conn.execute(
            "DELETE FROM score_sheets WHERE juror_id = ? AND status = 'draft'", (user_id,))
        report.drafts_deleted = cursor.rowcount
        cursor = await conn.execute(
            "SELECT COUNT(*) FROM score_sheets WHERE juror_id = ?", (user_id,))
        report.sheets_kept = (await cursor.fetchone())[0]
        await _erase_elsewhere(conn, user_id)
        await conn.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,))
        await conn.execute("DELETE FROM login_attempts WHERE instr(lower(throttle_key), ?) > 0",
                           (email.lower(),))
        erased = rules.erased_email(user_id)
        cursor = await conn.execute(
            "UPDATE outbox SET body = '', recipient = ?, error = NULL"
            " WHERE related_user_id = ? OR recipient = ?", (erased, user_id, email))
        report.emails_blanked = cursor.rowcount
        needles = [email.lower()]
        if len(name.strip()) >= rules.MIN_NAME_TO_SCRUB:
            needles.append(name.strip().lower())
        for needle in needles:
            cursor = await conn.execute(
                "UPDATE audit_log SET details = ? WHERE instr(lower(details), ?) > 0"
                " AND details != ?", (rules.SCRUBBED_DETAILS, needle, rules.SCRUBBED_DETAILS))
            report.audit_scrubbed += cursor.rowcount
        await conn.execute(
            "UPDATE users SET email = ?, name = ?, password_hash = NULL, is_active = 0,"
            " session_epoch = session_epoch + 1, last_seen_at = NULL, erased_at = ?"
            " WHERE id = ?", (erased, await _pseudonym(conn, user_id, role), to_iso(now),
                              user_id))
        await conn.execute(
            "UPDATE erasure_requests SET status = 'done', decided_at = ?, decided_by = ?"
            " WHERE user_id = ? AND status = 'pending'", (to_iso(now), actor_id, user_id))
        await practices.rebuild_search_index(conn, engine_of(db))
        await audit.record(conn, now=now, actor_id=actor_id, action="user.erased",
                           subject_type="user", subject_id=user_id, details=report.details())
    return report


def remove_files(upload_dir: Path, stored_names: list[str]) -> None:
    for stored_name in stored_names:
        (upload_dir / stored_name).unlink(missing_ok=True)


# Retention --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """One edition's retention: its period, when it was archived, when its unpublished
    entries' personal data is due, and how many such entries are left to erase."""

    edition_id: int
    year: int
    status: str
    months: int
    archived_at: datetime | None
    ends_at: datetime | None
    entries_left: int

    def due(self, now: datetime) -> bool:
        return self.ends_at is not None and self.ends_at <= now and self.entries_left > 0


# Entries whose personal data retention erases: not erased yet, not a published practice.
_UNPUBLISHED = (
    "e.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM practices p WHERE p.entry_id = e.id"
    " AND p.status = 'published')"
)


async def retention_overview(db: Database) -> list[Retention]:
    """Every edition's retention, newest first. An edition is archived when its
    `edition.archived` audit record says (the last one), else when it last changed."""
    rows = await db.fetch_all(
        "SELECT ed.id, ed.year, ed.status, ed.retention_months, ed.updated_at,"
        " (SELECT MAX(a.at) FROM audit_log a WHERE a.action = 'edition.archived'"
        "   AND a.edition_id = ed.id) AS archived_at,"
        f" (SELECT COUNT(*) FROM entries e WHERE e.edition_id = ed.id AND {_UNPUBLISHED})"
        " AS entries_left FROM editions ed ORDER BY ed.year DESC")
    found = []
    for row in rows:
        archived = None
        if row["status"] == "archived":
            archived = from_iso(row["archived_at"] or row["updated_at"])
        found.append(Retention(
            edition_id=row["id"], year=row["year"], status=row["status"],
            months=row["retention_months"], archived_at=archived,
            ends_at=rules.retention_ends(archived, row["retention_months"]),
            entries_left=row["entries_left"]))
    return found


async def retention_of(db: Database, edition_id: int) -> Retention | None:
    return next((item for item in await retention_overview(db)
                 if item.edition_id == edition_id), None)


async def set_retention(conn, edition_id: int, months: int) -> None:
    await conn.execute("UPDATE editions SET retention_months = ? WHERE id = ?",
                       (months, edition_id))


async def apply_retention(db: Database, retention: Retention, *, now: datetime,
                          actor_id: int | None) -> ErasureReport:
    """Erase the personal data of the edition's unpublished entries (its period ended)."""
    report = ErasureReport()
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"SELECT e.id FROM entries e WHERE e.edition_id = ? AND {_UNPUBLISHED}"
            " ORDER BY e.id", (retention.edition_id,))
        await _erase_entries(conn, [row[0] for row in await cursor.fetchall()], now, report)
        await practices.rebuild_search_index(conn, engine_of(db))
        await audit.record(conn, now=now, actor_id=actor_id, action="retention.applied",
                           subject_type="edition", subject_id=retention.edition_id,
                           edition_id=retention.edition_id,
                           details={"months": retention.months, **report.details()})
    return report


async def erase_completely(db: Database, user_id: int, *, upload_dir: Path, now: datetime,
                           actor_id: int | None) -> ErasureReport:
    """Erase the account (the caller checked `erasure_refusal`), remove its files, and
    rewrite the database so that nothing of it stays in the file or the WAL."""
    report = await erase(db, user_id, now=now, actor_id=actor_id)
    remove_files(upload_dir, report.files)
    report.wal_emptied = await db.scrub_files()
    return report


async def run_retention(db: Database, *, upload_dir: Path, now: datetime,
                        actor_id: int | None, apply: bool
                        ) -> list[tuple[Retention, ErasureReport | None]]:
    """The editions whose retention period has ended, each with what applying it did
    (None in a dry run)."""
    due = [item for item in await retention_overview(db) if item.due(now)]
    done: list[tuple[Retention, ErasureReport | None]] = []
    for item in due:
        report = None
        if apply:
            report = await apply_retention(db, item, now=now, actor_id=actor_id)
            remove_files(upload_dir, report.files)
        done.append((item, report))
    if apply and due:
        await db.scrub_files()
    return done
