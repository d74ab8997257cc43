"""Passwords, CSRF tokens, the client behind a proxy, and the headers and limits every
response carries."""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from collections import OrderedDict
from collections.abc import Sequence

import anyio.to_thread
import itsdangerous
from anyio import CapacityLimiter
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous.encoding import want_bytes
from itsdangerous.exc import SignatureExpired
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prize.settings import IPNetwork, Settings

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


class Passwords:
    """Hashes passwords with argon2id at the cost of the settings, and checks them.

    A hash carries the cost it was made with, and is checked at that cost: hashes made
    before the cost changed keep working. Request handlers use `hash_in_thread` and
    `verify_in_thread`; `hash` and `verify` are for commands and tests.
    """

    def __init__(self, settings: Settings, *, threads: int | None = None) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_cost,
            parallelism=settings.password_parallelism,
        )
        # Checked against when the account does not exist, so both cases cost the same time.
        self._dummy_hash = self._hasher.hash("not a real password, only for timing")
        # A hash holds the CPU for about 100 ms and 64 MiB: in the event loop, forty
        # sign-ups at once stalled every other page for seconds. In worker threads (argon2
        # releases the GIL), at most one per core at a time, so that a storm of logins
        # neither takes all the memory nor the threads that other work needs.
        self._threads = CapacityLimiter(threads or os.cpu_count() or 1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` is the one of `password_hash`; False when there is no hash."""
        try:
            return (self._hasher.verify(password_hash or self._dummy_hash, password)
                    and password_hash is not None)
        except (VerificationError, InvalidHashError):
            return False

    async def hash_in_thread(self, password: str) -> str:
        """`hash` in a worker thread: the event loop goes on serving meanwhile."""
        return await anyio.to_thread.run_sync(self.hash, password, limiter=self._threads)

    async def verify_in_thread(self, password_hash: str | None, password: str) -> bool:
        """`verify` in a worker thread: the event loop goes on serving meanwhile."""
        return await anyio.to_thread.run_sync(
            self.verify, password_hash, password, limiter=self._threads
        )


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: object) -> bool:
    return (
        isinstance(expected, str)
        and isinstance(given, str)
        and bool(expected)
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
        and hmac.compare_digest(expected.encode(), given.encode())
    )


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_behind(peer: str, forwarded_for: Sequence[str],
                  trusted: Sequence[IPNetwork]) -> str:
    """The client's address: `peer` (who connected), or, when `peer` is a trusted proxy,
    the right-most address of `X-Forwarded-For` that is not a trusted proxy.

    Each proxy appends the address that connected to it, so only the right end of the
    header is written by proxies we trust; anything to the left of the first untrusted
    hop was written by the client and may be forged. An entry that is not an address
    ends the walk: the last trusted hop is then the best we know.
    """
    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in trusted)

    peer_address = _ip(peer)
    if peer_address is None or not is_trusted(peer_address):
        return peer
    client = str(peer_address)
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break
        client = str(address)
        if not is_trusted(address):
            break
    return client


class ForwardedClient:
    """Sets the request's client to the address a trusted reverse proxy reports.

    `X-Forwarded-For` is believed only on connections from `trusted` (the setting
    PRIZE_TRUSTED_PROXIES); from anyone else it is ignored, and with no trusted proxies
    this does nothing. uvicorn's own proxy headers are off (`prize serve`), so that the
    in-process app of the tests and the served one read the client the same way.
    """

    def __init__(self, app: ASGIApp, *, trusted: Sequence[IPNetwork]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if self.trusted and peer and scope["type"] in ("http", "websocket"):
            forwarded_for = [value.decode("latin-1") for name, value in scope["headers"]
                             if name == b"x-forwarded-for"]
            client = client_behind(peer[0], forwarded_for, self.trusted)
            if client != peer[0]:
                scope = {**scope, "client": (client, 0)}
        await self.app(scope, receive, send)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds the security headers to every response, pages and files alike."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies above a limit before they are read into memory or disk."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await _too_large(send)


class BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = (
        b"<!doctype html><html lang=en><title>Too large</title><h1>Request too large</h1>"
        b"<p>What you sent is larger than the site accepts (files: 10 MB each at most). "
        b"Go back: what you typed is still in your browser.</p>"
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# Signed sessions -----------------------------------------------------------------------

#: Signed session cookies whose signature was checked, remembered at most.
CHECKED_SIGNATURES = 4096


class RememberedSignatures(itsdangerous.TimestampSigner):
    """The session cookie's signer, checking each signed value's signature only once.

    A signed-in person sends the same cookie with every request until the session
    changes; checking its HMAC again each time (itsdangerous derives the key and runs a
    pure-Python HMAC) was a tenth of a cached page's time. The value and the time it was
    signed are remembered by the exact cookie text, so a changed byte is checked afresh
    (and refused); the age is compared with `max_age` at every use, so a remembered
    cookie still expires on time.
    """

    def __init__(self, secret_key: str, *, remembered: int = CHECKED_SIGNATURES) -> None:
        super().__init__(secret_key)
        self.remembered = remembered
        self._checked: OrderedDict[bytes, tuple[bytes, int]] = OrderedDict()

    def unsign(self, signed_value: str | bytes, max_age: int | None = None,
               return_timestamp: bool = False):  # type: ignore[override]
        if return_timestamp:
            return super().unsign(signed_value, max_age=max_age, return_timestamp=True)
        key = want_bytes(signed_value)
        known = self._checked.get(key)
        if known is None:
            value, signed_at = super().unsign(key, return_timestamp=True)  # or BadSignature
            known = (value, int(signed_at.timestamp()))
            self._checked[key] = known
            if len(self._checked) > self.remembered:
                self._checked.popitem(last=False)
        else:
            self._checked.move_to_end(key)
        value, signed_at_seconds = known
        if max_age is not None:
            age = self.get_timestamp() - signed_at_seconds
            if age > max_age or age < 0:
                raise SignatureExpired(f"Signature age {age} not within 0..{max_age} seconds",
                                       payload=value,
                                       date_signed=self.timestamp_to_datetime(signed_at_seconds))
        return value


class Sessions(SessionMiddleware):
    """Starlette's signed-cookie sessions, with the signatures checked once
    (`RememberedSignatures`); everything else as Starlette does it."""

    def __init__(self, app: ASGIApp, secret_key: str, **options) -> None:
        super().__init__(app, secret_key=secret_key, **options)
        self.signer = RememberedSignatures(str(secret_key))
