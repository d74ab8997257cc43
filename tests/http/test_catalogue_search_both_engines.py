"""The catalogue's text search behaves the same on SQLite (FTS5) and on PostgreSQL
(tsvector): run on whichever engine PRIZE_TEST_DB names (issue 18).

A visitor types words without accents, in English or in French, in the plural or cut
short, and still finds the practice; a practice named after the words comes first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.domain.practices import PublicText
from prize.store import practices as store
from tests import factories

NOW = datetime(2026, 1, 5, tzinfo=UTC)

# (title, summary); one edition, all published. Each search below has a practice it must
# find through one rule only, and practices it must not find.
TEXTS = [
    ("Prevención en el barrio", "Un programa comunitario para jóvenes de Sevilla."),
    ("Peer mentors", "A mentoring scheme run in one school by its own pupils."),
    ("Ensemble au quartier", "Un atelier chaque semaine dans une école du quartier."),
    # Ranking: the title match is inserted first, so the newest-first tie-break alone
    # would put the body-only match above it.
    ("Snowboard camps", "Weekends in the mountains with trained youth workers."),
    ("Weekend trips", "Hiking, climbing and, in winter, snowboard lessons for teenagers:"
                      " snowboarding taught by snowboarders."),
    ("Harbour radio", "Young people host a radio show about music and health."),
]


@pytest.fixture
async def catalogue(db):
    edition = await factories.edition(db, year=2024, status="published", now=NOW)
    async with db.transaction() as conn:
        for title, summary in TEXTS:
            await store.create(
                conn, edition_id=edition.id, year=2024, award="shortlisted",
                text=PublicText(title=title, organisation="Youth association", summary=summary),
                country="ES", countries=["ES"], substances=[], now=NOW, status="published")


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/practices/[^"]+">([^<]+)</a></h2>', html)


async def found(client, q: str) -> list[str]:
    page = await client.get("/practices", params={"q": q})
    assert page.status_code == 200
    return titles(page.text)


async def test_a_word_typed_without_accents_finds_the_accented_word(client, catalogue):
    assert await found(client, "prevencion") == ["Prevención en el barrio"]
    assert await found(client, "jovenes sevilla") == ["Prevención en el barrio"]


async def test_an_accented_query_finds_the_same(client, catalogue):
    assert await found(client, "Prevención") == ["Prevención en el barrio"]


async def test_an_english_plural_finds_the_singular(client, catalogue):
    assert await found(client, "schools") == ["Peer mentors"]


async def test_a_french_plural_finds_the_singular(client, catalogue):
    assert await found(client, "écoles") == ["Ensemble au quartier"]
    assert await found(client, "ecoles") == ["Ensemble au quartier"]


async def test_the_start_of_a_word_finds_the_word(client, catalogue):
    assert await found(client, "preven") == ["Prevención en el barrio"]
    assert await found(client, "mentor") == ["Peer mentors"]


async def test_a_title_match_ranks_before_a_match_in_the_text_only(client, catalogue):
    assert await found(client, "snowboard") == ["Snowboard camps", "Weekend trips"]
    # A prefix matches three words of the text, one of the title: the title still wins.
    assert await found(client, "snowb") == ["Snowboard camps", "Weekend trips"]


async def test_search_syntax_is_plain_words(client, catalogue):
    # FTS5 and tsquery operators are words to look for: no error page, no match.
    for q in ('radio & !health', 'radio" OR "x', "radio:* | x", "NEAR(radio health)"):
        page = await client.get("/practices", params={"q": q})
        assert page.status_code == 200, q
    assert await found(client, "radio & health!") == ["Harbour radio"]
    assert await found(client, "zzqqxx") == []
