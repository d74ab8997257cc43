"""A real server in a subprocess, on loopback, that a test may kill like a crash would."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx

from prize.settings import Settings
from tests import factories, live_server, pg
from tests.conftest import CSRF
from tests.live_server import LiveServer


def settings(db_path: Path, *, test_engine: bool = False) -> Settings:
    """The settings of a server on `db_path`, its files beside it, mail kept in the outbox.
    With `test_engine`, on the tests' engine instead: a PostgreSQL database of the folder's
    when PRIZE_TEST_DB names a server (tests/pg.py), else the file `db_path`."""
    if test_engine and pg.ENABLED:
        return factories.settings(db_path.parent, secret_key="reliability-test-secret")
    return factories.settings(db_path.parent, db_path=db_path,
                              secret_key="reliability-test-secret")


def environment(db_path: Path) -> dict[str, str]:
    """The environment of a `prize` command on `db_path` (e.g. `prize backup`)."""
    return live_server.environment(settings(db_path))


async def start(db_path: Path, *, test_engine: bool = False) -> LiveServer:
    """A server on `db_path` (or the tests' engine, see `settings`), once /healthz answers."""
    return await asyncio.to_thread(live_server.start,
                                   settings(db_path, test_engine=test_engine))


async def csrf_token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def log_in(client: httpx.AsyncClient, email: str) -> None:
    token = await csrf_token(client, "/login")
    response = await client.post(
        "/login", data={"email": email, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text


@dataclass
class Jury:
    """An edition in judging whose every juror is assigned every entry, released."""

    entry_ids: list[int]
    juror_emails: list[str]
    criteria: list[str]


async def seed_judging(db_path: Path, *, jurors: int, entries: int,
                       test_engine: bool = False) -> Jury:
    """Create and migrate the database at `db_path` (or the tests' engine, see `settings`)
    with a judging edition (before serving)."""
    from prize.store.db import Database

    async with Database(settings(db_path, test_engine=test_engine).database) as db:
        await db.migrate()
        edition = await factories.edition(db, year=2025, status="judging")
        owner = await factories.user(db, email="owner@example.org")
        entry_ids = [
            (await factories.entry(
                db, edition_id=edition.id, owner_id=owner.id, status="eligible",
                application=factories.complete_application(title=f"Project {n}"),
            )).id
            for n in range(entries)
        ]
        emails = [f"juror{n}@example.org" for n in range(jurors)]
        for email in emails:
            person = await factories.juror(db, edition_id=edition.id, email=email)
            for entry_id in entry_ids:
                await factories.assignment(
                    db, edition_id=edition.id, entry_id=entry_id, juror_id=person.id
                )
        await factories.release_assignment(db, edition.id)
    return Jury(entry_ids, emails, [criterion.key for criterion in edition.criteria])


def sheet_form(jury: Jury, text: str, version: int, *, token: str, submit: bool = False) -> dict:
    """A whole score sheet whose every justification and comment is `text`."""
    form = {"csrf_token": token, "version": str(version),
            "action": "submit" if submit else "save", "overall_comment": text}
    for key in jury.criteria:
        form[f"score-{key}"] = "3"
        form[f"justification-{key}"] = text
    return form
