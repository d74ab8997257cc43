"""The entry form in Chromium, at 1280 px and at 360 px: not a word lost, and always
clear where the applicant stands.

Upload after typing (with and without JavaScript), autosave with its visible status,
the two-tab version check, the warning before leaving with unsaved text, format errors
kept as typed, the section navigation, one draft per edition and deleting a draft.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prize.store import entries
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_accessibility import axe_violations

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EMAIL = "ana@example.org"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def seed_draft(live_server) -> int:
    """An open edition, an applicant and a draft of hers; the draft's id."""
    found: dict[str, int] = {}

    async def work(db):
        now = datetime.now(UTC)
        edition = await factories.edition(
            db,
            year=now.year + 1,
            now=now,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=60),
        )
        owner = await factories.user(db, email=EMAIL, name="Ana Novak")
        application = factories.complete_application(title="Peer Talk").model_copy(
            update={"goals": "", "declaration": False}
        )
        entry = await factories.entry(
            db, edition_id=edition.id, owner_id=owner.id, application=application, now=now
        )
        found["entry"] = entry.id

    live_server.seed(work)
    return found["entry"]


def stored(live_server, entry_id: int):
    found = {}

    async def work(db):
        found["entry"] = await entries.get(db, entry_id)
        found["files"] = await entries.attachments_of(db, entry_id)

    live_server.seed(work)
    return found["entry"], found["files"]


@pytest.fixture
def pdf_file(tmp_path) -> Path:
    path = tmp_path / "plan.pdf"
    path.write_bytes(PDF)
    return path


def new_page(browser, width: str, *, javascript: bool = True):
    context = browser.new_context(
        viewport=WIDTHS[width], locale="en-GB", java_script_enabled=javascript, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_upload_after_typing_keeps_the_text_with_javascript(live_server, browser, pdf_file, width):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, width)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    page.get_by_label("Goals in drug prevention").fill("Fewer young people start drinking.")
    page.locator("#field-file").set_input_files(str(pdf_file))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is attached.").wait_for()
    assert page.get_by_label("Goals in drug prevention").input_value() == (
        "Fewer young people start drinking."
    )
    assert page.get_by_role("link", name="plan.pdf").is_visible()
    entry, files = stored(live_server, entry_id)
    assert entry.application.goals == "Fewer young people start drinking."
    assert [file.filename for file in files] == ["plan.pdf"]
    context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_upload_after_typing_keeps_the_text_without_javascript(
    live_server, browser, pdf_file, width
):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, width, javascript=False)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    page.get_by_label("Goals in drug prevention").fill("Typed without JavaScript.")
    page.get_by_label("Telephone").fill("call me")
    page.locator("#field-file").set_input_files(str(pdf_file))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is attached.").wait_for()
    # The mistyped number is kept as typed and shown with its error, not blanked.
    assert (
        page.get_by_label("Goals in drug prevention").input_value() == "Typed without JavaScript."
    )
    assert page.get_by_label("Telephone").input_value() == "call me"
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    assert page.get_by_label("Telephone").input_value() == "call me"
    assert page.locator("#error-contact_phone").is_visible()
    assert page.get_by_role("link", name="plan.pdf").is_visible()
    # Enter in a text box saves the draft; it does not press the first Remove button.
    page.get_by_label("Telephone").fill("+386 1 000 00 00")
    page.get_by_label("Telephone").press("Enter")
    page.get_by_text("Your draft is saved.").wait_for()
    assert page.get_by_role("link", name="plan.pdf").is_visible()
    context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_autosave_shows_a_sticky_status_and_the_text_survives_a_reload(live_server, browser, width):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, width)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    page.get_by_label("Goals in drug prevention").fill("Saved on its own.")
    status = page.locator("#autosave-status")
    status.filter(has_text=re.compile(r"Draft saved at \d\d:\d\d$")).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    # Scrolled back up to the first answers, the status is still in view.
    page.locator("#section-organisation").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('section-organisation').scrollIntoView()")
    box = status.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= WIDTHS[width]["height"]
    screenshot(page, f"applicant-entry-autosaved-{width}")
    page.reload()
    assert page.get_by_label("Goals in drug prevention").input_value() == "Saved on its own."
    assert axe_violations(page) == []
    context.close()


