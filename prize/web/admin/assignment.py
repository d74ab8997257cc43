"""The secretariat's assignment of entries to jurors: the matrix, pins and forbids, runs of
the solver, and the release that shows each juror their entries.

A new run keeps every pair on which scoring started, so no submitted work moves. Once the
assignment is released, a new run first shows what it would change juror by juror
(:mod:`prize.domain.assignment_changes`); applying it emails only the jurors whose lists
changed. Releasing shows who gets which email first. A juror with no entry gets no list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import assignment_changes as changes_of
from prize.domain.assignment import EditionAssignment, Infeasible, assign_edition
from prize.domain.editions import Edition
from prize.domain.rounds import round_label
from prize.domain.statuses import JurorStatus
from prize.domain.translations import other_language
from prize.i18n import gettext, ngettext
from prize.store import audit
from prize.store import entries as entry_store
from prize.store import jury as jury_store
from prize.web import translations
from prize.web.forms import validate
from prize.web.params import MAX_ID, edition_of, edition_path, paginate, query_page
from prize.web.rounds import requested_round, round_switcher
from prize.web.routing import form_values
from prize.web.templating import flash, local_datetime, render

ENTRIES_PER_PAGE = 50
# Above this many jurors the matrix lists names per entry instead of one column per juror.
MATRIX_COLUMNS = 40
#: A page of the jury screens shown again with what is wrong: (request, edition, values,
#: errors, status) → response.
Screen = Callable[[Request, Edition, dict, dict, int], Awaitable[Response]]


class PairForm(BaseModel):
    entry_id: int = Field(ge=1, le=MAX_ID)
    juror_id: int = Field(ge=1, le=MAX_ID)


class RuleForm(PairForm):
    rule: Literal["pin", "forbid", "clear"]


async def compute(request: Request, edition: Edition, *,
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


async def store(request: Request, conn, edition: Edition, result: EditionAssignment, *,
                 action: str, details: dict | None = None) -> None:
    now = request.app.state.clock()
    await jury_store.replace_assignment(conn, edition.id, dict(result.affinity), now)
    await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                       subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                       details={"pairs": len(result.pairs), "objective": result.objective,
                                **(details or {})})


async def assignment_page(request: Request, edition: Edition, values: dict, errors: dict,
                           status_code: int = 200, round_number: int = 1) -> Response:
    """The round's assignment: round 1's is the solver's and may be run, pinned and
    released; the final round's (every juror × the shortlist) is shown as it was made."""
    db = request.app.state.db
    entries = await jury_store.judged_entries(db, edition.id)
    members = await jury_store.jurors_of(db, edition.id,
                                         (JurorStatus.ACTIVE, JurorStatus.WITHDRAWN))
    active = [member for member in members if member.status == JurorStatus.ACTIVE]
    pairs = {(pair.juror_id, pair.entry_id): pair
             for pair in await jury_store.assignment_of(db, edition.id, round_number)}
    if round_number == 2:
        in_round = {entry_id for _, entry_id in pairs}
        entries = [entry for entry in entries if entry.id in in_round]
    rules = await jury_store.rules_of(db, edition.id)
    conflicts = await jury_store.conflicts_of(db, edition.id)
    profiles = await jury_store.profiles_of(db, (member.user_id for member in active))
    pages = paginate(len(entries), query_page(request), ENTRIES_PER_PAGE)
    shown = pages.slice(entries)

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
    domain_entries, domain_jurors = await jury_store.for_assignment(db, edition.id)
    facts = changes_of.facts_of(
        domain_entries, domain_jurors, pairs,
        pinned=[pair for pair, rule in rules.items() if rule == "pin"],
        forbidden=[pair for pair, rule in rules.items() if rule == "forbid"],
        started=[pair for pair, assigned in pairs.items() if assigned.started])
    reasons = changes_of.load_reasons(facts) if pairs else {}
    unreadable = await translations.unreadable(db, edition.id)
    rows = [{"entry": entry, "cells": [cell(member, entry) for member in active],
             "jurors": [names[juror] for juror in readers.get(entry.id, [])]}
            for entry in shown]
    return render(request, "admin/jury/assignment.html", {
        "edition": edition, "rows": rows, "active": active, "members": members,
        "loads": loads, "started": started, "entries": entries, "reasons": reasons,
        "typical_load": changes_of.typical_load(fact.load for fact in facts.values()),
        "pairs": len(pairs), "collapsed": len(active) > MATRIX_COLUMNS,
        "round_links": round_switcher(request, edition, round_number),
        "round_title": round_label(round_number) if edition.rounds == 2 else "",
        # Round 1's assignment changes only while round 1 is the current round.
        "may_change": round_number == 1 and edition.current_round == 1,
        "pages": pages, "query": {},
        "errors": errors, "values": values,
        "released": local_datetime(edition.assignment_released_at, edition.timezone)
        if edition.assignment_released_at else "",
        "entry_choices": [(str(entry.id), f"{entry.reference} · {entry.title}")
                          for entry in entries],
        "juror_choices": [(str(member.user_id), names[member.user_id]) for member in active],
        # Entries some assigned juror cannot read, with who and the languages they read.
        "unreadable": [
            {"entry": entry, "language": translations.language_name(entry.language),
             "into": translations.language_name(other_language(entry.language)),
             "jurors": [(names.get(juror, ""), ", ".join(
                 translations.language_name(code) for code in languages))
                 for juror, languages in unreadable[entry.id]]}
            for entry in await entry_store.by_ids(db, list(unreadable))],
    }, status_code=status_code)


