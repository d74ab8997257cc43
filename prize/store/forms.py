"""Each edition's application form, and what the form's rules need to know of its entries."""

from __future__ import annotations

import functools
import json
from datetime import datetime

from prize.clock import to_iso
from prize.domain.editions import VocabularyItem
from prize.domain.entries import Application
from prize.domain.form_schema import FormSchema, default_form, long_answers, with_added_words
from prize.store.db import Database


async def of_edition(db: Database, edition_id: int) -> FormSchema:
    """The edition's form as its entries are answered and read: its own form (or the
    default one), with the words the edition adds to substances and behaviours among that
    question's choices (`form_schema.with_added_words`)."""
    row = await db.fetch_one(
        "SELECT f.form, ed.substances_extra FROM editions ed"
        " LEFT JOIN edition_forms f ON f.edition_id = ed.id WHERE ed.id = ?", (edition_id,))
    if row is None:
        return default_form()
    return _form_of_texts(row["form"], row["substances_extra"])


@functools.lru_cache(maxsize=64)
def _form_of_texts(form: str | None, substances_extra: str | None) -> FormSchema:
    """The form as read from its stored texts, parsed once per text (pages read it on every
    score sheet and entry; parsing it cost a tenth of a sheet's time). Keyed by the texts
    themselves, so a changed form or word list is parsed again, whoever changed it; the
    form is shared between callers, none of which changes it."""
    schema = FormSchema.model_validate_json(form) if form else default_form()
    words = [VocabularyItem.model_validate(item) for item in json.loads(substances_extra or "[]")]
    return with_added_words(schema, words)


async def stored(db: Database, edition_id: int) -> FormSchema:
    """The edition's form as the secretariat wrote it (the editor, `prize form export`):
    its own, or the default form when it never had one; without the edition's words."""
    row = await db.fetch_one("SELECT form FROM edition_forms WHERE edition_id = ?", (edition_id,))
    return FormSchema.model_validate_json(row["form"]) if row else default_form()


async def of_edition_in(conn, edition_id: int) -> FormSchema:
    """The same, read inside the caller's write transaction."""
    cursor = await conn.execute(
        "SELECT form FROM edition_forms WHERE edition_id = ?", (edition_id,))
    row = await cursor.fetchone()
    return FormSchema.model_validate_json(row[0]) if row else default_form()


async def has_own_form(db: Database, edition_id: int) -> bool:
    return bool(await db.fetch_value(
        "SELECT COUNT(*) FROM edition_forms WHERE edition_id = ?", (edition_id,)))


async def save(
    conn, edition_id: int, schema: FormSchema, *, now: datetime, actor_id: int | None
) -> None:
    await conn.execute(
        "INSERT INTO edition_forms (edition_id, form, updated_at, updated_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (edition_id) DO UPDATE SET form = excluded.form,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (edition_id, schema.model_dump_json(), to_iso(now), actor_id),
    )


async def copy_previous(conn, edition_id: int, year: int, *, now: datetime) -> int | None:
    """Give a new edition a copy of the form of the edition before it (the latest earlier
    year); that year, or None when there is none. An earlier edition on the default form
    passes the default form on (no row is written)."""
    cursor = await conn.execute(
        "SELECT ed.year, f.form FROM editions ed LEFT JOIN edition_forms f ON f.edition_id = ed.id"
        " WHERE ed.year < ? AND ed.id != ? ORDER BY ed.year DESC LIMIT 1",
        (year, edition_id),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    if row[1] is not None:
        await conn.execute(
            "INSERT OR IGNORE INTO edition_forms (edition_id, form, updated_at) VALUES (?, ?, ?)",
            (edition_id, row[1], to_iso(now)),
        )
    return row[0]


async def submitted_count_in(conn, edition_id: int) -> int:
    """Entries of the edition ever submitted (withdrawn ones too: their answers exist)."""
    cursor = await conn.execute(
        "SELECT COUNT(*) FROM entries WHERE edition_id = ? AND submitted_at IS NOT NULL",
        (edition_id,),
    )
    return (await cursor.fetchone())[0]


async def submitted_count(db: Database, edition_id: int) -> int:
    return await db.fetch_value(
        "SELECT COUNT(*) FROM entries WHERE edition_id = ? AND submitted_at IS NOT NULL",
        (edition_id,),
    )


async def submitted_long_answers_in(
    conn, edition_id: int, schema: FormSchema
) -> list[tuple[str, dict[str, str]]]:
    """(reference, long-text answers by key) of each submitted entry of the edition."""
    cursor = await conn.execute(
        "SELECT reference, id, application FROM entries"
        " WHERE edition_id = ? AND submitted_at IS NOT NULL ORDER BY reference_number, id",
        (edition_id,),
    )
    found = []
    for reference, entry_id, application in await cursor.fetchall():
        answers = long_answers(Application.model_validate_json(application), schema)
        found.append((reference or f"#{entry_id}", answers))
    return found


async def replace(
    conn, edition_id: int, new: FormSchema, *, now: datetime, actor_id: int | None
) -> list[str]:
    """Replace the edition's form after every rule of `check_change`, in `conn`, with an
    audit record naming what changed; the changed keys (empty: nothing changed, nothing
    written). Raises FormProblem, having written nothing."""
    from prize.domain.form_schema import check_change, structural_changes, wording_changes
    from prize.store import audit

    old = await of_edition_in(conn, edition_id)
    frozen = await submitted_count_in(conn, edition_id) > 0
    check_change(
        old, new, frozen=frozen,
        submitted=await submitted_long_answers_in(conn, edition_id, new),
    )
    if new == old:
        return []
    structure = structural_changes(old, new)
    wording = wording_changes(old, new)
    await save(conn, edition_id, new, now=now, actor_id=actor_id)
    await audit.record(
        conn, now=now, actor_id=actor_id, action="form.changed", subject_type="edition",
        subject_id=edition_id, edition_id=edition_id,
        details={"structure": structure, "wording": wording, "frozen": frozen},
    )
    return structure + wording or ["order"]