def test_leaving_with_unsaved_text_asks_first(live_server, browser):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, "desktop")
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_label("Goals in drug prevention").click()
    page.keyboard.type("Not saved yet")
    # Before the autosave runs, the header link would throw the text away: it asks.
    page.locator(".site-header").get_by_role("link", name="My entries").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.get_by_label("Goals in drug prevention").input_value() == "Not saved yet"
    context.close()


def test_two_tabs_the_stale_one_says_so_and_keeps_its_text(live_server, browser):
    entry_id = seed_draft(live_server)
    context, first = new_page(browser, "desktop")
    log_in(first, live_server.url, EMAIL)
    second = context.new_page()
    address = f"{live_server.url}/my/entries/{entry_id}/edit"
    first.goto(address)
    second.goto(address)

    first.get_by_label("Goals in drug prevention").fill("From the first tab.")
    first.locator("#autosave-status").filter(has_text="Draft saved at").wait_for()
    second.get_by_label("Goals in drug prevention").fill("From the second tab.")
    second.locator("#autosave-status").filter(has_text="another tab changed this entry").wait_for()
    assert second.get_by_label("Goals in drug prevention").input_value() == "From the second tab."
    entry, _files = stored(live_server, entry_id)
    assert entry.application.goals == "From the first tab."
    screenshot(second, "applicant-entry-two-tabs")

    # Saving knowingly from the second tab: the page says what happened, then keeps it.
    second.get_by_role("button", name="Save draft").click()
    second.locator(".error-summary").wait_for()
    assert second.get_by_label("Goals in drug prevention").input_value() == "From the second tab."
    second.get_by_role("button", name="Save draft").click()
    second.get_by_text("Your draft is saved.").wait_for()
    entry, _files = stored(live_server, entry_id)
    assert entry.application.goals == "From the second tab."
    context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_sections_show_their_state_and_attachments_come_before_submit(live_server, browser, width):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, width)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my/entries/{entry_id}/edit")
    steps = page.get_by_role("navigation", name="Sections of the form")
    assert "Complete" in steps.get_by_role("listitem").nth(0).inner_text()
    assert "Incomplete" in steps.get_by_role("listitem").nth(2).inner_text()  # goals empty
    screenshot(page, f"applicant-entry-sections-{width}", focus=page.locator("h1"))
    progress = page.locator("#entry-progress").inner_text()
    done, total = (int(n) for n in re.findall(r"\d+", progress))

    page.get_by_role("button", name="Submit entry").click()
    page.locator(".error-summary").wait_for()
    problems = page.locator(".error-summary li").count()
    assert total - done == problems
    summary = page.locator(".error-summary").inner_text()
    assert "?:" not in summary and ".:" not in summary
    upload = page.get_by_role("button", name="Upload").bounding_box()
    submit = page.get_by_role("button", name="Submit entry").bounding_box()
    assert upload["y"] < submit["y"]
    screenshot(page, f"applicant-entry-errors-{width}", focus=page.locator(".error-summary"))
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_start_a_new_entry_resumes_the_draft_and_a_draft_can_be_deleted(
    live_server, browser, width
):
    entry_id = seed_draft(live_server)
    context, page = new_page(browser, width)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/my")
    page.get_by_role("link", name="Continue your draft").click()
    page.wait_for_url(f"**/my/entries/{entry_id}/edit")

    page.goto(f"{live_server.url}/my")
    page.get_by_role("button", name="Start another entry").click()
    page.wait_for_url(re.compile(r"/my/entries/\d+/edit$"))
    second = int(re.search(r"/my/entries/(\d+)/edit", page.url).group(1))
    assert second != entry_id

    page.goto(f"{live_server.url}/my/entries/{second}")
    page.get_by_text("Delete this draft", exact=True).click()
    assert page.get_by_text("removes its text and its 0 attached files for good").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Yes, delete this draft for good").check()
    page.get_by_role("button", name="Delete the draft").click()
    page.get_by_text("The draft is deleted.").wait_for()
    assert page.get_by_role("link", name="Untitled draft").count() == 0
    assert page.get_by_role("link", name="Peer Talk").is_visible()
    context.close()
