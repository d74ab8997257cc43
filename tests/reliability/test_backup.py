"""A backup taken while jurors save: a consistent copy that restores and serves. On
SQLite `prize backup`; on PostgreSQL (when PRIZE_TEST_DB names a server) the pg_dump that
`prize backup` points to, restored with pg_restore."""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import sqlite3
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg
import pytest

from prize.store.db import Database
from tests import factories, live_server, pg
from tests.reliability import live

JURORS = 4
ENTRIES = 2
JSON = {"Accept": "application/json"}
VERSION = re.compile(r'name="version" value="(\d+)"')


def text(juror: int, entry_id: int, version: int) -> str:
    return f"juror {juror}, entry {entry_id}, version {version:04d}"


async def keep_saving(server: live.LiveServer, jury: live.Jury, juror: int,
                      stop: asyncio.Event, saves: list[int]) -> None:
    """Save each of the juror's sheets in turn until told to stop; sheet and scores are
    written in one transaction, so in any consistent copy they carry the same text."""
    async with server.client() as client:
        await live.log_in(client, jury.juror_emails[juror])
        token = await live.csrf_token(client, f"/jury/entries/{jury.entry_ids[0]}/sheet")
        versions = dict.fromkeys(jury.entry_ids, 0)
        while not stop.is_set():
            for entry_id, version in versions.items():
                form = live.sheet_form(jury, text(juror, entry_id, version + 1), version,
                                       token=token)
                response = await client.post(f"/jury/entries/{entry_id}/sheet", data=form,
                                             headers=JSON)
                assert response.status_code == 200, response.text
                versions[entry_id] = response.json()["version"]
                saves.append(1)


SHEETS_SQL = ("SELECT s.id, u.email, s.entry_id, s.version, s.overall_comment"
              " FROM score_sheets s JOIN users u ON u.id = s.juror_id")
SCORES_SQL = "SELECT sheet_id, justification FROM scores"


def whole_saves(sheets, scores, jury: live.Jury) -> dict[tuple[str, int], str]:
    """Each sheet's text is the one of its version's save, and every score of it carries
    that same text (`sheets` and `scores`: the rows of SHEETS_SQL and SCORES_SQL); the
    text of each sheet."""
    justifications = defaultdict(list)
    for sheet_id, justification in scores:
        justifications[sheet_id].append(justification)
    stored = {}
    for sheet_id, email, entry_id, version, comment in sheets:
        assert comment == text(jury.juror_emails.index(email), entry_id, version)
        assert justifications[sheet_id] == [comment] * len(jury.criteria)
        stored[(email, entry_id)] = comment
    return stored


@asynccontextmanager
async def jurors_saving(server: live.LiveServer, jury: live.Jury) -> AsyncIterator[list[int]]:
    """Every juror keeps saving their sheets while the block runs (entered after the 20th
    save); at its end they stop, and a juror's failed save fails the test. Yields the
    saves acknowledged so far, one item each."""
    stop, saves = asyncio.Event(), []
    writers = [asyncio.create_task(keep_saving(server, jury, juror, stop, saves))
               for juror in range(JURORS)]
    try:
        while len(saves) < 20:
            await asyncio.sleep(0.02)
            assert not any(writer.done() for writer in writers), "a writer stopped early"
        yield saves
    finally:
        stop.set()
        await asyncio.gather(*writers, return_exceptions=True)
    for writer in writers:
        writer.result()


