"""The secretariat's jury screens: invitations, conflicts, the assignment and its release."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field, field_validator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from prize.domain.assignment import EditionAssignment, Infeasible, assign_edition
from prize.domain.editions import Edition
from prize.i18n import gettext
from prize.store import audit, users
from prize.store import jury as jury_store
from prize.web.admin import edition_of, edition_path
from prize.web.forms import validate, whole_number
from prize.web.routing import MAX_ID, Handler, database_id, form_values, page
from prize.web.templating import flash, local_datetime, render

ADMIN = ("admin",)
INVITATION_VALID_FOR = timedelta(days=14)
ENTRIES_PER_PAGE = 50
# Above this many jurors the matrix lists names per entry instead of one column per juror.
MATRIX_COLUMNS = 40


class InviteForm(BaseModel):
    email: EmailStr = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)

    @field_validator("email", "name", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


class PairForm(BaseModel):
    entry_id: int = Field(ge=1, le=MAX_ID)
    juror_id: int = Field(ge=1, le=MAX_ID)


class RuleForm(PairForm):
    rule: Literal["pin", "forbid", "clear"]


class ConflictForm(PairForm):
    action: Literal["set", "remove"] = "set"
    reason: str = Field(default="", max_length=500)


# Parameters ------------------------------------------------------------------------------


async def _member(request: Request, edition: Edition) -> jury_store.EditionJuror:
    user_id = database_id(str(request.path_params["user_id"]))
    if user_id is None:
        raise HTTPException(404)
    member = await jury_store.edition_juror(request.app.state.db, edition.id, user_id)
    if member is None:
        raise HTTPException(404)
    return member


def _jury_url(edition: Edition, tail: str = "") -> str:
    return edition_path(edition, "/jury" + tail)


# Jurors and invitations ----------------------------------------------------------------------


async def _jurors_page(request: Request, edition: Edition, values: dict, errors: dict,
                       status_code: int = 200) -> Response:
    db = request.app.state.db
    members = await jury_store.jurors_of(db, edition.id)
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
                          for member in members if member.status == "active"],
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
    form, errors = validate(InviteForm, values)
    if form is None:
        return await _jurors_page(request, edition, values, errors, 422)
    person = await users.by_email(app.db, form.email)
    if person is not None and person.role != "juror":
        return await _jurors_page(request, edition, values, {"email": gettext(
            "This address belongs to an account that is not a juror's. Change its role on the "
            "Users page first.")}, 422)
    if person is not None:
        member = await jury_store.edition_juror(app.db, edition.id, person.id)
        if member is not None and member.status == "active":
            return await _jurors_page(request, edition, values, {"email": gettext(
                "This person is on the jury already.")}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        if person is None:
            user_id = await users.create(conn, email=form.email, name=form.name, role="juror",
                                         password_hash=None, now=now)
        else:
            user_id = person.id
        await jury_store.invite(conn, edition.id, user_id, now)
        await _send_invitation(
            request, conn, edition, user_id=user_id, email=users.normalise_email(form.email),
            name=person.display_name if person else form.name,
            locale=person.locale if person else "en")
        await audit.record(conn, now=now, actor_id=request.state.user.id, action="jury.invited",
                           subject_type="user", subject_id=user_id, edition_id=edition.id)
    await app.mailer.flush()
    flash(request, gettext("The invitation is sent to {email}.").format(email=form.email))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def resend(request: Request) -> Response:
    """A new link for a pending (or revoked) invitation; the old link stops working."""
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    if member.status not in ("invited", "revoked"):
        return await _jurors_page(request, edition, {}, {"form": gettext(
            "{name} has accepted already: there is no invitation to send.").format(
                name=member.name)}, 422)
    person = await users.get(app.db, member.user_id)
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.invite(conn, edition.id, person.id, now)
        await _send_invitation(request, conn, edition, user_id=person.id, email=person.email,
                               name=person.display_name, locale=person.locale)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="jury.invitation_resent", subject_type="user",
                           subject_id=person.id, edition_id=edition.id)
    await app.mailer.flush()
    flash(request, gettext("A new invitation is sent; the previous link no longer works."))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def revoke(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    if member.status != "invited":
        return await _jurors_page(request, edition, {}, {"form": gettext(
            "Only a pending invitation can be revoked. A juror who has accepted can withdraw "
            "instead.")}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.set_status(conn, edition.id, member.user_id, "revoked")
        await users.revoke_tokens(conn, member.user_id, "invitation", now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="jury.invitation_revoked", subject_type="user",
                           subject_id=member.user_id, edition_id=edition.id)
    flash(request, gettext("The invitation is revoked."))
    return RedirectResponse(_jury_url(edition), status_code=303)


async def withdraw(request: Request) -> Response:
    """The juror leaves; their entries go to others, and no started pair moves."""
    app = request.app.state
    edition = await edition_of(request)
    member = await _member(request, edition)
    if member.status != "active":
        return await _jurors_page(request, edition, {}, {"form": gettext(
            "Only an active juror can withdraw.")}, 422)
    has_assignment = bool(await jury_store.assignment_of(app.db, edition.id))
    result = None
    if has_assignment:
        try:
            result = await _compute(request, edition, leaving=member.user_id)
        except Infeasible as error:
            return await _assignment_page(request, edition, {}, {"form": gettext(
                "{name} cannot be replaced: {reason}").format(
                    name=member.name, reason=error.message)}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.set_status(conn, edition.id, member.user_id, "withdrawn")
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="jury.withdrawn", subject_type="user",
                           subject_id=member.user_id, edition_id=edition.id)
        if result is not None:
            await _store(request, conn, edition, result, action="assignment.juror_replaced",
                         details={"withdrawn": member.user_id})
    flash(request, gettext("{name} has withdrawn; their entries are given to other jurors.")
          .format(name=member.name))
    return RedirectResponse(_jury_url(edition, "/assignment"), status_code=303)


# The assignment --------------------------------------------------------------------------------


async def _compute(request: Request, edition: Edition, *,
                   leaving: int | None = None) -> EditionAssignment:
    """A new assignment: pins and forbids kept, every pair on which scoring started pinned."""
    db = request.app.state.db
    entries, jurors = await jury_store.for_assignment(db, edition.id)
    jurors = [juror for juror in jurors if juror.id != leaving]
    if not entries:
        raise Infeasible(gettext("No entry of this edition has passed screening yet."))
    if not jurors:
        raise Infeasible(gettext("No juror is active on this edition's jury."))
    juror_ids = {juror.id for juror in jurors}
    entry_ids = {entry.id for entry in entries}
    rules = await jury_store.rules_of(db, edition.id)
    started = {(pair.juror_id, pair.entry_id)
               for pair in await jury_store.assignment_of(db, edition.id) if pair.started}
    pinned = {pair for pair, rule in rules.items() if rule == "pin"} | started
    forbidden = {pair for pair, rule in rules.items() if rule == "forbid"}
    known = {(juror, entry) for juror, entry in pinned | forbidden
             if juror in juror_ids and entry in entry_ids}
    return assign_edition(entries, jurors, per_entry=edition.jurors_per_entry,
                          pinned=sorted(pinned & known), forbidden=sorted(forbidden & known))


async def _store(request: Request, conn, edition: Edition, result: EditionAssignment, *,
                 action: str, details: dict | None = None) -> None:
    now = request.app.state.clock()
    await jury_store.replace_assignment(conn, edition.id, dict(result.affinity), now)
    await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                       subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                       details={"pairs": len(result.pairs), "objective": result.objective,
                                **(details or {})})


async def _assignment_page(request: Request, edition: Edition, values: dict, errors: dict,
                           status_code: int = 200) -> Response:
    db = request.app.state.db
    entries = await jury_store.judged_entries(db, edition.id)
    members = await jury_store.jurors_of(db, edition.id, ("active", "withdrawn"))
    active = [member for member in members if member.status == "active"]
    pairs = {(pair.juror_id, pair.entry_id): pair
             for pair in await jury_store.assignment_of(db, edition.id)}
    rules = await jury_store.rules_of(db, edition.id)
    conflicts = await jury_store.conflicts_of(db, edition.id)
    profiles = await jury_store.profiles_of(db, (member.user_id for member in active))
    last = max(1, math.ceil(len(entries) / ENTRIES_PER_PAGE))
    current = _page_number(request.query_params.get("page", "1"), last)
    shown = entries[(current - 1) * ENTRIES_PER_PAGE:current * ENTRIES_PER_PAGE]

    def cell(member: jury_store.EditionJuror, entry: jury_store.JuryEntry) -> dict[str, Any]:
        key = (member.user_id, entry.id)
        conflict = conflicts.get(key)
        automatic = jury_store.automatic_conflict(profiles.get(member.user_id), entry)
        return {"assigned": key in pairs, "started": key in pairs and pairs[key].started,
                "rule": rules.get(key),
                "conflict": automatic or (conflict.source if conflict else None)}

    readings = Counter(juror for juror, _ in pairs)
    started_readings = Counter(juror for (juror, _), pair in pairs.items() if pair.started)
    loads = {member.user_id: readings[member.user_id] for member in members}
    started = {member.user_id: started_readings[member.user_id] for member in members}
    names = {member.user_id: member.name or member.email for member in members}
    readers: dict[int, list[int]] = {}
    for juror, entry_id in pairs:
        readers.setdefault(entry_id, []).append(juror)
    rows = [{"entry": entry, "cells": [cell(member, entry) for member in active],
             "jurors": [names[juror] for juror in readers.get(entry.id, [])]}
            for entry in shown]
    return render(request, "admin/jury/assignment.html", {
        "edition": edition, "rows": rows, "active": active, "members": members,
        "loads": loads, "started": started, "entries": entries,
        "pairs": len(pairs), "collapsed": len(active) > MATRIX_COLUMNS,
        "pages": {"page": current, "last": last, "total": len(entries)}, "query": {},
        "errors": errors, "values": values,
        "released": local_datetime(edition.assignment_released_at, edition.timezone)
        if edition.assignment_released_at else "",
        "entry_choices": [(str(entry.id), f"{entry.reference} · {entry.title}")
                          for entry in entries],
        "juror_choices": [(str(member.user_id), names[member.user_id]) for member in active],
    }, status_code=status_code)


def _page_number(text: str, last: int) -> int:
    """The page asked for in the query, within 1..last; 1 when it is not a page number."""
    number = whole_number(text, high=99_999)
    return 1 if number is None else min(number, last)


async def assignment(request: Request) -> Response:
    return await _assignment_page(request, await edition_of(request), {}, {})


async def run(request: Request) -> Response:
    edition = await edition_of(request)
    try:
        result = await _compute(request, edition)
    except Infeasible as error:
        return await _assignment_page(request, edition, {}, {"form": error.message}, 422)
    async with request.app.state.db.transaction() as conn:
        await _store(request, conn, edition, result, action="assignment.run")
    flash(request, gettext("The assignment is computed: {pairs} readings.").format(
        pairs=len(result.pairs)))
    return RedirectResponse(_jury_url(edition, "/assignment"), status_code=303)


async def _pair(request: Request, edition: Edition, model: type[PairForm], screen):
    """The validated form, or the page again at 422 naming what is wrong."""
    db = request.app.state.db
    values = form_values(request.state.form)
    form, errors = validate(model, values)
    if form is not None:
        entry_ids = {entry.id for entry in await jury_store.judged_entries(db, edition.id)}
        juror_ids = {member.user_id for member in await jury_store.jurors_of(
            db, edition.id, ("active",))}
        if form.entry_id not in entry_ids:
            errors["entry_id"] = gettext("Choose from the list.")
        if form.juror_id not in juror_ids:
            errors["juror_id"] = gettext("Choose from the list.")
    if errors:
        return None, await screen(request, edition, values, errors, 422)
    return form, None


async def set_rule(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    form, refusal = await _pair(request, edition, RuleForm, _assignment_page)
    if refusal is not None:
        return refusal
    started = {(pair.juror_id, pair.entry_id)
               for pair in await jury_store.assignment_of(app.db, edition.id) if pair.started}
    if form.rule == "forbid" and (form.juror_id, form.entry_id) in started:
        return await _assignment_page(request, edition, {}, {"form": gettext(
            "This juror has started scoring this entry: the pair cannot be forbidden.")}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.set_rule(conn, entry_id=form.entry_id, juror_id=form.juror_id,
                                  rule=None if form.rule == "clear" else form.rule,
                                  created_by=request.state.user.id, now=now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=f"assignment.rule_{form.rule}", subject_type="entry",
                           subject_id=form.entry_id, edition_id=edition.id,
                           details={"juror_id": form.juror_id})
    flash(request, gettext("The rule is saved. Run the assignment again to apply it."))
    return RedirectResponse(_jury_url(edition, "/assignment"), status_code=303)


async def set_conflict(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request)
    form, refusal = await _pair(request, edition, ConflictForm, _jurors_page)
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


async def release(request: Request) -> Response:
    """The jurors see their entries from now on; each gets an email with their list."""
    app = request.app.state
    edition = await edition_of(request)
    pairs = await jury_store.assignment_of(app.db, edition.id)
    if not pairs:
        return await _assignment_page(request, edition, {}, {"form": gettext(
            "Run the assignment before releasing it.")}, 422)
    entries = {entry.id: entry for entry in await jury_store.judged_entries(app.db, edition.id)}
    conflicts = await jury_store.conflicts_of(app.db, edition.id)
    active = await jury_store.jurors_of(app.db, edition.id, ("active",))
    profiles = await jury_store.profiles_of(app.db, (member.user_id for member in active))
    now = app.clock()
    deadline = (local_datetime(edition.judging_ends_at, edition.timezone, "long")
                if edition.judging_ends_at else "")
    async with app.db.transaction() as conn:
        await jury_store.release(conn, edition.id, now)
        for member in active:
            profile = profiles.get(member.user_id)
            mine = [entries[pair.entry_id] for pair in pairs
                    if pair.juror_id == member.user_id and pair.entry_id in entries
                    and (member.user_id, pair.entry_id) not in conflicts
                    and jury_store.automatic_conflict(profile, entries[pair.entry_id]) is None]
            await app.mailer.enqueue(conn, app.mailer.compose(
                "assignment_released", member.email,
                {"name": member.name or member.email, "edition": edition, "entries": mine,
                 "deadline": deadline, "link": app.settings.url("/jury")},
                locale=member.locale, related_user_id=member.user_id))
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="assignment.released", subject_type="edition",
                           subject_id=edition.id, edition_id=edition.id,
                           details={"jurors": len(active), "pairs": len(pairs)})
    await app.mailer.flush()
    flash(request, gettext("The assignment is released: each juror has an email with their "
                           "entries."))
    return RedirectResponse(_jury_url(edition, "/assignment"), status_code=303)


def _jury_page(path: str, handler: Handler, methods: Collection[str] = ("GET",)) -> Route:
    return page("/admin/editions/{year:int}/jury" + path, handler, methods=list(methods),
                roles=ADMIN)


POST = ("POST",)
routes = [
    _jury_page("", jurors),
    _jury_page("/invite", invite, POST),
    _jury_page("/assignment", assignment),
    _jury_page("/assignment/run", run, POST),
    _jury_page("/assignment/rule", set_rule, POST),
    _jury_page("/assignment/release", release, POST),
    _jury_page("/conflicts", set_conflict, POST),
    _jury_page("/{user_id}/resend", resend, POST),
    _jury_page("/{user_id}/revoke", revoke, POST),
    _jury_page("/{user_id}/withdraw", withdraw, POST),
]
