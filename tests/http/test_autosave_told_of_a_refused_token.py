"""An autosave whose form token is refused (the page is too old, or another site posted)
is told so in words it can show in its status line: 403, JSON, nothing saved. The page
itself still gets the 'form has expired' page."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.store import entries
from tests import factories

EXPIRED = "Not saved: this page has expired. Copy your text, reload the page and save again."


async def _draft(db, owner_id: int):
    edition = await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    return await factories.entry(db, edition_id=edition.id, owner_id=owner_id)


async def test_an_autosave_with_a_wrong_token_gets_a_readable_json_refusal(applicant_client, db):
    draft = await _draft(db, applicant_client.user.id)
    await applicant_client.get(f"/my/entries/{draft.id}/edit")
    response = await applicant_client.post(
        f"/my/entries/{draft.id}/edit",
        data={"csrf_token": "not-the-token", "version": str(draft.version), "action": "save",
              "title": "Typed in an old tab"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"error": EXPIRED}
    assert (await entries.get(db, draft.id)).application.title == "Peer Talk"


async def test_an_autosave_without_a_token_is_refused_the_same_way(applicant_client, db):
    draft = await _draft(db, applicant_client.user.id)
    response = await applicant_client.post(
        f"/my/entries/{draft.id}/edit",
        data={"version": str(draft.version), "action": "save", "title": "No token"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert response.json() == {"error": EXPIRED}


async def test_the_page_itself_still_gets_the_expired_form_page(applicant_client, db):
    draft = await _draft(db, applicant_client.user.id)
    response = await applicant_client.post(
        f"/my/entries/{draft.id}/edit",
        data={"csrf_token": "not-the-token", "version": str(draft.version), "action": "save",
              "title": "Typed in an old tab"},
    )
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert "Typed in an old tab" in response.text  # shown back, so nothing is lost


async def test_other_refusals_of_a_script_are_json_in_words(applicant_client, db):
    # An entry that is not hers: 404, said in words, not a raw key
    other = await factories.user(db)
    draft = await _draft(db, other.id)
    token = await applicant_client.csrf_token("/my")
    response = await applicant_client.post(
        f"/my/entries/{draft.id}/edit",
        data={"csrf_token": token, "version": "1", "action": "save"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Page not found"}
