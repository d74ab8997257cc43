"""Only the secretariat gets into the console; bad ids and parameters never break a page."""

from __future__ import annotations

import itertools

import pytest

from tests import factories

PAGES = [
    "/admin", "/admin/editions/new", "/admin/editions/{year}", "/admin/editions/{year}/edit",
    "/admin/editions/{year}/criteria", "/admin/editions/{year}/criteria/new",
    "/admin/editions/{year}/criteria/youth_participation",
    "/admin/editions/{year}/screening", "/admin/editions/{year}/progress",
    "/admin/entries", "/admin/entries.csv", "/admin/entries/{entry}",
    "/admin/entries/{entry}/text", "/admin/users", "/admin/users/{user}", "/admin/audit",
]


@pytest.fixture
async def things(db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    return {"year": edition.year, "edition_id": edition.id, "entry": entry.id,
            "user": owner.id}


async def test_anonymous_visitors_are_sent_to_log_in(client, things):
    for path in PAGES:
        response = await client.get(path.format(**things))
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


# Applicants, jurors and advisors: see test_authorisation_matrix.py; this walks every admin page.
async def test_an_advisor_is_refused(advisor_client, things):
    for path in PAGES:
        assert (await advisor_client.get(path.format(**things))).status_code == 403, path


async def test_the_secretariat_sees_every_page(client, db, things):
    admin = await factories.user(db, role="admin")
    await client.log_in(admin.email)
    for path in PAGES:
        response = await client.get(path.format(**things))
        assert response.status_code == 200, (path, response.text)
        if not path.endswith(".csv") and not path.endswith("/text"):
            assert response.text.count("<h1") == 1, path


async def test_unknown_ids_and_years_are_404(client, db, things):
    admin = await factories.user(db, role="admin")
    await client.log_in(admin.email)
    for path in UNKNOWN:
        assert (await client.get(path.format(**things))).status_code == 404, path


UNKNOWN = [
    "/admin/editions/999", "/admin/editions/abc", "/admin/editions/99999999999999999999999",
    "/admin/editions/2099", "/admin/editions/2099/criteria",
    # An edition is addressed by its year: its database id is not an address.
    "/admin/editions/{edition_id}", "/admin/editions/{edition_id}/screening",
    "/admin/editions/999/edit", "/admin/editions/{year}/criteria/nope",
    "/admin/entries/999", "/admin/entries/-1", "/admin/entries/999/text",
    "/admin/users/999", "/admin/users/1e3", "/admin/editions/999/progress",
]
QUERIES = [
    "page=-3", "page=abc", "page=99999999999999999999999999",
    "edition=x&actor=%00&action=" + "a" * 500,
    "year=abc&status=nonsense&q=%25%25_", "sort=drop+table&status=zzz&country=12345",
]


async def test_bad_query_parameters_are_ignored(client, db, things):
    admin = await factories.user(db, role="admin")
    await client.log_in(admin.email)
    paths = ("/admin/audit", "/admin/entries", "/admin/entries.csv", "/admin/users",
             f"/admin/editions/{things['year']}/screening")
    for query, path in itertools.product(QUERIES, paths):
        assert (await client.get(f"{path}?{query}")).status_code == 200, path


async def test_a_post_without_the_csrf_token_is_refused(client, db, things):
    admin = await factories.user(db, role="admin")
    await client.log_in(admin.email)
    response = await client.post(f"/admin/users/{things['user']}/role", data={"role": "juror"})
    assert response.status_code == 403
    response = await client.post(f"/admin/users/{things['user']}/role",
                                 data={"role": "juror", "csrf_token": "forged"})
    assert response.status_code == 403
