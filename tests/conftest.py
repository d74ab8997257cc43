"""Shared fixtures: a real SQLite file, the app in-process over httpx, a real SMTP server."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message

import httpx
import pytest
from aiosmtpd.controller import Controller

from prize.settings import Settings
from prize.store import users
from prize.web.app import create_app
from tests import factories, pg

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def pytest_collection_modifyitems(items):
    """Browser tests last: they are the slowest and the others give faster feedback."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))


@pytest.fixture(autouse=True)
def _fresh_postgresql():
    """On PostgreSQL (PRIZE_TEST_DB), each test's databases start empty and migrated."""
    pg.begin_test()


def pytest_report_header(config):
    engine = "PostgreSQL " + pg.URL.rsplit("@", 1)[-1] if pg.ENABLED else "SQLite"
    return f"database engine: {engine}"


class MovableClock:
    """The app's clock in tests: set or advance time instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path, request) -> Settings:
    """The settings the app is built with; mail goes through SMTP when a test asks for
    `mailbox`, and stays in the outbox otherwise."""
    smtp_url = None
    if "mailbox" in request.fixturenames:
        _catcher, port = request.getfixturevalue("smtp_server")
        smtp_url = f"smtp://127.0.0.1:{port}"
    return factories.settings(tmp_path, smtp_url=smtp_url)


@pytest.fixture
async def app(settings, clock):
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def db(app):
    return app.state.db


@pytest.fixture
async def client(app) -> AsyncIterator[Browser]:
    async with Browser.for_app(app) as browser:
        yield browser


@pytest.fixture
async def other_client(app) -> AsyncIterator[Browser]:
    async with Browser.for_app(app) as browser:
        yield browser


async def _signed_in(app, role: str, **person: str) -> AsyncIterator[Browser]:
    async with Browser.for_app(app) as browser:
        browser.user = await factories.user(app.state.db, role=role, **person)
        await browser.log_in(browser.user.email)
        yield browser


# One browser signed in per role, each a person of its own; `.user` is that person.
@pytest.fixture
async def admin_client(app) -> AsyncIterator[Browser]:
    async for browser in _signed_in(app, "admin"):
        yield browser


@pytest.fixture
async def juror_client(app) -> AsyncIterator[Browser]:
    async for browser in _signed_in(app, "juror"):
        yield browser


@pytest.fixture
async def applicant_client(app) -> AsyncIterator[Browser]:
    async for browser in _signed_in(app, "applicant"):
        yield browser


@pytest.fixture
async def advisor_client(app) -> AsyncIterator[Browser]:
    async for browser in _signed_in(app, "advisor"):
        yield browser


class Browser(httpx.AsyncClient):
    """An httpx client that behaves like a person's browser: keeps cookies, sends CSRF tokens."""

    user: users.User | None = None  # who the role fixtures signed in

    @classmethod
    def for_app(cls, app) -> Browser:
        return cls(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    async def csrf_token(self, path: str = "/login") -> str:
        response = await self.get(path, follow_redirects=True)
        match = CSRF.search(response.text)
        if match is None and path != "/login":
            # A page without forms carries no token; the session's token is the same anywhere.
            match = CSRF.search((await self.get("/login", follow_redirects=True)).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    async def submit(
        self,
        path: str,
        data: dict | list | None = None,
        *,
        token_from: str | None = None,
        files=None,
    ) -> httpx.Response:
        """POST a form the way a browser would, with the token of the page it came from."""
        token = await self.csrf_token(token_from or path)
        if isinstance(data, list):
            # Repeated names (checkboxes) as httpx wants them: a list per name.
            grouped: dict[str, list[str]] = {}
            for name, value in data:
                grouped.setdefault(name, []).append(value)
            data = {**grouped, "csrf_token": token}
        else:
            data = {**(data or {}), "csrf_token": token}
        return await self.post(path, data=data, files=files)

    async def log_in(self, email: str, password: str = factories.PASSWORD) -> httpx.Response:
        response = await self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 303, response.text
        return response


@dataclass
class MailCatcher:
    """The messages a real SMTP server on loopback received."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message: Message) -> str:
        return message.get_payload(decode=True).decode()

    def link(self, address: str, path: str) -> str:
        """The last link to `path` sent to `address`, as a path with its query."""
        for message in reversed(self.to(address)):
            match = re.search(
                r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", self.body(message)
            )
            if match:
                return match.group(1)
        raise AssertionError(f"no link to {path} in mail to {address}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield catcher, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings) -> MailCatcher:
    """Mail really sent through SMTP to a local aiosmtpd server (`settings` points there)."""
    catcher, port = smtp_server
    assert settings.smtp_url == f"smtp://127.0.0.1:{port}"
    return catcher
