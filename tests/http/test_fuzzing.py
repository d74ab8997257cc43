"""Property-based fuzzing of every form and every API parameter: never a 500, and a
refused (4xx) request leaves every table and the upload folder exactly as they were."""

from __future__ import annotations

import hashlib
import re
import secrets
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prize.store import dialect
from tests import factories
from tests.http.test_authorisation_matrix import EXPECTED, fill

# Rejected logins are counted and some refusals are mailed: those writes are the point.
# PostgreSQL's commit stamp moves with those writes too (prize/store/commit_stamp.py).
NOT_COMPARED = {"login_attempts", "outbox", "prize_commit_stamp"}
FUZZ = settings(max_examples=10, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])

AWKWARD = [
    "", " ", "0", "-1", "1", "2026", "99999999999999999999999", "1e309", "NaN", "-0", "true",
    "null", "[]", "{}", "\x00", "a\x00b", "<script>alert(1)</script>", "../../etc/passwd",
    "' OR 1=1 --", "%00", "é漢字🙂\u202e\u200b", "\r\n", "Robert'); DROP TABLE users;--",
    "x" * 100_000, "é" * 20_000, "2026-02-30", "2026-13-01T25:61", "juror", "admin",
    "published", "winner", "IE", "yes", "on", "save", "submit",
]
values = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=40),
                   st.integers(-10**20, 10**20).map(str))


def role_for(path: str) -> str:
    if path.startswith("/admin"):
        return "secretariat"
    if path.startswith("/my"):
        return "applicant_a"
    if path.startswith("/jury"):
        return "juror"
    return "anonymous"


POST_ROUTES = sorted(path for method, path in EXPECTED if method == "POST")


async def table_digest(db, upload_dir) -> dict[str, str]:
    """A digest of every table (but the two above) and of the upload folder's files."""
    tables = await db.fetch_all(dialect.table_names_sql(db.engine))
    digests = {}
    for (name,) in tables:
        if name in NOT_COMPARED:
            continue
        rows = await db.fetch_all(f'SELECT * FROM "{name}"')
        digests[name] = hashlib.sha256(
            "\n".join(sorted(repr(tuple(row)) for row in rows)).encode()).hexdigest()
    digests["uploads/"] = repr(sorted(p.name for p in list_files(upload_dir)))
    return digests


def list_files(folder):
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
async def fuzz_world(app, db, settings):
    """The security world, plus a draft of applicant A in an open edition (so that the
    applicant's forms get past "closed") and a client per role."""
    world = await factories.security_world(db, settings.upload_dir)
    open_call = await factories.edition(db, year=2027, status="open")
    draft = await factories.entry(db, edition_id=open_call.id,
                                  owner_id=world.people["applicant_a"].id)
    clients = {}
    for role in ("anonymous", "applicant_a", "juror", "secretariat"):
        csrf = secrets.token_urlsafe(16)
        clients[role] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver",
            cookies={"prize_session": factories.signed_session(
                settings.secret_key, world.people.get(role), csrf)})
        clients[role].csrf = csrf
    yield world, draft, clients
    for client in clients.values():
        await client.aclose()


async def field_names(client, url: str) -> list[str]:
    """The names of the fields of the forms on the page (or its parent page)."""
    for page in (url, url.rsplit("/", 1)[0] or "/"):
        response = await client.get(page)
        if response.status_code == 200:
            names = set(re.findall(r'name="([^"]+)"', response.text))
            return sorted(names - {"csrf_token", "viewport", "robots", "description"}) + [
                "description"]
    return []


_names_of: dict[str, list[str]] = {}


@pytest.mark.parametrize("path", POST_ROUTES)
@FUZZ
@given(data=st.data(), as_multipart=st.booleans(), file=st.none() | st.binary(max_size=300))
async def test_no_form_gets_a_500_or_changes_data_when_refused(fuzz_world, db, settings,
                                                               path, data, as_multipart, file):
    world, draft, clients = fuzz_world
    url = fill(path, world)
    if path.startswith("/my/entries/{entry_id:int}"):
        url = url.replace(f"/my/entries/{world.entry_id}", f"/my/entries/{draft.id}")
    client = clients[role_for(path)]
    if path not in _names_of:
        _names_of[path] = await field_names(client, url) or ["name"]
    pairs = data.draw(st.lists(
        st.tuples(st.sampled_from(_names_of[path]) | st.text(max_size=12), values),
        max_size=12), label="form")
    before = await table_digest(db, settings.upload_dir)
    form = [("csrf_token", client.csrf), *pairs]
    if as_multipart or file is not None:
        grouped: dict[str, list[str]] = {}
        for name, value in form:
            grouped.setdefault(name, []).append(value)
        files = {"file": ("f.pdf", file or b"", "application/pdf")}
        response = await client.post(url, data=grouped, files=files)
    else:
        response = await client.post(
            url, content=urlencode(form).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code < 500, (url, pairs, response.text[:500])
    if 400 <= response.status_code < 500:
        assert await table_digest(db, settings.upload_dir) == before, (url, pairs)


API_PARAMETERS = ["q", "country", "year", "setting", "level", "page", "per_page"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(st.sampled_from(API_PARAMETERS) | st.text(max_size=8),
                                values.map(lambda text: text[:3000])), max_size=8))
async def test_the_practice_search_api_answers_200_or_400_with_an_error(client, query):
    response = await client.get("/api/v1/practices?" + urlencode(query))
    assert response.status_code in (200, 400), (query, response.text[:300])
    body = response.json()
    if response.status_code == 400:
        assert set(body) == {"error"} and body["error"]
    else:
        assert {"items", "total", "page", "per_page"} <= set(body)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(segment=values.filter(lambda text: text not in ("", ".", "..")),
       kind=st.sampled_from(["practices", "editions"]))
async def test_api_paths_answer_json_never_a_500(fuzz_world, db, settings, client, segment,
                                                 kind):
    before = await table_digest(db, settings.upload_dir)
    response = await client.get(f"/api/v1/{kind}/{quote(segment[:2000], safe='')}")
    if "/" in segment and response.status_code in (307, 308):
        # %2F reaches the router as "/": an empty or extra path segment is redirected by
        # Starlette's slash handling to a path of ours, which is an answer, not a crash.
        assert response.headers["location"].startswith("http://testserver/api/v1/")
        return
    assert response.status_code in (200, 400, 404), (segment, response.text[:300])
    if response.status_code != 200:
        assert set(response.json()) == {"error"}
    assert await table_digest(db, settings.upload_dir) == before
