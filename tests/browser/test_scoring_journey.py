"""A juror scores an entry over two sittings, submits, then sees the other jurors' sheets."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.domain.editions import DEFAULT_CRITERIA
from tests import factories
from tests.browser.conftest import log_in, screenshot


def seed_judging(live_server) -> dict:
    made: dict = {}

    async def work(db):
        edition = await factories.edition(db, year=2025, status="judging",
                                          closes_at=datetime(2025, 5, 30, tzinfo=UTC))
        owner = await factories.user(db)
        entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      status="eligible")
        jurors = [await factories.user(db, role="juror", email=f"juror{n}@example.org",
                                       name=name)
                  for n, name in ((1, "Camille Laurent"), (2, "Jonas Becker"), (3, "Ana Kovac"))]
        for juror in jurors:
            await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                       juror_id=juror.id,
                                       sheet=None if juror is jurors[0] else "submitted")
        async with db.transaction() as conn:
            await conn.execute("UPDATE editions SET assignment_released_at = '2025-06-01T00:00:00Z'"
                               " WHERE id = ?", (edition.id,))
            await conn.execute(
                "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
                " SELECT s.id, 'ethics', 4, 'Consent forms are exemplary.' FROM score_sheets s"
                " WHERE s.entry_id = ?", (entry.id,))
        made["entry_id"] = entry.id

    live_server.seed(work)
    return made


def test_juror_scores_over_two_sittings_submits_and_then_sees_the_others(live_server, page):
    entry_id = seed_judging(live_server)["entry_id"]
    log_in(page, live_server.url, "juror1@example.org")
    page.wait_for_url("**/jury**")

    page.goto(f"{live_server.url}/jury/entries/{entry_id}")
    page.get_by_role("heading", name="Peer Talk").wait_for()
    assert page.get_by_text("once you have submitted your own").is_visible()
    assert page.get_by_text("Consent forms are exemplary.").count() == 0

    # First sitting: two criteria, then Save and leave.
    page.get_by_role("link", name="Score this entry").click()
    first = page.get_by_role("group", name="Youth participation")
    first.get_by_label("4 — Young people shape most stages").check()
    page.locator("#field-justification-youth_participation").fill(
        "Students designed the survey and run every session.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your score sheet is saved as a draft.").wait_for()
    page.goto(live_server.url + "/jury")

    # Second sitting: the text is there; finish and submit.
    page.goto(f"{live_server.url}/jury/entries/{entry_id}/sheet")
    assert page.locator("#field-justification-youth_participation").input_value().startswith(
        "Students designed the survey")
    assert page.locator("#score-youth_participation-4").is_checked()
    for criterion in DEFAULT_CRITERIA[1:]:
        page.locator(f"#score-{criterion.key}-3").check()
        page.locator(f"#field-justification-{criterion.key}").fill(
            f"Adequate on {criterion.key.replace('_', ' ')}.")
    page.get_by_label("Overall comment").fill("A strong, youth-led project.")
    # Autosave posts the form in the background and takes the new version, so the
    # Submit below is not refused as coming from a stale page.
    page.locator("#autosave-status").get_by_text("Draft saved").wait_for()
    screenshot(page, "juror-score-sheet")
    page.get_by_role("button", name="Submit the sheet").click()
    page.get_by_text("Your score sheet is submitted.").wait_for()

    # Now the colleagues' sheets are visible.
    assert page.get_by_text("Jonas Becker").first.is_visible()
    assert page.get_by_text("Consent forms are exemplary.").first.is_visible()
