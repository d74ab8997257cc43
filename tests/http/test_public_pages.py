"""The public catalogue's pages: home, list with facets and search, practice, edition."""

from __future__ import annotations

import re

import pytest

from tests import factories


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def test_home_shows_the_call_and_featured_winners(client, db, catalogue):
    await factories.edition(db, year=2026, status="open")
    page = await client.get("/")
    assert page.status_code == 200
    assert "Call for entries" in page.text and "Recent winners" in page.text
    assert page.text.count("<h1") == 1


async def test_practices_list_searches_and_filters(client, catalogue):
    page = await client.get("/practices")
    assert page.status_code == 200 and len(titles(page.text)) >= 12
    assert page.text.count("<h1") == 1 and 'class="skip-link"' in page.text
    found = await client.get("/practices", params={"q": "app drug checking"})
    assert titles(found.text)[0] == "TripApp"
    combined = await client.get("/practices", params={"setting": "school", "level": "universal",
                                                      "year": "2024", "award": "winner"})
    assert titles(combined.text) == ["Peer Talk Cork: students lead drug education",
                                     "Scroll Smart: an online prevention campaign made by students"
                                     ] or len(titles(combined.text)) == 2
    by_group = await client.get("/practices", params={"target_group": "parents"})
    assert set(titles(by_group.text)) == {
        "Family Table: young people coach parents about screens and alcohol",
        "Evenings Out: a youth council rethinks leisure in Reykjavík"}


async def test_sort_by_title_and_pagination(client, catalogue):
    page = await client.get("/practices", params={"sort": "title", "per_page": "5"})
    names = titles(page.text)
    assert names == sorted(names, key=str.lower) and len(names) == 5
    assert 'rel="next"' in page.text


async def test_bad_filter_is_a_friendly_400(client, catalogue):
    page = await client.get("/practices", params={"page": "0"})
    assert page.status_code == 400 and "page" in page.text


async def test_practice_page_has_open_graph_tags(client, catalogue):
    listing = await client.get("/practices", params={"q": "Snowball"})
    slug = re.search(r'href="/practices/([a-z0-9-]+)"', listing.text.split("<main")[1]).group(1)
    page = await client.get(f"/practices/{slug}")
    assert page.status_code == 200
    assert '<meta property="og:title" content="Operation Snowball">' in page.text
    assert f'content="http://testserver/practices/{slug}"' in page.text


async def test_unknown_practice_and_edition_are_friendly_404s(client, catalogue):
    for path in ("/practices/nothing-here", "/editions/1999"):
        page = await client.get(path)
        assert page.status_code == 404 and "<h1>" in page.text and 'href="/"' in page.text


async def test_edition_page_shows_criteria_jury_size_and_winners(client, catalogue):
    page = await client.get("/editions/2021")
    assert page.status_code == 200
    assert "Youth participation" in page.text and "TripApp" in page.text
    assert "Winners" in page.text


async def test_feed_and_sitemap(client, catalogue):
    feed = await client.get("/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith(
        "application/atom+xml")
    assert feed.text.count("<entry>") >= 12
    sitemap = await client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and "/practices/" in sitemap.text


async def test_pages_answer_304_while_the_catalogue_is_unchanged(client, catalogue):
    first = await client.get("/practices")
    assert first.headers["cache-control"] == "public, max-age=60" and "etag" in first.headers
    again = await client.get("/practices", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


async def test_public_pages_stay_small(client, catalogue):
    css = len((await client.get("/static/site.css")).content)
    for path in ("/", "/practices", "/editions/2024", "/practices?per_page=100"):
        assert len((await client.get(path)).content) + css < 60 * 1024, path
