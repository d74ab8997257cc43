"""The secretariat's mass actions in a real browser, at 1280 and 360 px: the edition's one
navigation, the release confirmation, the comparison of a new run of the assignment and
the confirmation before publishing the results. Nothing is sent before the last button."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from prize.store import editions, entries, users
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.factories import complete_application

YEAR = 2032
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
ORDER = ["Settings", "Criteria", "Screening", "Jury", "Assignment", "Progress",
         "Deliberation", "Publication", "Exports"]


@pytest.fixture(params=list(WIDTHS))
def tab(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param], locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def seed_judging(live_server, status: str = "judging") -> None:
    async def work(db):
        now = datetime.now(UTC)
        edition = await factories.edition(db, year=YEAR, status=status, jurors_per_entry=2,
                                          judging_ends_at=now + timedelta(days=30), now=now,
                                          closes_at=now - timedelta(days=30))
        await factories.user(db, role="admin", email="sec@example.org")
        owner = await factories.user(db, email="owner@example.org")
        for country in ("IE", "MT", "IT", "ES"):
            await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  status="eligible", now=now,
                                  application=complete_application(
                                      country=country, title=f"Project from {country}",
                                      org_name=f"Youth of {country}"))
        for number, (country, name) in enumerate((("FR", "Camille"), ("DE", "Jonas"),
                                                  ("PL", "Piotr")), start=1):
            await factories.juror(db, edition_id=edition.id, country=country,
                                  email=f"juror{number}@example.org", name=name)

    live_server.seed(work)


def test_the_edition_navigation_is_the_same_on_every_page(live_server, tab):
    seed_judging(live_server)
    log_in(tab, live_server.url, "sec@example.org")
    tab.goto(f"{live_server.url}/admin/editions/{YEAR}/edit")
    nav = tab.get_by_role("navigation", name=f"Edition {YEAR}")
    links = [link.strip() for link in nav.get_by_role("listitem").all_inner_texts()]
    assert [link for link in links if link in ORDER] == ORDER
    for name in ("Assignment", "Deliberation", "Exports", "Settings"):
        nav.get_by_role("link", name=name, exact=True).click()
        tab.wait_for_load_state()
        current = tab.get_by_role("navigation", name=f"Edition {YEAR}").locator(
            "[aria-current=page]")
        assert current.inner_text() == name
        no_sideways_scrolling(tab)
    screenshot(tab, f"secretariat-edition-navigation-{tab.width_name}")


def test_release_then_a_new_run_show_what_happens_before_it_happens(live_server, tab):
    seed_judging(live_server)
    log_in(tab, live_server.url, "sec@example.org")
    tab.goto(f"{live_server.url}/admin/editions/{YEAR}/jury/assignment")
    tab.get_by_role("button", name="Run the assignment").click()
    tab.get_by_text("The assignment is computed: 8 score sheets to fill in.").wait_for()

    # Release: who gets which email, one preview, and nothing sent yet.
    tab.get_by_role("button", name="Release to the jurors").click()
    tab.get_by_role("heading", name="Release the assignment to the jurors?").wait_for()
    counts = tab.locator(".email-counts").inner_text()
    mailed = int(re.search(r"(\d) jurors? gets? an email with their list", counts).group(1))
    assert mailed >= 2
    assert tab.locator(".email-preview").count() == 1
    assert live_server.mail.messages == []
    no_sideways_scrolling(tab)
    screenshot(tab, f"secretariat-release-confirmation-{tab.width_name}")
    tab.get_by_role("button", name=f"Release and send {mailed} emails").click()
    tab.get_by_text("The assignment is released").wait_for()
    assert len(live_server.mail.messages) == mailed
    # A juror the solver left without entries gets no "Your entries to judge".
    before = {n: len(live_server.mail.to(f"juror{n}@example.org")) for n in (1, 2, 3, 4)}
    assert set(before.values()) <= {0, 1}

    # A fourth juror joins; Camille has started one of her entries.
    async def change(db):
        from prize.store import jury

        camille = await users.by_email(db, "juror1@example.org")
        pairs = [p for p in await jury.assignment_of(db, (await editions.by_year(
            db, YEAR)).id) if p.juror_id == camille.id]
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO score_sheets (entry_id, juror_id, status, created_at, updated_at)"
                " VALUES (?, ?, 'draft', '2032-01-01T00:00:00Z', '2032-01-01T00:00:00Z')",
                (pairs[0].entry_id, camille.id))
        edition = await editions.by_year(db, YEAR)
        await factories.juror(db, edition_id=edition.id, country="PT",
                              email="juror4@example.org", name="Inês")

    live_server.seed(change)
    mailed_before = len(live_server.mail.messages)
    tab.reload()
    tab.get_by_role("button", name="Run the assignment again").click()
    heading = tab.get_by_role("heading", name="What a new run of the assignment would change")
    heading.wait_for()
    ines = tab.locator("table.changes tr").filter(has_text="Inês")
    assert re.search(r"\+\d", ines.locator('td[data-label="Change"]').inner_text())
    assert tab.get_by_text("1 started, kept").is_visible()
    no_sideways_scrolling(tab)
    if tab.width_name == "phone":
        # Each juror's row is a card as wide as the screen, its cells labelled.
        box = ines.bounding_box()
        assert box["width"] <= 360
        label = ines.locator('td[data-label="Added"]').evaluate(
            "cell => getComputedStyle(cell, '::before').content")
        assert label == '"Added"'
    screenshot(tab, f"secretariat-assignment-changes-{tab.width_name}")
    assert len(live_server.mail.messages) == mailed_before
    changed = tab.locator("table.changes tr:not(.unchanged) th[scope=row]").all_inner_texts()
    tab.get_by_role("button", name="Apply these changes").click()
    tab.get_by_text(re.compile("The new assignment is applied. Emails sent: ")).wait_for()
    names = {"Camille": 1, "Jonas": 2, "Piotr": 3, "Inês": 4}
    for name, number in names.items():
        extra = len(live_server.mail.to(f"juror{number}@example.org")) - before[number]
        assert extra <= (1 if name in changed else 0), name
    assert len(live_server.mail.messages) > mailed_before


def seed_decided(live_server) -> None:
    seed_judging(live_server, status="deliberation")

    async def decide(db):
        edition = await editions.by_year(db, YEAR)
        rows = await db.fetch_all("SELECT id FROM entries WHERE edition_id = ? ORDER BY id",
                                  (edition.id,))
        async with db.transaction() as conn:
            for row, status in zip(rows, ("winner", "shortlisted", "not_selected",
                                          "not_selected"), strict=True):
                await entries.set_status(conn, row["id"], status, now=datetime.now(UTC),
                                         statement="Young people lead." if status == "winner"
                                         else None)

    live_server.seed(decide)


def test_publishing_the_results_is_confirmed_with_counts_and_previews(live_server, tab):
    seed_decided(live_server)
    log_in(tab, live_server.url, "sec@example.org")
    tab.goto(f"{live_server.url}/admin/editions/{YEAR}")
    tab.get_by_role("link", name="Publish the results…").click()
    tab.get_by_role("heading", name=f"Publish the results of the {YEAR} edition?").wait_for()
    assert tab.get_by_text("1 applicant gets the result “Winner”").is_visible()
    assert tab.get_by_text("2 applicants get the result “Not selected”").is_visible()
    assert tab.locator(".email-preview").count() == 3
    no_sideways_scrolling(tab)
    screenshot(tab, f"secretariat-publish-confirmation-{tab.width_name}")
    assert live_server.mail.messages == []
    tab.get_by_role("button", name="Publish the results and send 4 emails").click()
    tab.get_by_text("Done: Publish the results. Emails sent: 4.").wait_for()
    assert len(live_server.mail.to("owner@example.org")) == 4
