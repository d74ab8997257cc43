"""An applicant on a phone: sign up, verify, write over two sittings, submit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from prize.domain.editions import default_edition
from prize.store import editions
from tests.browser.conftest import screenshot


def open_call(live_server) -> None:
    async def work(db):
        now = datetime.now(UTC)
        edition = default_edition(now.year + 1).model_copy(
            update={
                "status": "open",
                "opens_at": now - timedelta(days=1),
                "closes_at": now + timedelta(days=60),
            }
        )
        async with db.transaction() as conn:
            await editions.insert(conn, edition, now)

    live_server.seed(work)


def test_applicant_signs_up_writes_over_two_sittings_and_submits(live_server, page):
    open_call(live_server)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Enter your project").click()

    page.get_by_label("Your name").fill("Maria Example")
    page.get_by_label("Email").fill("maria@example.org")
    page.locator("#field-password").fill("a long password")
    page.get_by_label("Password again").fill("a long password")
    page.get_by_label("I have read the privacy notice and accept it.").check()
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    page.goto(live_server.url + live_server.mail.link("maria@example.org", "/verify"))
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_role("heading", name="My entries").wait_for()

    # First sitting: a few answers, then leave.
    page.get_by_role("button", name="Start a new entry").click()
    page.get_by_label("Title of the project").fill("Peer Talk")
    page.get_by_label("Name of the organisation").fill("Youth Voices")
    page.get_by_label("Summary of the project").fill("Students lead sessions for younger pupils.")
    page.get_by_role("button", name="Save and leave").click()
    page.get_by_role("heading", name="My entries").wait_for()
    assert page.get_by_text("Your draft is saved.").is_visible()

    # Second sitting: come back, find the text, finish, submit.
    page.get_by_role("link", name="Peer Talk").click()
    page.get_by_role("link", name="Continue writing").click()
    assert page.get_by_label("Summary of the project").input_value().startswith("Students lead")
    fill_the_rest(page)
    screenshot(page, "applicant-entry-form")
    page.get_by_role("button", name="Submit entry").click()

    notice = page.get_by_role("status").first
    notice.wait_for()
    reference = re.search(r"EDPP-\d{4}-\d{4}", notice.inner_text()).group(0)
    assert page.get_by_text(reference).first.is_visible()
    screenshot(page, "applicant-submitted")
    subjects = [m["Subject"] for m in live_server.mail.to("maria@example.org")]
    assert any(reference in subject for subject in subjects)


def fill_the_rest(page) -> None:
    words = "Young people plan, run and evaluate every session with adult support."
    page.get_by_label("Type of organisation").select_option("youth_group")
    page.locator("#field-country").select_option("IE")
    page.get_by_label("Town or city").fill("Cork")
    page.get_by_label("Full name").fill("Maria Example")
    page.locator("#field-contact_email").fill("maria@example.org")
    page.get_by_label("Telephone").fill("+353 21 000 0000")
    page.get_by_label("Start date").fill("2024-09-01")
    page.get_by_label("Is the project running now?").select_option("yes")
    page.get_by_label("Goals in drug prevention").fill(words)
    page.get_by_label("Adolescents (15–17)").check()
    page.locator("#field-settings-school").check()
    page.get_by_label("Universal").check()
    page.get_by_label("Alcohol").check()
    page.get_by_label("Number of young people under 25 who help run the project").fill("40")
    page.get_by_label("Number of adults (25 or over) who help run the project").fill("3")
    page.get_by_label("Number of people the project reached (participants, audience)").fill("900")
    for name in (
        "needs_assessment",
        "aims",
        "activities",
        "youth_participation",
        "evaluation",
        "sustainability",
        "ethics",
    ):
        page.locator(f"#field-{name}").fill(words)
    page.locator("#field-grid_needs").check()
    page.locator("#field-grid_needs_how").fill("They designed and ran the survey.")
    page.get_by_label("I declare that the information in this entry is true.").check()
