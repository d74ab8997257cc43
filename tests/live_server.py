"""`python -m prize serve` in a subprocess on a free loopback port, for the browser and the
reliability tests: the real command, started the way an operator starts it, that a test
may stop or kill like a crash would."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from prize.settings import Settings
from prize.store.db import Database
from tests.conftest import MailCatcher, free_port

START_TIMEOUT = 20.0


@dataclass
class LiveServer:
    url: str
    settings: Settings
    process: subprocess.Popen
    mail: MailCatcher | None = None

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    @property
    def database(self) -> str | Path:
        """The SQLite file or the PostgreSQL URL (PRIZE_TEST_DB) the server uses."""
        return self.settings.database

    def client(self) -> httpx.AsyncClient:
        """A person's browser: its own cookie jar, no redirects followed."""
        return httpx.AsyncClient(base_url=self.url, timeout=15.0)

    def seed(self, work) -> None:
        """Run `work(db)` against the server's database (writes go through its single-writer
        lock, SQLite's or the advisory lock on PostgreSQL)."""

        async def run() -> None:
            async with Database(self.database) as db:
                await work(db)

        # Playwright's sync API owns this thread's event loop: seed from another thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, run()).result()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def environment(settings: Settings) -> dict[str, str]:
    """The PRIZE_* variables from which `prize` reads `settings` back.

    The password cost is not among them: the server hashes at the production cost, and
    checks the tests' cheap hashes at theirs.
    """
    env = {
        **os.environ,
        "PRIZE_DB": str(settings.database),
        "PRIZE_SECRET_KEY": settings.secret_key,
        "PRIZE_BASE_URL": settings.base_url,
        "PRIZE_UPLOAD_DIR": str(settings.upload_dir),
        "PRIZE_MAIL_FROM": settings.mail_from,
    }
    env.pop("PRIZE_SMTP_URL", None)
    if settings.smtp_url:
        env["PRIZE_SMTP_URL"] = settings.smtp_url
    return env


def run_command(settings: Settings, *command: str) -> None:
    """`python -m prize COMMAND…` with `settings`, e.g. ("migrate",) or ("demo",)."""
    subprocess.run([sys.executable, "-m", "prize", *command], env=environment(settings),
                   check=True, capture_output=True)


def start(settings: Settings, *, mail: MailCatcher | None = None) -> LiveServer:
    """`prize serve` with `settings` on a free loopback port, once its /healthz answers.

    The base URL becomes the server's own address, so that mailed links lead back to it.
    """
    port = free_port()
    settings = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}")
    process = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = LiveServer(url=settings.base_url, settings=settings, process=process, mail=mail)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            errors = process.stderr.read().decode()[-2000:]
            raise RuntimeError(f"the server did not start: {errors}")
        time.sleep(0.05)


@contextmanager
def serving(settings: Settings, *, mail: MailCatcher | None = None) -> Iterator[LiveServer]:
    """A started server, stopped when the block ends."""
    server = start(settings, mail=mail)
    try:
        yield server
    finally:
        server.stop()
