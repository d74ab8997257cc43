"""The public JSON API v1 of CONTRACTS.md: shapes, every parameter, bad input, caching."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
async def catalogue(db):
    await factories.published_demo(db)


async def test_practices_list_has_the_contract_shape(client, catalogue):
    response = await client.get("/api/v1/practices")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "total", "page", "per_page"}
    assert body["total"] >= 12 and body["page"] == 1 and body["per_page"] == 20
    item = body["items"][0]
    for key in ("slug", "title", "organisation", "country", "year", "award", "summary",
                "setting", "level", "url"):
        assert key in item
    assert item["award"] in ("winner", "special_mention", "shortlisted")
    assert isinstance(item["setting"], list) and isinstance(item["level"], list)
    assert item["url"] == f"http://testserver/practices/{item['slug']}"
    assert len({i["country"] for i in body["items"]}) >= 8


@pytest.mark.parametrize(("params", "check"), [
    ({"country": "PL"}, lambda i: "PL" in i["countries"]),
    ({"country": "pl"}, lambda i: "PL" in i["countries"]),
    ({"year": "2021"}, lambda i: i["year"] == 2021),
    ({"setting": "school"}, lambda i: "school" in i["setting"]),
    ({"level": "selective"}, lambda i: "selective" in i["level"]),
])
async def test_each_filter_keeps_only_matching_practices(client, catalogue, params, check):
    body = (await client.get("/api/v1/practices", params=params)).json()
    assert body["total"] >= 1
    assert all(check(item) for item in body["items"])


async def test_filters_combine(client, catalogue):
    both = (await client.get("/api/v1/practices",
                             params={"setting": "school", "year": "2024"})).json()
    school = (await client.get("/api/v1/practices", params={"setting": "school"})).json()
    assert 0 < both["total"] < school["total"]
    assert all(i["year"] == 2024 and "school" in i["setting"] for i in both["items"])


async def test_pagination(client, catalogue):
    first = (await client.get("/api/v1/practices", params={"per_page": 5})).json()
    second = (await client.get("/api/v1/practices",
                               params={"per_page": 5, "page": 2})).json()
    assert len(first["items"]) == 5 and second["page"] == 2
    assert not {i["slug"] for i in first["items"]} & {i["slug"] for i in second["items"]}
    far = (await client.get("/api/v1/practices", params={"page": 99})).json()
    assert far["items"] == [] and far["total"] == first["total"]


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "-1"}, {"page": "x"}, {"per_page": "0"}, {"per_page": "101"},
    {"per_page": "ten"}, {"country": "Poland"}, {"country": "ZZ"}, {"country": "1"},
    {"year": "twenty"}, {"year": "2024.5"}, {"setting": "pub"}, {"level": "primary"},
    {"q": "x" * 201},
])
async def test_bad_parameters_are_400_with_a_json_error(client, catalogue, params):
    response = await client.get("/api/v1/practices", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) == {"error"}
    assert list(params)[0] in response.json()["error"]


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "') OR 1=1 --", "AND", 'drug "app',
                               "OR OR", "title:app", "^app", "(", "-", "app NOT", "\x00"])
async def test_search_syntax_in_q_never_errors(client, catalogue, q):
    response = await client.get("/api/v1/practices", params={"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)
    page = await client.get("/practices", params={"q": q})
    assert page.status_code == 200


async def test_search_finds_the_drug_checking_app_first(client, catalogue):
    body = (await client.get("/api/v1/practices",
                             params={"q": "app for drug checking"})).json()
    assert body["items"][0]["title"] == "TripApp"


async def test_search_folds_diacritics_and_stems(client, catalogue):
    plain = (await client.get("/api/v1/practices", params={"q": "prevention"})).json()
    accented = (await client.get("/api/v1/practices", params={"q": "prévention"})).json()
    assert plain["total"] >= 1 and accented["total"] == plain["total"]
    stemmed = (await client.get("/api/v1/practices", params={"q": "alerting"})).json()
    assert "TripApp" in [i["title"] for i in stemmed["items"]]
    reykjavik = (await client.get("/api/v1/practices", params={"q": "reykjavik"})).json()
    assert reykjavik["total"] == 1


async def test_search_combines_with_facets(client, catalogue):
    body = (await client.get("/api/v1/practices",
                             params={"q": "young people", "country": "IE"})).json()
    assert body["total"] == 1 and body["items"][0]["country"] == "IE"


async def test_one_practice_with_its_public_text(client, catalogue):
    found = (await client.get("/api/v1/practices", params={"q": "TripApp"})).json()
    slug = found["items"][0]["slug"]
    response = await client.get(f"/api/v1/practices/{slug}")
    assert response.status_code == 200
    practice = response.json()
    assert practice["slug"] == slug and "activities" in practice and "jury_statement" in practice
    for hidden in ("applicant_note", "entry_id", "status", "contact_email", "contact_phone"):
        assert hidden not in practice


async def test_unknown_things_are_404_json(client, catalogue):
    for path in ("/api/v1/practices/no-such-thing", "/api/v1/editions/1999"):
        response = await client.get(path)
        assert response.status_code == 404 and "error" in response.json()
    response = await client.get("/api/v1/editions/abcd")
    assert response.status_code == 400 and "error" in response.json()


async def test_editions(client, catalogue):
    listing = (await client.get("/api/v1/editions")).json()
    assert {"year": 2024, "title": "European Prize for Drug Prevention 2024",
            "status": "published"} in listing
    edition = (await client.get("/api/v1/editions/2021")).json()
    assert set(edition) == {"year", "title", "theme", "status", "criteria", "winners"}
    assert {c["key"] for c in edition["criteria"]} >= {"youth_participation", "evaluation"}
    assert set(edition["criteria"][0]) == {"key", "title", "weight"}
    assert {w["title"] for w in edition["winners"]} == {
        "S.A.M.E.N.", "TripApp", "Operation Snowball"}


async def test_api_answers_304_to_a_current_etag(client, db, catalogue):
    first = await client.get("/api/v1/practices")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = await client.get("/api/v1/practices", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    await db.execute_write("UPDATE practices SET title = title || ' ' WHERE id = 1")
    changed = await client.get("/api/v1/practices", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
