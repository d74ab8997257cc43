"""Publishing the results emails every judged entry's applicant at once and cannot be
undone: the secretariat first sees how many people get which email, with one preview of
each kind, and only the confirmation's own button publishes."""

from __future__ import annotations

from prize.store import editions, entries
from tests.http.test_deliberation import scored_edition


async def decided_edition(db):
    """Three entries: a winner, a shortlisted one and one not selected, in deliberation."""
    edition, made, jurors = await scored_edition(db)
    async with db.transaction() as conn:
        for entry, status in zip(made, ("winner", "shortlisted", "not_selected"), strict=True):
            await entries.set_status(conn, entry.id, status, now=edition.closes_at,
                                     statement="Young people lead." if status == "winner" else None)
    return edition, made


async def test_the_confirmation_counts_each_kind_of_email_and_previews_one_of_each(
        admin_client, db):
    edition, made = await decided_edition(db)
    page = await admin_client.get(f"/admin/editions/{edition.year}/results")
    assert page.status_code == 200
    text = page.text
    assert "1 applicant gets the result “Winner”" in text
    assert "1 applicant gets the result “Shortlisted”" in text
    assert "1 applicant gets the result “Not selected”" in text
    assert "3 emails in all." in text
    assert text.count('class="email-preview"') == 3
    # The previews are the emails themselves: their subject and the entry they speak of.
    assert made[0].reference in text and "cannot be undone" in text
    assert "Publish the results and send 3 emails" in text


async def test_posting_the_step_without_confirming_shows_the_confirmation_and_sends_nothing(
        admin_client, db, mailbox):
    edition, _ = await decided_edition(db)
    path = f"/admin/editions/{edition.year}"
    response = await admin_client.submit(f"{path}/transition", {"transition": "publish_results"},
                                         token_from=path)
    assert response.status_code == 200
    assert "Who gets which email" in response.text
    assert (await editions.get(db, edition.id)).status == "deliberation"
    assert mailbox.messages == []


async def test_confirming_publishes_and_sends_what_the_confirmation_said(
        admin_client, db, mailbox, app):
    edition, _ = await decided_edition(db)
    path = f"/admin/editions/{edition.year}"
    response = await admin_client.submit(
        f"{path}/transition", {"transition": "publish_results", "confirmed": "yes"},
        token_from=f"{path}/results")
    assert response.status_code == 303
    assert (await editions.get(db, edition.id)).status == "published"
    await app.state.mailer.flush()
    assert len(mailbox.messages) == 3


async def test_the_confirmation_says_what_stops_publishing_and_offers_no_button(admin_client, db):
    edition, made, _ = await scored_edition(db)  # nothing decided yet
    page = await admin_client.get(f"/admin/editions/{edition.year}/results")
    assert page.status_code == 200
    assert "No winner has been recorded yet." in page.text
    assert "Publish the results and send" not in page.text


async def test_outside_the_deliberation_the_confirmation_only_explains(admin_client, db):
    edition, _, _ = await scored_edition(db, status="judging")
    page = await admin_client.get(f"/admin/editions/{edition.year}/results")
    assert page.status_code == 200
    assert "only during the deliberation" in page.text
    assert "<form" not in page.text.split('id="main"')[1].split("</main>")[0].replace(
        'action="/logout"', "")


async def test_the_lifecycle_page_links_to_the_confirmation_instead_of_publishing(
        admin_client, db):
    edition, _ = await decided_edition(db)
    page = await admin_client.get(f"/admin/editions/{edition.year}")
    assert f'href="/admin/editions/{edition.year}/results"' in page.text
    assert 'value="publish_results"' not in page.text
