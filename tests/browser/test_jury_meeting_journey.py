"""The secretariat runs the jury meeting on a shared screen: records who attended, goes
to the first entry on the shortlist, records the jury's vote and the award with its
statement, and downloads the minutes as a PDF that holds them."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_accessibility import axe_violations, page_overflow
from tests.http.test_jury_meeting import meeting_world

STATEMENT = "Young people lead every step, from the needs assessment to the evaluation."


def seed(live_server) -> dict:
    made: dict = {}

    async def work(db):
        edition, entries, jurors, advisor = await meeting_world(db, awards=3)
        await factories.user(db, role="admin", email="secretariat@example.org",
                             name="Ana Silva")
        made.update(year=edition.year, first=entries[0].id, second=entries[1].id)

    live_server.seed(work)
    return made


def test_the_secretariat_records_the_meeting_and_downloads_its_minutes(live_server, browser,
                                                                       tmp_path: Path):
    made = seed(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  accept_downloads=True, bypass_csp=True)  # axe-core
    context.set_default_timeout(20_000)
    page = context.new_page()
    meeting = f"{live_server.url}/admin/editions/{made['year']}/meeting"

    # The secretariat opens the meeting from the edition's navigation.
    log_in(page, live_server.url, "secretariat@example.org")
    page.goto(f"{live_server.url}/admin/editions/{made['year']}/deliberation")
    page.get_by_role("link", name="Jury meeting: the shortlist").click()
    page.wait_for_url(meeting)
    assert axe_violations(page) == []

    # Who attended: two jurors and the advisor, and a guest.
    page.get_by_label("Juror 1 (Juror)").check()
    page.get_by_label("Juror 2 (Juror)").check()
    page.get_by_label("Dr Advice (Jury advisor)").check()
    page.get_by_label("Guests").fill("Peter Gray, observer")
    page.get_by_role("button", name="Record the attendance").click()
    page.get_by_text("Attendance recorded.").wait_for()

    # The first entry on the shared screen, with the advisor's comment.
    page.get_by_role("link", name="Start with the first entry").click()
    page.wait_for_url(f"{meeting}/{made['first']}")
    assert page.get_by_text("The youth council ran the evaluation.").is_visible()
    assert axe_violations(page) == []

    # A vote beyond the jurors present is refused in place, the typed counts kept.
    page.locator("#field-decision").select_option(label="Award a prize")
    page.get_by_label("Jury statement").fill(STATEMENT)
    page.get_by_label("Votes for").fill("2")
    page.get_by_label("Votes against").fill("1")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("3 votes, but 2 jurors are present").first.wait_for()
    assert page.get_by_label("Votes against").input_value() == "1"
    assert page.get_by_label("Jury statement").input_value() == STATEMENT

    page.locator("#field-decision").select_option(label="Award a prize")
    page.get_by_label("Votes against").fill("0")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded for").wait_for()
    assert page.get_by_text("2 for, 0 against, 0 abstaining").is_visible()
    screenshot(page, "secretariat-meeting", focus=page.locator("h1"))

    # The arrow keys go through the entries, but never while a field is being typed in.
    page.get_by_label("Jury statement").press("ArrowRight")
    assert page.url == f"{meeting}/{made['first']}"
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"{meeting}/{made['second']}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"{meeting}/{made['first']}")

    # The minutes: a page to print and a PDF holding the attendance and the decision.
    page.get_by_role("link", name="All entries").click()
    page.get_by_role("link", name="Minutes (to print)").click()
    page.get_by_role("heading", name="Minutes of the jury meeting").wait_for()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page_overflow(page) == ""
    page.emulate_media(media="print")
    assert not page.locator(".edition-nav").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"jury-meeting-{made['year']}.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(" ".join(sheet.extract_text().split())
                    for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Juror 1" in text and "Dr Advice" in text and "Peter Gray" in text
    assert "Project 1" in text and "Decision: Winner" in text and STATEMENT in text
    assert "2 for, 0 against, 0 abstaining" in text
    context.close()
