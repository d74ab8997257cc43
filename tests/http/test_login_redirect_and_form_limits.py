"""What `page()` does around a handler besides roles and CSRF: the way back after login,
and the limit on a form's number of fields."""

from __future__ import annotations

from prize.web.routing import MAX_FIELDS
from tests import factories


async def test_an_anonymous_visit_is_sent_to_log_in_and_back_to_the_page_with_its_query(client):
    response = await client.get("/admin/users?page=2&role=juror")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users%3Fpage%3D2%26role%3Djuror"


async def test_an_anonymous_form_post_comes_back_to_the_page_without_its_query(client):
    # A form cannot be replayed after login; its page can.
    response = await client.post("/my/entries?from=here", data={"csrf_token": "x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/my/entries"


async def test_a_form_with_more_fields_than_allowed_is_a_bad_request(applicant_client, db):
    # given a form that starts an entry, padded to the limit and to one field past it
    edition = await factories.edition(db, year=2026, status="open")
    token = await applicant_client.csrf_token("/my")

    def padded(total: int) -> dict[str, str]:
        fields = {"csrf_token": token, "edition_id": str(edition.id)}
        return {**fields, **{f"pad{n}": "x" for n in range(total - len(fields))}}

    # then the limit itself is accepted and one more field is refused before the handler
    assert (await applicant_client.post("/my/entries", data=padded(MAX_FIELDS))).status_code == 303
    over = await applicant_client.post("/my/entries", data=padded(MAX_FIELDS + 1))
    assert over.status_code == 400
