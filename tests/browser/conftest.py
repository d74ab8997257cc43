"""A real server (uvicorn in a subprocess), a real SMTP server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import factories, pg
from tests.conftest import MailCatcher
from tests.live_server import LiveServer, run_command, serving

CHROMIUM = os.environ.get("PRIZE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def pytest_itemcollected(item) -> None:
    """Every test here drives Chromium: `-m browser` selects them, `-m "not browser"` not."""
    item.add_marker(pytest.mark.browser)


@contextmanager
def running_server(folder: Path, mail: MailCatcher, smtp_port: int, *,
                   demo: bool = False) -> Iterator[LiveServer]:
    """`python -m prize serve` on a migrated database in `folder` (with the demo data if
    `demo`), sending mail to `mail` on `smtp_port`; stopped when the block ends."""
    # On PostgreSQL (PRIZE_TEST_DB) a database of its own, which no test reset empties.
    database = ({"db_path": None, "db_url": pg.own_database()} if pg.ENABLED
                else {"db_path": folder / "live.db"})
    settings = factories.settings(folder, smtp_url=f"smtp://127.0.0.1:{smtp_port}", **database)
    for command in ("migrate", "demo") if demo else ("migrate",):
        run_command(settings, command)
    with serving(settings, mail=mail) as server:
        yield server


@pytest.fixture
def live_server(tmp_path, smtp_server) -> Iterator[LiveServer]:
    catcher, smtp_port = smtp_server
    with running_server(tmp_path, catcher, smtp_port) as server:
        yield server


def log_in(page, url: str, email: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the login form at `url`, as a person would, and wait to be let in."""
    page.goto(url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda address: "/login" not in address)


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
