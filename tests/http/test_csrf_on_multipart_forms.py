"""The CSRF check holds for multipart bodies too: another site can post any form as
multipart/form-data, not only url-encoded, so a forged multipart post must change nothing."""

from __future__ import annotations

import re

import pytest

from prize.store import entries
from tests import factories

BOUNDARY = "----forged-form-boundary"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None,
              ) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body written out by hand, as another site's form would send it."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        .encode()
        for name, value in fields.items()
    ]
    for name, (filename, content, content_type) in (files or {}).items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}";'
            f' filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


@pytest.fixture
async def draft(applicant_client, db):
    edition = await factories.edition(db, year=2026, status="open")
    return await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)


def edit_fields(entry, title: str) -> dict[str, str]:
    return {"title": title, "version": str(entry.version), "action": "save"}


@pytest.mark.parametrize("token", [None, "forged-by-another-site"], ids=["missing", "wrong"])
async def test_a_multipart_edit_without_the_right_token_is_refused_and_saves_nothing(
    applicant_client, db, draft, token
):
    # given a form posted as multipart, with no token or a wrong one
    fields = edit_fields(draft, "Forged title")
    if token is not None:
        fields["csrf_token"] = token
    body, headers = multipart(fields)

    # when it reaches the edit page
    response = await applicant_client.post(f"/my/entries/{draft.id}/edit", content=body,
                                           headers=headers)

    # then it is refused as forged and the entry is as it was
    assert response.status_code == 403
    saved = await entries.get(db, draft.id)
    assert saved.title == draft.title and saved.version == draft.version


async def test_a_multipart_edit_with_the_right_token_is_saved(applicant_client, db, draft):
    # The same body with the session's token goes through: the refusals above are the
    # token's doing, not a route that cannot read multipart.
    token = await applicant_client.csrf_token(f"/my/entries/{draft.id}/edit")
    body, headers = multipart({**edit_fields(draft, "Honest title"), "csrf_token": token})
    response = await applicant_client.post(f"/my/entries/{draft.id}/edit", content=body,
                                           headers=headers)
    assert response.status_code == 303
    assert (await entries.get(db, draft.id)).title == "Honest title"


@pytest.mark.parametrize("token", [None, "forged-by-another-site"], ids=["missing", "wrong"])
async def test_a_forged_upload_is_refused_and_nothing_is_stored(
    applicant_client, db, settings, draft, token
):
    fields = {} if token is None else {"csrf_token": token}
    body, headers = multipart(fields, {"file": ("plan.pdf", factories.PDF_BYTES,
                                                "application/pdf")})
    response = await applicant_client.post(f"/my/entries/{draft.id}/attachments",
                                           content=body, headers=headers)
    assert response.status_code == 403
    assert await entries.attachments_of(db, draft.id) == []
    assert not settings.upload_dir.exists() or not any(settings.upload_dir.rglob("*.pdf"))


async def test_a_forged_multipart_login_is_refused(client, db):
    # Login CSRF: another site must not sign a visitor in to an account of its choosing.
    person = await factories.user(db)
    await client.get("/login")  # the visitor has a session, with its own token
    body, headers = multipart({"email": person.email, "password": factories.PASSWORD})
    response = await client.post("/login", content=body, headers=headers)
    assert response.status_code == 403
    assert not re.search(r'action="/logout"', (await client.get("/")).text)
