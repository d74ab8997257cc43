"""An anonymous visitor on the page of an edition whose call is open, at 1280 px and at
360 px: the Enter your project button, the deadline and the criteria are there, and the
button leads through sign-up (or login) to the entry form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prize.i18n import format_moment
from tests import factories
from tests.browser.conftest import screenshot

WIDTHS = {"1280px": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 740}}


def open_call(live_server, *, applicant: str | None = None) -> tuple[int, str]:
    """An open edition (and an applicant account if asked); its year and deadline as shown."""
    found: dict = {}

    async def work(db):
        now = datetime.now(UTC)
        edition = await factories.edition(
            db, year=now.year + 1, now=now,
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=60),
        )
        if applicant:
            await factories.user(db, email=applicant, name="Ana Novak")
        found["year"] = edition.year
        found["deadline"] = format_moment(edition.closes_at, edition.timezone)

    live_server.seed(work)
    return found["year"], found["deadline"]


def sees_the_invitation(page, deadline: str) -> None:
    call = page.get_by_role("region", name="The call for entries is open")
    assert call.get_by_role("link", name="Enter your project").is_visible()
    assert call.get_by_text(f"Entries close on {deadline}.").is_visible()
    criteria = page.get_by_role("heading", name="Criteria", exact=True)
    criteria.scroll_into_view_if_needed()
    assert criteria.is_visible()
    assert page.get_by_role("cell", name="Youth participation").first.is_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_a_visitor_signs_up_from_the_edition_page_and_reaches_the_form(live_server, page, size):
    page.set_viewport_size(WIDTHS[size])
    year, deadline = open_call(live_server)
    email = f"maria-{size}@example.org"

    page.goto(f"{live_server.url}/editions/{year}")
    sees_the_invitation(page, deadline)
    screenshot(page, f"edition-page-open-call-{size}")

    page.get_by_role("link", name="Enter your project").click()
    page.wait_for_url("**/signup")
    page.get_by_label("Your name").fill("Maria Example")
    page.get_by_label("Email").fill(email)
    page.locator("#field-password").fill("a long password")
    page.get_by_label("Password again").fill("a long password")
    page.get_by_label("I have read the privacy notice and accept it.").check()
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    page.goto(live_server.url + live_server.mail.link(email, "/verify"))
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_role("heading", name="My entries").wait_for()
    page.get_by_role("button", name="Start a new entry").click()
    page.get_by_role("heading", name="New entry").wait_for()
    assert page.get_by_label("Title of the project").is_visible()


@pytest.mark.parametrize("size", WIDTHS, ids=list(WIDTHS))
def test_a_visitor_with_an_account_logs_in_from_the_edition_page_and_reaches_the_form(
    live_server, page, size
):
    page.set_viewport_size(WIDTHS[size])
    year, deadline = open_call(live_server, applicant="ana@example.org")

    page.goto(f"{live_server.url}/editions/{year}")
    sees_the_invitation(page, deadline)
    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Back on the edition's page, now as herself: the button starts her entry.
    page.wait_for_url(f"**/editions/{year}")
    page.get_by_role("button", name="Enter your project").click()
    page.get_by_role("heading", name="New entry").wait_for()
    assert page.get_by_label("Title of the project").is_visible()
