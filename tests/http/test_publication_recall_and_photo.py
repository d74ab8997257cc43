"""Sending saves first; the secretariat can recall and re-send; the applicant picks the
public photo, which is re-encoded without metadata and needs its alt text (issue 13)."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime

from PIL import Image

from prize.domain.practices import PublicText
from prize.store import audit, entries
from prize.store import practices as store
from tests import factories

NOW = datetime(2026, 1, 3, tzinfo=UTC)


async def winning_entry(db):
    edition = await factories.edition(db, year=2025, status="published")
    owner = await factories.user(db, email="owner@example.org")
    return await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="winner",
        application=factories.complete_application(title="Night Owls", consent_publication=True),
    )


async def practice_of(db, entry, status: str) -> int:
    async with db.transaction() as conn:
        return await store.create(
            conn, edition_id=entry.edition_id, year=2025, award="winner", entry_id=entry.id,
            text=PublicText(title="Night Owls", organisation="Owls", summary="Old summary."),
            country="IE", countries=["IE"], substances=[], now=NOW, status=status)


def form_of(practice: store.Practice, **changes: str) -> dict[str, str]:
    return {"title": practice.title, "organisation": practice.organisation,
            "summary": practice.summary, **changes}


async def test_sending_saves_the_edits_on_the_screen_first(client, db, mailbox):
    # Given a draft public record open in the secretariat's edit form
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "draft")
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    practice = await store.get(db, practice_id)
    edit = await client.get(f"/admin/practices/{practice_id}")
    assert "Save and send to the applicant for approval" in edit.text
    # When the secretariat edits the summary and presses Send without saving
    sent = await client.submit(f"/admin/practices/{practice_id}/send",
                               form_of(practice, summary="New words from the secretariat.",
                                       title="Night Owls of Cork", young_people="40"),
                               token_from=f"/admin/practices/{practice_id}")
    # Then the applicant gets the new words, not the old ones
    assert sent.status_code == 303
    practice = await store.get(db, practice_id)
    assert practice.status == "awaiting_applicant"
    assert practice.summary == "New words from the secretariat." and practice.young_people == 40
    link = mailbox.link("owner@example.org", "/my/practices/")
    (message,) = mailbox.to("owner@example.org")
    assert "Night Owls of Cork" in message.as_string()
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/")})
    await client.log_in("owner@example.org")
    assert "New words from the secretariat." in (await client.get(link)).text


async def test_a_bad_edit_is_not_sent_and_is_shown_again(client, db, mailbox):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "draft")
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    practice = await store.get(db, practice_id)
    refused = await client.submit(f"/admin/practices/{practice_id}/send",
                                  form_of(practice, title="", summary="Kept words.",
                                          people_reached="many"),
                                  token_from=f"/admin/practices/{practice_id}")
    assert refused.status_code == 422 and "Kept words." in refused.text
    assert "Enter a whole number" in refused.text
    assert (await store.get(db, practice_id)).status == "draft"
    assert not mailbox.to("owner@example.org")


async def test_the_secretariat_recalls_a_record_and_sends_the_request_again(client, db,
                                                                              mailbox):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    page = f"/admin/practices/{practice_id}"
    shown = await client.get(page)
    assert "Take the text back from the applicant" in shown.text
    assert "Send the request again" in shown.text
    # Send the request again: one more email, the text stays with the applicant
    await client.submit(f"{page}/resend", {}, token_from=page)
    assert (await store.get(db, practice_id)).status == "awaiting_applicant"
    assert mailbox.link("owner@example.org", "/my/practices/")
    # Take it back: a draft the secretariat can edit; the applicant can no longer approve
    back = await client.submit(f"{page}/recall", {}, token_from=page)
    assert back.status_code == 303
    assert (await store.get(db, practice_id)).status == "draft"
    assert "Save the public page" in (await client.get(page)).text
    actions = [r.action for r in await audit.search(db, subject_type="practice",
                                                       subject_id=practice_id)]
    assert actions[:2] == ["practice.recall", "practice.resend"]
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/")})
    await client.log_in("owner@example.org")
    review = await client.get(f"/my/practices/{practice_id}")
    assert "I approve this text" not in review.text
    await client.submit(f"/my/practices/{practice_id}/approve", {},
                        token_from=f"/my/practices/{practice_id}")
    assert (await store.get(db, practice_id)).status == "draft"


def jpeg_with_gps(width: int = 2400, height: int = 1600) -> bytes:
    """A JPEG as a phone writes it: camera make and model, GPS position, a comment."""
    image = Image.new("RGB", (width, height), (200, 60, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"          # Make
    exif[0x0110] = "Model X-1"          # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 35.0, 1.0)   # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (7.0, 45.0, 2.0)    # GPSLongitudeRef, GPSLongitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at 12 Rue Secrete")
    return out.getvalue()


async def attach(db, app, entry, content: bytes, name: str = "mural.jpg") -> int:
    stored = secrets.token_hex(8) + ".jpg"
    folder = app.state.settings.upload_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(content)
    async with db.transaction() as conn:
        return await entries.add_attachment(
            conn, entry_id=entry.id, stored_name=stored, filename=name,
            content_type="image/jpeg", size=len(content), sha256="0" * 64, description="",
            now=NOW)


async def test_the_applicant_picks_a_photo_that_is_published_without_its_metadata(
        client, db, app):
    # Given a record awaiting the applicant, whose entry has a phone photo with GPS
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    original = jpeg_with_gps()
    assert b"SecretCam" in original
    attachment_id = await attach(db, app, entry, original)
    await client.log_in("owner@example.org")
    review = await client.get(f"/my/practices/{practice_id}")
    assert f'value="{attachment_id}"' in review.text and "Describe the image" in review.text
    # When the applicant approves with the photo and its description
    answer = await client.submit(
        f"/my/practices/{practice_id}/approve",
        {"photo": str(attachment_id), "image_alt": "Four young people painting a mural"},
        token_from=f"/my/practices/{practice_id}")
    assert answer.status_code == 303
    practice = await store.get(db, practice_id)
    assert practice.status == "approved" and practice.image_attachment_ids == [attachment_id]
    assert (await entries.attachment(db, attachment_id)).public_allowed
    # and the secretariat publishes
    async with db.transaction() as conn:
        await store.set_status(conn, practice_id, "published", now=NOW)
    # Then the page shows the photo with its alt text, resized, and without any metadata
    public = await client.get(f"/practices/{practice.slug}")
    assert 'alt="Four young people painting a mural"' in public.text
    assert f'src="/practices/{practice.slug}/photo"' in public.text
    assert 'loading="lazy"' in public.text
    photo = await client.get(f"/practices/{practice.slug}/photo")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    for secret in (b"SecretCam", b"Model X-1", b"Rue Secrete", b"Exif"):
        assert secret not in photo.content
    shown = Image.open(io.BytesIO(photo.content))
    assert shown.size == (1200, 800) and not shown.getexif()
    # and the catalogue's card shows the small copy, lazy-loaded
    listing = await client.get("/practices")
    assert f'src="/practices/{practice.slug}/photo/card"' in listing.text
    card = Image.open(io.BytesIO((await client.get(f"/practices/{practice.slug}/photo/card")
                                  ).content))
    assert card.size == (480, 320)
    # The uploaded file itself is never what the public gets
    assert original != photo.content
    # The API gives the photo with its description and size
    detail = (await client.get(f"/api/v1/practices/{practice.slug}")).json()
    assert detail["image"] == {"url": f"http://testserver/practices/{practice.slug}/photo",
                               "alt": "Four young people painting a mural",
                               "width": 1200, "height": 800}
    assert detail["images"] == [detail["image"]["url"]]


async def test_a_chosen_photo_needs_its_description(client, db, app):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    attachment_id = await attach(db, app, entry, jpeg_with_gps(300, 200))
    await client.log_in("owner@example.org")
    refused = await client.submit(f"/my/practices/{practice_id}/approve",
                                  {"photo": str(attachment_id), "image_alt": "   "},
                                  token_from=f"/my/practices/{practice_id}")
    assert refused.status_code == 422
    assert "Describe the image for people who cannot see it" in refused.text
    # The choice is kept, nothing is approved
    assert f'value="{attachment_id}" checked' in refused.text
    assert (await store.get(db, practice_id)).status == "awaiting_applicant"
    too_long = await client.submit(f"/my/practices/{practice_id}/approve",
                                   {"photo": str(attachment_id), "image_alt": "x" * 301},
                                   token_from=f"/my/practices/{practice_id}")
    assert too_long.status_code == 422 and "At most 300 characters." in too_long.text


async def test_another_entrys_image_cannot_be_chosen(client, db, app):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    stranger = await factories.user(db, email="stranger@example.org")
    other = await factories.entry(db, edition_id=entry.edition_id, owner_id=stranger.id)
    foreign = await attach(db, app, other, jpeg_with_gps(300, 200))
    await client.log_in("owner@example.org")
    refused = await client.submit(f"/my/practices/{practice_id}/approve",
                                  {"photo": str(foreign), "image_alt": "A photo"},
                                  token_from=f"/my/practices/{practice_id}")
    assert refused.status_code == 422
    assert "Choose one of the images of your entry" in refused.text


async def test_approving_without_a_photo_still_works(client, db):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    await client.log_in("owner@example.org")
    await client.submit(f"/my/practices/{practice_id}/approve", {"photo": ""},
                        token_from=f"/my/practices/{practice_id}")
    practice = await store.get(db, practice_id)
    assert practice.status == "approved" and not practice.image_name


async def test_the_secretariat_sees_the_chosen_photo_and_editing_keeps_it(client, db, app):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    attachment_id = await attach(db, app, entry, jpeg_with_gps(600, 400))
    await client.log_in("owner@example.org")
    await client.submit(f"/my/practices/{practice_id}/approve",
                        {"photo": str(attachment_id), "image_alt": "A mural"},
                        token_from=f"/my/practices/{practice_id}")
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/")})
    await factories.user(db, role="admin", email="admin@example.org")
    await client.log_in("admin@example.org")
    page = await client.get(f"/admin/practices/{practice_id}")
    assert "Chosen by the applicant, described as: “A mural”" in page.text
    practice = await store.get(db, practice_id)
    await client.submit(f"/admin/practices/{practice_id}", form_of(practice, summary="New."),
                        token_from=f"/admin/practices/{practice_id}")
    edited = await store.get(db, practice_id)
    assert edited.status == "draft" and edited.summary == "New."
    assert edited.image_name == practice.image_name and edited.image_alt == "A mural"


async def test_a_png_with_transparency_and_text_is_flattened_and_cleaned(client, db, app):
    entry = await winning_entry(db)
    practice_id = await practice_of(db, entry, "awaiting_applicant")
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (800, 600), (0, 120, 200, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Person")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    attachment_id = await attach(db, app, entry, out.getvalue(), name="poster.png")
    await db.execute_write("UPDATE attachments SET content_type = 'image/png' WHERE id = ?",
                           (attachment_id,))
    await client.log_in("owner@example.org")
    await client.submit(f"/my/practices/{practice_id}/approve",
                        {"photo": str(attachment_id), "image_alt": "A blue poster"},
                        token_from=f"/my/practices/{practice_id}")
    practice = await store.get(db, practice_id)
    copy = (app.state.settings.upload_dir / practice.image_name).read_bytes()
    assert b"Secret Person" not in copy
    assert Image.open(io.BytesIO(copy)).format == "JPEG"
