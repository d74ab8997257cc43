"""The public catalogue's facets, cards and messages agree with its results (issue 13)."""

from __future__ import annotations

import re

import pytest

from tests import factories


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


def options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, text) of the options of one <select> (the "All" option left out)."""
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    return [(value, text) for value, text in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
            if value]


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def test_country_facet_counts_follow_the_search(client, catalogue):
    # Given the catalogue, when a visitor searches "cannabis"
    page = await client.get("/practices", params={"q": "cannabis"})
    found = len(titles(page.text))
    countries = options(page.text, "country")
    # Then the Country filter offers only countries with results, with their counts
    assert found and sum(int(text.rsplit("(", 1)[1].rstrip(")")) for _, text in countries) \
        >= found
    for value, text in countries:
        filtered = await client.get("/practices", params={"q": "cannabis", "country": value})
        assert len(titles(filtered.text)) == int(text.rsplit("(", 1)[1].rstrip(")")), value
    assert "PT" not in dict(countries) and "NO" not in dict(countries)


async def test_a_chosen_filter_narrows_the_other_facets_not_its_own(client, catalogue):
    page = await client.get("/practices", params={"country": "ES"})
    # Both practices in Spain (one is in Portugal too), and still every country to switch to
    assert len(titles(page.text)) == 2
    assert len(options(page.text, "country")) >= 8
    years = dict(options(page.text, "year"))
    assert years == {"2024": "2024 (2)"}


async def test_a_practice_in_several_countries_shows_them_all_on_its_card(client, catalogue):
    page = await client.get("/practices", params={"country": "ES"})
    card = page.text[page.text.index("Safer Nights Lisbon"):]
    assert "Portugal, Spain" in card[:card.index("</li>")]


async def test_countries_are_ordered_by_their_name_in_french(client, catalogue):
    await client.get("/language", params={"locale": "fr", "next": "/practices"})
    page = await client.get("/practices")
    names = [text.rsplit(" (", 1)[0] for _, text in options(page.text, "country")]
    # Allemagne (DE) before Autriche (AT), Espagne (ES) before Grèce (GR) and Irlande (IE):
    # by name, not by code; Islande (IS) before Italie…; Croatie with C.
    assert names.index("Allemagne") < names.index("Autriche") < names.index("Belgique")
    assert names.index("Croatie") < names.index("Espagne") < names.index("Grèce")
    assert names == sorted(names, key=lambda n: n.replace("è", "e").replace("É", "E"))
    by_country = await client.get("/practices", params={"sort": "country"})
    countries = re.findall(r'<p class="meta">[^·]+· ([^·]+) ·', by_country.text)
    firsts = [c.split(",")[0].strip() for c in countries]
    assert firsts[0] == "Allemagne" and firsts[-1] == "Slovénie"


async def test_nothing_found_says_so_once(client, catalogue):
    page = await client.get("/practices", params={"q": "l'alcool zzqq"})
    assert "Nothing matches" not in page.text
    assert page.text.count('role="status"') == 1
    nothing = await client.get("/practices", params={"q": "zzqqxx"})
    assert nothing.text.count('role="status"') == 1
    assert "No good practice matches “zzqqxx”." in nothing.text
    assert "0 good practices" not in nothing.text


async def test_some_words_found_says_so_in_one_sentence(client, catalogue):
    page = await client.get("/practices", params={"q": "cannabis zzqqxx"})
    assert "No good practice has every word you searched for;" in page.text
    assert page.text.count('role="status"') == 1 and titles(page.text)


async def test_a_page_past_the_end_says_so_and_links_to_the_last_page(client, catalogue):
    page = await client.get("/practices", params={"page": "5", "per_page": "5"})
    assert page.status_code == 200
    assert "There is no page 5: the 14 good practices fill 3 pages." in page.text
    assert 'href="/practices?page=3&amp;per_page=5"' in page.text
    assert "Nothing matches" not in page.text and not titles(page.text)


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "x" * 201}, "Your search is too long: use at most 200 characters."),
    ({"page": "0"}, "That page number does not exist: pages are numbered from 1."),
    ({"country": "XX"}, "We do not know that country: choose one from the list."),
    ({"setting": "moon"}, "One of the filters has a value we do not know"),
])
async def test_a_bad_query_gets_a_page_written_for_people(client, catalogue, params, message):
    page = await client.get("/practices", params=params)
    assert page.status_code == 400
    assert message in page.text
    assert "String should have" not in page.text and "q:" not in page.text
    assert page.text.count("<h1") == 1
    if "q" in params:
        # What was typed is kept in the search box.
        assert f'value="{params["q"]}"' in page.text


async def test_the_api_keeps_its_error_for_programs(client, catalogue):
    answer = await client.get("/api/v1/practices", params={"q": "x" * 201})
    assert answer.status_code == 400 and answer.json()["error"].startswith("q:")


async def test_the_filters_are_one_disclosure_that_counts_the_active_ones(client, catalogue):
    page = await client.get("/practices", params={"country": "ES", "year": "2024"})
    assert re.search(r"<details[^>]*>\s*<summary>Filters \(2 active\)</summary>", page.text)
    plain = await client.get("/practices")
    assert "<summary>Filters</summary>" in plain.text


async def test_map_links_each_country_with_practices_to_its_filter(client, catalogue):
    for path in ("/", "/practices"):
        page = await client.get(path)
        assert '<svg class="map"' in page.text, path
        assert 'href="/practices?country=PT" tabindex="-1"' in page.text
        # The same links as text for screen readers (and everyone).
        assert '<li><a href="/practices?country=PT">Portugal</a> (1)</li>' in page.text
        assert 'href="/practices?country=IT"' not in page.text


async def test_favicon_and_site_mark(client, catalogue):
    page = await client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    assert 'class="brand-mark"' in page.text
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert (await client.get("/static/favicon.svg")).status_code == 200


async def test_a_bad_value_keeps_the_other_filters_chosen(client, catalogue):
    page = await client.get("/practices", params={"country": "ES", "page": "-3",
                                                   "setting": "moon"})
    assert page.status_code == 400
    assert '<option value="ES" selected>' in page.text
    assert "Filters (1 active)" in page.text
