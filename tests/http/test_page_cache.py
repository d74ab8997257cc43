"""The response cache of public pages: reused for anonymous readers, fresh after any write."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest

from prize.store import practices as store
from prize.store.db import Database
from prize.web.page_cache import CachedResponse, ResponseCache, is_public_path
from tests import factories

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options", "permissions-policy")


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


@pytest.fixture
def queries(db, monkeypatch):
    """Counts the statements the app sends to SQLite from now on."""
    # No look at other processes' writes in the middle of a slow test run.
    monkeypatch.setattr(db, "data_version_interval", float("inf"))
    sent: list[str] = []
    for name in ("fetch_all", "fetch_one"):
        original = getattr(db, name)

        def counting(sql, params=(), _original=original):
            sent.append(sql)
            return _original(sql, params)

        monkeypatch.setattr(db, name, counting)
    return sent


async def page_cache(app, client, replacement: ResponseCache | None = None) -> ResponseCache:
    """The app's response cache (the middleware stack is built by the first request)."""
    await client.get("/healthz")
    if replacement is not None:
        middleware = app.middleware_stack
        while not hasattr(middleware, "cache"):
            middleware = middleware.app
        middleware.cache = app.state.page_cache = replacement
    return app.state.page_cache


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def practice_id(db, title: str) -> int:
    return await db.fetch_value("SELECT id FROM practices WHERE title = ?", (title,))


async def set_status(db, title: str, status: str) -> None:
    pid = await practice_id(db, title)
    async with db.transaction() as conn:
        await store.set_status(conn, pid, status, now=datetime(2026, 3, 1, tzinfo=UTC))


async def test_a_repeat_read_is_served_without_the_database(app, client, db, catalogue, queries):
    first = await client.get("/practices")
    assert first.status_code == 200 and "TripApp" in first.text
    before = len(queries)
    again = await client.get("/practices")
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["vary"] == "Cookie, Accept-Language"
    assert len(queries) == before  # not even the catalogue version
    assert app.state.page_cache.hits >= 1
    for api in ("/api/v1/practices", "/feed.atom", "/sitemap.xml", "/editions/2021", "/"):
        await client.get(api)
        counted = len(queries)
        assert (await client.get(api)).status_code == 200
        assert len(queries) == counted, api
    assert "set-cookie" not in again.headers


async def test_security_headers_and_304_on_a_cache_hit(client, catalogue, queries):
    first = await client.get("/practices")
    hit = await client.get("/practices")
    for header in SECURITY_HEADERS:
        assert header in hit.headers, header
    before = len(queries)
    fresh = await client.get("/practices", headers={"If-None-Match": first.headers["etag"]})
    assert fresh.status_code == 304 and fresh.content == b""
    assert fresh.headers["etag"] == first.headers["etag"]
    assert fresh.headers["cache-control"] == "public, max-age=60"
    assert fresh.headers["vary"] == "Cookie, Accept-Language"
    for header in SECURITY_HEADERS:
        assert header in fresh.headers, header
    other = await client.get("/practices", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content
    assert len(queries) == before
    head = await client.head("/practices")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(first.content))


async def test_publishing_and_unpublishing_invalidate(client, db, catalogue):
    listing = await client.get("/practices", params={"q": "TripApp"})
    assert "TripApp" in titles(listing.text)
    api = (await client.get("/api/v1/practices", params={"q": "TripApp"})).json()
    assert api["total"] >= 1

    await set_status(db, "TripApp", "unpublished")
    assert "TripApp" not in titles((await client.get("/practices", params={"q": "TripApp"})).text)
    assert (await client.get("/api/v1/practices", params={"q": "TripApp"})).json()["total"] == 0

    await set_status(db, "TripApp", "published")
    assert "TripApp" in titles((await client.get("/practices", params={"q": "TripApp"})).text)


async def test_a_new_edition_invalidates_the_home_page(client, db, catalogue):
    home = await client.get("/")
    assert "Call for entries" not in home.text
    await factories.edition(db, year=2026, status="open")
    assert "Call for entries" in (await client.get("/")).text


async def test_the_call_leaves_the_home_page_at_its_deadline(client, db, clock, catalogue):
    await factories.edition(db, year=2026, status="open",
                            closes_at=datetime(2026, 3, 2, 9, 45, tzinfo=UTC))
    assert "Call for entries" in (await client.get("/")).text
    assert "Call for entries" in (await client.get("/")).text
    clock.advance(minutes=20)
    assert "Call for entries" not in (await client.get("/")).text


async def test_a_write_by_another_process_shows_within_the_interval(client, db, settings,
                                                                    catalogue):
    tick = FakeMonotonic()
    db.monotonic = tick
    db.data_version_interval = 0.5
    assert "TripApp" in titles((await client.get("/practices")).text)
    tick.now += 1  # the first look at data_version, then cached
    assert "TripApp" in titles((await client.get("/practices")).text)

    async with Database(settings.db_path) as other:
        await set_status(other, "TripApp", "unpublished")
    # Within the interval the cached page may still be served ...
    tick.now += 0.1
    await client.get("/practices")
    # ... but not after it.
    tick.now += 0.5
    assert "TripApp" not in titles((await client.get("/practices")).text)