def check_copy(path, jury: live.Jury) -> dict[tuple[str, int], str]:
    """Integrity, foreign keys and the sheet/scores invariant; the text of each sheet."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return whole_saves(conn.execute(SHEETS_SQL).fetchall(),
                           conn.execute(SCORES_SQL).fetchall(), jury)
    finally:
        conn.close()


async def shows_the_copy(client, stored: dict[tuple[str, int], str]) -> tuple[int, str]:
    """A site started on the copy is healthy and shows a copied sheet to its juror, signed
    in on `client`: (that entry's id, the sheet's page)."""
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    (email, entry_id), comment = next(iter(stored.items()))
    await live.log_in(client, email)
    page = await client.get(f"/jury/entries/{entry_id}/sheet")
    assert page.status_code == 200 and comment in page.text
    return entry_id, page.text


async def test_backup_under_write_load_is_consistent_and_restores(tmp_path):
    # Given a live server whose jurors keep saving their sheets
    live_db = tmp_path / "live" / "prize.db"
    jury = await live.seed_judging(live_db, jurors=JURORS, entries=ENTRIES)
    server = await live.start(live_db)
    copy = tmp_path / "backups" / "prize-copy.db"
    try:
        async with jurors_saving(server, jury) as saves:
            # When the operator runs `prize backup` meanwhile
            before = len(saves)
            code, out, err = await run(sys.executable, "-m", "prize", "backup", str(copy),
                                       env=live.environment(live_db))
            during = len(saves) - before
            assert code == 0, err
            assert f"Backup written to {copy}" in out
    finally:
        server.stop()
    assert during > 0, "no save happened while the backup ran"

    # Then the copy passes the checks and every sheet in it is one whole save
    stored = check_copy(copy, jury)
    assert stored, "the copy holds no score sheet"

    # And a server started on the copy is healthy and shows the copied text
    restored_db = tmp_path / "restored" / "prize.db"
    restored_db.parent.mkdir()
    shutil.copyfile(copy, restored_db)
    restored = await live.start(restored_db)
    try:
        async with restored.client() as client:
            await shows_the_copy(client, stored)
    finally:
        restored.stop()
    print(f"\nbackup: {during} saves acknowledged while `prize backup` ran,"
          f" {len(saves)} in all; {len(stored)} sheets in the copy, all consistent")


async def check_postgresql_copy(url: str, jury: live.Jury) -> dict[tuple[str, int], str]:
    """`check_copy` for a restored PostgreSQL database: no score without its sheet (the
    server checked every constraint as pg_restore loaded the rows), each sheet one save."""
    async with Database(url) as db:
        assert await db.fetch_value(
            "SELECT COUNT(*) FROM scores WHERE sheet_id NOT IN (SELECT id FROM score_sheets)") == 0
        return whole_saves(await db.fetch_all(SHEETS_SQL), await db.fetch_all(SCORES_SQL), jury)


async def run(*command: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.skipif(not pg.ENABLED, reason="PostgreSQL's backup needs PRIZE_TEST_DB")
async def test_pg_dump_under_write_load_is_consistent_and_restores(tmp_path):
    # Given a live server on PostgreSQL whose jurors keep saving their sheets
    live_db = tmp_path / "live" / "prize.db"
    jury = await live.seed_judging(live_db, jurors=JURORS, entries=ENTRIES, test_engine=True)
    settings = live.settings(live_db, test_engine=True)
    server = await live.start(live_db, test_engine=True)
    dump = tmp_path / "prize.dump"
    try:
        async with jurors_saving(server, jury) as saves:
            # When the operator runs `prize backup`, it names pg_dump instead of copying
            code, _, err = await run(sys.executable, "-m", "prize", "backup",
                                     str(tmp_path / "copy.db"),
                                     env=live_server.environment(settings))
            assert code != 0 and "pg_dump --format=custom" in err
            # and pg_dump as it says, meanwhile
            before = len(saves)
            code, _, err = await run("pg_dump", "--format=custom", f"--file={dump}",
                                     settings.database)
            during = len(saves) - before
            assert code == 0, err
    finally:
        server.stop()
    assert during > 0, "no save happened while pg_dump ran"

    # Then the dump restores into an empty database, every sheet in it one whole save
    name = f"prize_restored_{secrets.token_hex(4)}"
    restored_url = urlsplit(pg.URL)._replace(path="/" + name).geturl()
    admin = await asyncpg.connect(pg.URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        code, _, err = await run("pg_restore", "--no-owner", "--exit-on-error",
                                 f"--dbname={restored_url}", str(dump))
        assert code == 0, err
        stored = await check_postgresql_copy(restored_url, jury)
        assert stored, "the copy holds no score sheet"

        # And a server started on it is healthy and shows the copied text
        folder = tmp_path / "restored"
        folder.mkdir()
        restored = await asyncio.to_thread(live_server.start, factories.settings(
            folder, db_path=None, db_url=restored_url, secret_key="reliability-test-secret"))
        try:
            async with restored.client() as client:
                entry_id, page = await shows_the_copy(client, stored)
                # The restored sequences go on after the copied rows: a new save is stored.
                token = await live.csrf_token(client, f"/jury/entries/{entry_id}/sheet")
                version = int(VERSION.search(page).group(1))
                saved = await client.post(
                    f"/jury/entries/{entry_id}/sheet", headers=JSON,
                    data=live.sheet_form(jury, "after the restore", version, token=token))
                assert saved.status_code == 200, saved.text
        finally:
            restored.stop()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    print(f"\npg_dump: {during} saves acknowledged while it ran, {len(saves)} in all;"
          f" {len(stored)} sheets in the restored copy, all consistent")
