"""Login and sign-up limits: per client behind a trusted proxy, atomic under parallel
attempts, and never more than one "someone tried to create an account" a day."""

from __future__ import annotations

import asyncio
import dataclasses
from ipaddress import ip_network

import httpx
import pytest

from prize.web.auth import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    MAX_SIGNUPS_PER_ADDRESS,
)
from tests import factories, live_server
from tests.conftest import Browser
from tests.hashers import CountingPasswords

PROXY = ("10.0.0.5", 40000)


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, trusted_proxies=(ip_network("10.0.0.0/24"),))


@pytest.fixture
def passwords(app, settings) -> CountingPasswords:
    app.state.passwords = CountingPasswords(settings)
    return app.state.passwords


def browser(app, *, peer=PROXY, forwarded_for: str | None = None) -> Browser:
    """A person's browser whose connection comes from `peer` (by default our proxy)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return Browser(transport=httpx.ASGITransport(app=app, client=peer),
                   base_url="http://testserver", headers=headers)


async def log_in(client, email: str, password: str) -> int:
    response = await client.submit("/login", {"email": email, "password": password})
    return response.status_code


async def sign_up(client, email: str, name: str = "Ana Example") -> httpx.Response:
    password = "a long password"
    return await client.submit("/signup", {"name": name, "email": email, "password": password,
                                           "password_confirm": password, "privacy": "on"})


async def test_behind_the_proxy_one_clients_failures_do_not_lock_out_the_others(app, db):
    await factories.user(db, email="real@example.org")
    async with (browser(app, forwarded_for="203.0.113.7") as sprayer,
                browser(app, forwarded_for="198.51.100.9") as colleague):
        for n in range(MAX_FAILURES_PER_ADDRESS):
            assert await log_in(sprayer, f"spray{n}@example.org", "x" * 12) == 422
        assert await log_in(sprayer, "real@example.org", factories.PASSWORD) == 429
        assert await log_in(colleague, "real@example.org", factories.PASSWORD) == 303


async def test_a_forged_left_most_address_does_not_escape_the_throttle(app, db):
    await factories.user(db, email="real@example.org")
    for n in range(MAX_FAILURES_PER_ADDRESS):
        # The client writes its own X-Forwarded-For; nginx appends the address it saw.
        async with browser(app, forwarded_for=f"192.0.2.{n}, 203.0.113.7") as sprayer:
            await log_in(sprayer, f"spray{n}@example.org", "x" * 12)
    async with browser(app, forwarded_for="192.0.2.200, 203.0.113.7") as sprayer:
        assert await log_in(sprayer, "real@example.org", factories.PASSWORD) == 429


async def test_forwarded_for_from_an_untrusted_address_is_ignored(app, db):
    await factories.user(db, email="real@example.org")
    direct = ("192.0.2.50", 50000)
    for n in range(MAX_FAILURES_PER_ADDRESS):
        async with browser(app, peer=direct, forwarded_for=f"203.0.113.{n}") as sprayer:
            await log_in(sprayer, f"spray{n}@example.org", "x" * 12)
    async with browser(app, peer=direct, forwarded_for="198.51.100.9") as sprayer:
        assert await log_in(sprayer, "real@example.org", factories.PASSWORD) == 429


async def test_the_right_password_gets_in_however_many_failures_other_addresses_caused(
        app, db):
    await factories.user(db, email="owner@example.org")
    for n in range(6):
        async with browser(app, forwarded_for=f"203.0.113.{n}") as guesser:
            for _ in range(MAX_FAILURES_PER_ACCOUNT):
                await log_in(guesser, "owner@example.org", "a wrong guess")
            assert await log_in(guesser, "owner@example.org", factories.PASSWORD) == 429
    async with browser(app, forwarded_for="198.51.100.9") as owner:
        assert await log_in(owner, "owner@example.org", factories.PASSWORD) == 303


async def test_behind_a_real_prize_serve_the_throttle_follows_the_proxys_client(
        settings, monkeypatch):
    # `prize serve` on loopback, with loopback as the trusted proxy.
    monkeypatch.setenv("PRIZE_TRUSTED_PROXIES", "127.0.0.1")

    async def seed(db):
        # Accounts with the tests' cheap hashes: the server checks them at their cost.
        for n in range(MAX_FAILURES_PER_ADDRESS):
            await factories.user(db, email=f"spray{n}@example.org")
        await factories.user(db, email="real@example.org")

    with live_server.serving(settings) as server:
        server.seed(seed)

        async def attempt(client_address: str, email: str, password: str) -> int:
            async with server.client() as client:
                headers = {"X-Forwarded-For": client_address}
                page = await client.get("/login", headers=headers)
                token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
                response = await client.post("/login", headers=headers, data={
                    "csrf_token": token, "email": email, "password": password})
                return response.status_code

        for n in range(MAX_FAILURES_PER_ADDRESS):
            assert await attempt("203.0.113.7", f"spray{n}@example.org", "x" * 12) == 422
        assert await attempt("203.0.113.7", "real@example.org", factories.PASSWORD) == 429
        assert await attempt("198.51.100.9", "real@example.org", factories.PASSWORD) == 303


async def test_wrong_passwords_sent_at_once_are_checked_no_more_than_the_limit(
        client, db, passwords):
    await factories.user(db, email="target@example.org")
    token = await client.csrf_token("/login")

    async def guess(n: int) -> int:
        response = await client.post("/login", data={
            "csrf_token": token, "email": "target@example.org", "password": f"guess {n:04}"})
        return response.status_code

    statuses = await asyncio.gather(*(guess(n) for n in range(30)))
    assert passwords.verified <= MAX_FAILURES_PER_ACCOUNT
    assert statuses.count(422) == passwords.verified
    assert statuses.count(429) == 30 - passwords.verified
    # The limit holds for the right password too, until the window ends.
    assert await log_in(client, "target@example.org", factories.PASSWORD) == 429


async def test_sign_ups_sent_at_once_stop_at_the_limit(client, db, passwords):
    token = await client.csrf_token("/signup")

    async def sign_up_at_once(n: int) -> int:
        response = await client.post("/signup", data={
            "csrf_token": token, "name": "Bulk", "email": f"bulk{n}@example.org",
            "password": "a long password", "password_confirm": "a long password",
            "privacy": "on"})
        return response.status_code

    statuses = await asyncio.gather(*(sign_up_at_once(n) for n in range(25)))
    assert statuses.count(303) == MAX_SIGNUPS_PER_ADDRESS == passwords.hashed
    assert statuses.count(429) == 25 - MAX_SIGNUPS_PER_ADDRESS


async def test_too_many_sign_ups_from_one_client_get_a_readable_429_that_keeps_the_form(
        client, passwords):
    for n in range(MAX_SIGNUPS_PER_ADDRESS):
        assert (await sign_up(client, f"person{n}@example.org")).status_code == 303
    response = await sign_up(client, "one.more@example.org", name="Zoë Example")
    assert response.status_code == 429
    assert "Too many sign-ups from your network or for this email address." in response.text
    assert "Wait 15 minutes, then try again." in response.text
    assert 'value="Zoë Example"' in response.text
    assert 'value="one.more@example.org"' in response.text
    assert 'value="a long password"' not in response.text
    assert passwords.hashed == MAX_SIGNUPS_PER_ADDRESS  # a refused sign-up costs no hash


async def test_twenty_five_sign_ups_with_someone_elses_address_send_them_one_notice(
        app, db, mailbox, clock):
    await factories.user(db, email="known@example.org")
    for n in range(25):
        # From as many addresses, so that only the limits per email and per day act.
        async with browser(app, forwarded_for=f"203.0.113.{n}") as stranger:
            assert (await sign_up(stranger, "known@example.org")).status_code == 303
        clock.advance(minutes=20)  # past the sign-up window: only the daily rule is left
    assert len(mailbox.to("known@example.org")) == 1

    clock.advance(days=1)
    async with browser(app, forwarded_for="203.0.113.99") as stranger:
        assert (await sign_up(stranger, "known@example.org")).status_code == 303
    assert len(mailbox.to("known@example.org")) == 2


async def test_sign_ups_for_one_email_are_limited_whoever_sends_them(app, db):
    statuses = []
    for n in range(5):
        async with browser(app, forwarded_for=f"203.0.113.{n}") as stranger:
            statuses.append((await sign_up(stranger, "someone@example.org")).status_code)
    assert statuses == [303, 303, 303, 429, 429]


async def test_addresses_are_kept_no_longer_than_the_throttle_window(app, db, clock):
    async with browser(app, forwarded_for="203.0.113.7") as old_client:
        await log_in(old_client, "someone@example.org", "x" * 12)
        await sign_up(old_client, "someone@example.org")
    clock.advance(minutes=15, seconds=1)
    async with browser(app, forwarded_for="198.51.100.9") as new_client:
        await log_in(new_client, "other@example.org", "x" * 12)
    keys = [row[0] for row in await db.fetch_all("SELECT throttle_key FROM login_attempts")]
    assert keys and not [key for key in keys if "203.0.113.7" in key or "someone@" in key]
