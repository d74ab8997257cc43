"""A juror submits their sheet and comments; the advisor reads and answers; the other
juror, who has not submitted yet, cannot see the thread."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.domain.editions import DEFAULT_CRITERIA
from tests import factories
from tests.browser.conftest import log_in, screenshot


def seed(live_server) -> dict:
    made: dict = {}

    async def work(db):
        edition = await factories.edition(db, year=2025, status="judging",
                                          closes_at=datetime(2025, 5, 30, tzinfo=UTC))
        owner = await factories.user(db)
        entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      status="eligible")
        first = await factories.juror(db, email="juror1@example.org", name="Camille Laurent")
        second = await factories.juror(db, email="juror2@example.org", name="Jonas Becker")
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=first.id)
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=second.id, sheet="draft")
        await factories.juror(db, edition_id=edition.id, email="advisor@example.org",
                              name="Dr Hélène Moreau", role="advisor", country="BE")
        await factories.release_assignment(db, edition.id)
        made["entry_id"] = entry.id

    live_server.seed(work)
    return made


def test_the_jury_discusses_an_entry_under_the_blind_rule(live_server, browser, page):
    entry_id = seed(live_server)["entry_id"]
    thread = f"{live_server.url}/jury/entries/{entry_id}/discussion"

    # The first juror submits a complete sheet; the discussion opens to them.
    log_in(page, live_server.url, "juror1@example.org")
    page.goto(f"{live_server.url}/jury/entries/{entry_id}/sheet")
    for criterion in DEFAULT_CRITERIA:
        page.locator(f"#score-{criterion.key}-4").check()
        page.locator(f"#field-justification-{criterion.key}").fill("Convincing.")
    page.locator("#autosave-status").get_by_text("Draft saved").wait_for()
    page.get_by_role("button", name="Submit the sheet").click()
    page.get_by_text("Your score sheet is submitted.").wait_for()
    page.get_by_role("link", name="Discussion (0 comments)").click()
    page.get_by_label("Your comment").fill(
        "Strong youth participation.\n\nTheir report: https://example.org/report")
    page.get_by_role("button", name="Post the comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    assert page.get_by_role("link", name="https://example.org/report").is_visible()

    # The advisor finds the thread from the dashboard and answers.
    advisor_context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          locale="en-GB")
    advisor = advisor_context.new_page()
    log_in(advisor, live_server.url, "advisor@example.org")
    advisor.wait_for_url("**/jury")
    advisor.get_by_role("link", name="Discussion (1 comment)").click()
    assert advisor.get_by_text("Strong youth participation.").is_visible()
    advisor.get_by_label("Your comment").fill("Agreed; ask about the evaluation too.")
    advisor.get_by_role("button", name="Post the comment").click()
    advisor.get_by_text("Agreed; ask about the evaluation too.").wait_for()
    screenshot(advisor, "advisor-discussion", focus=advisor.locator("h1"))
    advisor_context.close()

    # The second juror has only a draft: no link, and the thread says why it is closed.
    other_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    other = other_context.new_page()
    log_in(other, live_server.url, "juror2@example.org")
    other.goto(f"{live_server.url}/jury/entries/{entry_id}")
    assert other.get_by_role("link", name="Discussion").count() == 0
    other.goto(thread)
    assert other.get_by_text("once you have submitted your own score sheet").is_visible()
    assert other.get_by_text("Strong youth participation.").count() == 0
    assert other.get_by_text("Agreed; ask about the evaluation too.").count() == 0
    other_context.close()

    # The first juror sees the advisor's answer.
    page.goto(thread)
    assert page.get_by_text("Agreed; ask about the evaluation too.").is_visible()


def test_leaving_with_a_comment_not_posted_asks_first(live_server, page):
    entry_id = seed(live_server)["entry_id"]
    log_in(page, live_server.url, "advisor@example.org")
    page.goto(f"{live_server.url}/jury/entries/{entry_id}/discussion")
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_label("Your comment").click()
    page.keyboard.type("A thought not posted yet")
    page.get_by_role("link", name="Back to the entry").click()
    page.wait_for_timeout(500)

    assert dialogs == ["beforeunload"]
    assert page.get_by_label("Your comment").input_value() == "A thought not posted yet"
