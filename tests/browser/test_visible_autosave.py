"""The juror's autosave can be seen: a sticky, polite status with the local time as
HH:MM, and a header state that follows it (a sheet being written is not "Not started")."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_scoring_journey import seed_judging

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_sheet_autosave_status_stays_in_view_and_the_header_follows(live_server, browser, width):
    entry_id = seed_judging(live_server)["entry_id"]
    context = browser.new_context(viewport=WIDTHS[width], locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server.url, "juror1@example.org")
    page.goto(f"{live_server.url}/jury/entries/{entry_id}/sheet")
    state = page.locator("[data-autosave-state]")
    assert state.inner_text() == "Not started"

    page.locator("#field-justification-youth_participation").fill("Students run it.")
    status = page.locator("#autosave-status")
    status.filter(has_text=re.compile(r"^Draft saved at \d\d:\d\d$")).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert state.inner_text() != "Not started"
    # Back at the first criterion, the status is still on screen.
    page.locator("#field-justification-youth_participation").scroll_into_view_if_needed()
    box = status.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= WIDTHS[width]["height"]
    assert axe_violations(page) == []
    context.close()
