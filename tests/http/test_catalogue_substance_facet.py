"""The catalogue's "Substances and behaviours" filter lists the values published practices
use, the platform's words and those an edition added, with counts that follow the search
and the other filters; a value nobody knows is a 400 page for people, a 400 JSON for
programs."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.domain.editions import vocabulary_items
from prize.domain.practices import PublicText
from prize.store import practices
from tests import factories

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
WORDS = vocabulary_items("Gambling\nGaming\nSocial media\nScreens",
                         "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans")
NOW = datetime(2026, 1, 5, tzinfo=UTC)


async def practice(db, edition, title, substances, *, country="IE", status="published",
                   settings=("school",)):
    async with db.transaction() as conn:
        return await practices.create(
            conn, edition_id=edition.id, year=edition.year, award="winner",
            text=PublicText(title=title, organisation="Youth Voices", summary=f"{title}.",
                            settings=list(settings)),
            country=country, countries=[], substances=substances, now=NOW, status=status)


@pytest.fixture
async def catalogue(db):
    edition = await factories.edition(db, year=2025, status="published", substances_extra=WORDS)
    older = await factories.edition(db, year=2024, status="published")
    await practice(db, edition, "Bet Smart", ["gambling", "alcohol"], country="MT")
    await practice(db, edition, "Pixel Pause", ["gaming", "screens"], settings=("online",))
    await practice(db, edition, "Feed Detox", ["social_media", "screens"], country="FR",
                   settings=("online",))
    await practice(db, older, "Peer Talk Cork", ["alcohol", "cannabis"])
    await practice(db, edition, "Draft Screens", ["screens", "tobacco"], status="draft")


def options(html: str, name: str = "substance") -> dict[str, str]:
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    return {value: text for value, text in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
            if value}


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def test_the_filter_lists_the_values_published_practices_use(client, catalogue):
    page = await client.get("/practices")
    assert page.status_code == 200
    assert '<label for="f-substance">Substances and behaviours</label>' in page.text
    assert options(page.text) == {
        "alcohol": "Alcohol (2)", "cannabis": "Cannabis (1)", "gambling": "Gambling (1)",
        "gaming": "Gaming (1)", "screens": "Screens (2)", "social_media": "Social media (1)",
    }
    # By name; a word nobody published (tobacco: only in a draft) is not offered.
    assert list(options(page.text)) == ["alcohol", "cannabis", "gambling", "gaming",
                                        "screens", "social_media"]


async def test_choosing_a_value_finds_its_practices(client, catalogue):
    page = await client.get("/practices", params={"substance": "screens"})
    assert page.status_code == 200
    assert sorted(titles(page.text)) == ["Feed Detox", "Pixel Pause"]
    assert re.search(r'<option value="screens" selected>Screens \(2\)</option>', page.text)
    assert "Filters (1 active)" in page.text


async def test_counts_follow_the_search_and_the_other_filters(client, catalogue):
    searched = await client.get("/practices", params={"q": "detox"})
    assert options(searched.text) == {"screens": "Screens (1)", "social_media": "Social media (1)"}
    online = await client.get("/practices", params={"setting": "online"})
    assert options(online.text) == {"gaming": "Gaming (1)", "screens": "Screens (2)",
                                    "social_media": "Social media (1)"}
    # Its own choice does not narrow its own list: the visitor can switch to another value.
    chosen = await client.get("/practices", params={"substance": "gambling"})
    assert "alcohol" in options(chosen.text) and "screens" in options(chosen.text)
    # And the other facets follow it.
    assert options(chosen.text, "country") == {"MT": "Malta (1)"}


async def test_the_filter_speaks_french(client, catalogue):
    await client.get("/language", params={"locale": "fr", "next": "/practices"})
    page = await client.get("/practices")
    assert '<html lang="fr">' in page.text
    shown = options(page.text)
    assert shown["gambling"] == "Jeux d’argent (1)" and shown["screens"] == "Écrans (2)"
    assert shown["social_media"] == "Réseaux sociaux (1)"


@pytest.mark.parametrize("value", ["crypto", "Alcohol", "<script>", "a" * 60])
async def test_a_value_nobody_knows_is_a_400_page_that_says_so(client, catalogue, value):
    page = await client.get("/practices", params={"substance": value, "q": "screens",
                                                  "setting": "online"})
    assert page.status_code == 400
    assert "We do not know that substance or behaviour: choose one from the list." in page.text
    assert 'value="screens"' in page.text  # the search typed is kept
    assert re.search(r'<option value="online" selected>', page.text)  # and the right filter
    assert "<script>" not in page.text.split("</head>", 1)[1].replace(
        '<script src="/static/', "")


async def test_the_api_filters_by_substance_and_refuses_an_unknown_one(client, catalogue):
    found = await client.get("/api/v1/practices", params={"substance": "gaming"})
    assert found.status_code == 200
    body = found.json()
    assert body["total"] == 1 and body["items"][0]["title"] == "Pixel Pause"
    assert body["items"][0]["substances"] == ["gaming", "screens"]
    refused = await client.get("/api/v1/practices", params={"substance": "crypto"})
    assert refused.status_code == 400
    assert "substance" in refused.json()["error"]


async def test_a_practice_published_later_changes_the_counts(client, db, catalogue):
    before = await client.get("/practices")
    assert options(before.text)["gambling"] == "Gambling (1)"
    edition = await factories.edition(db, year=2027, status="published", substances_extra=WORDS)
    await practice(db, edition, "Odds Off", ["gambling"])
    await db.public_version()  # the app notices the commit
    after = await client.get("/practices")
    assert options(after.text)["gambling"] == "Gambling (2)"


async def test_a_practice_page_names_an_editions_words_and_links_to_the_filter(
        client, db, catalogue):
    slug = await db.fetch_value("SELECT slug FROM practices WHERE title = 'Bet Smart'")
    page = await client.get(f"/practices/{slug}")
    assert page.status_code == 200
    assert '<a href="/practices?substance=gambling">Gambling</a>' in page.text
    assert '<a href="/practices?substance=alcohol">Alcohol</a>' in page.text
    await client.get("/language", params={"locale": "fr", "next": "/practices"})
    french = await client.get(f"/practices/{slug}")
    assert '<a href="/practices?substance=gambling">Jeux d’argent</a>' in french.text


async def test_the_secretariat_sees_the_words_by_name_on_a_published_practice(
        admin_client, db, catalogue):
    practice_id = await db.fetch_value("SELECT id FROM practices WHERE title = 'Pixel Pause'")
    page = await admin_client.get(f"/admin/practices/{practice_id}")
    assert page.status_code == 200, page.text
    assert ">Gaming</a>, <a href=\"/practices?substance=screens\">Screens</a>" in page.text