async def _final_round_refusal(request: Request, edition: Edition) -> Response:
    return await assignment_page(request, edition, {}, {"form": gettext(
        "The final round has begun: round 1's assignment can no longer change.")}, 409,
        round_number=edition.current_round)


async def assignment(request: Request) -> Response:
    edition = await edition_of(request)
    return await assignment_page(request, edition, {}, {},
                                 round_number=requested_round(request, edition))


async def run(request: Request) -> Response:
    """Before the release: compute and keep. After it: show what would change first."""
    edition = await edition_of(request)
    if edition.current_round != 1:
        return await _final_round_refusal(request, edition)
    try:
        result = await compute(request, edition)
    except Infeasible as error:
        return await assignment_page(request, edition, {}, {"form": error.message}, 422)
    if edition.assignment_released_at is not None:
        return await changes_page(request, edition, result)
    async with request.app.state.db.transaction() as conn:
        await store(request, conn, edition, result, action="assignment.run")
    flash(request, ngettext("The assignment is computed: {pairs} score sheet to fill in.",
                            "The assignment is computed: {pairs} score sheets to fill in.",
                            len(result.pairs)).format(pairs=len(result.pairs)))
    return RedirectResponse(edition_path(edition, "/jury/assignment"), status_code=303)


async def _changes(request: Request, edition: Edition,
                   result: EditionAssignment) -> changes_of.AssignmentChanges:
    db = request.app.state.db
    current = await jury_store.assignment_of(db, edition.id)
    active = await jury_store.jurors_of(db, edition.id, (JurorStatus.ACTIVE,))
    return changes_of.compare(
        [(pair.juror_id, pair.entry_id) for pair in current], result.pairs,
        started=[(pair.juror_id, pair.entry_id) for pair in current if pair.started],
        jurors=[member.user_id for member in active])


async def changes_page(request: Request, edition: Edition, result: EditionAssignment,
                       errors: dict | None = None, status_code: int = 200) -> Response:
    """Juror by juror, what applying `result` would change; nothing is changed here."""
    db = request.app.state.db
    changes = await _changes(request, edition, result)
    members = {member.user_id: member for member in await jury_store.jurors_of(
        db, edition.id, (JurorStatus.ACTIVE, JurorStatus.WITHDRAWN))}
    entries = {entry.id: entry for entry in await jury_store.judged_entries(db, edition.id)}
    rows = [{"change": change,
             "name": members[change.juror_id].name or members[change.juror_id].email
             if change.juror_id in members else f"#{change.juror_id}",
             "added": [entries[e] for e in change.added if e in entries],
             "removed": [entries[e] for e in change.removed if e in entries]}
            for change in changes.jurors]
    return render(request, "admin/jury/assignment_changes.html", {
        "edition": edition, "changes": changes, "rows": rows, "errors": errors or {},
        "changed_rows": [row for row in rows if row["change"].changed],
    }, status_code=status_code)


async def apply(request: Request) -> Response:
    """Apply the run the secretariat looked at, if nothing changed since; then email the
    jurors whose lists changed (and only those with entries)."""
    app = request.app.state
    edition = await edition_of(request)
    if edition.current_round != 1:
        return await _final_round_refusal(request, edition)
    form = request.state.form
    try:
        result = await compute(request, edition)
        changes = await _changes(request, edition, result)
    except Infeasible as error:
        return await assignment_page(request, edition, {}, {"form": error.message}, 422)
    if (str(form.get("basis", "")), str(form.get("proposal", ""))) != (
            changes.basis, changes.proposal):
        return await changes_page(request, edition, result, {"form": gettext(
            "The assignment or its rules changed since you looked: this is what a run would "
            "change now. Nothing was applied.")}, 409)
    if not changes.changed:
        flash(request, gettext("A new run changes nobody's list: nothing to apply."))
        return RedirectResponse(edition_path(edition, "/jury/assignment"), status_code=303)
    changed = changes.changed_juror_ids()
    lists = [(member, mine) for member, mine in await juror_lists(request, edition, result.pairs)
             if member.user_id in changed and mine]
    async with app.db.transaction() as conn:
        await store(request, conn, edition, result, action="assignment.rerun_applied",
                    details={"jurors_changed": len(changed), "added": changes.added,
                             "removed": changes.removed, "emails": len(lists)})
        for member, mine in lists:
            await app.mailer.enqueue(conn, list_message(request, edition, member, mine))
    await app.mailer.flush()
    flash(request, gettext("The new assignment is applied. Emails sent: {n}, to the jurors "
                           "whose lists changed.").format(n=len(lists)))
    return RedirectResponse(edition_path(edition, "/jury/assignment"), status_code=303)


