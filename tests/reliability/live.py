"""A real server in a subprocess, on loopback, that a test may kill like a crash would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests import factories
from tests.conftest import CSRF, free_port

START_TIMEOUT = 20.0


@dataclass
class LiveServer:
    url: str
    db_path: Path
    process: subprocess.Popen

    def client(self) -> httpx.AsyncClient:
        """A person's browser: its own cookie jar, no redirects followed."""
        return httpx.AsyncClient(base_url=self.url, timeout=15.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def environment(db_path: Path, port: int | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "PRIZE_DB": str(db_path),
        "PRIZE_SECRET_KEY": "reliability-test-secret",
        "PRIZE_UPLOAD_DIR": str(db_path.parent / "uploads"),
    }
    env.pop("PRIZE_SMTP_URL", None)
    if port is not None:
        env["PRIZE_BASE_URL"] = f"http://127.0.0.1:{port}"
    return env


def spawn(db_path: Path) -> LiveServer:
    """`python -m prize serve` on a free loopback port (not answering yet)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment(db_path, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return LiveServer(url=f"http://127.0.0.1:{port}", db_path=db_path, process=process)


async def start(db_path: Path) -> LiveServer:
    """A server on `db_path`, once its /healthz answers."""
    server = spawn(db_path)
    process = server.process
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient(timeout=1.0) as probe:
        while True:
            try:
                if (await probe.get(f"{server.url}/healthz")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    "the server did not start: " + process.stderr.read().decode()[-2000:]
                )
            await asyncio.sleep(0.05)


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


async def seed_judging(db_path: Path, *, jurors: int, entries: int) -> Jury:
    """Create and migrate the database at `db_path` with a judging edition (before serving)."""
    from prize.store.db import Database

    async with Database(db_path) as db:
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
