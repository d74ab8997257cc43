"""Every route, visited by every kind of person, gets the answer its audience rule says.

The table below must name every route of the app: a new route without an expectation
fails `test_every_route_has_an_expectation`, so nobody adds a page without deciding who
may open it. Each route is visited with GET and/or POST (POST with a valid CSRF token,
so that what is tested is the authorisation, not the token) by anonymous, applicant A
(owner of entry E), applicant B, the juror assigned to E (released, sheet in draft), a
juror conflicted with E (same country), an advisor on the edition's jury (no conflict,
author of a comment on E), a translator to whom E is handed and the secretariat, on a
fresh copy of the seeded world.
Every response also carries the security headers.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import httpx
import pytest
from starlette.routing import Mount, Route

from prize.web.app import create_app
from tests import factories

ANONYMOUS, OWNER, OTHER_APPLICANT = "anonymous", "applicant_a", "applicant_b"
JUROR, CONFLICTED, SECRETARIAT = "juror", "conflicted_juror", "secretariat"
ADVISOR, TRANSLATOR = "advisor", "translator"
ROLES = (ANONYMOUS, OWNER, OTHER_APPLICANT, JUROR, CONFLICTED, ADVISOR, TRANSLATOR, SECRETARIAT)

LOGIN = "sent to log in"  # 303 to /login?next=…
ALLOWED = "allowed"  # past the authorisation: no 401/403/404, no login redirect, no 5xx
FORBIDDEN, HIDDEN = 403, 404

Outcome = int | str


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def secretariat_only(outcome: Outcome = ALLOWED) -> dict[str, Outcome]:
    return {**everyone(FORBIDDEN), ANONYMOUS: LOGIN, SECRETARIAT: outcome}


def owner_only(owner: Outcome = ALLOWED) -> dict[str, Outcome]:
    """Applicant pages about E: A only; B does not learn that E exists; other roles 403."""
    return {**everyone(FORBIDDEN), ANONYMOUS: LOGIN, OWNER: owner, OTHER_APPLICANT: HIDDEN}


def applicants(outcome: Outcome = ALLOWED) -> dict[str, Outcome]:
    return {**everyone(FORBIDDEN), ANONYMOUS: LOGIN, OWNER: outcome, OTHER_APPLICANT: outcome}


def jurors(juror: Outcome = ALLOWED, conflicted: Outcome = ALLOWED,
           advisor: Outcome = FORBIDDEN) -> dict[str, Outcome]:
    """Jury pages: scoring is the jurors' alone; advisors share the reading pages."""
    return {**everyone(FORBIDDEN), ANONYMOUS: LOGIN, JUROR: juror, CONFLICTED: conflicted,
            ADVISOR: advisor}


def discussants(juror: Outcome, conflicted: Outcome, advisor: Outcome,
                secretariat: Outcome) -> dict[str, Outcome]:
    """The discussion: jurors, advisors and the secretariat; applicants never."""
    return {**jurors(juror, conflicted, advisor), SECRETARIAT: secretariat}


