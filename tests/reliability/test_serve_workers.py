"""`prize serve --workers N` and what several processes on one database must share:
sessions and CSRF (a signed cookie, with the key kept next to the database), the login
throttle (rows in the database), and every write, whichever worker answers.

Real processes over real HTTP. Two ways to land on different workers: `--workers 2`
with a new connection per request (the kernel hands each to one of the workers), and
two servers on one file, where the test picks which one answers each request.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from prize.store.db import Database
from tests import factories
from tests.conftest import CSRF, free_port

START_TIMEOUT = 30.0
APPLICANT = "applicant@workers.example.org"
# A new TCP connection for each request: each may go to either worker.
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


def seed(db_path: Path) -> None:
    async def work() -> None:
        async with Database(db_path) as db:
            await db.migrate()
            await factories.user(db, email=APPLICANT, role="applicant")
            await factories.edition(db, year=2027, status="open",
                                    now=datetime.now(UTC) - timedelta(days=1),
                                    closes_at=datetime.now(UTC) + timedelta(days=60))

    asyncio.run(work())


def environment(db_path: Path, url: str) -> dict[str, str]:
    env = {**os.environ, "PRIZE_DB": str(db_path), "PRIZE_BASE_URL": url}
    # No PRIZE_SECRET_KEY: the key file next to the database is what the workers share.
    for name in ("PRIZE_SECRET_KEY", "PRIZE_SMTP_URL", "PRIZE_UPLOAD_DIR"):
        env.pop(name, None)
    return env


@contextmanager
def serving(db_path: Path, *args: str) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--port", str(port), *args],
        env=environment(db_path, url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("prize serve --workers did not stop on SIGTERM")


def token_of(page: httpx.Response) -> str:
    assert page.status_code == 200, page.status_code
    match = CSRF.search(page.text)
    assert match, "no CSRF token"
    return match.group(1)


def log_in(client: httpx.Client, base: str, password: str = factories.PASSWORD) -> httpx.Response:
    token = token_of(client.get(f"{base}/login"))
    return client.post(f"{base}/login", data={
        "email": APPLICANT, "password": password, "csrf_token": token})


def start_entry(client: httpx.Client, base: str) -> int:
    token = token_of(client.get(f"{base}/my"))
    edition_id = re.search(r'name="edition_id" value="(\d+)"', client.get(f"{base}/my").text)
    answer = client.post(f"{base}/my/entries", data={
        "edition_id": edition_id.group(1), "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return int(re.search(r"/my/entries/(\d+)/edit", answer.headers["location"]).group(1))


def autosave(client: httpx.Client, base: str, entry_id: int, version: int, goals: str,
             token: str) -> httpx.Response:
    return client.post(f"{base}/my/entries/{entry_id}/edit", headers={"Accept": "application/json"},
                       data={"goals": goals, "action": "save", "version": str(version),
                             "csrf_token": token})


def edit_page(client: httpx.Client, base: str, entry_id: int) -> httpx.Response:
    return client.get(f"{base}/my/entries/{entry_id}/edit")


def test_two_workers_share_sessions_csrf_writes_and_the_throttle(tmp_path):
    db_path = tmp_path / "prize.db"
    seed(db_path)
    with serving(db_path, "--workers", "2") as base, httpx.Client(
            timeout=15, limits=NO_KEEPALIVE) as person:
        # Signed in through one worker, signed in on every request to either
        assert log_in(person, base).status_code == 303
        for _ in range(12):
            page = person.get(f"{base}/my")
            assert page.status_code == 200 and 'action="/logout"' in page.text
        # A CSRF-posted form, then twenty autosaves, each on a new connection: the token
        # of one worker's page is good on the other, and every save lands in order.
        entry_id = start_entry(person, base)
        version = int(re.search(r'name="version" value="(\d+)"',
                                edit_page(person, base, entry_id).text).group(1))
        for n in range(20):
            token = token_of(edit_page(person, base, entry_id))
            answer = autosave(person, base, entry_id, version, f"Goal number {n}", token)
            assert answer.status_code == 200, answer.text
            version = answer.json()["version"]
        assert "Goal number 19" in edit_page(person, base, entry_id).text
        # The throttle counts failures whichever worker saw them
        with httpx.Client(timeout=15, limits=NO_KEEPALIVE) as guesser:
            refusals = [log_in(guesser, base, "wrong password") for _ in range(5)]
            assert all(refusal.status_code == 422 for refusal in refusals)
            assert all("is not right" in refusal.text for refusal in refusals)
            throttled = log_in(guesser, base)
            assert throttled.status_code == 429 and "Too many failed attempts" in throttled.text


def test_two_servers_on_one_file_honour_each_others_sessions_tokens_and_throttle(tmp_path):
    db_path = tmp_path / "prize.db"
    seed(db_path)
    with serving(db_path) as first, serving(db_path) as second, httpx.Client(
            timeout=15) as person:
        # Signed in on the first: the second knows the session (one key file for both)
        assert log_in(person, first).status_code == 303
        assert 'action="/logout"' in person.get(f"{second}/my").text
        # A form from the second's page, posted to the first
        entry_id = start_entry(person, second)
        token = token_of(edit_page(person, second, entry_id))
        version = int(re.search(r'name="version" value="(\d+)"',
                                edit_page(person, second, entry_id).text).group(1))
        saved = autosave(person, first, entry_id, version, "Written on the first", token)
        assert saved.status_code == 200
        # The second's very next page shows the first's write; a stale tab is refused there
        assert "Written on the first" in edit_page(person, second, entry_id).text
        stale = autosave(person, second, entry_id, version, "From a stale tab", token)
        assert stale.status_code == 409
        # Failures on both count together
        with httpx.Client(timeout=15) as guesser:
            for base in (first, second, first, second, first):
                assert log_in(guesser, base, "wrong password").status_code == 422
            assert log_in(guesser, second).status_code == 429
            assert log_in(guesser, first).status_code == 429


@pytest.mark.parametrize("workers", ["0", "65", "two", "", "2.5"])
def test_a_bad_number_of_workers_is_one_line_and_a_non_zero_exit(tmp_path, workers):
    finished = subprocess.run(
        [sys.executable, "-m", "prize", "serve", "--port", str(free_port()),
         "--workers", workers],
        env=environment(tmp_path / "prize.db", "http://127.0.0.1:1"), capture_output=True,
        text=True, timeout=30)
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines() == [
        f"prize: --workers must be a whole number from 1 to 64, not {workers!r}"]


def test_several_workers_on_a_file_that_is_not_a_database_exit_at_once_in_one_line(tmp_path):
    database = tmp_path / "prize.db"
    database.write_bytes(b"this is not an SQLite database, only some text " * 100)
    finished = subprocess.run(
        [sys.executable, "-m", "prize", "serve", "--port", str(free_port()), "--workers", "2"],
        env=environment(database, "http://127.0.0.1:1"), capture_output=True, text=True,
        timeout=30)
    assert finished.returncode != 0
    assert "prize: cannot use the database" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_workers_that_cannot_start_stop_the_site_with_the_start_up_status(tmp_path):
    # The parent migrates; each worker's own start-up then fails (no uploads directory
    # can be made under a file): the supervisor must not restart them for ever.
    (tmp_path / "a-file").write_text("not a folder")
    env = environment(tmp_path / "prize.db", "http://127.0.0.1:1")
    env["PRIZE_UPLOAD_DIR"] = str(tmp_path / "a-file" / "uploads")
    finished = subprocess.run(
        [sys.executable, "-m", "prize", "serve", "--port", str(free_port()), "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 3
    assert "prize: the site could not start" in finished.stderr
