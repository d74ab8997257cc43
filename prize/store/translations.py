"""Translations of entries and the entries handed to translators (migration 0087).

Functions that write take the caller's connection, so that a change and its audit
record land in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.statuses import EntryStatus, Role
from prize.domain.translations import COMPLETE, DRAFT
from prize.store.db import Database

#: An entry can be translated once submitted, and until it is withdrawn.
TRANSLATABLE = tuple(status for status in EntryStatus
                     if status not in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN))


class Translation(BaseModel):
    id: int
    entry_id: int
    language: str
    texts: dict[str, str]
    status: str
    version: int
    translator_id: int | None
    translator_role: str
    updated_at: datetime
    completed_at: datetime | None

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE


class Handover(BaseModel):
    entry_id: int
    translator_id: int
    translator_name: str
    created_at: datetime


def _translation(row) -> Translation:
    return Translation(
        id=row["id"], entry_id=row["entry_id"], language=row["language"],
        texts=json.loads(row["texts"]), status=row["status"], version=row["version"],
        translator_id=row["translator_id"], translator_role=row["translator_role"],
        updated_at=from_iso(row["updated_at"]), completed_at=from_iso(row["completed_at"]))


async def get(db: Database, entry_id: int, language: str) -> Translation | None:
    row = await db.fetch_one(
        "SELECT * FROM entry_translations WHERE entry_id = ? AND language = ?",
        (entry_id, language))
    return _translation(row) if row else None


async def of_entry(db: Database, entry_id: int) -> list[Translation]:
    rows = await db.fetch_all(
        "SELECT * FROM entry_translations WHERE entry_id = ? ORDER BY language", (entry_id,))
    return [_translation(row) for row in rows]


async def of_edition(db: Database, edition_id: int) -> dict[int, list[Translation]]:
    """Every translation of the edition's entries, by entry id."""
    rows = await db.fetch_all(
        "SELECT t.* FROM entry_translations t JOIN entries e ON e.id = t.entry_id"
        " WHERE e.edition_id = ? ORDER BY t.entry_id, t.language", (edition_id,))
    found: dict[int, list[Translation]] = {}
    for row in rows:
        found.setdefault(row["entry_id"], []).append(_translation(row))
    return found


async def complete_languages(db: Database, entry_ids: Iterable[int]) -> dict[int, set[str]]:
    """The languages of each entry's complete translations (entries without one left out)."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = await db.fetch_all(
        "SELECT entry_id, language FROM entry_translations"
        f" WHERE status = ? AND entry_id IN ({marks})", (COMPLETE, *ids))
    found: dict[int, set[str]] = {}
    for row in rows:
        found.setdefault(row["entry_id"], set()).add(row["language"])
    return found


async def save(conn, *, entry_id: int, language: str, texts: dict[str, str],
               expected_version: int, user_id: int, role: str, now: datetime) -> int | None:
    """Store the texts if the translation is still at ``expected_version`` (0: none yet).

    Returns the new version, or None when someone saved meanwhile (nothing written).
    """
    cursor = await conn.execute(
        "SELECT version FROM entry_translations WHERE entry_id = ? AND language = ?",
        (entry_id, language))
    row = await cursor.fetchone()
    current = row[0] if row else 0
    if current != expected_version:
        return None
    body = json.dumps(texts, ensure_ascii=False, sort_keys=True)
    if row is None:
        await conn.execute(
            "INSERT INTO entry_translations (entry_id, language, texts, status, version,"
            " translator_id, translator_role, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
            (entry_id, language, body, DRAFT, user_id, role, to_iso(now), to_iso(now)))
        return 1
    await conn.execute(
        "UPDATE entry_translations SET texts = ?, version = version + 1, translator_id = ?,"
        " translator_role = ?, updated_at = ? WHERE entry_id = ? AND language = ?",
        (body, user_id, role, to_iso(now), entry_id, language))
    return current + 1


async def set_status(conn, *, entry_id: int, language: str, status: str,
                     now: datetime) -> None:
    await conn.execute(
        "UPDATE entry_translations SET status = ?, completed_at = ?, version = version + 1"
        " WHERE entry_id = ? AND language = ?",
        (status, to_iso(now) if status == COMPLETE else None, entry_id, language))


# Handovers --------------------------------------------------------------------------------


async def hand(conn, *, entry_id: int, translator_id: int, by: int, now: datetime) -> bool:
    """Hand the entry to the translator; False when it was theirs already."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO translation_handovers (entry_id, translator_id, handed_by,"
        " created_at) VALUES (?, ?, ?, ?)", (entry_id, translator_id, by, to_iso(now)))
    return cursor.rowcount > 0


async def take_back(conn, *, entry_id: int, translator_id: int) -> bool:
    cursor = await conn.execute(
        "DELETE FROM translation_handovers WHERE entry_id = ? AND translator_id = ?",
        (entry_id, translator_id))
    return cursor.rowcount > 0


