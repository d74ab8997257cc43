"""The caches of public pages: reused for anonymous readers until what they show changes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest

from prize.store import audit
from prize.store import practices as store
from prize.store.commit_stamp import IN_REQUEST
from prize.store.db import Database
from prize.web import public
from prize.web.page_cache import CachedResponse, ResponseCache, is_public_path
from prize.web.public import VersionedCache
from tests import factories

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options", "permissions-policy")


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


@pytest.fixture
def queries(db, monkeypatch):
    """Counts the statements the app sends to SQLite from now on."""
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


async def test_a_write_by_another_process_shows_at_the_next_request(client, db, settings,
                                                                     catalogue, queries):
    # Given /practices in the cache, and nothing read while nothing is written
    assert "TripApp" in titles((await client.get("/practices")).text)
    assert "TripApp" in titles((await client.get("/practices")).text)
    read = len(queries)
    assert "TripApp" in titles((await client.get("/practices")).text)
    assert len(queries) == read
    # When another process (another worker, a CLI command) unpublishes a practice
    async with Database(settings.database) as other:
        await set_status(other, "TripApp", "unpublished")
    # Then the very next request shows it, with no waiting
    assert "TripApp" not in titles((await client.get("/practices")).text)


# What invalidates, and what does not ----------------------------------------------------


async def stays_cached(app, client, path: str) -> bool:
    """The next anonymous read of `path` is a cache hit (filled beforehand)."""
    hits = app.state.page_cache.hits
    await client.get(path)
    return app.state.page_cache.hits == hits + 1


@pytest.fixture
async def judging(db):
    """A judging edition with one entry assigned to juror@example.org, released."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    juror = await factories.user(db, role="juror", email="juror@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET assignment_released_at = '2026-03-01T00:00:00Z'"
                           " WHERE id = ?", (edition.id,))
    return entry


PUBLIC_PAGES = ("/practices", "/", "/api/v1/practices", "/editions/2021", "/feed.atom",
                "/sitemap.xml")


async def test_a_juror_signing_in_and_autosaving_keeps_the_public_pages_cached(
        app, client, other_client, catalogue, judging):
    # Given public pages in the cache
    for path in PUBLIC_PAGES:
        await other_client.get(path)
    # When a juror signs in (a session, a login attempt, last seen) ...
    await client.log_in("juror@example.org")
    for path in PUBLIC_PAGES:
        assert await stays_cached(app, other_client, path), path
    # ... and autosaves their score sheet, twice, then saves it with the button
    sheet = f"/jury/entries/{judging.id}/sheet"
    token = await client.csrf_token(sheet)
    for version in (0, 1):
        saved = await client.post(sheet, headers={"Accept": "application/json"}, data={
            "csrf_token": token, "version": str(version), "overall_comment": "So far"})
        assert saved.status_code == 200 and saved.json()["version"] == version + 1
    button = await client.post(sheet, data={"csrf_token": token, "version": "2",
                                            "action": "save", "overall_comment": "Done"})
    assert button.status_code == 303
    # Then every public page is still answered from the cache
    for path in PUBLIC_PAGES:
        assert await stays_cached(app, other_client, path), path


async def test_writes_public_pages_do_not_show_keep_them_cached(app, client, db, catalogue):
    for path in PUBLIC_PAGES:
        await client.get(path)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    async with db.transaction() as conn:
        await audit.record(conn, now=now, actor_id=None, action="test.nothing_public",
                           subject_type="edition", subject_id=None)
        await conn.execute("UPDATE editions SET spread_threshold = 30 WHERE year = 2021")
        await conn.execute(
            "INSERT INTO practices (edition_id, slug, status, award, title, organisation,"
            " country, year, created_at, updated_at) SELECT id, 'not-yet', 'draft', 'winner',"
            " 'Not yet public', 'Someone', 'IE', 2021, ?, ? FROM editions WHERE year = 2021",
            ("2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z"))
        await conn.execute("UPDATE practices SET applicant_note = 'Thanks' WHERE slug = 'not-yet'")
    await factories.edition(db, year=2027, status="draft")
    await factories.user(db, role="applicant", email="new@example.org")
    for path in PUBLIC_PAGES:
        assert await stays_cached(app, client, path), path


