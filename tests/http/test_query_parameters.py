"""Bad query-string and path values on the secretariat and jury pages: never a 500.

Unicode has characters that `str.isdigit()` accepts but `int()` refuses (superscripts
such as "²"): they are the values most likely to slip past a hand-written check.
"""

from __future__ import annotations

import html
import itertools
import re
from datetime import UTC, datetime

import pytest

from prize.store import audit
from tests import factories

NOT_A_NUMBER = ["²", "¹²", "abc", "-1", "0", "1.5", "9" * 30]


def listed(page: str) -> list[str]:
    """The rows of the page's tables, as text: what the list shows, whatever the filters."""
    rows = []
    for body in re.findall(r"<tbody[^>]*>(.*?)</tbody>", page, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            rows.append(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()))
    return rows


@pytest.fixture
async def listings(db, admin_client):
    """Something in every list: entries in two editions, people of each role, audit lines."""
    for year in (2025, 2026):
        edition = await factories.edition(db, year=year, status="screening",
                                          closes_at=datetime(year, 5, 30, tzinfo=UTC))
        owner = await factories.user(db)
        await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted",
                              application=factories.complete_application(title=f"Plan {year}"))
    await factories.user(db, role="juror")
    async with db.transaction() as conn:
        for n in range(3):
            await audit.record(conn, now=datetime(2026, 1, 1 + n, tzinfo=UTC),
                               actor_id=admin_client.user.id, action="entry.submitted",
                               subject_type="entry", subject_id=n + 1, edition_id=None)


async def assert_unfiltered(client, path: str, params: dict) -> None:
    """The page with these parameters lists exactly what it lists without any."""
    whole = listed((await client.get(path)).text)
    assert whole, f"nothing listed on {path}: the comparison would prove nothing"
    response = await client.get(path, params=params)
    assert response.status_code == 200, (path, params, response.text[:300])
    assert listed(response.text) == whole, (path, params)


@pytest.fixture
async def screening_edition(db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    return edition


async def test_admin_lists_ignore_a_page_that_is_not_a_whole_number(admin_client, listings):
    for path, value in itertools.product(("/admin/users", "/admin/audit", "/admin/entries"),
                                         NOT_A_NUMBER):
        await assert_unfiltered(admin_client, path, {"page": value})


async def test_audit_filters_that_are_not_ids_are_ignored(admin_client, listings):
    for value in NOT_A_NUMBER:
        await assert_unfiltered(admin_client, "/admin/audit", {"edition": value, "actor": value})
    # An action filter is free text: a long one finds nothing, politely.
    assert (await admin_client.get("/admin/audit", params={"action": "x" * 500})).status_code == 200


async def test_entry_overview_and_csv_ignore_a_year_that_is_not_a_year(admin_client, listings):
    for value in NOT_A_NUMBER + ["1999", "2101"]:
        params = {"year": value, "status": "nonsense"}
        await assert_unfiltered(admin_client, "/admin/entries", params)
        whole = (await admin_client.get("/admin/entries.csv")).text
        assert "Plan 2025" in whole and "Plan 2026" in whole
        csv = await admin_client.get("/admin/entries.csv", params=params)
        assert csv.status_code == 200 and csv.text == whole, value


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


async def test_unknown_role_filter_on_users_is_ignored(admin_client, listings):
    await assert_unfiltered(admin_client, "/admin/users", {"role": "overlord"})
    response = await admin_client.get("/admin/users", params={"role": "overlord", "q": "%_" * 200})
    assert response.status_code == 200
    assert 'value="overlord"' not in response.text


async def test_assignment_matrix_ignores_a_page_that_is_not_a_whole_number(
        admin_client, db):
    edition = await factories.edition(db, status="judging")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    await factories.juror(db, edition_id=edition.id)
    for value in NOT_A_NUMBER:
        await assert_unfiltered(admin_client, f"/admin/editions/{edition.year}/jury/assignment",
                                {"page": value})


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
