"""The append-only audit trail: who did what, when, to which thing."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.store.db import Database


class AuditRecord(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None = None
    action: str
    subject_type: str
    subject_id: int | None
    edition_id: int | None
    details: dict[str, Any]


async def record(
    conn,
    *,
    now: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    edition_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write one audit record inside the caller's transaction, so it lands with the change."""
    await conn.execute(
        "INSERT INTO audit_log"
        " (at, actor_id, action, subject_type, subject_id, edition_id, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            to_iso(now),
            actor_id,
            action,
            subject_type,
            subject_id,
            edition_id,
            json.dumps(details or {}, ensure_ascii=False, default=str),
        ),
    )


async def search(
    db: Database,
    *,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    edition_id: int | None = None,
    actor_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditRecord]:
    where, params = ["1 = 1"], []
    for column, value in (
        ("a.action", action),
        ("a.subject_type", subject_type),
        ("a.subject_id", subject_id),
        ("a.edition_id", edition_id),
        ("a.actor_id", actor_id),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = await db.fetch_all(
        "SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
        f" WHERE {' AND '.join(where)} ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [
        AuditRecord(
            id=row["id"],
            at=from_iso(row["at"]),
            actor_id=row["actor_id"],
            actor_name=row["actor_name"],
            action=row["action"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            edition_id=row["edition_id"],
            details=json.loads(row["details"]),
        )
        for row in rows
    ]