# (method, route path) → expected outcome per role. The world: see factories.security_world.
EXPECTED: dict[tuple[str, str], dict[str, Outcome]] = {
    # Public pages and the API: the same answer for everyone.
    ("GET", "/"): everyone(200),
    ("GET", "/healthz"): everyone(200),
    ("GET", "/practices"): everyone(200),
    ("GET", "/practices/{slug}"): everyone(200),
    # The published practice has no public photo.
    ("GET", "/practices/{slug}/photo"): everyone(HIDDEN),
    ("GET", "/practices/{slug}/photo/card"): everyone(HIDDEN),
    ("GET", "/favicon.ico"): everyone(200),
    ("GET", "/editions"): everyone(200),
    ("GET", "/editions/{year:id}"): everyone(200),
    ("GET", "/feed.atom"): everyone(200),
    ("GET", "/sitemap.xml"): everyone(200),
    ("GET", "/static"): everyone(200),
    ("GET", "/api/v1/practices"): everyone(200),
    ("GET", "/api/v1/practices/{slug}"): everyone(200),
    ("GET", "/api/v1/editions"): everyone(200),
    ("GET", "/api/v1/editions/{year}"): everyone(200),
    # Accounts: public forms (an empty form is refused as such, never by role).
    ("GET", "/signup"): everyone(200),
    ("POST", "/signup"): everyone(422),
    ("GET", "/signup/done"): everyone(200),
    ("GET", "/verify"): everyone(400),
    ("POST", "/verify"): everyone(400),
    ("GET", "/login"): {**everyone(303), ANONYMOUS: 200},  # signed in: sent to their home
    ("POST", "/login"): everyone(422),
    ("POST", "/logout"): everyone(303),
    ("GET", "/password/forgot"): everyone(200),
    ("POST", "/password/forgot"): everyone(422),
    ("GET", "/password/reset"): everyone(400),
    ("POST", "/password/reset"): everyone(422),
    ("GET", "/language"): everyone(303),
    ("GET", "/invitation"): everyone(400),
    ("POST", "/invitation"): everyone(400),
    # The applicant's area.
    ("GET", "/my"): applicants(200),
    ("POST", "/my/entries"): applicants(400),  # no open edition chosen
    ("GET", "/my/entries/{entry_id:id}"): owner_only(200),
    ("GET", "/my/entries/{entry_id:id}/edit"): owner_only(200),
    ("POST", "/my/entries/{entry_id:id}/edit"): owner_only(403),  # closed: E is in judging
    ("GET", "/my/entries/{entry_id:id}/print"): owner_only(200),
    ("POST", "/my/entries/{entry_id:id}/withdraw"): owner_only(ALLOWED),
    ("POST", "/my/entries/{entry_id:id}/delete"): owner_only(409),  # E was submitted
    ("POST", "/my/entries/{entry_id:id}/attachments"): owner_only(403),  # closed
    ("POST", "/my/entries/{entry_id:id}/attachments/{attachment_id:id}/delete"):
        owner_only(403),  # closed
    ("GET", "/files/{attachment_id:id}"): {
        **everyone(HIDDEN), ANONYMOUS: LOGIN, OWNER: 200, JUROR: 200, ADVISOR: 200,
        TRANSLATOR: FORBIDDEN, SECRETARIAT: 200},
    ("GET", "/my/practices/{practice_id:id}"): owner_only(200),
    ("POST", "/my/practices/{practice_id:id}/approve"): owner_only(ALLOWED),
    ("POST", "/my/practices/{practice_id:id}/changes"): owner_only(ALLOWED),
    # The jury: the conflicted juror does not learn that E exists.
    ("GET", "/jury"): jurors(200, 200, 200),
    ("GET", "/jury/profile"): jurors(200, 200, 200),
    ("POST", "/jury/profile"): jurors(advisor=ALLOWED),
    ("GET", "/jury/{year:id}/conflicts"): jurors(200, 200, 200),
    ("POST", "/jury/{year:id}/conflicts"): jurors(advisor=ALLOWED),
    ("GET", "/jury/entries/{entry_id:id}"): jurors(200, HIDDEN, 200),
    # Advisors never score: the sheet is the jurors' alone.
    ("GET", "/jury/entries/{entry_id:id}/sheet"): jurors(200, HIDDEN),
    ("POST", "/jury/entries/{entry_id:id}/sheet"): jurors(ALLOWED, HIDDEN),
    ("GET", "/jury/{year:id}/ranking"): jurors(FORBIDDEN, FORBIDDEN, 200),
    # The discussion of E: J has not submitted (blind: 403), the conflicted juror does not
    # learn that it exists; an empty comment is refused (422) to whoever may write.
    ("GET", "/jury/entries/{entry_id:id}/discussion"): discussants(FORBIDDEN, HIDDEN, 200, 200),
    ("POST", "/jury/entries/{entry_id:id}/discussion"):
        discussants(FORBIDDEN, HIDDEN, 422, 422),
    # The advisor's comment: only its author may change it.
    ("GET", "/jury/comments/{comment_id:id}/edit"):
        discussants(FORBIDDEN, HIDDEN, 200, FORBIDDEN),
    ("POST", "/jury/comments/{comment_id:id}/edit"):
        discussants(FORBIDDEN, HIDDEN, 422, FORBIDDEN),
    # Translations: the translator E is handed to, and the secretariat; nobody else. An
    # empty form carries no version, so it could only overwrite blindly: 409.
    ("GET", "/translations"): {**everyone(FORBIDDEN), ANONYMOUS: LOGIN, TRANSLATOR: 200},
    ("GET", "/translations/entries/{entry_id:id}"): {
        **everyone(FORBIDDEN), ANONYMOUS: LOGIN, TRANSLATOR: 200, SECRETARIAT: 200},
    ("POST", "/translations/entries/{entry_id:id}"): {
        **everyone(FORBIDDEN), ANONYMOUS: LOGIN, TRANSLATOR: 409, SECRETARIAT: 409},
    ("GET", "/admin/editions/{year:id}/translations"): secretariat_only(200),
    # A practice's public text in the other language: the secretariat writes it (an
    # empty form lacks the title and summary), its applicant approves it (none yet: 404).
    ("GET", "/admin/practices/{practice_id:id}/translation"): secretariat_only(200),
    ("POST", "/admin/practices/{practice_id:id}/translation"): secretariat_only(422),
    ("GET", "/my/practices/{practice_id:id}/translation"): owner_only(HIDDEN),
    ("POST", "/my/practices/{practice_id:id}/translation"): owner_only(HIDDEN),
    ("POST", "/admin/editions/{year:id}/translations/handover"): secretariat_only(422),
    ("GET", "/jury/digest"): discussants(200, 200, 200, 200),
    ("POST", "/jury/digest"): discussants(422, 422, 422, 422),
    # The secretariat.
    ("GET", "/admin/sheets/{sheet_id:id}"): secretariat_only(200),
    ("POST", "/admin/sheets/{sheet_id:id}/reopen"): secretariat_only(),
    ("POST", "/admin/sheets/{sheet_id:id}/reinstate"): secretariat_only(),
    ("GET", "/admin"): secretariat_only(200),
    ("GET", "/admin/editions/new"): secretariat_only(200),
    ("POST", "/admin/editions/new"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/edit"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/edit"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/rounds"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/criteria/final"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/transition"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/form"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/form/order"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/form/preview"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/form/preview"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/form/sections/new"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/form/sections/new"): secretariat_only(422),
    # The key filled in is a criterion's, which no section has.
    ("GET", "/admin/editions/{year:id}/form/sections/{key}"): secretariat_only(404),
    ("POST", "/admin/editions/{year:id}/form/sections/{key}"): secretariat_only(404),
    ("GET", "/admin/editions/{year:id}/form/questions/new"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/form/questions/new"): secretariat_only(422),
    ("GET", "/admin/editions/{year:id}/form/questions/{key}"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/form/questions/{key}"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/criteria"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/criteria/new"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/criteria/new"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/criteria/{key}"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/criteria/{key}"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/criteria/{key}/change"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/screening"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/progress"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/publication"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/results"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/exports"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/reminders"): secretariat_only(),
    ("GET", "/admin/entries"): secretariat_only(200),
    ("GET", "/admin/entries.csv"): secretariat_only(200),
    ("GET", "/admin/entries/{entry_id:id}"): secretariat_only(200),
    ("GET", "/admin/entries/{entry_id:id}/text"): secretariat_only(200),
    ("POST", "/admin/entries/{entry_id:id}/screen"): secretariat_only(),
    ("GET", "/admin/identity"): secretariat_only(200),
    ("POST", "/admin/identity"): secretariat_only(422),
    ("GET", "/admin/emails"): secretariat_only(200),
    ("GET", "/admin/emails/{kind}"): secretariat_only(200),
    ("POST", "/admin/emails/{kind}"): secretariat_only(422),
    ("POST", "/admin/emails/{kind}/test"): secretariat_only(422),
    ("POST", "/admin/emails/{kind}/restore"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/emails"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/emails/{kind}"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/emails/{kind}"): secretariat_only(422),
    ("POST", "/admin/editions/{year:id}/emails/{kind}/test"): secretariat_only(422),
    ("POST", "/admin/editions/{year:id}/emails/{kind}/restore"): secretariat_only(200),
    ("GET", "/admin/users"): secretariat_only(200),
    ("GET", "/admin/users/{user_id:id}"): secretariat_only(200),
    ("POST", "/admin/users/{user_id:id}/role"): secretariat_only(),
    ("POST", "/admin/users/{user_id:id}/active"): secretariat_only(),
    ("POST", "/admin/users/{user_id:id}/verification"): secretariat_only(),
    # Personal data: everyone signed in has their own; the secretariat anyone's.
    ("GET", "/account/data"): {**everyone(200), ANONYMOUS: LOGIN},
    ("GET", "/account/data.zip"): {**everyone(200), ANONYMOUS: LOGIN},
    ("GET", "/account/delete"): {**everyone(200), ANONYMOUS: LOGIN},
    ("POST", "/account/delete"): {**everyone(303), ANONYMOUS: LOGIN},
    ("POST", "/account/delete/cancel"): {**everyone(409), ANONYMOUS: LOGIN},  # none asked
    ("GET", "/admin/privacy"): secretariat_only(200),
    ("GET", "/admin/users/{user_id:id}/export.zip"): secretariat_only(200),
    ("GET", "/admin/users/{user_id:id}/erase"): secretariat_only(200),
    ("POST", "/admin/users/{user_id:id}/erase"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/retention"): secretariat_only(422),  # no months
    ("GET", "/admin/audit"): secretariat_only(200),
    # The privacy notice: public; accepting it after sign-in (nobody waits to: sent on);
    # publishing a new version is the secretariat's (an empty form is refused as such).
    ("GET", "/privacy"): everyone(200),
    ("GET", "/privacy/versions/{version:id}"): everyone(200),
    ("GET", "/privacy/accept"): {**everyone(303), ANONYMOUS: LOGIN},
    ("POST", "/privacy/accept"): {**everyone(303), ANONYMOUS: LOGIN},
    ("GET", "/admin/notices"): secretariat_only(200),
    ("GET", "/admin/notices/{document}/new"): secretariat_only(200),
    ("POST", "/admin/notices/{document}/new"): secretariat_only(422),
    ("GET", "/admin/notices/{document}/{version:id}"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/jury"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/jury/invite"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/jury/assignment"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/jury/assignment/run"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/assignment/apply"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/assignment/rule"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/assignment/release"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/conflicts"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/{user_id:id}/resend"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/{user_id:id}/revoke"): secretariat_only(),
    ("POST", "/admin/editions/{year:id}/jury/{user_id:id}/withdraw"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/deliberation"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/deliberation/charts"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/deliberation/decisions"): secretariat_only(),
    # The jury meeting: the secretariat's alone (jurors and advisors take part, off-line).
    ("GET", "/admin/editions/{year:id}/meeting"): secretariat_only(200),
    ("POST", "/admin/editions/{year:id}/meeting/attendance"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/meeting/minutes"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/meeting/minutes.pdf"): secretariat_only(200),
    ("GET", "/admin/editions/{year:id}/meeting/{entry_id:id}"): secretariat_only(ALLOWED),
    ("POST", "/admin/editions/{year:id}/meeting/{entry_id:id}/decision"): secretariat_only(),
    ("GET", "/admin/editions/{year:id}/exports/{what}.{fmt}"): secretariat_only(200),
    ("GET", "/admin/practices"): secretariat_only(200),
    ("POST", "/admin/practices/prepare"): secretariat_only(),
    ("GET", "/admin/practices/{practice_id:id}"): secretariat_only(200),
    ("POST", "/admin/practices/{practice_id:id}"): secretariat_only(),
    ("POST", "/admin/practices/{practice_id:id}/send"): secretariat_only(),
    ("POST", "/admin/practices/{practice_id:id}/recall"): secretariat_only(),
    ("POST", "/admin/practices/{practice_id:id}/resend"): secretariat_only(),
    ("POST", "/admin/practices/{practice_id:id}/publish"): secretariat_only(),
    ("POST", "/admin/practices/{practice_id:id}/unpublish"): secretariat_only(),
}

# Public pages whose year is that of the published edition rather than the judging one.
PUBLISHED_YEAR_ROUTES = {"/editions/{year:id}", "/api/v1/editions/{year}"}
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves; HEAD goes with GET."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path))
        elif isinstance(route, Route):
            found |= {(method, route.path) for method in route.methods if method != "HEAD"}
        else:  # pragma: no cover - a new kind of route needs a decision here
            raise AssertionError(f"unclassified route {route!r}")
    return found


def _throwaway_app(tmp_path: Path):
    return create_app(factories.settings(tmp_path, db_path=tmp_path / "routes.db"))


def test_every_route_has_an_expectation(tmp_path):
    served = app_routes(_throwaway_app(tmp_path))
    assert not served - EXPECTED.keys(), "routes without an expectation in EXPECTED"
    assert not EXPECTED.keys() - served, "expectations for routes that no longer exist"


def fill(path: str, world: factories.SecurityWorld) -> str:
    values = {
        "entry_id": world.entry_id, "attachment_id": world.attachment_id,
        "sheet_id": world.sheet_id, "key": world.criterion_key,
        "year": world.published_year if path in PUBLISHED_YEAR_ROUTES else world.year,
        "user_id": world.people[JUROR].id, "practice_id": world.practice_id,
        "slug": world.public_slug, "what": "ranking", "fmt": "csv",
        "comment_id": world.comment_id,
        "document": "privacy", "version": 1,
        # An email of the platform (outside an edition) or of the edition.
        "kind": "reset_password" if path.startswith("/admin/emails") else "results",
    }
    if path == "/static":
        return "/static/site.css"
    return PARAMETER.sub(lambda match: str(values[match.group(1)]), path)


def assert_security_headers(response: httpx.Response) -> None:
    csp = response.headers.get("content-security-policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";")}
    script_src = directives.get("script-src", directives.get("default-src", ""))
    assert script_src and "'unsafe-inline'" not in script_src, csp
    assert "frame-ancestors 'none'" in csp, csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy"), "no Referrer-Policy"


def outcome_of(response: httpx.Response) -> Outcome:
    if response.status_code in (302, 303, 307) and response.headers["location"].startswith(
        "/login"
    ):
        return LOGIN
    return response.status_code


def matches(expected: Outcome, actual: Outcome) -> bool:
    if expected == ALLOWED:
        return actual != LOGIN and actual not in (401, 403, 404) and actual < 500
    return expected == actual


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED), ids=" ".join)
async def test_each_role_gets_the_expected_answer(app, db, settings, method, path):
    world = await factories.security_world(db, settings.upload_dir)
    url = fill(path, world)
    got: dict[str, Outcome] = {}
    # The secretariat goes last: its POSTs may change the world (deactivate a juror…).
    for role in ROLES:
        csrf = secrets.token_urlsafe(16)
        cookie = factories.signed_session(settings.secret_key, world.people.get(role), csrf)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver",
            cookies={"prize_session": cookie},
        ) as client:
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"csrf_token": csrf})
        assert_security_headers(response)
        got[role] = outcome_of(response)
    wrong = {
        role: f"expected {EXPECTED[method, path][role]!r}, got {got[role]!r}"
        for role in ROLES
        if not matches(EXPECTED[method, path][role], got[role])
    }
    assert not wrong, f"{method} {url}: {wrong}"
