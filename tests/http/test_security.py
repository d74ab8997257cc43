"""Security headers on every kind of response, sessions at login and logout, and uploads
that lie about what they are, hide markup, are too large or carry hostile names."""

from __future__ import annotations

import secrets
import struct
import zlib
from pathlib import Path

import httpx
import pytest

from prize.web.app import MAX_BODY_BYTES
from prize.web.routing import MAX_FILES_PER_REQUEST
from tests import factories
from tests.http.test_authorisation_matrix import assert_security_headers


def png(payload: bytes = b"") -> bytes:
    """A real 1×1 PNG, with `payload` in a text chunk when given."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = zlib.compress(b"\x00\x00\x00\x00")
    parts = [chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))]
    if payload:
        parts.append(chunk(b"tEXt", b"Comment\x00" + payload))
    parts += [chunk(b"IDAT", pixels), chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(parts)


PDF = factories.PDF_BYTES
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


# Headers ------------------------------------------------------------------------------


@pytest.fixture
async def world(db, settings):
    return await factories.security_world(db, settings.upload_dir)


def signed_in(app, settings, person) -> httpx.AsyncClient:
    """A client whose session is that of `person` (anonymous when None), and its token."""
    csrf = secrets.token_urlsafe(16)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver",
        cookies={"prize_session": factories.signed_session(settings.secret_key, person, csrf)},
    )
    client.csrf = csrf
    return client


async def test_error_and_file_responses_carry_the_security_headers_too(app, settings, world):
    async with signed_in(app, settings, world.people["applicant_a"]) as client:
        responses = [
            await client.get("/no-such-page"),  # 404
            await client.get("/logout"),  # 405
            await client.head("/"),
            await client.get("/static/site.css"),
            await client.get(f"/files/{world.attachment_id}"),  # the file itself
            await client.post("/my/entries", data={"csrf_token": "wrong"}),  # CSRF refused
            await client.post("/my/entries", content=b"--x\r\nbroken",
                              headers={"content-type": "multipart/form-data"}),  # no boundary
            await client.post("/login", content=b"x",
                              headers={"content-length": str(MAX_BODY_BYTES + 1)}),  # 413
            await client.get("/api/v1/practices?page=zero"),  # JSON error
        ]
    assert [r.status_code for r in responses] == [404, 405, 200, 200, 200, 403, 400, 413, 400]
    for response in responses:
        assert_security_headers(response)


# Sessions -----------------------------------------------------------------------------


async def test_the_anonymous_session_is_worth_nothing_after_login(client, db):
    """Session fixation: neither the cookie nor the form token from before login survive."""
    await factories.user(db, email="me@example.org")
    await client.get("/login")
    cookie_before = client.cookies.get("prize_session")
    token_before = await client.csrf_token("/login")
    await client.log_in("me@example.org")
    assert await client.csrf_token("/my") != token_before
    refused = await client.post("/my/entries", data={"csrf_token": token_before})
    assert refused.status_code == 403
    async with fresh_client(client) as planted:  # the cookie an attacker planted
        planted.cookies.set("prize_session", cookie_before)
        response = await planted.get("/my")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_a_copy_of_the_session_cookie_stops_working_at_logout(client, db):
    await factories.user(db, email="me@example.org")
    await client.log_in("me@example.org")
    stolen = client.cookies.get("prize_session")
    response = await client.submit("/logout", token_from="/my")
    assert response.status_code == 303
    assert "uid" not in str(client.cookies.get("prize_session"))
    async with fresh_client(client) as replay:
        replay.cookies.set("prize_session", stolen)
        response = await replay.get("/my")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def fresh_client(client) -> httpx.AsyncClient:
    """A new client on the same app, without the first one's cookies."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def test_the_session_cookie_is_http_only_and_same_site(client, db):
    await factories.user(db, email="me@example.org")
    response = await client.log_in("me@example.org")
    flags = response.headers["set-cookie"].lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags


# Uploads ------------------------------------------------------------------------------