async def test_an_edition_title_criterion_or_jury_change_shows_at_once(app, client, db,
                                                                       catalogue):
    # Given the edition's page and the API's editions in the cache
    assert "Renamed" not in (await client.get("/editions/2021")).text
    await client.get("/api/v1/editions")
    # When its public title changes, then the page and the API show it
    async with db.transaction() as conn:
        await conn.execute("UPDATE editions SET title = 'Renamed prize' WHERE year = 2021")
    assert "Renamed prize" in (await client.get("/editions/2021")).text
    assert "Renamed prize" in (await client.get("/api/v1/editions")).text
    # When a criterion's weight changes, then the edition's page shows it
    async with db.transaction() as conn:
        await conn.execute("UPDATE criteria SET weight = 7.25 WHERE edition_id ="
                           " (SELECT id FROM editions WHERE year = 2021)")
    assert "7.25" in (await client.get("/editions/2021")).text
    # When a juror of that edition becomes active, then the jury's size changes
    before = (await client.get("/editions/2021")).text
    juror = await factories.user(db, role="juror", email="young@example.org")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO edition_jurors (edition_id, user_id, status, invited_at) SELECT id, ?,"
            " 'active', '2026-03-01T00:00:00Z' FROM editions WHERE year = 2021", (juror.id,))
    assert (await client.get("/editions/2021")).text != before


# No stampede ------------------------------------------------------------------------------


async def until(condition: Callable[[], bool]) -> None:
    """Wait (a bound, not a timing the test depends on) until `condition` holds."""
    async with asyncio.timeout(10):
        # The app's counters have no event to wait on: look again after the others ran.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.001)


