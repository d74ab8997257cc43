"""Two real `prize serve` processes on one database (PostgreSQL under PRIZE_TEST_DB, else
an SQLite file), each with the caches it keeps in memory: the public page cache, and the
signed-in pages' memo (the person, the dashboard, the score sheet). A write through one
server is seen by the very next request to the other, after both have filled their
caches. Two servers rather than `--workers 2`, so that the test picks who answers."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx

from prize.store.db import Database
from tests import factories, pg
from tests.conftest import CSRF
from tests.reliability import test_serve_workers as workers

YEAR = 2026
JUROR = "juror@servers.example.org"
ADMIN = "admin@servers.example.org"


def seed(target: str | Path) -> dict[str, int]:
    async def work() -> dict[str, int]:
        async with Database(target) as db:
            await db.migrate()
            await factories.published_demo(db)
            edition = await factories.edition(
                db, year=YEAR, status="judging",
                judging_ends_at=datetime(2099, 7, 15, 21, 59, tzinfo=UTC))
            owner = await factories.user(db, email="owner@servers.example.org")
            juror = await factories.juror(db, edition_id=edition.id, email=JUROR)
            entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                          status="eligible")
            await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                       juror_id=juror.id)
            await factories.release_assignment(db, edition.id)
            await factories.user(db, email=ADMIN, role="admin")
            practice = await db.fetch_value("SELECT id FROM practices WHERE title = ?",
                                            ("TripApp",))
            return {"entry": entry.id, "juror": juror.id, "practice": practice}

    return asyncio.run(work())


def token_of(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return CSRF.search(page.text).group(1)


def log_in(client: httpx.Client, base: str, email: str) -> None:
    answer = client.post(f"{base}/login", data={
        "email": email, "password": factories.PASSWORD,
        "csrf_token": token_of(client, f"{base}/login")})
    assert answer.status_code == 303, answer.text


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


def test_a_write_through_one_server_is_the_next_page_of_the_other(tmp_path, monkeypatch):
    target: str | Path = pg.database_for(tmp_path) if pg.ENABLED else tmp_path / "prize.db"
    ids = seed(target)
    # The servers' uploads in the test's folder (on PostgreSQL they default to the cwd).
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))
    real_environment = workers.environment

    def environment(db: object, url: str) -> dict[str, str]:
        return {**real_environment(db, url), "PRIZE_UPLOAD_DIR": str(tmp_path / "uploads")}

    monkeypatch.setattr(workers, "environment", environment)
    sheet = f"/jury/entries/{ids['entry']}/sheet"
    with workers.serving(target) as first, workers.serving(target) as second, \
            httpx.Client(timeout=15) as visitor, httpx.Client(timeout=15) as juror_there, \
            httpx.Client(timeout=15) as juror_here, httpx.Client(timeout=15) as admin:
        # Given each cache of the second server filled: a public page read twice by a
        # visitor, the juror's dashboard and score sheet read twice
        for _ in range(2):
            assert "TripApp" in titles(visitor.get(f"{second}/practices").text)
        log_in(juror_there, second, JUROR)
        for _ in range(2):
            assert juror_there.get(f"{second}/jury").status_code == 200
            assert "Written on the first" not in juror_there.get(f"{second}{sheet}").text
        log_in(admin, first, ADMIN)
        log_in(juror_here, first, JUROR)

        # When the secretariat unpublishes a practice through the first server
        practice = f"{first}/admin/practices/{ids['practice']}"
        answer = admin.post(f"{practice}/unpublish",
                            data={"csrf_token": token_of(admin, practice)})
        assert answer.status_code == 303, answer.text
        # Then the second server's next public page no longer lists it
        assert "TripApp" not in titles(visitor.get(f"{second}/practices").text)

        # When the juror saves their sheet through the first server
        answer = juror_here.post(f"{first}{sheet}", data={
            "csrf_token": token_of(juror_here, f"{first}{sheet}"), "version": "0",
            "action": "save", "overall_comment": "Written on the first"})
        assert answer.status_code == 303, answer.text
        # Then the sheet the second server shows next holds it
        assert "Written on the first" in juror_there.get(f"{second}{sheet}").text

        # When the secretariat deactivates the juror through the first server
        person = f"{first}/admin/users/{ids['juror']}"
        answer = admin.post(f"{person}/active", data={
            "csrf_token": token_of(admin, person), "active": "0"})
        assert answer.status_code == 303, answer.text
        # Then the second server does not serve the person it knew: signed out
        answer = juror_there.get(f"{second}/jury")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
