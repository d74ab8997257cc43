"""The daily digest of new discussion comments, delivered through a real SMTP server on
loopback: on by default for advisors and the secretariat, chosen by jurors, only the
threads the person may read, in their language, and never twice the same day."""

from __future__ import annotations

from datetime import datetime

from prize import notifications
from prize.store import discussion, jury, users
from tests import factories
from tests.http.test_discussion_blind_rule import judging_world, seat


async def comment(db, entry_id: int, author_id: int, body: str, at: datetime) -> None:
    async with db.transaction() as conn:
        await discussion.add(conn, entry_id=entry_id, author_id=author_id, body=body, now=at)


async def run_digest(app):
    state = app.state
    return await notifications.send_digests(state.db, state.mailer, now=state.clock(),
                                            base_url=state.settings.base_url)


async def test_advisor_gets_the_digest_by_default_with_the_comment_and_its_link(
        app, db, clock, mailbox):
    advisor = await factories.user(db, role="advisor", email="advisor@example.org")
    writer = await factories.user(db, role="admin", email="sec@example.org")
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor.id)
    await comment(db, entry.id, writer.id, "Please look at the evaluation.", clock.now)
    clock.advance(hours=1)

    sent, _ = await run_digest(app)

    assert sent == ["advisor@example.org"]
    (message,) = mailbox.to("advisor@example.org")
    body = mailbox.body(message)
    assert "1 new comment" in message["Subject"]
    assert "Please look at the evaluation." in body
    assert f"http://testserver/jury/entries/{entry.id}/discussion" in body
    assert entry.reference in body
    # The secretariat's own comment is not sent back to it.
    assert mailbox.to("sec@example.org") == []


async def test_never_twice_the_same_day_and_the_next_day_only_what_is_new(
        app, db, clock, mailbox):
    advisor = await factories.user(db, role="advisor", email="advisor@example.org")
    writer = await factories.user(db, role="admin")
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor.id)
    await comment(db, entry.id, writer.id, "First remark.", clock.now)
    clock.advance(minutes=5)
    await run_digest(app)
    clock.advance(minutes=1)
    await comment(db, entry.id, writer.id, "Second remark.", clock.now)
    clock.advance(hours=2)

    again_today, skipped = await run_digest(app)
    clock.advance(days=1)
    next_day, _ = await run_digest(app)

    assert again_today == [] and skipped == ["advisor@example.org"]
    assert next_day == ["advisor@example.org"]
    first, second = mailbox.to("advisor@example.org")
    assert "First remark." in mailbox.body(first)
    assert "Second remark." in mailbox.body(second)
    assert "First remark." not in mailbox.body(second)


async def test_nothing_new_sends_nothing(app, db, mailbox):
    advisor = await factories.user(db, role="advisor")
    edition, _, _ = await judging_world(db)
    await seat(db, edition.id, advisor.id)

    assert await run_digest(app) == ([], [])
    assert mailbox.messages == []


async def test_digest_is_in_the_readers_language(app, db, clock, mailbox):
    advisor = await factories.user(db, role="advisor", email="conseil@example.org")
    await users.set_locale(db, advisor.id, "fr")
    writer = await factories.user(db, role="admin")
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor.id)
    await comment(db, entry.id, writer.id, "Un avis.", clock.now)
    clock.advance(minutes=1)

    await run_digest(app)

    (message,) = mailbox.to("conseil@example.org")
    body = mailbox.body(message)
    assert "Bonjour" in body
    assert "Un avis." in body


async def test_juror_gets_it_only_when_chosen_and_only_after_submitting(
        app, db, clock, mailbox, juror_client):
    writer = await factories.user(db, role="admin")
    _, entry, _ = await judging_world(db, sheet="draft", juror_id=juror_client.user.id)
    await comment(db, entry.id, writer.id, "Blind until submitted.", clock.now)
    clock.advance(minutes=1)
    assert await run_digest(app) == ([], [])  # off by default for jurors

    chosen = await juror_client.submit("/jury/digest", {"digest": "on"})
    not_yet, _ = await run_digest(app)
    async with db.transaction() as conn:
        await conn.execute("UPDATE score_sheets SET status = 'submitted' WHERE juror_id = ?",
                           (juror_client.user.id,))
    clock.advance(minutes=1)
    after, _ = await run_digest(app)

    assert chosen.status_code == 303
    assert not_yet == []
    assert after == [juror_client.user.email]
    assert "Blind until submitted." in mailbox.body(mailbox.to(juror_client.user.email)[0])


async def test_conflicted_advisor_gets_nothing_of_that_entry(app, db, clock, mailbox):
    advisor = await factories.user(db, role="advisor", email="advisor@example.org")
    writer = await factories.user(db, role="admin")
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor.id)
    async with db.transaction() as conn:
        await jury.set_conflict(conn, entry_id=entry.id, juror_id=advisor.id,
                                source="declared", reason="", created_by=advisor.id,
                                now=clock.now)
    await comment(db, entry.id, writer.id, "Not for the advisor.", clock.now)
    clock.advance(minutes=1)

    assert await run_digest(app) == ([], [])


async def test_advisor_who_turned_it_off_gets_nothing(app, db, clock, mailbox, advisor_client):
    writer = await factories.user(db, role="admin")
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    page = await advisor_client.get("/jury/digest")
    await advisor_client.submit("/jury/digest", {"digest": "off"})
    await comment(db, entry.id, writer.id, "Hello", clock.now)
    clock.advance(minutes=1)

    assert 'value="on" selected' in page.text
    assert await run_digest(app) == ([], [])


async def test_a_bad_digest_choice_is_refused_in_place(advisor_client):
    response = await advisor_client.submit("/jury/digest", {"digest": "weekly"})

    assert response.status_code == 422
    assert "Choose from the list." in response.text