@pytest.fixture
def slow_facets(monkeypatch):
    """The facet counts of /practices wait for `gate`; `failures` first calls then raise."""

    class Slow:
        gate = asyncio.Event()
        failures = 0

    original = store.facet_counts

    async def facet_counts(db, *args, **kwargs):
        await Slow.gate.wait()
        if Slow.failures:
            Slow.failures -= 1
            raise RuntimeError("the render failed")
        return await original(db, *args, **kwargs)

    monkeypatch.setattr(store, "facet_counts", facet_counts)
    return Slow


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates the public pages render from now on."""
    rendered: list[str] = []
    original = public.render

    def counting(request, template, *args, **kwargs):
        rendered.append(template)
        return original(request, template, *args, **kwargs)

    monkeypatch.setattr(public, "render", counting)
    return rendered


async def test_concurrent_misses_of_one_page_render_it_once(app, client, db, catalogue,
                                                            slow_facets, renders):
    # Given an empty cache (a write just happened) and a render that takes a while
    cache = await page_cache(app, client)
    # When five readers ask for /practices at the same time
    readers = [asyncio.create_task(client.get("/practices")) for _ in range(5)]
    await until(lambda: cache.waiting == 4)
    slow_facets.gate.set()
    answers = await asyncio.gather(*readers)
    # Then one rendered it and the four others got the same page
    assert renders == ["public/practices.html"]
    assert cache.shared == 4 and cache.waiting == 0
    assert all(answer.status_code == 200 for answer in answers)
    assert len({answer.content for answer in answers}) == 1


async def test_a_failed_render_leaves_no_reader_waiting(app, client, db, catalogue,
                                                        slow_facets, renders):
    cache = await page_cache(app, client)
    slow_facets.failures = 1
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as readers:
        first = asyncio.create_task(readers.get("/practices"))
        await until(lambda: cache.misses >= 1)  # the first one renders
        others = [asyncio.create_task(readers.get("/practices")) for _ in range(3)]
        await until(lambda: cache.waiting == 3)
        slow_facets.gate.set()
        async with asyncio.timeout(10):
            answers = await asyncio.gather(first, *others)
    assert answers[0].status_code == 500
    assert [answer.status_code for answer in answers[1:]] == [200, 200, 200]
    assert cache.waiting == 0


async def test_concurrent_misses_of_one_query_compute_it_once():
    cache = VersionedCache()
    gate = asyncio.Event()
    calls = []

    async def compute() -> str:
        calls.append(len(calls))
        await gate.wait()
        return "facets"

    asking = [asyncio.create_task(cache.get_or_compute(1, "facets", compute)) for _ in range(5)]
    await asyncio.sleep(0)  # each is now computing or waiting for the one computing
    gate.set()
    assert await asyncio.gather(*asking) == ["facets"] * 5
    assert calls == [0]
    assert await cache.get_or_compute(1, "facets", compute) == "facets" and calls == [0]


async def test_a_failed_query_lets_each_waiting_request_compute_on_its_own():
    cache = VersionedCache()
    gate = asyncio.Event()
    calls = []
    failures = [RuntimeError("the query failed")]

    async def compute() -> str:
        calls.append(len(calls))
        await gate.wait()
        if failures:
            raise failures.pop()
        return "facets"

    asking = [asyncio.create_task(cache.get_or_compute(1, "facets", compute)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    async with asyncio.timeout(10):
        answers = await asyncio.gather(*asking, return_exceptions=True)
    assert isinstance(answers[0], RuntimeError)
    assert answers[1:] == ["facets", "facets"]
    assert calls == [0, 1, 2]


async def test_concurrent_callers_share_one_read_of_the_public_version(db, monkeypatch):
    if db.engine == "postgresql":
        pytest.skip("PostgreSQL reads it with each request's look: the test below")
    reads = []
    original = db.read

    # The version is read in one trip (Database.read), like the other reads a request
    # needs at once.
    async def counting(work):
        reads.append(work)
        return await original(work)

    monkeypatch.setattr(db, "read", counting)
    # The app read the version at start-up (its configuration); a commit makes it stale.
    await factories.user(db, role="applicant")
    before = await db.public_version()
    assert len(reads) == 1
    # A commit of this process: read again at once, by one read for all who ask
    await factories.edition(db, year=2026, status="open")
    versions = await asyncio.gather(*(db.public_version() for _ in range(5)))
    assert len(reads) == 2 and len(set(versions)) == 1 and versions[0] > before
    # A commit of nothing public: read again, same version; then nothing is read
    await factories.user(db, role="juror")
    assert await db.public_version() == versions[0] and len(reads) == 3
    assert await db.public_version() == versions[0] and len(reads) == 3


async def test_on_postgresql_a_request_reads_the_public_version_with_its_one_look(
        db, settings, catalogue, monkeypatch):
    if db.engine != "postgresql":
        pytest.skip("SQLite asks data_version instead: the test above")
    sent: list[str] = []
    for name in ("fetchrow", "fetchval", "fetch"):
        original = getattr(asyncpg.Pool, name)

        # The pool's methods are read-only on the instance: counted on the class, for it.
        async def counting(pool, sql, *args, _original=original, **kwargs):
            if pool is db.pool:
                sent.append(sql)
            return await _original(pool, sql, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Pool, name, counting)
    token = IN_REQUEST.set(True)
    try:
        # A request: its look (what LookForCommits does) brings the version; no other read
        await db.commit_stamp.look()
        before = [await db.public_version() for _ in range(3)]
        assert len(sent) == 1 and len(set(before)) == 1
        # A commit of this process: read again at once, by one read for all who ask
        await factories.edition(db, year=2026, status="open")
        sent.clear()
        versions = await asyncio.gather(*(db.public_version() for _ in range(5)))
        assert len(sent) == 1 and len(set(versions)) == 1 and versions[0] > before[0]
        # Another process commits something public: the next request's look shows it
        async with Database(settings.database) as other:
            await set_status(other, "TripApp", "unpublished")
        assert await db.public_version() == versions[0]  # this request looked before
        sent.clear()
        await db.commit_stamp.look()
        assert await db.public_version() > versions[0] and len(sent) == 1
    finally:
        IN_REQUEST.reset(token)


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
                 "/practices/slug/images/3", "/practices/slug/photo",
                 "/practices/slug/photo/card", "/language", "/static/site.css"):
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
