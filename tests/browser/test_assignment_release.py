"""The secretariat runs and releases an assignment; a juror then finds their entries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.factories import complete_application

YEAR = 2031


def seed_jury(live_server) -> None:
    async def work(db):
        now = datetime.now(UTC)
        edition = await factories.edition(db, year=YEAR, status="judging", jurors_per_entry=2,
                                          judging_ends_at=now + timedelta(days=30), now=now)
        await factories.user(db, role="admin", email="sec@example.org")
        owner = await factories.user(db, email="owner@example.org")
        for country in ("IE", "MT", "IT", "ES"):
            await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  status="eligible", now=now,
                                  application=complete_application(
                                      country=country, title=f"Project from {country}",
                                      org_name=f"Youth of {country}"))
        for number, country in enumerate(("FR", "DE", "PL"), start=1):
            await factories.juror(db, edition_id=edition.id, country=country,
                                  email=f"juror{number}@example.org", name=f"Juror {number}")

    live_server.seed(work)


def test_secretariat_runs_and_releases_and_a_juror_sees_their_entries(live_server, page,
                                                                      browser):
    seed_jury(live_server)
    log_in(page, live_server.url, "sec@example.org")
    page.goto(f"{live_server.url}/admin/editions/{YEAR}/jury/assignment")
    page.get_by_role("heading", name=f"Assignment of the {YEAR} edition").wait_for()
    page.get_by_role("button", name="Run the assignment").click()
    page.get_by_text("The assignment is computed: 8 score sheets to fill in.").wait_for()
    assert page.locator("td.assigned").count() == 8
    screenshot(page, "jury-assignment-matrix")
    page.get_by_role("button", name="Release to the jurors").click()
    # First what will be sent: three jurors, one preview; then the release itself.
    page.get_by_role("heading", name="Release the assignment to the jurors?").wait_for()
    page.get_by_role("button", name=re.compile(r"^Release and send \d emails?$")).click()
    page.get_by_text("The assignment is released").wait_for()
    assert page.get_by_text("Released to the jurors on").is_visible()
    # Each juror with entries has their list; one the solver left without has none.
    for number in (1, 2, 3):
        messages = live_server.mail.to(f"juror{number}@example.org")
        assert len(messages) <= 1 and all("Your entries to" in m["Subject"] for m in messages)
    assert len(live_server.mail.messages) >= 2

    juror_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    juror_page = juror_context.new_page()
    try:
        log_in(juror_page, live_server.url, "juror1@example.org")
        juror_page.get_by_role("heading", name="Jury", exact=True).wait_for()
        links = juror_page.locator('a[href^="/jury/entries/"]')
        assert links.count() >= 1
        assert "Project from" in links.first.inner_text()
        mailed = live_server.mail.body(live_server.mail.to("juror1@example.org")[0])
        assert links.first.inner_text().split(" · ")[0] in mailed
        screenshot(juror_page, "jury-dashboard")
    finally:
        juror_context.close()
