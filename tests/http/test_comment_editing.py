"""An author may change their comment for 15 minutes, and the change is marked; nobody
changes someone else's comment."""

from __future__ import annotations

from prize.store import discussion
from tests.http.test_discussion_blind_rule import judging_world, seat


async def posted_comment(db, client, entry, body: str = "First version.") -> int:
    response = await client.submit(f"/jury/entries/{entry.id}/discussion", {"body": body})
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("comment-", 1)[1])


async def test_author_changes_a_comment_within_15_minutes_and_it_is_marked(
        db, clock, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    comment_id = await posted_comment(db, advisor_client, entry)
    clock.advance(minutes=14)

    form = await advisor_client.get(f"/jury/comments/{comment_id}/edit")
    changed = await advisor_client.submit(f"/jury/comments/{comment_id}/edit",
                                          {"body": "Second version."})
    page = await advisor_client.get(f"/jury/entries/{entry.id}/discussion")

    assert form.status_code == 200 and "First version." in form.text
    assert changed.status_code == 303
    assert "Second version." in page.text and "First version." not in page.text
    assert "edited" in page.text
    assert (await discussion.get(db, comment_id)).edited_at == clock.now


async def test_change_after_15_minutes_is_refused_and_the_text_kept(db, clock, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    comment_id = await posted_comment(db, advisor_client, entry)
    page_before = await advisor_client.get(f"/jury/entries/{entry.id}/discussion")
    clock.advance(minutes=16)

    late = await advisor_client.submit(f"/jury/comments/{comment_id}/edit",
                                       {"body": "Too late a change."},
                                       token_from=f"/jury/entries/{entry.id}/discussion")
    page_after = await advisor_client.get(f"/jury/entries/{entry.id}/discussion")

    assert "Change this comment" in page_before.text
    assert late.status_code == 409
    assert "can no longer be changed" in late.text
    assert "Too late a change." in late.text
    assert (await discussion.get(db, comment_id)).body == "First version."
    assert "Change this comment" not in page_after.text


async def test_nobody_changes_someone_elses_comment(db, advisor_client, admin_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    comment_id = await posted_comment(db, advisor_client, entry)

    opened = await admin_client.get(f"/jury/comments/{comment_id}/edit")
    posted = await admin_client.submit(f"/jury/comments/{comment_id}/edit",
                                       {"body": "Rewritten by someone else."},
                                       token_from=f"/jury/entries/{entry.id}/discussion")

    assert opened.status_code == posted.status_code == 403
    assert "Only the author of a comment can change it." in posted.text
    assert (await discussion.get(db, comment_id)).body == "First version."


async def test_an_emptied_comment_is_refused_in_place(db, advisor_client):
    edition, entry, _ = await judging_world(db)
    await seat(db, edition.id, advisor_client.user.id)
    comment_id = await posted_comment(db, advisor_client, entry)

    response = await advisor_client.submit(f"/jury/comments/{comment_id}/edit", {"body": " "})

    assert response.status_code == 422
    assert "Write your comment first." in response.text
    assert (await discussion.get(db, comment_id)).body == "First version."


async def test_a_comment_of_an_unknown_id_does_not_exist(advisor_client):
    assert (await advisor_client.get("/jury/comments/999999/edit")).status_code == 404
