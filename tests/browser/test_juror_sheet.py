"""The juror's dashboard and score sheet in Chromium, wide (1280 px) and on a phone (360 px):
where each sheet stands, the entry beside (or above) the criteria, the rubric in order,
an over-long justification refused in place, an error count of errors only; axe-core
finds nothing on either page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.domain.editions import DEFAULT_CRITERIA
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_accessibility import FOCUSED, MARK_TAB_STOPS, axe_violations, page_overflow

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
TITLES = ("Peer Talk", "Street Voices", "Open Lines")


def seed(live_server) -> dict:
    """2026 in judging: three entries for one juror (submitted, draft, not started);
    2024 published, on which the juror also sat."""
    made: dict = {}

    async def work(db):
        from prize.store import jury

        edition = await factories.edition(
            db, year=2026, status="judging",
            judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))
        owner = await factories.user(db)
        juror = await factories.juror(db, edition_id=edition.id, email="juror@example.org",
                                      name="Camille Laurent")
        ids = []
        for title, sheet in zip(TITLES, ("submitted", "draft", None), strict=True):
            entry = await factories.entry(
                db, edition_id=edition.id, owner_id=owner.id, status="eligible",
                application=factories.complete_application(title=title))
            await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                       juror_id=juror.id, sheet=sheet)
            ids.append(entry.id)
        await factories.release_assignment(db, edition.id)
        past = await factories.edition(db, year=2024, status="published",
                                       closes_at=datetime(2024, 5, 30, tzinfo=UTC))
        async with db.transaction() as conn:
            await jury.add_active_juror(conn, past.id, juror.id,
                                        datetime(2024, 1, 1, tzinfo=UTC))
        made["entry_ids"] = ids

    live_server.seed(work)
    return made


@pytest.fixture
def juror_tab(browser, live_server):
    context = browser.new_context(viewport=WIDE, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    made = seed(live_server)
    log_in(tab, live_server.url, "juror@example.org")
    yield tab, live_server.url, made["entry_ids"]
    context.close()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_dashboard_shows_each_state_the_progress_and_folds_the_finished_edition(juror_tab,
                                                                               viewport):
    page, url, _ = juror_tab
    page.set_viewport_size(viewport)
    page.goto(url + "/jury")
    items = page.locator(".assigned-entries li")
    assert items.count() == 3
    states = [items.nth(n).locator(".status").inner_text() for n in range(3)]
    assert states == ["Submitted", "Draft", "Not started"]
    assert page.get_by_text("1 of 3 submitted").is_visible()
    progress = page.locator("progress")
    assert progress.get_attribute("value") == "1" and progress.get_attribute("max") == "3"
    assert progress.is_visible()
    assert page.get_by_text("Judging deadline: 15 July 2026, 23:59").is_visible()
    finished = page.get_by_role("link", name="2024: results published")
    assert finished.is_visible()
    assert page.get_by_text("has not sent you your entries yet").count() == 0
    # The edition that needs work comes first.
    assert (page.locator("#edition-2026").bounding_box()["y"]
            < finished.bounding_box()["y"])
    assert page_overflow(page) == ""
    assert axe_violations(page) == []
    if viewport is WIDE:
        screenshot(page, "juror-dashboard-states")


def test_wide_screen_shows_the_entry_beside_the_criteria_with_sticky_links(juror_tab):
    page, url, ids = juror_tab
    page.goto(f"{url}/jury/entries/{ids[2]}/sheet")
    entry_pane, sheet_pane = page.locator("#entry-pane"), page.locator("#sheet-pane")
    left, right = entry_pane.bounding_box(), sheet_pane.bounding_box()
    assert left["x"] + left["width"] <= right["x"], "side by side"
    assert abs(left["y"] - right["y"]) < 5
    assert entry_pane.get_by_role("heading", name="Activities").count() == 1
    assert not page.get_by_role("link", name="Go to the score sheet").is_visible()
    screenshot(page, "juror-read-and-score", focus=page.locator("h1"))
    # Far down the sheet, the entry and both panes' links stay in view.
    page.locator("#field-justification-transferability").scroll_into_view_if_needed()
    criteria_links = sheet_pane.get_by_role("navigation", name="Criteria")
    assert 0 <= criteria_links.bounding_box()["y"] < 5
    assert entry_pane.get_by_role("navigation", name="Parts of the entry").is_visible()
    assert 0 <= entry_pane.bounding_box()["y"] < 5
    # A section link scrolls the entry pane, not away from the criterion.
    entry_pane.get_by_role("link", name="Evaluation").first.click()
    assert entry_pane.get_by_role("heading", name="Evaluation").first.is_visible()
    assert page.locator("#field-justification-transferability").is_visible()
    assert axe_violations(page) == []


def test_phone_shows_the_entry_above_the_sheet(juror_tab):
    page, url, ids = juror_tab
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/jury/entries/{ids[2]}/sheet")
    above, below = page.locator("#entry-pane").bounding_box(), page.locator(
        "#sheet-pane").bounding_box()
    assert above["y"] + above["height"] <= below["y"] + 1
    page.get_by_role("link", name="Go to the score sheet").click()
    assert page.get_by_role("heading", name="Your score sheet").is_visible()
    assert page_overflow(page) == ""
    assert axe_violations(page) == []
    screenshot(page, "juror-read-and-score-phone", focus=page.locator("#sheet-pane"))


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_rubric_reads_from_0_to_5_in_one_column_and_required_parts_are_marked(juror_tab,
                                                                             viewport):
    page, url, ids = juror_tab
    page.set_viewport_size(viewport)
    page.goto(f"{url}/jury/entries/{ids[2]}/sheet")
    boxes = [page.locator(f"#score-ethics-{level}").bounding_box() for level in range(6)]
    assert len({round(box["x"]) for box in boxes}) == 1, "one column"
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes), "0 first"
    ethics = page.get_by_role("group", name="Ethics")
    assert ethics.locator("legend .required").inner_text() == "(required)"
    assert page.locator("label[for=field-justification-ethics] .required").is_visible()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_over_long_justification_is_refused_in_place_and_kept(juror_tab, viewport):
    page, url, ids = juror_tab
    page.set_viewport_size(viewport)
    page.goto(f"{url}/jury/entries/{ids[2]}/sheet")
    text = "The pupils ran it. " * 1100  # 20,900 characters
    box = page.locator("#field-justification-ethics")
    box.fill(text)
    # Autosave is refused with the message; then Save draft, without JavaScript's help.
    page.locator("#autosave-status").get_by_text("too long").wait_for()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("heading", name="There is 1 problem").wait_for()
    assert page.get_by_text("This is too long: at most 20000 characters.").first.is_visible()
    assert page.locator("#field-justification-ethics").input_value() == text
    assert page.get_by_text("saved as a draft").count() == 0
    if viewport is WIDE:
        field = page.locator(".field.has-error", has=page.locator("#field-justification-ethics"))
        screenshot(page, "juror-sheet-too-long", focus=field)


def test_error_count_counts_only_what_is_to_be_mended(juror_tab):
    page, url, ids = juror_tab
    page.goto(f"{url}/jury/entries/{ids[2]}/sheet")
    first = DEFAULT_CRITERIA[0]
    page.locator(f"#score-{first.key}-3").check()
    page.locator(f"#field-justification-{first.key}").fill("Young people led it.")
    page.get_by_role("button", name="Submit the sheet").click()
    missing = 2 * (len(DEFAULT_CRITERIA) - 1)
    page.get_by_role("heading", name=f"There are {missing} problems").wait_for()
    assert page.locator(".error-summary li").count() == missing
    assert page.locator("#sheet-note").get_by_text("Saved as a draft").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [WIDE, {"width": 320, "height": 800}],
                         ids=["1280px", "320px"])
def test_open_and_submitted_sheet_pages_pass_axe_without_sideways_scrolling(juror_tab,
                                                                           viewport):
    page, url, ids = juror_tab
    page.set_viewport_size(viewport)
    for entry_id in (ids[0], ids[2]):  # submitted (locked), not started
        page.goto(f"{url}/jury/entries/{entry_id}/sheet")
        assert page.locator("h1").count() == 1
        assert page_overflow(page) == "", entry_id
        assert axe_violations(page) == [], entry_id


def test_tab_reaches_both_panes_in_order_with_a_visible_focus(juror_tab):
    page, url, ids = juror_tab
    page.goto(f"{url}/jury/entries/{ids[1]}/sheet")
    stops = page.evaluate(MARK_TAB_STOPS)
    seen = []
    for _ in range(2 * stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (seen and focused["href"] == "#main"):
            break
        seen.append(focused)
    assert [int(stop["stop"]) for stop in seen] == list(range(stops))
    assert [stop for stop in seen if not stop["outline"]] == []
