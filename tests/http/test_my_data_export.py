"""My data: every signed-in person sees what is held about them and downloads it as a ZIP
(data.json and their uploads); the secretariat downloads the same for anyone."""

from __future__ import annotations

import io
import json
import zipfile

from prize.store import audit
from tests import factories
from tests.conftest import Browser


def unzip(body: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("data.json")), files


async def _mail_to(db, person) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO outbox (kind, recipient, subject, body, status, related_user_id,"
            " created_at) VALUES ('verify_email', ?, 'Confirm your email address',"
            " 'Hello, here is your link.', 'logged', ?, '2026-01-01T00:00:00Z')",
            (person.email, person.id))


async def test_my_data_is_linked_from_the_header_and_counts_what_we_hold(
        db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    await client.log_in(world.people["applicant_a"].email)
    home = await client.get("/")
    assert 'href="/account/data"' in home.text
    page = await client.get("/account/data")
    assert page.status_code == 200
    assert "<h1>My data</h1>" in page.text
    assert "2 entries, with their history" in page.text
    assert "1 uploaded file" in page.text
    assert 'href="/account/data.zip"' in page.text and 'href="/account/delete"' in page.text


async def test_an_applicant_downloads_their_entries_history_files_and_emails(
        db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    applicant = world.people["applicant_a"]
    await _mail_to(db, applicant)
    await client.log_in(applicant.email)
    response = await client.get("/account/data.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    data, files = unzip(response.content)
    assert data["account"]["email"] == applicant.email
    assert "password_hash" not in data["account"]
    titles = {entry["title"] for entry in data["entries"]}
    assert titles == {"Entry E", "Night Owls"}  # B's entry is not theirs
    entry_e = next(entry for entry in data["entries"] if entry["title"] == "Entry E")
    assert entry_e["application"]["contact_email"] == "maria@example.org"
    assert entry_e["history"] and "application" in entry_e["history"][0]
    (attachment,) = entry_e["attachments"]
    assert attachment["filename"] == "plan.pdf"
    assert files[attachment["file"]] == factories.PDF_BYTES
    assert attachment["file"].startswith("files/")
    (email,) = data["emails"]
    assert email["body"] == "Hello, here is your link."
    assert isinstance(data["consents"], list)
    winner = next(entry for entry in data["entries"] if entry["title"] == "Night Owls")
    assert winner["practice"]["organisation"] == "Youth Voices"


async def test_a_juror_downloads_their_profile_sheets_and_jury(db, settings, client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    juror = world.people["juror"]
    await client.log_in(juror.email)
    data, files = unzip((await client.get("/account/data.zip")).content)
    assert data["profile"]["country"] == "FR"
    assert [sheet["reference"] for sheet in data["score_sheets"]] == [
        (await db.fetch_value("SELECT reference FROM entries WHERE id = ?", (world.entry_id,)))]
    assert data["juries"][0]["year"] == 2026
    assert data["assignments"] and not files
    assert data["entries"] == []


async def test_the_secretariat_downloads_anyones_data_and_the_export_is_audited(
        db, settings, admin_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    applicant = world.people["applicant_a"]
    page = await admin_client.get(f"/admin/users/{applicant.id}")
    assert f'href="/admin/users/{applicant.id}/export.zip"' in page.text
    response = await admin_client.get(f"/admin/users/{applicant.id}/export.zip")
    assert response.status_code == 200
    data, files = unzip(response.content)
    assert data["account"]["email"] == applicant.email and len(files) == 1
    (record,) = await audit.search(db, action="user.exported", subject_id=applicant.id)
    assert record.actor_id == admin_client.user.id
    assert applicant.email not in json.dumps(record.details)


async def test_exporting_an_unknown_person_is_not_found(admin_client: Browser):
    assert (await admin_client.get("/admin/users/999999/export.zip")).status_code == 404
    assert (await admin_client.get("/admin/users/0/export.zip")).status_code == 404


async def test_another_person_cannot_download_someone_elses_data(
        db, settings, applicant_client: Browser):
    world = await factories.security_world(db, settings.upload_dir)
    other = world.people["applicant_a"]
    response = await applicant_client.get(f"/admin/users/{other.id}/export.zip")
    assert response.status_code == 403
    data, _files = unzip((await applicant_client.get("/account/data.zip")).content)
    assert data["account"]["email"] == applicant_client.user.email
    assert data["entries"] == []


async def test_every_place_the_inventory_says_the_export_fills_is_in_data_json(
        db, settings, client: Browser):
    """EXPORTED (prize/domain/privacy.py) names, for each personal column of the
    inventory, where the ZIP holds it: each of those places exists in a real export."""
    import re

    from prize.domain.privacy import EXPORTED

    world = await factories.security_world(db, settings.upload_dir)
    await client.log_in(world.people["applicant_a"].email)
    data, files = unzip((await client.get("/account/data.zip")).content)
    places = {re.split(r"[.\[ ]", where)[0] for where in EXPORTED.values()
              if not where.startswith("not exported")}
    places.discard("files/")
    assert files  # files/ is where attachments.file goes
    missing = sorted(place for place in places if place not in data)
    assert not missing, f"EXPORTED names places data.json lacks: {missing}"
