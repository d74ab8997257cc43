"""Submitting an entry records the declaration, the consent to publication (when given)
and the acceptance of the privacy notice, each with its version and the time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from prize.clock import to_iso
from prize.store import consent, entries
from tests import factories
from tests.factories import application_form, complete_application


@pytest.fixture
async def edition(db):
    return await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


async def start(client, edition) -> int:
    response = await client.submit("/my/entries", {"edition_id": str(edition.id)},
                                   token_from="/my")
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def submit(client, db, entry_id: int, **changes):
    version = str((await entries.get(db, entry_id)).version)
    return await client.submit(
        f"/my/entries/{entry_id}/edit",
        [*application_form(complete_application(**changes)), ("action", "submit"),
         ("version", version)],
        token_from=f"/my/entries/{entry_id}/edit")


async def at_submission(db, user_id: int) -> list[dict]:
    return [record for record in await consent.list_for_user(db, user_id)
            if record["occasion"] == "submission"]


async def test_submission_records_the_declaration_publication_and_notice(
        applicant_client, db, edition, clock):
    entry_id = await start(applicant_client, edition)
    clock.advance(hours=1)
    response = await submit(applicant_client, db, entry_id)
    assert response.status_code == 303, response.text
    records = await at_submission(db, applicant_client.user.id)
    assert sorted(records, key=lambda r: r["document"]) == [
        {"document": document, "version": 1, "language": "en", "accepted_at": to_iso(clock()),
         "occasion": "submission", "entry_id": entry_id}
        for document in ("declaration", "privacy", "publication")]


async def test_no_consent_to_publication_is_recorded_when_it_was_not_given(
        applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    response = await submit(applicant_client, db, entry_id, consent_publication=False)
    assert response.status_code == 303
    documents = {r["document"] for r in await at_submission(db, applicant_client.user.id)}
    assert documents == {"declaration", "privacy"}


async def test_a_refused_submission_records_nothing(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    response = await submit(applicant_client, db, entry_id, declaration=False)
    assert response.status_code == 422
    assert await at_submission(db, applicant_client.user.id) == []


async def test_each_submission_of_changes_is_recorded_again(applicant_client, db, edition,
                                                            clock):
    entry_id = await start(applicant_client, edition)
    await submit(applicant_client, db, entry_id)
    clock.advance(days=2)
    again = await submit(applicant_client, db, entry_id, title="Peer Talk, second version")
    assert again.status_code == 303
    declarations = [r for r in await at_submission(db, applicant_client.user.id)
                    if r["document"] == "declaration"]
    assert [r["accepted_at"] for r in declarations][-1] == to_iso(clock())
    assert len(declarations) == 2


async def test_the_entry_form_says_what_submitting_records(applicant_client, db, edition):
    entry_id = await start(applicant_client, edition)
    page = (await applicant_client.get(f"/my/entries/{entry_id}/edit")).text
    assert "When you submit, we record your declaration" in page
    assert 'href="/privacy"' in page


async def test_a_declaration_worded_anew_in_the_form_is_recorded_as_a_new_version(
        applicant_client, db, edition, clock):
    from prize.domain.form_schema import default_form
    from prize.domain.notices import Document
    from prize.store import forms

    schema = default_form()
    declaration = schema.question("declaration")
    declaration.label.en = "I declare that this entry is true and complete."
    declaration.label.fr = "Je déclare que ce dossier est exact et complet."
    async with db.transaction() as conn:
        await forms.save(conn, edition.id, schema, now=clock(), actor_id=None)
    entry_id = await start(applicant_client, edition)
    response = await submit(applicant_client, db, entry_id)
    assert response.status_code == 303, response.text
    versions = {r["document"]: r["version"] for r in await at_submission(
        db, applicant_client.user.id)}
    assert versions == {"privacy": 1, "declaration": 2, "publication": 1}
    worded = await consent.version(db, Document.DECLARATION, 2)
    assert worded.body_en == "I declare that this entry is true and complete."
    assert worded.body_fr == "Je déclare que ce dossier est exact et complet."
    # The next submission in those words records the same version.
    other = await start(applicant_client, edition)
    await submit(applicant_client, db, other)
    assert len(await consent.versions(db, Document.DECLARATION)) == 2
