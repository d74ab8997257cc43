"""A real server (uvicorn in a subprocess), a real SMTP server and Debian's Chromium."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from prize.store.db import Database
from tests.conftest import MailCatcher, free_port

CHROMIUM = os.environ.get("PRIZE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"

pytestmark = pytest.mark.browser


@dataclass
class LiveServer:
    url: str
    db_path: Path
    mail: MailCatcher

    def seed(self, work) -> None:
        """Run `work(db)` against the server's database file (writes go through SQLite's lock)."""

        async def run() -> None:
            async with Database(self.db_path) as db:
                await work(db)

        # Playwright's sync API owns this thread's event loop: seed from another thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, run()).result()


@contextmanager
def running_server(folder: Path, mail: MailCatcher, smtp_port: int, *,
                   demo: bool = False) -> Iterator[LiveServer]:
    """`python -m prize serve` on a migrated database in `folder` (with the demo data if
    `demo`), sending mail to `mail` on `smtp_port`; stopped when the block ends."""
    port = free_port()
    db_path = folder / "live.db"
    env = {
        **os.environ,
        "PRIZE_DB": str(db_path),
        "PRIZE_SECRET_KEY": "browser-test-secret",
        "PRIZE_BASE_URL": f"http://127.0.0.1:{port}",
        "PRIZE_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PRIZE_UPLOAD_DIR": str(folder / "uploads"),
    }
    for command in ("migrate", "demo") if demo else ("migrate",):
        subprocess.run(
            [sys.executable, "-m", "prize", command], env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:])
        time.sleep(0.1)
    try:
        yield LiveServer(url=url, db_path=db_path, mail=mail)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def live_server(tmp_path, smtp_server) -> Iterator[LiveServer]:
    catcher, smtp_port = smtp_server
    with running_server(tmp_path, catcher, smtp_port) as server:
        yield server


# Module scope: Playwright's sync API holds an event loop on this thread while it runs,
# which asyncio tests elsewhere cannot share.
@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str, *, focus=None) -> None:
    """Keep a picture of what the person saw, for failures and for the docs.

    By default the whole page goes to test-artifacts/NAME.png. With PRIZE_DOC_SCREENSHOTS=1
    it goes to docs/images/NAME.png instead, only what the viewport shows (with the `focus`
    locator scrolled to the top, if given), so that the picture stays small enough to commit.
    """
    if os.environ.get("PRIZE_DOC_SCREENSHOTS") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        if focus is not None:
            focus.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(DOC_IMAGES / f"{name}.png"))
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