@pytest.fixture
async def draft(app, db, settings):
    """An applicant signed in, with a draft in an open edition: where uploads are allowed."""
    edition = await factories.edition(db, year=2026, status="open")
    owner = await factories.user(db, email="owner@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id)
    async with signed_in(app, settings, owner) as client:
        yield client, entry


async def upload(client, entry, files) -> httpx.Response:
    return await client.post(f"/my/entries/{entry.id}/attachments",
                             data={"csrf_token": client.csrf}, files=files)


async def raw_upload(client, entry, filename: str, content: bytes,
                     content_type: str) -> httpx.Response:
    """A multipart body written by hand: httpx would escape a NUL or a newline in the
    file name, a hostile client does not."""
    boundary = "----security-test-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
        f"{client.csrf}\r\n--{boundary}\r\n"
        f"Content-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode("utf-8", "surrogateescape") + content + f"\r\n--{boundary}--\r\n".encode()
    return await client.post(
        f"/my/entries/{entry.id}/attachments", content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"})


def files_under(folder: Path, *, skip: str | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if skip not in p.parts)


async def stored(db, settings) -> tuple[int, list[Path]]:
    """Attachment rows and files in the upload folder."""
    count = (await db.fetch_one("SELECT count(*) FROM attachments"))[0]
    return count, files_under(settings.upload_dir)


async def test_a_real_pdf_is_accepted_and_kept_under_a_random_name(draft, db, settings):
    client, entry = draft
    response = await upload(client, entry, {"file": ("plan.pdf", PDF, "application/pdf")})
    assert response.status_code == 303
    count, names = await stored(db, settings)
    assert count == 1 and len(names) == 1 and names[0].name != "plan.pdf"


REFUSED_UPLOADS = {
    "html named .pdf": ("report.pdf", HTML, "application/pdf"),
    "svg named .png": ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/png"),
    "executable named .jpg": ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg"),
    "zip named .pdf": ("plan.pdf", b"PK\x03\x04" + b"\x00" * 200, "application/pdf"),
    "empty file": ("plan.pdf", b"", "application/pdf"),
    "pdf header with a script": ("plan.pdf", b"%PDF-1.4\n" + HTML, "application/pdf"),
    "pdf with html deep inside": (
        "plan.pdf", PDF + b"%" * 50_000 + HTML + b"\n%%EOF\n", "application/pdf"),
    "pdf with markup across a chunk edge": (  # the app copies in chunks of 1 MiB
        "plan.pdf", b"%PDF-1.4\n" + b"%" * (1024 * 1024 - 13) + b"<script>alert(1)</script>",
        "application/pdf"),
    "png with an html payload": ("photo.png", png(HTML), "image/png"),
    "jpeg header then html": ("photo.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg"),
}


@pytest.mark.parametrize("upload_file", REFUSED_UPLOADS.values(), ids=REFUSED_UPLOADS.keys())
async def test_hostile_uploads_are_refused_and_nothing_is_stored(draft, db, settings,
                                                                 upload_file):
    client, entry = draft
    before = await stored(db, settings)
    response = await raw_upload(client, entry, *upload_file)
    assert response.status_code in (400, 413, 415, 422), response.status_code
    assert "is attached" not in response.text
    assert await stored(db, settings) == before


HOSTILE_NAMES = {
    "path traversal": "../../x.pdf",
    "windows path traversal": "..\\..\\x.pdf",
    "absolute path": "/etc/cron.d/x.pdf",
    "nul byte": "x.pdf\x00.html",
    "control characters": "x\x1b[31m\x07.pdf",
    "long name": "a" * 300 + ".pdf",
    "very long name": "a" * 5000 + ".pdf",
    "dots only": "..",
}


@pytest.mark.parametrize("filename", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
async def test_a_hostile_file_name_never_reaches_the_disk_or_the_page(
    draft, db, settings, tmp_path, filename
):
    """Refused, or kept under a random name in the upload folder with a plain display
    name (browsers send the bare name; the path part is dropped, as test_entries.py
    expects of `../../etc/plan.pdf`)."""
    client, entry = draft
    outside_before = files_under(tmp_path, skip="uploads")
    response = await raw_upload(client, entry, filename, PDF, "application/pdf")
    assert response.status_code in (303, 400, 422), response.status_code
    assert files_under(tmp_path, skip="uploads") == outside_before
    for attachment in await db.fetch_all("SELECT stored_name, filename FROM attachments"):
        assert (settings.upload_dir / attachment["stored_name"]).read_bytes() == PDF
        assert not set(attachment["stored_name"]) - set("0123456789abcdef.pdf")
        display = attachment["filename"]
        assert display.endswith(".pdf") and len(display) <= 104
        assert "/" not in display and "\\" not in display and display.isprintable()


async def test_a_harmless_image_under_a_pdf_name_is_kept_as_what_it_is(draft, db, settings):
    """The content decides the type: a PNG called .pdf is stored and served as a PNG."""
    client, entry = draft
    response = await upload(client, entry, {"file": ("scan.pdf", png(), "application/pdf")})
    assert response.status_code == 303
    (attachment,) = await db.fetch_all("SELECT id, filename, content_type FROM attachments")
    assert attachment["filename"] == "scan.png" and attachment["content_type"] == "image/png"
    served = await client.get(f"/files/{attachment['id']}")
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]


async def test_more_files_than_allowed_in_one_request_are_refused(draft, db, settings):
    client, entry = draft
    before = await stored(db, settings)
    files = [("file", (f"plan{n}.pdf", PDF, "application/pdf"))
             for n in range(MAX_FILES_PER_REQUEST + 1)]
    response = await upload(client, entry, files)
    assert response.status_code == 400
    assert await stored(db, settings) == before


async def test_a_file_over_ten_megabytes_is_refused_and_removed(draft, db, settings):
    client, entry = draft
    before = await stored(db, settings)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = await upload(client, entry, {"file": ("big.pdf", big, "application/pdf")})
    assert response.status_code == 413
    assert await stored(db, settings) == before


async def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(app, draft):
    client, entry = draft
    received, response = await streamed_post(
        app, f"/my/entries/{entry.id}/attachments", client.cookies, chunks=4,
        content_length=MAX_BODY_BYTES + 1)
    assert response["status"] == 413
    assert received == 0


async def test_a_streamed_body_is_cut_off_as_soon_as_it_passes_the_limit(app, draft, db,
                                                                         settings):
    client, entry = draft
    before = await stored(db, settings)
    chunk_count = MAX_BODY_BYTES // (1024 * 1024) + 20
    received, response = await streamed_post(
        app, f"/my/entries/{entry.id}/attachments", client.cookies, chunks=chunk_count)
    assert response["status"] == 413
    # Read up to the limit and one chunk past it, never the whole body.
    assert received <= MAX_BODY_BYTES // (1024 * 1024) + 2 < chunk_count
    assert await stored(db, settings) == before


async def streamed_post(app, path, cookies, *, chunks: int, content_length: int | None = None):
    """POST a multipart body of `chunks` MiB straight through ASGI, without a declared length
    unless given; returns how many chunks the app pulled and the response start message."""
    boundary = b"x" * 20
    head = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; '
            b'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n')
    pulled = 0

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled > chunks:
            return {"type": "http.disconnect"}
        body = head if pulled == 1 else b"0" * (1024 * 1024)
        return {"type": "http.request", "body": body, "more_body": pulled < chunks}

    messages = []

    async def send(message):
        messages.append(message)

    headers = [(b"content-type", b"multipart/form-data; boundary=" + boundary),
               (b"cookie", b"prize_session=" + cookies.get("prize_session").encode()),
               (b"host", b"testserver")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1234), "server": ("testserver", 80), "app": app}
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    return pulled, start


