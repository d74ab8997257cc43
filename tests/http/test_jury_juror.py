"""The juror's side: dashboard, conflicts and preferences, profile; the conflict rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import access, audit, entries
from prize.store import jury as jury_store
from tests import factories
from tests.factories import complete_application

YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
async def edition(db):
    return await factories.edition(db, year=YEAR, status="judging",
                                   judging_ends_at=datetime(2026, 7, 15, 21, 59, tzinfo=UTC))


@pytest.fixture
async def owner(db):
    return await factories.user(db, email="owner@example.org")


async def eligible(db, edition, owner, **changes):
    application = complete_application(**{"title": "Peer Talk", "org_name": "Youth Voices",
                                          "country": "IE", **changes})
    return await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                 status="eligible", application=application)


async def attach(db, settings, entry) -> int:
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    (settings.upload_dir / f"file{entry.id}.pdf").write_bytes(PDF)
    async with db.transaction() as conn:
        await entries.add_attachment(conn, entry_id=entry.id, stored_name=f"file{entry.id}.pdf",
                                     filename="plan.pdf", content_type="application/pdf",
                                     size=len(PDF), sha256="0", description="",
                                     now=datetime(2026, 1, 3, tzinfo=UTC))
    (attachment,) = await entries.attachments_of(db, entry.id)
    return attachment.id


# Access (who may open these pages: see test_authorisation_matrix.py) -----------------------


async def test_conflicts_page_is_only_for_active_jurors_of_that_edition(client, db, edition):
    outsider = await factories.juror(db)
    await client.log_in(outsider.email)
    for path in (f"/jury/{YEAR}/conflicts", "/jury/1999/conflicts", "/jury/abcd/conflicts"):
        assert (await client.get(path)).status_code == 404, path
    response = await client.submit(f"/jury/{YEAR}/conflicts", {}, token_from="/jury")
    assert response.status_code == 404


# The conflict rule -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["country", "organisation", "declared", "secretariat", "none"])
async def test_conflicted_juror_never_opens_the_entry_or_its_files(client, db, edition, owner,
                                                                   settings, kind):
    entry = await eligible(db, edition, owner, countries=["MT"])
    attachment_id = await attach(db, settings, entry)
    country = {"country": "MT"}.get(kind, "FR")
    organisation = " youth VOICES " if kind == "organisation" else "Elsewhere"
    juror = await factories.juror(db, edition_id=edition.id, country=country,
                                  organisation=organisation)
    if kind in ("declared", "secretariat"):
        async with db.transaction() as conn:
            await jury_store.set_conflict(conn, entry_id=entry.id, juror_id=juror.id,
                                          source=kind, reason="", created_by=juror.id,
                                          now=datetime(2026, 6, 1, tzinfo=UTC))
    # Assigned by hand, as a later pin or data change might do: the rule still holds.
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    await client.log_in(juror.email)
    download = await client.get(f"/files/{attachment_id}")
    dashboard = await client.get("/jury")
    may_read = await access.juror_may_read(db, juror.id, entry.id)
    if kind == "none":
        assert may_read and download.status_code == 200
        assert f"/jury/entries/{entry.id}" in dashboard.text
    else:
        assert not may_read and download.status_code == 404
        assert f"/jury/entries/{entry.id}" not in dashboard.text


async def test_withdrawn_juror_loses_access(client, db, edition, owner, settings):
    entry = await eligible(db, edition, owner)
    attachment_id = await attach(db, settings, entry)
    juror = await factories.juror(db, edition_id=edition.id)
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    await client.log_in(juror.email)
    assert (await client.get(f"/files/{attachment_id}")).status_code == 200
    async with db.transaction() as conn:
        await jury_store.set_status(conn, edition.id, juror.id, "withdrawn")
    assert (await client.get(f"/files/{attachment_id}")).status_code == 404


# Dashboard --------------------------------------------------------------------------------


async def test_dashboard_shows_entries_only_after_release_with_the_deadline(client, db, edition,
                                                                            owner):
    entry = await eligible(db, edition, owner, title="Street Voices")
    juror = await factories.juror(db, edition_id=edition.id)
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await client.log_in(juror.email)
    before = await client.get("/jury")
    assert before.status_code == 200 and "Street Voices" not in before.text
    assert "has not sent you your entries yet" in before.text
    # Day month year and HH:MM, in Strasbourg's time.
    assert "15 July 2026, 23:59" in before.text
    await factories.release_assignment(db, edition.id)
    after = await client.get("/jury")
    assert "Street Voices" in after.text and f'href="/jury/entries/{entry.id}/sheet"' in after.text
    assert f'href="/jury/{YEAR}/conflicts"' in after.text


# Conflicts and preferences -----------------------------------------------------------------


async def test_conflicts_page_shows_only_title_organisation_and_country(client, db, edition,
                                                                        owner):
    entry = await eligible(db, edition, owner, summary="A secret summary of the project.",
                           contact_name="Private Person")
    juror = await factories.juror(db, edition_id=edition.id)
    await client.log_in(juror.email)
    page = await client.get(f"/jury/{YEAR}/conflicts")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    assert "Peer Talk" in page.text and "Youth Voices" in page.text and "Ireland" in page.text
    assert "secret summary" not in page.text and "Private Person" not in page.text
    assert f'id="field-conflict_{entry.id}"' in page.text


async def test_declaring_a_conflict_and_preferences_is_stored_and_audited(client, db, edition,
                                                                          owner):
    first = await eligible(db, edition, owner, title="First")
    second = await eligible(db, edition, owner, title="Second")
    third = await eligible(db, edition, owner, title="Third")
    juror = await factories.juror(db, edition_id=edition.id)
    await client.log_in(juror.email)
    path = f"/jury/{YEAR}/conflicts"
    response = await client.submit(path, {
        f"conflict_{first.id}": "on", f"reason_{first.id}": "My cousin runs it",
        f"preference_{second.id}": "like", f"preference_{third.id}": "rather_not"})
    assert response.status_code == 303
    conflicts = await jury_store.conflicts_of(db, edition.id, juror.id)
    assert conflicts[(juror.id, first.id)].reason == "My cousin runs it"
    assert conflicts[(juror.id, first.id)].source == "declared"
    assert await jury_store.preferences_of(db, edition.id, juror.id) == {
        (juror.id, second.id): 1, (juror.id, third.id): -1}
    dashboard = await client.get("/jury")
    assert "My cousin runs it" in dashboard.text
    # Unticking withdraws the declaration.
    await client.submit(path, {f"preference_{second.id}": "like"})
    assert await jury_store.conflicts_of(db, edition.id, juror.id) == {}
    actions = [r.action for r in await audit.search(db, edition_id=edition.id)]
    assert "conflict.declared" in actions and "conflict.withdrawn" in actions


@pytest.mark.parametrize(("field", "value"), [("reason", "R" * 501), ("preference", "love")])
async def test_bad_declaration_is_shown_again_with_the_input(client, db, edition, owner, field,
                                                             value):
    entry = await eligible(db, edition, owner)
    juror = await factories.juror(db, edition_id=edition.id)
    await client.log_in(juror.email)
    response = await client.submit(f"/jury/{YEAR}/conflicts", {
        f"conflict_{entry.id}": "on", f"{field}_{entry.id}": value})
    assert response.status_code == 422
    assert f'id="error-{field}_{entry.id}"' in response.text
    assert "checked" in response.text
    assert await jury_store.conflicts_of(db, edition.id, juror.id) == {}


async def test_wrong_csrf_token_on_conflicts_saves_nothing(client, db, edition, owner):
    entry = await eligible(db, edition, owner)
    juror = await factories.juror(db, edition_id=edition.id)
    await client.log_in(juror.email)
    response = await client.post(f"/jury/{YEAR}/conflicts", data={
        f"conflict_{entry.id}": "on", "csrf_token": "stale"})
    assert response.status_code == 403
    assert await jury_store.conflicts_of(db, edition.id, juror.id) == {}


async def test_automatic_conflicts_are_shown_without_a_checkbox(client, db, edition, owner):
    entry = await eligible(db, edition, owner)
    juror = await factories.juror(db, edition_id=edition.id, country="IE")
    await client.log_in(juror.email)
    page = await client.get(f"/jury/{YEAR}/conflicts")
    assert "from your country" in page.text
    assert f'id="field-conflict_{entry.id}"' not in page.text


# Profile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "field"), [
    ([("name", "Ana"), ("languages", "en")], "country"),
    ([("name", "Ana"), ("country", "XX"), ("languages", "en")], "country"),
    ([("name", "Ana"), ("country", "SI")], "languages"),
    ([("name", "Ana"), ("country", "SI"), ("languages", "klingon")], "languages"),
    ([("name", ""), ("country", "SI"), ("languages", "en")], "name"),
    ([("name", "Ana"), ("country", "SI"), ("languages", "en"), ("bio", "b" * 1001)], "bio"),
    ([("name", "Ana"), ("country", "SI"), ("languages", "en"), ("organisation", "o" * 201)],
     "organisation"),
    ([("name", "Ana"), ("country", "SI"), ("languages", "en"),
      ("expertise_settings", "space")], "expertise_settings"),
])
async def test_bad_profile_is_shown_again_with_the_input(client, db, form, field):
    juror = await factories.juror(db, country="FR")
    await client.log_in(juror.email)
    response = await client.submit("/jury/profile", form)
    assert response.status_code == 422 and f'id="error-{field}"' in response.text
    assert (await jury_store.profile(db, juror.id)).country == "FR"


async def test_profile_is_saved(client, db):
    juror = await factories.juror(db, country="FR")
    await client.log_in(juror.email)
    page = await client.get("/jury/profile")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    response = await client.submit("/jury/profile", [
        ("name", "Ana Kovač"), ("country", "SI"), ("languages", "sl"), ("languages", "en"),
        ("organisation", "Ljubljana Youth Centre"), ("expertise_groups", "adolescents"),
        ("bio", "Student.")])
    assert response.status_code == 303
    profile = await jury_store.profile(db, juror.id)
    assert profile.country == "SI" and profile.languages == ["sl", "en"]
    assert profile.expertise_groups == ["adolescents"]