async def read_pair(request: Request, edition: Edition, model: type[PairForm],
                    screen: Screen) -> tuple[Any, Response | None]:
    """The validated form, or the page again at 422 naming what is wrong."""
    db = request.app.state.db
    values = form_values(request.state.form)
    form, errors = validate(model, values)
    if form is not None:
        entry_ids = {entry.id for entry in await jury_store.judged_entries(db, edition.id)}
        juror_ids = {member.user_id for member in await jury_store.jurors_of(
            db, edition.id, (JurorStatus.ACTIVE,))}
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
    if edition.current_round != 1:
        return await _final_round_refusal(request, edition)
    form, refusal = await read_pair(request, edition, RuleForm, assignment_page)
    if refusal is not None:
        return refusal
    started = {(pair.juror_id, pair.entry_id)
               for pair in await jury_store.assignment_of(app.db, edition.id) if pair.started}
    if form.rule == "forbid" and (form.juror_id, form.entry_id) in started:
        return await assignment_page(request, edition, {}, {"form": gettext(
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
    return RedirectResponse(edition_path(edition, "/jury/assignment"), status_code=303)


async def juror_lists(request: Request, edition: Edition,
                      pairs: list | tuple | None = None) -> list[tuple[Any, list]]:
    """Each active juror with the entries they may score among `pairs` (juror_id,
    entry_id; default: the stored assignment), conflicts left out, in the jurors' order."""
    db = request.app.state.db
    if pairs is None:
        pairs = [(pair.juror_id, pair.entry_id)
                 for pair in await jury_store.assignment_of(db, edition.id)]
    entries = {entry.id: entry for entry in await jury_store.judged_entries(db, edition.id)}
    conflicts = await jury_store.conflicts_of(db, edition.id)
    active = await jury_store.jurors_of(db, edition.id, (JurorStatus.ACTIVE,))
    profiles = await jury_store.profiles_of(db, (member.user_id for member in active))
    lists = []
    for member in active:
        profile = profiles.get(member.user_id)
        lists.append((member, [
            entries[entry_id] for juror_id, entry_id in pairs
            if juror_id == member.user_id and entry_id in entries
            and (member.user_id, entry_id) not in conflicts
            and jury_store.automatic_conflict(profile, entries[entry_id]) is None]))
    return lists


def list_message(request: Request, edition: Edition, member, mine: list):
    """The "Your entries to judge" email of one juror, as the mailer composes it."""
    app = request.app.state
    deadline = (local_datetime(edition.judging_ends_at, edition.timezone, "long")
                if edition.judging_ends_at else "")
    return app.mailer.compose(
        "assignment_released", member.email,
        {"name": member.name or member.email, "edition": edition, "entries": mine,
         "deadline": deadline, "link": app.settings.url("/jury")},
        locale=member.locale, related_user_id=member.user_id)


async def release(request: Request) -> Response:
    """The jurors see their entries from now on; each juror with entries gets an email
    with their list. Without ``confirmed=yes`` this shows who would get what, first."""
    app = request.app.state
    edition = await edition_of(request)
    if edition.current_round != 1:
        return await _final_round_refusal(request, edition)
    pairs = await jury_store.assignment_of(app.db, edition.id)
    if not pairs:
        return await assignment_page(request, edition, {}, {"form": gettext(
            "Run the assignment before releasing it.")}, 422)
    lists = await juror_lists(request, edition)
    with_entries = [(member, mine) for member, mine in lists if mine]
    if request.state.form.get("confirmed") != "yes":
        return render(request, "admin/jury/release_confirm.html", {
            "edition": edition, "with_entries": with_entries,
            "without": [member for member, mine in lists if not mine],
            "preview": list_message(request, edition, *with_entries[0]) if with_entries else None,
            "again": edition.assignment_released_at is not None,
        })
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.release(conn, edition.id, now)
        for member, mine in with_entries:
            await app.mailer.enqueue(conn, list_message(request, edition, member, mine))
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="assignment.released", subject_type="edition",
                           subject_id=edition.id, edition_id=edition.id,
                           details={"jurors": len(lists), "pairs": len(pairs),
                                    "emails": len(with_entries)})
    await app.mailer.flush()
    flash(request, gettext("The assignment is released: each juror with entries has an email "
                           "with their list. Emails sent: {n}.").format(n=len(with_entries)))
    return RedirectResponse(edition_path(edition, "/jury/assignment"), status_code=303)
