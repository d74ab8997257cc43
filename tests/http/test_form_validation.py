"""Forms whose refusals had no test of the message in place and the input kept."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from prize.domain.practices import PublicText
from prize.store import practices
from tests import factories


def field_error(page: str, name: str) -> str:
    """The message shown beside the field `name` ('' when there is none)."""
    match = re.search(rf'<p class="field-error" id="error-{re.escape(name)}">(.*?)</p>',
                      page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip() if match else ""


def form_error(page: str) -> str:
    """The text of the error summary at the top of the form."""
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))) if match else ""


# Accounts --------------------------------------------------------------------------


async def test_login_without_a_password_says_so_and_keeps_the_email(client, db):
    response = await client.submit("/login", {"email": "maria@example.org", "password": ""})
    assert response.status_code == 422
    assert "Enter your email and your password." in form_error(response.text)
    assert 'value="maria@example.org"' in response.text


async def test_wrong_password_keeps_the_email_but_never_the_password(client, db):
    person = await factories.user(db)
    response = await client.submit("/login", {"email": person.email, "password": "guess-1234"})
    assert response.status_code == 422
    assert "not right" in form_error(response.text)
    assert f'value="{person.email}"' in response.text
    assert "guess-1234" not in response.text


async def test_forgot_password_with_no_email_address_says_so_and_keeps_the_text(client):
    response = await client.submit("/password/forgot", {"email": "maria at example"})
    assert response.status_code == 422
    assert "name@example.org" in field_error(response.text, "email")
    assert 'value="maria at example"' in response.text


async def test_a_verification_link_with_a_bad_token_is_a_400_page_in_words(client):
    for token in ("", "nope", "x" * 500):
        response = await client.get("/verify", params={"token": token})
        assert response.status_code == 400, token
        assert "<h1" in response.text
    refused = await client.submit("/verify", {"token": "nope"}, token_from="/login")
    assert refused.status_code == 400


async def test_an_invitation_link_with_a_bad_token_is_a_400_page(client):
    response = await client.get("/invitation", params={"token": "nope"})
    assert response.status_code == 400 and "<h1" in response.text


# Users -----------------------------------------------------------------------------


async def test_an_unknown_role_is_refused_beside_the_field(admin_client, db):
    person = await factories.user(db)
    response = await admin_client.submit(f"/admin/users/{person.id}/role", {"role": "overlord"},
                                         token_from=f"/admin/users/{person.id}")
    assert response.status_code == 422
    assert field_error(response.text, "role") == "Choose from the list."
    assert (await factories.users.get(db, person.id)).role == "applicant"


# Screening -------------------------------------------------------------------------


@pytest.fixture
async def submitted_entry(db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    return await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                 status="submitted")


async def test_screening_without_a_decision_says_so_beside_it_and_keeps_the_reason(
        admin_client, submitted_entry):
    path = f"/admin/entries/{submitted_entry.id}"
    response = await admin_client.submit(f"{path}/screen", {"reason": "Half a sentence"},
                                         token_from=path)
    assert response.status_code == 422
    assert field_error(response.text, "decision") == "Fill in this field."
    assert "Half a sentence" in response.text


async def test_ineligible_without_a_reason_is_refused_beside_the_reason(
        admin_client, submitted_entry):
    path = f"/admin/entries/{submitted_entry.id}"
    response = await admin_client.submit(f"{path}/screen",
                                         {"decision": "ineligible", "reason": " "},
                                         token_from=path)
    assert response.status_code == 422
    assert "applicant reads this" in field_error(response.text, "reason")


async def test_a_reason_too_long_is_refused_and_kept_whole(admin_client, db,
                                                          submitted_entry):
    path = f"/admin/entries/{submitted_entry.id}"
    reason = "Outside the eligible age range. " * 70  # over 2,000 characters
    response = await admin_client.submit(f"{path}/screen",
                                         {"decision": "ineligible", "reason": reason},
                                         token_from=path)
    assert response.status_code == 422
    assert field_error(response.text, "reason") == "At most 2000 characters."
    assert reason.strip() in html.unescape(response.text)
    assert (await factories.entries.get(db, submitted_entry.id)).status == "submitted"


async def test_an_unknown_decision_is_refused_beside_the_field(admin_client,
                                                              submitted_entry):
    path = f"/admin/entries/{submitted_entry.id}"
    response = await admin_client.submit(f"{path}/screen", {"decision": "bribe"}, token_from=path)
    assert response.status_code == 422
    assert field_error(response.text, "decision") == "Choose from the list."


# Lifecycle and criteria ------------------------------------------------------------


async def test_an_unknown_transition_is_refused_in_words(admin_client, db):
    edition = await factories.edition(db, status="open")
    path = f"/admin/editions/{edition.year}"
    response = await admin_client.submit(f"{path}/transition", {"transition": "skip_to_the_end"},
                                         token_from=path)
    assert response.status_code == 409
    assert "not possible from the edition's current status" in html.unescape(response.text)


async def test_an_unknown_criterion_action_is_a_400_that_says_what_to_choose(admin_client, db):
    edition = await factories.edition(db, status="draft")
    key = edition.criteria[0].key
    path = f"/admin/editions/{edition.year}/criteria"
    response = await admin_client.submit(f"{path}/{key}/change", {"action": "explode"},
                                         token_from=path)
    assert response.status_code == 400
    assert "Choose remove, up or down." in response.text


# Deliberation ----------------------------------------------------------------------


async def test_a_decision_for_an_entry_id_of_unicode_digits_is_refused_in_words(
        admin_client, db):
    edition = await factories.edition(db, status="deliberation")
    path = f"/admin/editions/{edition.year}/deliberation"
    response = await admin_client.submit(f"{path}/decisions",
                                         {"decision-²": "winner", "statement-²": "Kept statement"},
                                         token_from=path)
    assert response.status_code == 409
    assert "Choose a decision from the list." in response.text


# Publication -----------------------------------------------------------------------


@pytest.fixture
async def draft_practice(db):
    edition = await factories.edition(db, year=2025, status="published")
    async with db.transaction() as conn:
        return await practices.create(
            conn, edition_id=edition.id, year=2025, award="winner",
            text=PublicText(title="Night Owls", organisation="Youth Voices", summary="Short."),
            country="IE", countries=["IE"], substances=[], now=datetime(2026, 1, 5, tzinfo=UTC))


async def test_a_public_text_too_long_is_refused_beside_the_field_and_kept(
        admin_client, draft_practice):
    path = f"/admin/practices/{draft_practice}"
    title = "A title that goes on " * 20  # over 300 characters
    response = await admin_client.submit(path, {"title": title, "organisation": "Youth Voices",
                                                "summary": "Kept summary",
                                                "image_attachment_ids": "²"})
    assert response.status_code == 422
    assert field_error(response.text, "title")
    assert title.strip() in html.unescape(response.text)
    assert "Kept summary" in response.text


async def test_a_public_text_without_a_summary_is_refused_beside_it(admin_client,
                                                                   draft_practice):
    path = f"/admin/practices/{draft_practice}"
    response = await admin_client.submit(path, {"title": "Night Owls", "organisation": "",
                                                "summary": "", "city": "Kept city"})
    assert response.status_code == 422
    assert field_error(response.text, "summary")
    assert field_error(response.text, "organisation")
    assert 'value="Kept city"' in response.text


async def test_preparing_a_practice_without_an_entry_is_a_400(admin_client):
    response = await admin_client.submit("/admin/practices/prepare", {"entry_id": "²"},
                                         token_from="/admin/practices")
    assert response.status_code == 400
