"""Whole responses of public pages and the API, kept for anonymous readers.

A reader without a session cookie sees exactly the same page as any other such reader
of the same URL in the same language, until something public pages show changes. So
`PageCache` (a pure ASGI middleware, inside SecurityHeaders and outside the session
and user middlewares) answers a repeat GET or HEAD from memory, with the status, the
headers (ETag, Cache-Control, Vary) and the body the application gave the first time,
or a 304 when the reader's If-None-Match is that ETag. Without that, `/practices`
spent nine tenths of its time rendering the same Jinja template again and again.

What is kept, and for how long:
- only GET and HEAD, without a `prize_session` cookie, on the public paths below
  (never /my, /jury, /admin, /login, /files, images…); a signed-in person always
  gets a fresh page with their name in the header;
- only 200, 400 and 404 answers of HTML, JSON, Atom or XML, without Set-Cookie and
  not private; a 400 is kept for its own URL only, like anything else;
- the key is the scheme, host, path and query, the language negotiated from
  Accept-Language and the kind of Accept (HTML, JSON, other). Pages write their own
  raw query back (the language switch's `next=`), so an HTML page's query is used
  exactly as sent: two spellings of one query are two entries, never one page for
  the other. JSON does not echo its query: there the parameters are decoded and
  put in a stable order (repeated names keep their order);
- everything is valid while `Database.public_version()` and the minute of the app's
  clock (the home page's open call ends at its deadline) are unchanged. That version
  is bumped by triggers on the rows public pages show (migration 0041: published
  practices, editions that are not drafts, their criteria and active jurors), never by
  a score sheet's autosave, a login, a session, the outbox or the audit log. Every
  process's writes show at the next request: another worker's or a CLI command's as
  well as this one's (the version follows SQLite's data_version, prize/store/db.py);
- at most `max_entries` responses and `max_bytes` bytes, least recently used first
  out; a body above `max_entry_bytes` is not kept.

No stampede: when many readers miss the same key at once (just after a change, when
64 connections ask for `/practices`), one request renders and the others wait for its
response and are answered from it. If that render fails, or its answer may not be
kept, each waiting request goes on to the application itself: none is left waiting.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prize import i18n
from prize.clock import Clock, system_clock
from prize.store.db import Database

# Exact paths, and prefixes that end with "/".
PUBLIC_PATHS = frozenset({"/", "/practices", "/editions", "/feed.atom", "/sitemap.xml"})
PUBLIC_PREFIXES = ("/practices/", "/editions/", "/api/v1/")
CACHEABLE_STATUSES = frozenset({200, 400, 404})
CACHEABLE_TYPES = (b"text/html", b"application/json", b"application/atom+xml",
                   b"application/xml")
# Kept for a 304: what RFC 9110 wants repeated, nothing about the body.
VALIDATOR_HEADERS = frozenset({b"etag", b"cache-control", b"vary", b"expires",
                               b"last-modified", b"content-location"})
MAX_QUERY_BYTES = 2048
MAX_LOCALE_MEMO = 256


def is_public_path(path: str) -> bool:
    if path in PUBLIC_PATHS:
        return True
    # A practice's photo is a file of its own (FileResponse), never a cached page.
    return (path.startswith(PUBLIC_PREFIXES) and "/images/" not in path
            and not path.endswith(("/photo", "/photo/card")))


def accept_kind(accept: bytes) -> int:
    """What the reader asked for, coarsely: 1 JSON, 2 HTML, 0 anything else."""
    if b"json" in accept:
        return 1
    if b"html" in accept:
        return 2
    return 0


def normalised_query(path: str, query: bytes) -> object:
    """The query as part of the key: as sent for pages, in a stable order for JSON."""
    if not query or not path.startswith("/api/"):
        return query
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    given = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return etag.removeprefix(b"W/") in given or b"*" in given


def has_cookie(cookie_header: bytes, name: bytes) -> bool:
    for part in cookie_header.split(b";"):
        key, _sep, value = part.partition(b"=")
        if key.strip() == name and value.strip():
            return True
    return False


@dataclass(slots=True)
class CachedResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None
    not_modified_headers: list[tuple[bytes, bytes]]
    size: int


class ResponseCache:
    """A bounded LRU of responses, emptied when its validity token changes."""

    def __init__(self, *, max_entries: int = 512, max_bytes: int = 8 * 1024 * 1024,
                 max_entry_bytes: int = 512 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.entries: OrderedDict[object, CachedResponse] = OrderedDict()
        self.total_bytes = 0
        self.token: object = None
        # `shared`: misses answered from another request's render instead of their own;
        # `waiting`: requests waiting for such a render now.
        self.hits = self.misses = self.stores = self.shared = self.waiting = 0

    def __len__(self) -> int:
        return len(self.entries)

    def validate(self, token: object) -> None:
        """Forget everything when the token (public version, minute) is not the one stored with."""
        if token != self.token:
            self.clear()
            self.token = token

    def clear(self) -> None:
        self.entries.clear()
        self.total_bytes = 0

    def get(self, key: object) -> CachedResponse | None:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, token: object, key: object, entry: CachedResponse) -> bool:
        """Keep `entry` if it was computed under the current token and fits."""
        if token != self.token or entry.size > self.max_entry_bytes:
            return False
        old = self.entries.pop(key, None)
        if old is not None:
            self.total_bytes -= old.size
        self.entries[key] = entry
        self.total_bytes += entry.size
        while self.entries and (len(self.entries) > self.max_entries
                                or self.total_bytes > self.max_bytes):
            _key, evicted = self.entries.popitem(last=False)
            self.total_bytes -= evicted.size
        self.stores += 1
        return True


def storable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if status not in CACHEABLE_STATUSES:
        return False
    content_type = b""
    for name, value in headers:
        name = name.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"private" in value or b"no-store" in value):
            return False
        if name == b"content-type":
            content_type = value
    return content_type.startswith(CACHEABLE_TYPES)


class PageCache:
    """The ASGI middleware: answers anonymous repeat reads of public pages from memory."""

    def __init__(self, app: ASGIApp, *, db: Database, clock: Clock = system_clock,
                 session_cookie: str = "prize_session", cache: ResponseCache | None = None,
                 ) -> None:
        self.app = app
        self.db = db
        self.clock = clock
        self.session_cookie = session_cookie.encode()
        self.cache = cache if cache is not None else ResponseCache()
        self._locales: dict[bytes, str] = {}
        self._registered = False
        # (token, key) → the response of the one render on its way for them, or None when
        # it gave nothing to share.
        self._rendering: dict[tuple[object, object], asyncio.Future[CachedResponse | None]] = {}

    def locale(self, accept_language: bytes) -> str:
        """The language CurrentUser would choose for a reader without a session."""
        locale = self._locales.get(accept_language)
        if locale is None:
            locale = i18n.negotiate(accept_language.decode("latin-1") or None)
            if len(self._locales) >= MAX_LOCALE_MEMO:
                self._locales.clear()
            self._locales[accept_language] = locale
        return locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._registered and "app" in scope:
            # Tests and operators can look at the figures (hits, misses, size).
            scope["app"].state.page_cache = self.cache
            self._registered = True
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not is_public_path(scope["path"])
            or len(scope["query_string"]) > MAX_QUERY_BYTES
        ):
            await self.app(scope, receive, send)
            return
        host = accept = accept_language = if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                if has_cookie(value, self.session_cookie):
                    # Someone with a session: their own, fresh page.
                    await self.app(scope, receive, send)
                    return
            # The first of repeated headers counts, as for Starlette's `headers.get`.
            elif name == b"host" and not host:
                host = value
            elif name == b"accept" and not accept:
                accept = value
            elif name == b"accept-language" and not accept_language:
                accept_language = value
            elif name == b"if-none-match" and not if_none_match:
                if_none_match = value
        path = scope["path"]
        key = (scope["scheme"], host, path, normalised_query(path, scope["query_string"]),
               self.locale(accept_language), accept_kind(accept))
        version = await self.db.public_version()
        now = self.clock()
        token = (version, now.year, now.month, now.day, now.hour, now.minute)
        cache = self.cache
        cache.validate(token)
        entry = cache.get(key)
        if entry is not None:
            await self.replay(scope, send, entry, if_none_match)
            return
        flight = (token, key)
        rendering = self._rendering.get(flight)
        if rendering is not None:
            cache.waiting += 1
            try:
                # Shielded: this reader hanging up must not cancel the others' answer.
                entry = await asyncio.shield(rendering)
            finally:
                cache.waiting -= 1
            if entry is not None:
                cache.shared += 1
                await self.replay(scope, send, entry, if_none_match)
                return
        if rendering is not None or scope["method"] != "GET" or if_none_match:
            # Nothing to share, not the whole response (HEAD), or maybe a bodiless 304:
            # pass it through.
            await self.app(scope, receive, send)
            return
        rendered: asyncio.Future[CachedResponse | None] = asyncio.get_running_loop().create_future()
        self._rendering[flight] = rendered
        try:
            await self.app(scope, receive, self.recorder(send, token, key, rendered))
        finally:
            # However the render ended (an error, a reader who hung up), nobody waits on.
            if self._rendering.get(flight) is rendered:
                del self._rendering[flight]
            if not rendered.done():
                rendered.set_result(None)

    async def replay(self, scope: Scope, send: Send, entry: CachedResponse,
                     if_none_match: bytes) -> None:
        if if_none_match and entry.etag is not None and entry.status == 200 and etag_matches(
            if_none_match, entry.etag
        ):
            await send({"type": "http.response.start", "status": 304,
                        "headers": list(entry.not_modified_headers)})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": entry.status,
                    "headers": list(entry.headers)})
        body = b"" if scope["method"] == "HEAD" else entry.body
        await send({"type": "http.response.body", "body": body})

    def recorder(self, send: Send, token: object, key: object,
                 rendered: asyncio.Future[CachedResponse | None]) -> Send:
        """Passes the response on unchanged, keeps a copy if it may be reused, and hands
        it to the requests waiting in `rendered` (None as soon as it may not be reused)."""
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] | None = None
        size = 0
        limit = self.cache.max_entry_bytes

        async def record(message: Message) -> None:
            nonlocal status, headers, chunks, size
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if storable(status, headers):
                    chunks = []
                else:
                    rendered.set_result(None)
            elif kind == "http.response.body" and chunks is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > limit:
                    chunks = None
                    rendered.set_result(None)
                else:
                    chunks.append(body)
                    if not message.get("more_body", False):
                        rendered.set_result(
                            self.keep(token, key, status, headers, b"".join(chunks)))
                        chunks = None
            await send(message)

        return record

    def keep(self, token: object, key: object, status: int,
             headers: list[tuple[bytes, bytes]], body: bytes) -> CachedResponse:
        """The response as kept; also the answer for those who waited on it, even when
        the cache refuses it (the token changed meanwhile: they asked under the old one)."""
        etag = None
        validators = []
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"etag":
                etag = value
            if lowered in VALIDATOR_HEADERS:
                validators.append((name, value))
        size = len(body) + sum(len(n) + len(v) for n, v in headers) + 200
        entry = CachedResponse(status, headers, body, etag, validators, size)
        self.cache.put(token, key, entry)
        return entry
