"""Erasing a demo applicant and a demo juror leaves no byte of their email address or
name in the database file, its WAL or the upload directory, and no ranking figure of the
judging edition moves.

On PostgreSQL the database is no file of ours (its pages keep dead rows until the server's
VACUUM, which is the operator's): there, no row of any table holds those words."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import Path

from prize.demo import load_demo
from prize.store import dialect, editions, users
from prize.store.scoring import edition_results
from tests import pg
from tests.conftest import Browser

APPLICANT = ("applicant@demo.prize", "Maria Applicant (demo)")
JUROR = ("juror1@demo.prize", "Camille Laurent")


def figures(results) -> object:
    """Every figure of the edition's results, as plain data to compare."""
    if hasattr(results, "model_dump"):
        return results.model_dump()
    if is_dataclass(results):
        return asdict(results)
    return repr(results)


def files_holding(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in sorted(folder.parent.glob(folder.name + "*")) + sorted(folder.rglob("*")):
        if path.is_file():
            content = path.read_bytes().lower()
            found += [f"{path.name}: {needle!r}" for needle in needles if needle in content]
    return found


async def rows_holding(db, needles: list[bytes]) -> list[str]:
    """Each table whose rows, as text, hold one of the needles (lowercase)."""
    found = []
    for (table,) in await db.fetch_all(dialect.table_names_sql(db.engine)):
        rows = await db.fetch_all(f'SELECT * FROM "{table}"')
        content = "\n".join(repr(tuple(row)) for row in rows).lower().encode()
        found += [f"{table}: {needle!r}" for needle in needles if needle in content]
    return found


async def stored_holding(db, settings, needles: list[bytes]) -> list[str]:
    """Where the database holds a needle: its files and WAL on SQLite, its rows on
    PostgreSQL."""
    if pg.ENABLED:
        return await rows_holding(db, needles)
    return files_holding(settings.db_path, needles)


async def test_erasing_a_demo_applicant_and_juror_leaves_no_bytes_and_no_changed_figure(
        app, db, settings, clock, admin_client: Browser):
    await load_demo(db, settings, clock)
    # An upload of the applicant's, on disk, named after them.
    applicant = await users.by_email(db, APPLICANT[0])
    draft_id = await db.fetch_value("SELECT id FROM entries WHERE owner_id = ?", (applicant.id,))
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    (settings.upload_dir / "demo-upload-1").write_bytes(b"%PDF-1.4 " + APPLICANT[1].encode())
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO attachments (entry_id, stored_name, filename, content_type, size,"
            " sha256, created_at) VALUES (?, 'demo-upload-1', 'Maria Applicant (demo).pdf',"
            " 'application/pdf', 10, 'x', '2026-01-01T00:00:00Z')", (draft_id,))
    judging = next(e for e in await editions.all_editions(db) if e.status == "judging")
    judging = await editions.get(db, judging.id)
    juror = await users.by_email(db, JUROR[0])

    # In judging, with sheets not submitted, the juror cannot be erased.
    refused = await admin_client.submit(f"/admin/users/{juror.id}/erase",
                                        token_from=f"/admin/users/{juror.id}/erase")
    assert refused.status_code == 409
    assert "not submitted" in refused.text
    # Deliberation: the sheets are what they are; erasing must not change a figure. (The
    # demo's two-round edition is in judging too, in its final round: it deliberates also.)
    async with db.transaction() as conn:
        for each in await editions.all_editions(db):
            if each.status == "judging":
                await editions.set_status(conn, each.id, "deliberation", clock())
    judging = await editions.get(db, judging.id)
    before = figures((await edition_results(db, judging))[0])

    needles = [text.lower().encode() for pair in (APPLICANT, JUROR) for text in pair]
    assert len(await stored_holding(db, settings, needles)) >= len(needles)  # the check sees them
    for person in (applicant, juror):
        response = await admin_client.submit(f"/admin/users/{person.id}/erase",
                                             token_from=f"/admin/users/{person.id}/erase")
        assert response.status_code == 303, response.text

    assert figures((await edition_results(db, judging))[0]) == before
    sheets = await db.fetch_value(
        "SELECT COUNT(*) FROM score_sheets WHERE juror_id = ? AND status = 'submitted'",
        (juror.id,))
    assert sheets > 0
    renamed = await users.get(db, juror.id)
    assert renamed.name.startswith("Juror ") and f"({judging.year})" in renamed.name

    assert not await rows_holding(db, needles)
    await app.state.db.close()  # everything flushed; the files as a copy would see them
    if not pg.ENABLED:
        assert not files_holding(settings.db_path, needles)
    assert not files_holding(settings.upload_dir, needles)
    assert not (settings.upload_dir / "demo-upload-1").exists()
    await app.state.db.open()
