"""The secretariat's accounts: search, roles, deactivation, a new confirmation link."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.clock import from_iso
from prize.domain.labels import label
from prize.domain.statuses import Role
from prize.i18n import gettext
from prize.store import audit, consent, users, users_admin
from prize.web.accounts import VERIFY_VALID_FOR
from prize.web.forms import validate
from prize.web.params import fetch_page, query_page, query_text
from prize.web.routing import form_values
from prize.web.templating import flash, render


async def user_list(request: Request) -> Response:
    q = query_text(request, "q")
    role = query_text(request, "role", 20)
    role = role if role in Role.ALL else ""

    def fetch(limit: int, offset: int):
        return users_admin.search(request.app.state.db, q=q or None, role=role or None,
                                  limit=limit, offset=offset)

    found, pages = await fetch_page(fetch, query_page(request))
    return render(request, "admin/users.html", {
        "users": found, "filters": {"q": q, "role": role}, "roles": Role.ALL, "pages": pages})


class RoleForm(BaseModel):
    role: Role


async def _user(request: Request) -> users.User:
    person = await users.get(request.app.state.db, request.path_params["user_id"])
    if person is None:
        raise HTTPException(404)
    return person


async def _user_page(request: Request, person: users.User, values: dict, errors: dict,
                     status_code: int = 200) -> Response:
    history = await audit.search(request.app.state.db, subject_type="user",
                                 subject_id=person.id, limit=20)
    # What the person accepted, newest first: the texts, their versions and when.
    accepted = [{**record, "accepted_at": from_iso(record["accepted_at"])}
                for record in reversed(await consent.list_for_user(request.app.state.db,
                                                                   person.id))]
    return render(request, "admin/user.html", {
        "person": person, "values": values, "errors": errors, "history": history,
        "accepted": accepted,
        "roles": [(role, label("role", role)) for role in Role.ALL],
        "is_me": person.id == request.state.user.id}, status_code=status_code)


async def show_user(request: Request) -> Response:
    person = await _user(request)
    return await _user_page(request, person, {"role": person.role}, {})


async def change_role(request: Request) -> Response:
    person = await _user(request)
    app = request.app.state
    values = form_values(request.state.form)
    form, errors = validate(RoleForm, values)
    if form is not None and person.id == request.state.user.id:
        errors = {"role": gettext(
            "You cannot change your own role: ask another member of the secretariat.")}
    if form is None or errors:
        return await _user_page(request, person, values, errors, 422)
    if form.role != person.role:
        now = app.clock()
        async with app.db.transaction() as conn:
            await users_admin.set_role(conn, person.id, form.role)
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="user.role_changed", subject_type="user",
                               subject_id=person.id,
                               details={"from": person.role, "to": form.role})
    flash(request, gettext("{name} is now {role}.").format(name=person.display_name,
                                                           role=label("role", form.role)))
    return RedirectResponse(f"/admin/users/{person.id}", status_code=303)


async def set_active(request: Request) -> Response:
    person = await _user(request)
    app = request.app.state
    active = request.state.form.get("active") == "1"
    if person.id == request.state.user.id:
        return await _user_page(request, person, {"role": person.role}, {"form": gettext(
            "You cannot deactivate your own account.")}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        await users_admin.set_active(conn, person.id, active)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="user.reactivated" if active else "user.deactivated",
                           subject_type="user", subject_id=person.id)
    flash(request, (gettext("{name} can log in again.") if active else gettext(
        "{name} is deactivated; their past work is kept.")).format(name=person.display_name))
    return RedirectResponse(f"/admin/users/{person.id}", status_code=303)


async def resend_verification(request: Request) -> Response:
    person = await _user(request)
    app = request.app.state
    if person.is_verified:
        return await _user_page(request, person, {"role": person.role}, {"form": gettext(
            "This address is confirmed already.")}, 409)
    now = app.clock()
    async with app.db.transaction() as conn:
        token = await users.issue_token(conn, user_id=person.id, purpose="verify_email", now=now,
                                        valid_for=VERIFY_VALID_FOR)
        await app.mailer.enqueue(conn, app.mailer.compose(
            "verify_email", person.email,
            {"name": person.display_name, "link": app.settings.url(f"/verify?token={token}")},
            locale=person.locale, related_user_id=person.id))
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="user.verification_resent", subject_type="user",
                           subject_id=person.id)
    await app.mailer.flush()
    flash(request, gettext("A new confirmation link is sent to {email}.").format(
        email=person.email))
    return RedirectResponse(f"/admin/users/{person.id}", status_code=303)
