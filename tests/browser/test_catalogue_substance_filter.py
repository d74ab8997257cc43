"""In Chromium: a visitor filters the catalogue by a behaviour an edition added (2025's
"Gambling"), and the filter follows the page's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from prize.domain.editions import vocabulary_items
from prize.domain.practices import PublicText
from prize.store import practices as store
from tests import factories

WORDS = vocabulary_items("Gambling\nGaming\nSocial media\nScreens",
                         "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans")


def seed(live_server) -> None:
    async def work(db):
        await factories.published_demo(db)
        edition = await factories.edition(db, year=2025, status="published",
                                          substances_extra=WORDS)
        async with db.transaction() as conn:
            await store.create(
                conn, edition_id=edition.id, year=2025, award="winner",
                text=PublicText(title="Bet Smart: pupils take on sports betting",
                                organisation="Youth Voices Malta", summary="Pupils and odds.",
                                settings=["school"]),
                country="MT", countries=[], substances=["gambling", "alcohol"],
                now=datetime(2026, 1, 5, tzinfo=UTC), status="published")

    live_server.seed(work)


def test_a_visitor_filters_by_an_editions_word(live_server, page):
    seed(live_server)
    page.goto(f"{live_server.url}/practices")
    chooser = page.get_by_label("Substances and behaviours")
    if not chooser.is_visible():  # the filters are folded on a narrow screen
        page.locator("summary", has_text="Filters").click()
    chooser.select_option(label="Gambling (1)")
    page.get_by_role("button", name="Apply the filters").click()
    page.wait_for_url(re.compile(r"substance=gambling"))
    assert page.locator(".cards .card").count() == 1
    assert "Bet Smart" in page.locator(".cards .card").first.inner_text()
    page.locator(".cards .card a").first.click()
    page.wait_for_url(re.compile(r"/practices/bet-smart"))
    page.get_by_role("link", name="Gambling").click()
    page.wait_for_url(re.compile(r"substance=gambling"))
    page.goto(f"{live_server.url}/language?locale=fr&next=/practices")
    options = page.locator("#f-substance option").all_text_contents()
    assert "Jeux d’argent (1)" in options
