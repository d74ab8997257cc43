"""What answering sign-up, login and password reset costs: the same whether or not the
account exists, and never the event loop's time."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests import factories
from tests.conftest import Browser
from tests.hashers import CountingPasswords, GatedPasswords


@pytest.fixture
def passwords(app, settings) -> CountingPasswords:
    app.state.passwords = CountingPasswords(settings)
    return app.state.passwords


async def sign_up(client, email: str) -> httpx.Response:
    password = "a long password"
    return await client.submit("/signup", {"name": "Ana Example", "email": email,
                                           "password": password, "password_confirm": password,
                                           "privacy": "on"})


async def test_sign_up_hashes_the_password_for_a_known_address_as_for_a_new_one(
        client, db, passwords):
    await factories.user(db, email="known@example.org")
    work = []
    for email in ("new@example.org", "known@example.org"):
        before = passwords.hashed, passwords.verified
        response = await sign_up(client, email)
        assert response.headers["location"] == "/signup/done"
        work.append((passwords.hashed - before[0], passwords.verified - before[1]))
    assert work == [(1, 0), (1, 0)]


async def test_login_checks_one_hash_whether_the_account_exists_or_not(client, db, passwords):
    await factories.user(db, email="someone@example.org")
    inactive = await factories.user(db, email="gone@example.org")
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET is_active = 0 WHERE id = ?", (inactive.id,))
    work = []
    for email in ("someone@example.org", "nobody@example.org", "gone@example.org"):
        before = passwords.hashed, passwords.verified
        response = await client.submit("/login", {"email": email, "password": "wrong password"})
        assert response.status_code == 422
        work.append((passwords.hashed - before[0], passwords.verified - before[1]))
    assert work == [(0, 1), (0, 1), (0, 1)]


class AtAnswer:
    """Wraps the app and notes `probe()` when each response starts."""

    def __init__(self, app, probe) -> None:
        self.app, self.probe, self.noted = app, probe, []

    async def __call__(self, scope, receive, send):
        async def noting(message):
            if message["type"] == "http.response.start":
                self.noted.append(self.probe())
            await send(message)

        await self.app(scope, receive, noting)


async def test_forgot_password_answers_before_any_work_on_the_account(app, db, mailbox):
    await factories.user(db, email="someone@example.org")
    # What had been written and sent when the page began to answer.
    watched = AtAnswer(app, lambda: (db.commits, len(mailbox.messages)))
    async with Browser(transport=httpx.ASGITransport(app=watched),
                       base_url="http://testserver") as client:
        work = []
        for email in ("someone@example.org", "nobody@example.org"):
            before = db.commits, len(mailbox.messages)
            response = await client.submit("/password/forgot", {"email": email})
            assert response.status_code == 200
            at_answer = watched.noted[-1]
            work.append((at_answer[0] - before[0], at_answer[1] - before[1]))
    assert work == [(0, 0), (0, 0)]
    # The link still goes, just after the answer.
    assert mailbox.link("someone@example.org", "/password/reset")
    assert mailbox.to("nobody@example.org") == []


@pytest.mark.parametrize("form", ["signup", "login"])
async def test_a_password_being_hashed_does_not_hold_up_other_pages(
        app, db, settings, client, other_client, form):
    await factories.user(db, email="someone@example.org")
    passwords = app.state.passwords = GatedPasswords(settings)
    token = await client.csrf_token(f"/{form}")
    data = {"csrf_token": token, "name": "Ana", "email": "new@example.org",
            "password": "a long password", "password_confirm": "a long password",
            "privacy": "on"}
    if form == "login":
        data.update(email="someone@example.org", password=factories.PASSWORD)
    submitted = asyncio.create_task(client.post(f"/{form}", data=data))
    assert await asyncio.to_thread(passwords.asked.wait, 5)

    # While the password is being hashed, the site answers.
    health = await other_client.get("/healthz")
    passwords.gate.set()
    response = await submitted

    assert health.status_code == 200
    assert not passwords.timed_out, "the hash held up the event loop"
    assert response.status_code == 303