async def is_handed(db: Database, entry_id: int, translator_id: int) -> bool:
    marks = ", ".join("?" for _ in TRANSLATABLE)
    row = await db.fetch_one(
        "SELECT 1 FROM translation_handovers h JOIN entries e ON e.id = h.entry_id"
        f" WHERE h.entry_id = ? AND h.translator_id = ? AND e.status IN ({marks})",
        (entry_id, translator_id, *TRANSLATABLE))
    return row is not None


async def handovers_of_edition(db: Database, edition_id: int) -> dict[int, list[Handover]]:
    rows = await db.fetch_all(
        "SELECT h.entry_id, h.translator_id, h.created_at,"
        " COALESCE(NULLIF(u.name, ''), u.email) AS translator_name"
        " FROM translation_handovers h JOIN entries e ON e.id = h.entry_id"
        " JOIN users u ON u.id = h.translator_id WHERE e.edition_id = ?"
        " ORDER BY h.entry_id, translator_name", (edition_id,))
    found: dict[int, list[Handover]] = {}
    for row in rows:
        found.setdefault(row["entry_id"], []).append(Handover(
            entry_id=row["entry_id"], translator_id=row["translator_id"],
            translator_name=row["translator_name"], created_at=from_iso(row["created_at"])))
    return found


async def entry_ids_of_translator(db: Database, translator_id: int) -> list[int]:
    """The entries handed to the translator that can be translated, oldest handover first."""
    marks = ", ".join("?" for _ in TRANSLATABLE)
    rows = await db.fetch_all(
        "SELECT h.entry_id FROM translation_handovers h JOIN entries e ON e.id = h.entry_id"
        f" WHERE h.translator_id = ? AND e.status IN ({marks})"
        " ORDER BY h.created_at, h.entry_id", (translator_id, *TRANSLATABLE))
    return [row["entry_id"] for row in rows]


async def translators(db: Database) -> list[tuple[int, str]]:
    """The active translator accounts, as (id, name or email), by name."""
    rows = await db.fetch_all(
        "SELECT id, COALESCE(NULLIF(name, ''), email) AS shown FROM users"
        " WHERE role = ? AND is_active = 1 AND erased_at IS NULL"
        " ORDER BY lower(COALESCE(NULLIF(name, ''), email))",
        (Role.TRANSLATOR,))
    return [(row["id"], row["shown"]) for row in rows]


# A published practice in the other language --------------------------------------------

#: The public fields a practice's translation holds.
PUBLIC_FIELDS = ("title", "summary", "key_facts", "activities", "youth_participation",
                 "evaluation")


class PracticeTranslation(BaseModel):
    practice_id: int
    language: str
    texts: dict[str, str]
    approved_at: datetime | None
    updated_at: datetime

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


def _practice_translation(row) -> PracticeTranslation:
    return PracticeTranslation(
        practice_id=row["practice_id"], language=row["language"],
        texts={key: row[key] for key in PUBLIC_FIELDS},
        approved_at=from_iso(row["approved_at"]), updated_at=from_iso(row["updated_at"]))


async def practice_translation(db: Database, practice_id: int) -> PracticeTranslation | None:
    row = await db.fetch_one(
        "SELECT * FROM practice_translations WHERE practice_id = ?", (practice_id,))
    return _practice_translation(row) if row else None


async def approved_practice_translation(db: Database, practice_id: int
                                        ) -> PracticeTranslation | None:
    """The other language's public text, if the applicant approved it."""
    row = await db.fetch_one(
        "SELECT * FROM practice_translations WHERE practice_id = ? AND approved_at IS NOT NULL",
        (practice_id,))
    return _practice_translation(row) if row else None


async def save_practice_translation(conn, *, practice_id: int, language: str,
                                    texts: dict[str, str], now: datetime) -> None:
    """Store the text; a changed text waits for the applicant's approval again."""
    values = [texts.get(key, "") for key in PUBLIC_FIELDS]
    await conn.execute("DELETE FROM practice_translations WHERE practice_id = ?"
                       " AND language <> ?", (practice_id, language))
    await conn.execute(
        f"INSERT INTO practice_translations (practice_id, language, {', '.join(PUBLIC_FIELDS)},"
        " approved_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"
        " ON CONFLICT (practice_id, language) DO UPDATE SET"
        f" {', '.join(f'{key} = excluded.{key}' for key in PUBLIC_FIELDS)},"
        " approved_at = NULL, updated_at = excluded.updated_at",
        (practice_id, language, *values, to_iso(now)))


async def approve_practice_translation(conn, *, practice_id: int, now: datetime) -> bool:
    cursor = await conn.execute(
        "UPDATE practice_translations SET approved_at = ? WHERE practice_id = ?"
        " AND approved_at IS NULL", (to_iso(now), practice_id))
    return cursor.rowcount > 0


async def remove_practice_translation(conn, *, practice_id: int) -> bool:
    cursor = await conn.execute(
        "DELETE FROM practice_translations WHERE practice_id = ?", (practice_id,))
    return cursor.rowcount > 0