async def test_signed_in_people_always_get_their_own_page(client, other_client, db, catalogue):
    anonymous = await other_client.get("/practices")
    assert "Log in" in anonymous.text
    assert "Log in" in (await other_client.get("/practices")).text
    await factories.user(db, email="applicant@example.org", role="applicant")
    # Logging in is a write: to show that the cache does not serve the signed-in page,
    # fill it again after logging in.
    await client.log_in("applicant@example.org")
    assert "Log in" in (await other_client.get("/practices")).text
    mine = await client.get("/practices")
    assert "Log out" in mine.text and "My entries" in mine.text and "Log in" not in mine.text
    assert mine.headers["cache-control"] == "private, no-cache"
    # And the anonymous copy is unchanged by the signed-in visit.
    again = await other_client.get("/practices")
    assert "Log in" in again.text and "Log out" not in again.text


async def test_languages_are_kept_apart(client, catalogue):
    english = await client.get("/practices", headers={"Accept-Language": "en"})
    french = await client.get("/practices", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert english.text.startswith("<!doctype html>\n<html lang=\"en\"")
    assert french.text.startswith("<!doctype html>\n<html lang=\"fr\"")
    again = await client.get("/practices", headers={"Accept-Language": "en-GB"})
    assert again.content == english.content


async def test_bad_parameters_are_not_served_for_good_ones(app, client, catalogue):
    bad = await client.get("/practices?page=0")
    assert bad.status_code == 400
    assert (await client.get("/practices?page=0")).status_code == 400
    good = await client.get("/practices?page=1")
    assert good.status_code == 200 and titles(good.text)
    assert (await client.get("/api/v1/practices?per_page=1000")).status_code == 400
    assert (await client.get("/api/v1/practices?per_page=1000")).json()["error"]
    assert (await client.get("/api/v1/practices?per_page=10")).status_code == 200
    assert (await client.get("/api/v1/practices?q=%22unbalanced")).status_code in (200, 400)


async def test_a_page_never_shows_another_spelling_of_its_query(client, catalogue):
    # Pages write their raw query back (the language switch's next=): each spelling of a
    # query is its own entry, so nobody's parameters appear on someone else's page.
    first = await client.get("/practices?country=IE&utm=%3Cplanted%3E")
    assert "planted" in first.text
    second = await client.get("/practices?utm=other&country=IE")
    assert "planted" not in second.text and "utm%3Dother" in second.text
    assert titles(first.text) == titles(second.text)


async def test_json_queries_are_normalised(app, client, catalogue):
    cache = await page_cache(app, client)
    one = await client.get("/api/v1/practices?country=IE&sort=title")
    stored = cache.stores
    two = await client.get("/api/v1/practices?sort=title&country=IE")
    assert cache.stores == stored and two.json() == one.json()
    three = await client.get("/api/v1/practices?sort=title&country=IS")
    assert three.json() != one.json()


async def test_private_paths_are_never_cached(app, client, db):
    for path in ("/my", "/jury", "/admin", "/login", "/signup", "/files/1", "/healthz",
                 "/practices/slug/images/3", "/language", "/static/site.css"):
        assert not is_public_path(path), path
    for path in ("/", "/practices", "/practices/tripapp", "/editions/2021", "/api/v1/editions",
                 "/feed.atom", "/sitemap.xml"):
        assert is_public_path(path), path
    cache = await page_cache(app, client)
    await client.get("/login")
    await client.get("/login")
    assert len(cache) == 0


async def test_the_cache_is_bounded():
    def entry(size: int) -> CachedResponse:
        return CachedResponse(200, [], b"x" * size, None, [], size)

    cache = ResponseCache(max_entries=3, max_bytes=1000, max_entry_bytes=600)
    cache.validate("t")
    for n in range(5):
        cache.put("t", n, entry(10))
    assert len(cache) == 3 and cache.get(0) is None and cache.get(4) is not None
    assert cache.get(2) is not None  # now the most recently used
    cache.put("t", "big", entry(500))
    cache.put("t", "bigger", entry(500))  # 1000 bytes at most: the oldest ones go
    assert cache.total_bytes <= 1000 and cache.get(2) is None
    assert not cache.put("t", "huge", entry(601))
    assert not cache.put("old token", "late", entry(10))  # computed before a write
    cache.validate("new token")
    assert len(cache) == 0 and cache.total_bytes == 0


async def test_many_urls_stay_within_the_bound(app, client, catalogue):
    cache = await page_cache(app, client, ResponseCache(max_entries=4))
    for n in range(10):
        assert (await client.get(f"/api/v1/practices?page={n + 1}")).status_code == 200
    assert len(cache) == 4


async def test_other_cookies_do_not_prevent_caching(app, catalogue):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as visitor:
        visitor.cookies.set("consent", "yes")
        await visitor.get("/practices")
        hits = app.state.page_cache.hits
        await visitor.get("/practices")
        assert app.state.page_cache.hits == hits + 1
        visitor.cookies.set("prize_session", "anything")
        await visitor.get("/practices")
        assert app.state.page_cache.hits == hits + 1
