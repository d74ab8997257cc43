"""The secretariat's jury of an edition: invitations, revocations, withdrawals, conflicts.

What may be done with a membership is ruled by :mod:`prize.domain.jury`, checked on the
status read inside the write transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field, field_validator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import jury as rules
from prize.domain.assignment import Infeasible
from prize.domain.editions import Edition
from prize.domain.statuses import JurorStatus, Role
from prize.domain.text import one_line
from prize.i18n import gettext
from prize.store import audit, users
from prize.store import jury as jury_store
from prize.web.admin.assignment import (
    PairForm,
    assignment_page,
    compute,
    juror_lists,
    list_message,
    read_pair,
    store,
)
from prize.web.forms import validate
from prize.web.params import edition_of, edition_path
from prize.web.routing import form_values
from prize.web.templating import flash, render

INVITATION_VALID_FOR = timedelta(days=14)


class Refused(Exception):
    """A membership rule said no inside a transaction: it is rolled back, the page says why."""


class InviteForm(BaseModel):
    email: EmailStr = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)
    #: A juror scores; an advisor reads, and writes in the discussions, but never scores.
    role: Literal["juror", "advisor"] = "juror"

    @field_validator("email", "name", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return one_line(value) if isinstance(value, str) else value


class ConflictForm(PairForm):
    action: Literal["set", "remove"] = "set"
    reason: str = Field(default="", max_length=500)


async def _member(request: Request, edition: Edition) -> jury_store.EditionJuror:
    """The member of the jury whose id is in the path (`{user_id:id}`), or a 404."""
    member = await jury_store.edition_juror(request.app.state.db, edition.id,
                                            request.path_params["user_id"])
    if member is None:
        raise HTTPException(404)
    return member


async def _check(conn, edition: Edition, user_id: int,
                 rule: Callable[[str | None], str | None]) -> None:
    """Apply a rule of :mod:`prize.domain.jury` to the membership as it is now."""
    refusal = rule(await jury_store.status_in(conn, edition.id, user_id))
    if refusal is not None:
        raise Refused(refusal)


def _jury_url(edition: Edition, tail: str = "") -> str:
    return edition_path(edition, "/jury" + tail)


# Jurors and invitations ----------------------------------------------------------------------


async def _jurors_page(request: Request, edition: Edition, values: dict, errors: dict,
                       status_code: int = 200) -> Response:
    db = request.app.state.db
    members = await jury_store.jurors_of(db, edition.id, roles=Role.JURY_READERS)
    loads: dict[int, int] = {}
    for pair in await jury_store.assignment_of(db, edition.id):
        loads[pair.juror_id] = loads.get(pair.juror_id, 0) + 1
    entries = await jury_store.judged_entries(db, edition.id)
    return render(request, "admin/jury/jurors.html", {
        "edition": edition, "members": members, "loads": loads, "values": values,
        "errors": errors,
        "entry_choices": [(str(entry.id), f"{entry.reference} · {entry.title}")
                          for entry in entries],
        "juror_choices": [(str(member.user_id), member.name or member.email)
                          for member in members if member.status == JurorStatus.ACTIVE],
    }, status_code=status_code)


async def jurors(request: Request) -> Response:
    return await _jurors_page(request, await edition_of(request), {}, {})


async def _send_invitation(request: Request, conn, edition: Edition, *, user_id: int,
                           email: str, name: str, locale: str) -> None:
    """A new single-use link (earlier ones stop working), mailed after the commit."""
    app = request.app.state
    token = await users.issue_token(conn, user_id=user_id, purpose="invitation",
                                    now=app.clock(), valid_for=INVITATION_VALID_FOR)
    await app.mailer.enqueue(conn, app.mailer.compose(
        "invitation", email,
        {"name": name, "edition": edition, "days": INVITATION_VALID_FOR.days,
         "link": app.settings.url(f"/invitation?token={token}")},
        locale=locale, related_user_id=user_id))


async def invite(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    values = form_values(request.state.form)
    values["role"] = values.get("role") or Role.JUROR  # the form's first choice
    form, errors = validate(InviteForm, values)
    if form is None:
        return await _jurors_page(request, edition, values, errors, 422)
    person = await users.by_email(app.db, form.email)
    if person is not None and person.role != form.role:
        message = (gettext(
            "This address belongs to an account that is not a juror's. Change its role on the "
            "Users page first.") if form.role == Role.JUROR else gettext(
            "This address belongs to an account that is not an advisor's. Change its role on "
            "the Users page first."))
        return await _jurors_page(request, edition, values, {"email": message}, 422)
    if person is not None:
        member = await jury_store.edition_juror(app.db, edition.id, person.id)
        refusal = rules.may_invite(member.status if member else None)
        if refusal:
            return await _jurors_page(request, edition, values, {"email": refusal}, 422)
    now = app.clock()
    try:
        async with app.db.transaction() as conn:
            if person is None:
                user_id = await users.create(conn, email=form.email, name=form.name,
                                             role=form.role, password_hash=None, now=now)
            else:
                user_id = person.id
                await _check(conn, edition, user_id, rules.may_invite)
            await jury_store.invite(conn, edition.id, user_id, now)
            await _send_invitation(
                request, conn, edition, user_id=user_id, email=users.normalise_email(form.email),
                name=person.display_name if person else form.name,
                locale=person.locale if person else "en")
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="jury.invited", subject_type="user", subject_id=user_id,
                               edition_id=edition.id)
    except Refused as refused:
        return await _jurors_page(request, edition, values, {"email": str(refused)}, 422)
    await app.mailer.flush()
    flash(request, gettext("The invitation is sent to {email}.").format(email=form.email))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def resend(request: Request) -> Response:
    """A new link for a pending (or revoked) invitation; the old link stops working."""
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    person = await users.get(app.db, member.user_id)
    now = app.clock()
    try:
        async with app.db.transaction() as conn:
            await _check(conn, edition, person.id,
                         lambda status: rules.may_resend(status, member.name))
            await jury_store.invite(conn, edition.id, person.id, now)
            await _send_invitation(request, conn, edition, user_id=person.id,
                                   email=person.email, name=person.display_name,
                                   locale=person.locale)
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="jury.invitation_resent", subject_type="user",
                               subject_id=person.id, edition_id=edition.id)
    except Refused as refused:
        return await _jurors_page(request, edition, {}, {"form": str(refused)}, 422)
    await app.mailer.flush()
    flash(request, gettext("A new invitation is sent; the previous link no longer works."))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def revoke(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    now = app.clock()
    try:
        async with app.db.transaction() as conn:
            await _check(conn, edition, member.user_id, rules.may_revoke)
            await jury_store.set_status(conn, edition.id, member.user_id, JurorStatus.REVOKED)
            await users.revoke_tokens(conn, member.user_id, "invitation", now)
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="jury.invitation_revoked", subject_type="user",
                               subject_id=member.user_id, edition_id=edition.id)
    except Refused as refused:
        return await _jurors_page(request, edition, {}, {"form": str(refused)}, 422)
    flash(request, gettext("The invitation is cancelled."))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def withdraw(request: Request) -> Response:
    """The juror leaves; their entries go to others, and no started pair moves."""
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    # Checked here too, so that no replacement is computed for someone who cannot leave.
    refusal = rules.may_withdraw(member.status)
    if refusal:
        return await _jurors_page(request, edition, {}, {"form": refusal}, 422)
    # An advisor has no entries to hand on: they simply leave.
    has_assignment = (member.role == Role.JUROR
                      and bool(await jury_store.assignment_of(app.db, edition.id)))
    result = None
    if has_assignment:
        try:
            result = await compute(request, edition, leaving=member.user_id)
        except Infeasible as error:
            return await assignment_page(request, edition, {}, {"form": gettext(
                "{name} cannot be replaced: {reason}").format(
                    name=member.name, reason=error.message)}, 422)
    # Once the jurors have their lists, those whose list the replacement changes get their
    # new list (only they, and only if it holds entries), as after a new run.
    told = []
    if result is not None and edition.assignment_released_at is not None:
        before = {(pair.juror_id, pair.entry_id)
                  for pair in await jury_store.assignment_of(app.db, edition.id)
                  if pair.juror_id != member.user_id}
        changed = {juror for juror, _ in before ^ set(result.pairs)}
        told = [(person, mine) for person, mine in await juror_lists(request, edition,
                                                                     result.pairs)
                if person.user_id in changed and person.user_id != member.user_id and mine]
    now = app.clock()
    try:
        async with app.db.transaction() as conn:
            await _check(conn, edition, member.user_id, rules.may_withdraw)
            await jury_store.set_status(conn, edition.id, member.user_id, JurorStatus.WITHDRAWN)
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="jury.withdrawn", subject_type="user",
                               subject_id=member.user_id, edition_id=edition.id)
            if result is not None:
                await store(request, conn, edition, result, action="assignment.juror_replaced",
                            details={"withdrawn": member.user_id, "emails": len(told)})
            for person, mine in told:
                await app.mailer.enqueue(conn, list_message(request, edition, person, mine))
    except Refused as refused:
        return await _jurors_page(request, edition, {}, {"form": str(refused)}, 422)
    if told:
        await app.mailer.flush()
    if member.role != Role.JUROR:
        flash(request, gettext("{name} has left the jury's advisors.").format(name=member.name))
        return RedirectResponse(_jury_url(edition), status_code=303)
    flash(request, gettext("{name} has left the jury; their entries are given to other jurors.")
          .format(name=member.name) + (" " + gettext(
              "Emails sent: {n}, to the jurors whose lists changed.").format(n=len(told))
              if told else ""))
    return RedirectResponse(_jury_url(edition, "/assignment"), status_code=303)


async def set_conflict(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    form, refusal = await read_pair(request, edition, ConflictForm, _jurors_page)
    if refusal is not None:
        return refusal
    now = app.clock()
    async with app.db.transaction() as conn:
        if form.action == "set":
            await jury_store.set_conflict(conn, entry_id=form.entry_id, juror_id=form.juror_id,
                                          source="secretariat", reason=form.reason.strip(),
                                          created_by=request.state.user.id, now=now)
        else:
            await jury_store.remove_conflict(conn, entry_id=form.entry_id,
                                             juror_id=form.juror_id, source="secretariat")
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=f"conflict.secretariat_{form.action}", subject_type="entry",
                           subject_id=form.entry_id, edition_id=edition.id,
                           details={"juror_id": form.juror_id, "reason": form.reason.strip()})
    flash(request, gettext("The conflict is saved. Run the assignment again to apply it."))
    return RedirectResponse(_jury_url(edition), status_code=303)
