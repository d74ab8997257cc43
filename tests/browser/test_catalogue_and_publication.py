"""The catalogue in Chromium: the first result on a phone's first screen, facet counts after
a search, a map link that filters by country; the secretariat recalls a public record."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from prize.domain.practices import PublicText
from prize.store import practices as store
from tests import factories
from tests.browser.conftest import log_in, screenshot


def seed_catalogue(live_server) -> None:
    async def work(db):
        await factories.published_demo(db)

    live_server.seed(work)


def test_a_phone_shows_the_first_result_on_the_first_screen(live_server, browser):
    seed_catalogue(live_server)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/practices?country=ES&year=2024")
        # The seven filters are folded into one line that says how many are on
        summary = page.locator("summary", has_text="Filters (2 active)")
        assert summary.is_visible()
        assert not page.get_by_label("Target group").is_visible()
        first = page.locator(".cards .card").first
        box = first.bounding_box()
        assert box is not None and box["y"] + 60 < 740, box
        # The header takes one line
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < 60, header
        screenshot(page, "catalogue-360-first-result")
        summary.click()
        assert page.get_by_label("Target group").is_visible()
    finally:
        context.close()


def counts(page, name: str) -> dict[str, int]:
    texts = page.locator(f"#f-{name} option").all_text_contents()
    return {text.rsplit(" (", 1)[0]: int(text.rsplit("(", 1)[1].rstrip(")"))
            for text in texts if "(" in text}


def test_facet_counts_follow_a_search(live_server, page):
    seed_catalogue(live_server)
    page.goto(f"{live_server.url}/practices")
    assert counts(page, "country")["Spain"] == 2
    page.get_by_label("Search the good practices").fill("cannabis")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=cannabis"))
    found = page.locator(".cards .card").count()
    countries = counts(page, "country")
    # Only countries with results are offered, and each count is what choosing it finds
    assert "Spain" not in countries and "Portugal" not in countries
    assert sum(countries.values()) >= found > 0
    page.locator("summary", has_text="Filters").click()
    name, number = next(iter(countries.items()))
    page.get_by_label("Country").select_option(label=f"{name} ({number})")
    page.get_by_role("button", name="Apply the filters").click()
    page.wait_for_url(re.compile(r"country="))
    assert page.locator(".cards .card").count() == number
    assert page.get_by_role("status").inner_text().startswith(f"{number} good practice")


def test_a_map_link_filters_the_catalogue_by_country(live_server, browser):
    seed_catalogue(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator('svg.map a[href="/practices?country=PT"]').click()
        page.wait_for_url(re.compile(r"/practices\?country=PT$"))
        titles = page.locator(".cards h2").all_inner_texts()
        assert titles == ["Safer Nights Lisbon: a nightlife safety project designed with "
                          "young people"]
        assert "Portugal, Spain" in page.locator(".cards .meta").first.inner_text()
        # On a wide screen the filters are open beside the results from the start
        assert page.get_by_label("Target group").is_visible()
        # The text list beside the map has the same links, for keyboards and screen readers
        page.go_back()
        page.locator(".map-list").get_by_role("link", name="Spain").click()
        page.wait_for_url(re.compile(r"country=ES"))
        assert page.locator(".cards .card").count() == 2
    finally:
        context.close()


def seed_awaiting_record(live_server) -> None:
    async def work(db):
        edition = await factories.edition(db, year=2025, status="published")
        await factories.user(db, role="admin", email="sec@example.org")
        owner = await factories.user(db, email="owner@example.org")
        entry = await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, status="winner",
            application=factories.complete_application(title="Night Owls",
                                                       consent_publication=True))
        async with db.transaction() as conn:
            await store.create(
                conn, edition_id=edition.id, year=2025, award="winner", entry_id=entry.id,
                text=PublicText(title="Night Owls", organisation="Owls",
                                summary="Old summary."),
                country="IE", countries=["IE"], substances=[],
                now=datetime(2026, 1, 3, tzinfo=UTC), status="awaiting_applicant")

    live_server.seed(work)


def test_the_secretariat_recalls_a_record_edits_it_and_sends_it_again(live_server, page):
    seed_awaiting_record(live_server)
    log_in(page, live_server.url, "sec@example.org")
    page.goto(f"{live_server.url}/admin/practices")
    page.get_by_role("link", name="Night Owls").click()
    page.get_by_text("Awaiting the applicant", exact=False).first.wait_for()
    page.get_by_role("button", name="Take the text back from the applicant").click()
    page.get_by_text("The text is back with the secretariat").wait_for()
    page.get_by_label("Public summary").fill("Words the applicant has not seen yet.")
    page.get_by_role("button", name="Save and send to the applicant for approval").click()
    page.get_by_text("The text is saved and sent to the applicant for approval.").wait_for()
    assert page.get_by_text("Words the applicant has not seen yet.").is_visible()
    # One email: the request of the text as it is now (none was sent while it was recalled)
    assert len(live_server.mail.to("owner@example.org")) == 1
    screenshot(page, "publication-recalled-and-sent")


def seed_record_with_photo(live_server) -> dict:
    import io
    import secrets as random

    from PIL import Image

    ids: dict = {}

    async def work(db):
        from prize.store import entries

        edition = await factories.edition(db, year=2025, status="published")
        owner = await factories.user(db, email="owner@example.org")
        entry = await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, status="winner",
            application=factories.complete_application(title="Night Owls",
                                                       consent_publication=True))
        picture = io.BytesIO()
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"
        Image.new("RGB", (1600, 1200), (20, 120, 90)).save(picture, "JPEG", exif=exif)
        stored = random.token_hex(8) + ".jpg"
        folder = live_server.settings.upload_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stored).write_bytes(picture.getvalue())
        async with db.transaction() as conn:
            ids["attachment"] = await entries.add_attachment(
                conn, entry_id=entry.id, stored_name=stored, filename="mural.jpg",
                content_type="image/jpeg", size=len(picture.getvalue()), sha256="0" * 64,
                description="", now=datetime(2026, 1, 3, tzinfo=UTC))
            ids["practice"] = await store.create(
                conn, edition_id=edition.id, year=2025, award="winner", entry_id=entry.id,
                text=PublicText(title="Night Owls", organisation="Owls", summary="Nights."),
                country="IE", countries=["IE"], substances=[],
                now=datetime(2026, 1, 3, tzinfo=UTC), status="awaiting_applicant")

    live_server.seed(work)
    return ids


def test_the_applicant_picks_and_describes_the_public_photo(live_server, page):
    ids = seed_record_with_photo(live_server)
    log_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/my/practices/{ids['practice']}")
    page.get_by_label("mural.jpg").check()
    page.get_by_role("button", name="I approve this text").click()
    # A photo without a description is refused in place, the choice kept
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("mural.jpg").is_checked()
    page.get_by_label("Describe the image").fill("Young people painting a mural")
    page.get_by_role("button", name="I approve this text").click()
    page.get_by_text("Thank you: you approved the public page.").wait_for()

    async def publish(db):
        async with db.transaction() as conn:
            await store.set_status(conn, ids["practice"], "published",
                                   now=datetime(2026, 1, 4, tzinfo=UTC))

    live_server.seed(publish)
    page.goto(f"{live_server.url}/practices/night-owls")
    photo = page.get_by_role("img", name="Young people painting a mural")
    photo.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.practice-photo img').complete")
    assert photo.evaluate("img => img.naturalWidth") == 1200
