"""Bad query-string and path values on the secretariat and jury pages: never a 500.

Unicode has characters that `str.isdigit()` accepts but `int()` refuses (superscripts
such as "²"): they are the values most likely to slip past a hand-written check.
"""

from __future__ import annotations

import itertools
import re

import pytest

from tests import factories

NOT_A_NUMBER = ["²", "¹²", "abc", "-1", "0", "1.5", "9" * 30]


@pytest.fixture
async def screening_edition(db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    return edition


async def test_admin_lists_ignore_a_page_that_is_not_a_whole_number(admin_client):
    for path, value in itertools.product(("/admin/users", "/admin/audit", "/admin/entries"),
                                         NOT_A_NUMBER):
        response = await admin_client.get(path, params={"page": value})
        assert response.status_code == 200, (path, value, response.text[:300])


async def test_audit_filters_that_are_not_ids_are_ignored(admin_client):
    for value in NOT_A_NUMBER:
        response = await admin_client.get("/admin/audit", params={"edition": value, "actor": value,
                                                                 "action": "x" * 500})
        assert response.status_code == 200, (value, response.text[:300])


async def test_entry_overview_and_csv_ignore_a_year_that_is_not_a_year(admin_client):
    for path, value in itertools.product(("/admin/entries", "/admin/entries.csv"),
                                         NOT_A_NUMBER + ["1999", "2101"]):
        response = await admin_client.get(path, params={"year": value, "status": "nonsense"})
        assert response.status_code == 200, (path, value, response.text[:300])


async def test_unknown_screening_filters_fall_back_to_the_whole_list(admin_client,
                                                                       screening_edition):
    # given filters that are not on the page's lists
    response = await admin_client.get(
        f"/admin/editions/{screening_edition.year}/screening",
        params={"status": "bribed", "country": "ZZ", "sort": "'; DROP TABLE entries"})
    # then the page answers with every entry and no bogus filter selected
    assert response.status_code == 200
    assert "Peer Talk" in response.text
    for bogus in ('value="bribed"', 'value="ZZ"', "DROP TABLE entries<", 'value="\'; DROP'):
        assert bogus not in response.text


async def test_unknown_role_filter_on_users_is_ignored(admin_client):
    response = await admin_client.get("/admin/users", params={"role": "overlord", "q": "%_" * 200})
    assert response.status_code == 200
    assert 'value="overlord"' not in response.text


async def test_assignment_matrix_ignores_a_page_that_is_not_a_whole_number(
        admin_client, db):
    edition = await factories.edition(db, status="judging")
    for value in NOT_A_NUMBER:
        response = await admin_client.get(f"/admin/editions/{edition.year}/jury/assignment",
                                          params={"page": value})
        assert response.status_code == 200, (value, response.text[:300])


async def test_a_path_id_of_unicode_digits_is_not_found(admin_client):
    for path in ("/admin/entries/²", "/admin/entries/²/text", "/admin/users/²",
                 "/admin/users/¹²³"):
        assert (await admin_client.get(path)).status_code == 404, path


async def test_a_juror_path_id_of_unicode_digits_is_not_found(admin_client, db):
    edition = await factories.edition(db, status="judging")
    response = await admin_client.submit(f"/admin/editions/{edition.year}/jury/²/revoke",
                                         token_from=f"/admin/editions/{edition.year}/jury")
    assert response.status_code == 404


async def test_a_conflicts_year_of_unicode_digits_is_not_found(client, db):
    juror = await factories.juror(db)
    await client.log_in(juror.email)
    assert (await client.get("/jury/²⁰²⁶/conflicts")).status_code == 404
    assert (await client.get("/jury/2026²/conflicts")).status_code == 404


async def test_api_edition_year_of_unicode_digits_is_a_json_400(client):
    response = await client.get("/api/v1/editions/²⁰²⁶")
    assert response.status_code == 400
    assert "year" in response.json()["error"]


@pytest.mark.parametrize("query", [
    {"page": "abc"}, {"page": "²"}, {"page": "0"}, {"per_page": "100000"},
    {"sort": "bogus"}, {"country": "ZZ"}, {"year": "next"},
])
async def test_bad_catalogue_parameters_get_a_friendly_400_that_names_the_problem(client,
                                                                                   query):
    response = await client.get("/practices", params=query)
    assert response.status_code == 400, (query, response.status_code)
    assert "<h1" in response.text
    name = next(iter(query))
    assert re.search(name, response.text, re.IGNORECASE), (query, response.text[:800])


async def test_language_link_with_an_unknown_locale_falls_back_and_stays_home(client):
    response = await client.get("/language", params={"locale": "²" * 50, "next": "//evil"})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