async def test_a_form_token_with_non_ascii_characters_is_refused_not_a_crash(app, settings):
    async with signed_in(app, settings, None) as client:
        response = await client.post("/login", data={"csrf_token": "é" * 43, "email": "x"})
    assert response.status_code == 403


HUGE_ID = "9" * 25  # more than SQLite's 64-bit integers hold


@pytest.mark.parametrize(("role", "path"), [
    ("applicant_a", f"/my/entries/{HUGE_ID}"),
    ("applicant_a", f"/files/{HUGE_ID}"),
    ("applicant_a", f"/my/practices/{HUGE_ID}"),
    ("juror", f"/jury/entries/{HUGE_ID}"),
    ("secretariat", f"/admin/sheets/{HUGE_ID}"),
    ("secretariat", f"/admin/practices/{HUGE_ID}"),
    ("secretariat", f"/admin/entries/{HUGE_ID}"),
])
async def test_an_id_too_large_for_the_database_is_not_found(app, settings, world, role, path):
    async with signed_in(app, settings, world.people[role]) as client:
        assert (await client.get(path)).status_code == 404


async def test_a_form_id_too_large_for_the_database_is_a_bad_request(app, settings, world):
    async with signed_in(app, settings, world.people["applicant_a"]) as client:
        response = await client.post("/my/entries",
                                     data={"csrf_token": client.csrf, "edition_id": HUGE_ID})
    assert response.status_code == 400
