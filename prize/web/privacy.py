"""A person's rights over their data: "My data" (what we hold, download, ask to delete),
and the secretariat's side (export for anyone, confirm an erasure, retention periods)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import privacy as rules
from prize.domain.statuses import Role
from prize.i18n import gettext
from prize.store import audit, users
from prize.store import privacy as store
from prize.web.params import edition_of
from prize.web.routing import page
from prize.web.templating import flash, render

ZIP = "application/zip"


def _zip_response(body: bytes, user_id: int) -> Response:
    return Response(body, media_type=ZIP, headers={
        "Content-Disposition": f'attachment; filename="my-data-{user_id}.zip"',
        "Cache-Control": "no-store"})


# The person's own pages --------------------------------------------------------------------


async def _my_data_page(request: Request, status_code: int = 200,
                        errors: dict | None = None) -> Response:
    app = request.app.state
    me = request.state.user
    return render(request, "privacy/my_data.html", {
        "summary": await store.summary(app.db, me.id, me.email),
        "requested_at": await store.pending_request(app.db, me.id),
        "errors": errors or {},
    }, status_code=status_code)


async def my_data(request: Request) -> Response:
    return await _my_data_page(request)


async def my_data_download(request: Request) -> Response:
    app = request.app.state
    body = await store.export(app.db, request.state.user.id, app.settings.upload_dir)
    return _zip_response(body, request.state.user.id)


async def delete_account(request: Request) -> Response:
    """GET: what deleting the account does; POST: the request, for the secretariat."""
    app = request.app.state
    me = request.state.user
    requested_at = await store.pending_request(app.db, me.id)
    if request.method == "POST" and requested_at is None:
        now = app.clock()
        async with app.db.transaction() as conn:
            await store.request_erasure(conn, me.id, now)
            await audit.record(conn, now=now, actor_id=me.id, action="user.erasure_requested",
                               subject_type="user", subject_id=me.id)
        flash(request, gettext("Your request is recorded. The secretariat will confirm it; "
                               "until then your account works as before."))
        return RedirectResponse("/account/data", status_code=303)
    if request.method == "POST":
        return await _my_data_page(request, 409, {"form": gettext(
            "You asked for this already; the secretariat has your request.")})
    return render(request, "privacy/delete.html", {
        "what_goes": rules.what_goes(), "what_stays": rules.what_stays(),
        "requested_at": requested_at,
        "wait": rules.erasure_wait(await store.erasure_facts(app.db, me.id))})


async def cancel_deletion(request: Request) -> Response:
    app = request.app.state
    me = request.state.user
    now = app.clock()
    async with app.db.transaction() as conn:
        cancelled = await store.cancel_request(conn, me.id, now, me.id)
        if cancelled:
            await audit.record(conn, now=now, actor_id=me.id, action="user.erasure_cancelled",
                               subject_type="user", subject_id=me.id)
    if not cancelled:
        return await _my_data_page(request, 409, {"form": gettext(
            "There is no request to withdraw.")})
    flash(request, gettext("Your request is withdrawn: your account stays as it is."))
    return RedirectResponse("/account/data", status_code=303)


# The secretariat's pages -------------------------------------------------------------------


async def _person(request: Request) -> users.User:
    person = await users.get(request.app.state.db, request.path_params["user_id"])
    if person is None:
        raise HTTPException(404)
    return person


async def admin_export(request: Request) -> Response:
    app = request.app.state
    person = await _person(request)
    body = await store.export(app.db, person.id, app.settings.upload_dir)
    async with app.db.transaction() as conn:
        await audit.record(conn, now=app.clock(), actor_id=request.state.user.id,
                           action="user.exported", subject_type="user", subject_id=person.id)
    return _zip_response(body, person.id)


async def admin_erase(request: Request) -> Response:
    """GET: what will go and what will stay, or why it cannot be done; POST: erase."""
    app = request.app.state
    person = await _person(request)
    facts = await store.erasure_facts(app.db, person.id)
    refusal = rules.erasure_refusal(facts)
    if request.method == "POST" and refusal is None:
        await store.erase_completely(app.db, person.id, upload_dir=app.settings.upload_dir,
                                     now=app.clock(), actor_id=request.state.user.id)
        flash(request, gettext("The account is erased. What the prize's record needs stays "
                               "under a pseudonym."))
        if person.id == request.state.user.id:
            return RedirectResponse("/", status_code=303)
        return RedirectResponse("/admin/privacy", status_code=303)
    return render(request, "privacy/admin_erase.html", {
        "person": person, "refusal": refusal, "what_goes": rules.what_goes(),
        "what_stays": rules.what_stays(),
        "requested_at": await store.pending_request(app.db, person.id),
    }, status_code=409 if refusal and request.method == "POST" else 200)


async def _privacy_page(request: Request, values: dict | None = None,
                        errors: dict | None = None, status_code: int = 200) -> Response:
    app = request.app.state
    now = app.clock()
    return render(request, "privacy/admin_privacy.html", {
        "requests": await store.pending_requests(app.db),
        "retention": await store.retention_overview(app.db),
        "now": now, "values": values or {}, "errors": errors or {},
        "low": rules.RETENTION_MIN, "high": rules.RETENTION_MAX,
    }, status_code=status_code)


async def admin_privacy(request: Request) -> Response:
    return await _privacy_page(request)


async def set_retention(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    # One form per edition on the page: the field is named after the edition.
    field = f"retention_months_{edition.year}"
    typed = str(request.state.form.get(field, ""))[:20]
    problem = rules.retention_problem(typed)
    if problem:
        return await _privacy_page(request, {field: typed}, {field: problem}, 422)
    months = int(typed.strip())
    now = app.clock()
    async with app.db.transaction() as conn:
        await store.set_retention(conn, edition.id, months)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="edition.retention_set", subject_type="edition",
                           subject_id=edition.id, edition_id=edition.id,
                           details={"months": months})
    flash(request, gettext("The personal data of the {year} edition's unpublished entries is "
                           "kept {months} months after it is archived.").format(
                               year=edition.year, months=months))
    return RedirectResponse("/admin/privacy", status_code=303)


ANYONE = Role.ALL
STAFF = Role.STAFF
GET_POST = ("GET", "POST")

routes = [
    page("/account/data", my_data, roles=ANYONE),
    page("/account/data.zip", my_data_download, roles=ANYONE),
    page("/account/delete", delete_account, methods=GET_POST, roles=ANYONE),
    page("/account/delete/cancel", cancel_deletion, methods=("POST",), roles=ANYONE),
    page("/admin/privacy", admin_privacy, roles=STAFF),
    page("/admin/users/{user_id:id}/export.zip", admin_export, roles=STAFF),
    page("/admin/users/{user_id:id}/erase", admin_erase, methods=GET_POST, roles=STAFF),
    page("/admin/editions/{year:id}/retention", set_retention, methods=("POST",), roles=STAFF),
]
