"""The jury meeting: a page for the shared screen, the attendance, each decision with its
statement and vote, and the minutes (a printable page and a PDF).

The meeting goes through the shortlist (or, with none, every ranked entry) in the order of
the normalised total, one entry at a time or as a list. Decisions change entry statuses
only through the lifecycle's guarded transitions, checked against the number of awards by
:func:`prize.domain.meeting.award_problems`, exactly as on the deliberation page.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import lifecycle
from prize.domain import meeting as rules
from prize.domain.editions import Edition
from prize.domain.labels import label
from prize.domain.rounds import round_label
from prize.domain.scoring import EntryResult, ranking
from prize.domain.statuses import EditionStatus, EntryStatus, JurorStatus, Role
from prize.i18n import gettext
from prize.minutes_pdf import PdfUnavailable, minutes_pdf
from prize.store import audit, discussion, entries, jury
from prize.store import meeting as meetings
from prize.store import scoring as sheets
from prize.store.jury import EditionJuror
from prize.store.scoring import RankedEntry
from prize.web.params import edition_of, edition_path
from prize.web.routing import page
from prize.web.templating import flash, render

MAX_STATEMENT_CHARS = 5000
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgendaItem:
    number: int
    entry: RankedEntry
    result: EntryResult
    decision: meetings.MeetingDecision | None


@dataclass(frozen=True)
class MeetingFacts:
    edition: Edition
    items: list[AgendaItem]
    meeting: meetings.Meeting | None
    jury: list[EditionJuror]
    shortlist: bool

    @property
    def present(self) -> list[EditionJuror]:
        ids = set(self.meeting.attendee_ids) if self.meeting else set()
        return [person for person in self.jury if person.user_id in ids]

    def present_count(self, role: str) -> int:
        return sum(1 for person in self.present if person.role == role)

    def item(self, entry_id: int) -> AgendaItem | None:
        return next((item for item in self.items if item.entry.id == entry_id), None)


async def _facts(request: Request) -> MeetingFacts:
    edition = await edition_of(request)
    db = request.app.state.db
    results, judged = await sheets.edition_results(db, edition)
    by_id = {entry.id: entry for entry in judged}
    ranked = ranking(results, by="normalised")
    # The meeting of the current round, on that round's ranking (the final round's: its
    # shortlist).
    meeting = await meetings.meeting_of(db, edition.id, edition.current_round)
    decisions = await meetings.decisions_of(db, meeting.id) if meeting else {}
    order = rules.agenda([result.entry_id for result in ranked],
                         {entry.id: entry.status for entry in judged}, decisions)
    result_of = {result.entry_id: result for result in ranked}
    items = [AgendaItem(number, by_id[entry_id], result_of[entry_id], decisions.get(entry_id))
             for number, entry_id in enumerate(order, start=1)]
    people = await jury.jurors_of(db, edition.id, roles=(Role.JUROR, Role.ADVISOR))
    attended = set(meeting.attendee_ids) if meeting else set()
    people = [person for person in people
              if person.status == JurorStatus.ACTIVE or person.user_id in attended]
    return MeetingFacts(edition=edition, items=items, meeting=meeting, jury=people,
                        shortlist=len(order) < len(ranked) or any(
                            entry.status in rules.ON_THE_AGENDA for entry in judged))


def _attendance_values(facts: MeetingFacts) -> dict:
    meeting = facts.meeting
    held_at = ""
    if meeting:
        zone = ZoneInfo(facts.edition.timezone)
        held_at = meeting.held_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    return {"attendee": [str(i) for i in meeting.attendee_ids] if meeting else [],
            "guests": "\n".join(meeting.guests) if meeting else "", "held_at": held_at}


def _may_record(edition: Edition) -> bool:
    return edition.status not in EditionStatus.RESULTS_OUT


async def meeting_page(request: Request, values: dict | None = None,
                       errors: dict | None = None, status: int = 200) -> Response:
    """The list view: every entry of the agenda with its figures and decision, and the
    attendance form."""
    facts = await _facts(request)
    return render(request, "admin/meeting/page.html", {
        "edition": facts.edition,
        "round_label": round_label,
        "facts": facts,
        "may_record": _may_record(facts.edition),
        "attendee_choices": [(str(person.user_id), f"{person.name or person.email}"
                              f" ({label('role', person.role)})") for person in facts.jury],
        "values": values if values is not None else _attendance_values(facts),
        "errors": errors or {},
    }, status_code=status)


def _decision_choices(entry: RankedEntry) -> list[tuple[str, str]]:
    available = set(lifecycle.available_entry_transitions(entry.status))
    if entry.status == EntryStatus.SHORTLISTED:
        available.add(rules.NOMINATE)
    return [(name, gettext("Nominate (keep on the shortlist)") if name == rules.NOMINATE
             else lifecycle.entry_transition_label(name))
            for name in rules.MEETING_DECISIONS if name in available]


async def meeting_entry(request: Request, values: dict | None = None,
                        errors: dict | None = None, status: int = 200) -> Response:
    """One entry on the shared screen: figures, the jury's discussion, the decision."""
    facts = await _facts(request)
    item = facts.item(request.path_params["entry_id"])
    if item is None:
        raise HTTPException(404)
    order = [each.entry.id for each in facts.items]
    before, after = rules.neighbours(order, item.entry.id)
    if values is None:
        vote = item.decision.vote if item.decision else None
        values = {"decision": "", "statement": item.entry.jury_statement,
                  **{name: ("" if vote is None else str(count))
                     for name, count in zip(rules.VOTE_FIELDS, vote or (0, 0, 0), strict=True)}}
    return render(request, "admin/meeting/entry.html", {
        "edition": facts.edition,
        "facts": facts,
        "item": item,
        "before": facts.item(before) if before else None,
        "after": facts.item(after) if after else None,
        "comments": await discussion.comments_of(request.app.state.db, item.entry.id),
        "thread_url": discussion.thread_url(item.entry.id),
        "choices": _decision_choices(item.entry),
        "may_record": _may_record(facts.edition),
        "jurors_present": facts.present_count(Role.JUROR),
        "values": values,
        "errors": errors or {},
    }, status_code=status)


async def save_attendance(request: Request) -> Response:
    """Who attended (the edition's jurors and advisors) and the guests, one a line."""
    facts = await _facts(request)
    edition = facts.edition
    form = request.state.form
    chosen = [str(value) for value in form.getlist("attendee")]
    guests_text = str(form.get("guests", ""))[:20000]
    held_text = str(form.get("held_at", ""))[:40]
    values = {"attendee": chosen, "guests": guests_text, "held_at": held_text}
    errors: dict[str, str] = {}
    known = {str(person.user_id): person.user_id for person in facts.jury}
    if any(value not in known for value in chosen):
        errors["attendee"] = gettext("Choose people from the edition's jury.")
    guests, problem = rules.parse_guests(guests_text)
    if problem:
        errors["guests"] = problem
    held_at, problem = rules.parse_held_at(held_text, timezone=edition.timezone,
                                           now=request.app.state.clock())
    if problem:
        errors["held_at"] = problem
    if not _may_record(edition):
        errors["form"] = gettext(
            "The results are published: the meeting's record can no longer change.")
    if errors:
        return await meeting_page(request, values, errors, 422)
    app = request.app.state
    now = app.clock()
    user_id = request.state.user.id
    async with app.db.transaction() as conn:
        meeting_id = await meetings.ensure_meeting(conn, edition.id, now=now, by=user_id,
                                                   round_number=edition.current_round)
        await meetings.set_attendance(conn, meeting_id, attendee_ids=[known[v] for v in chosen],
                                      guests=guests, now=now, by=user_id, held_at=held_at)
        await audit.record(
            conn, now=now, actor_id=user_id, action="meeting.attendance_recorded",
            subject_type="edition", subject_id=edition.id, edition_id=edition.id,
            details={"attendees": len(set(chosen)), "guests": len(guests)})
    flash(request, gettext("Attendance recorded."))
    return RedirectResponse(edition_path(edition, "/meeting"), status_code=303)


async def record_decision(request: Request) -> Response:
    """One entry's decision, its statement and the jury's vote: all checked, then written
    with the audit record in one transaction."""
    facts = await _facts(request)
    edition = facts.edition
    item = facts.item(request.path_params["entry_id"])
    if item is None:
        raise HTTPException(404)
    form = request.state.form
    values = {name: str(form.get(name, "")) for name in
              ("decision", "statement", *rules.VOTE_FIELDS)}
    values["statement"] = values["statement"][:MAX_STATEMENT_CHARS + 1]
    errors: dict[str, str] = {}
    decision = values["decision"].strip()
    statement = values["statement"].strip()
    if len(statement) > MAX_STATEMENT_CHARS:
        errors["statement"] = gettext("At most {n} characters.").format(n=MAX_STATEMENT_CHARS)
    vote, vote_errors = rules.parse_vote(
        values, jurors_present=facts.present_count(Role.JUROR),
        advisors_present=facts.present_count(Role.ADVISOR))
    errors.update(vote_errors)
    result = None
    if decision not in dict(_decision_choices(item.entry)):
        errors["decision"] = gettext("Choose a decision from the list.")
    else:
        try:
            if decision == rules.NOMINATE:
                result = rules.nominate(item.entry.status, edition_status=edition.status,
                                        statement=statement)
            else:
                result = lifecycle.entry_transition(
                    decision, item.entry.status, edition_status=edition.status,
                    now=request.app.state.clock(), closes_at=edition.closes_at,
                    statement=statement, rounds=edition.rounds,
                    current_round=edition.current_round,
                    # In the final round the agenda holds only the entries it judged.
                    in_final_round=edition.current_round == 2)
        except lifecycle.TransitionRefused as refused:
            reasons = list(refused.reasons)
            step = lifecycle.ENTRY_TRANSITIONS.get(decision)
            if step is not None and step.needs_statement and not statement:
                # The lifecycle names the missing statement last: say it beside its field.
                errors["statement"] = reasons.pop()
            if reasons:
                errors["decision"] = " ".join(reasons)
        if result is not None:
            statuses = {entry.id: entry.status for entry in
                        await sheets.judged_entries(request.app.state.db, edition.id)}
            problems = rules.award_problems(edition.awards, statuses,
                                            {item.entry.id: str(result.target)})
            if problems:
                errors["decision"] = " ".join(problems)
    if errors:
        return await meeting_entry(request, values, errors, 422)
    assert result is not None
    app = request.app.state
    now = app.clock()
    user_id = request.state.user.id
    async with app.db.transaction() as conn:
        statuses = await meetings.entry_statuses(conn, edition.id)
        if statuses.get(item.entry.id) != item.entry.status or rules.award_problems(
                edition.awards, statuses, {item.entry.id: str(result.target)}):
            raise HTTPException(409, gettext("An entry changed meanwhile; nothing was saved."))
        meeting_id = await meetings.ensure_meeting(conn, edition.id, now=now, by=user_id,
                                                   round_number=edition.current_round)
        await entries.set_status(conn, item.entry.id, str(result.target), now=now,
                                 statement=result.statement)
        await meetings.record_decision(conn, meeting_id, entry_id=item.entry.id,
                                       outcome=str(result.target), vote=vote, now=now,
                                       by=user_id)
        details = {**result.details, "statement": result.statement or "", "meeting": True}
        if vote is not None:
            details["vote"] = [vote.in_favour, vote.against, vote.abstaining]
        await audit.record(
            conn, now=now, actor_id=user_id, action=result.audit_action,
            subject_type="entry", subject_id=item.entry.id, edition_id=edition.id,
            details=details)
    flash(request, gettext("Decision recorded for {reference}.").format(
        reference=item.entry.reference))
    return RedirectResponse(edition_path(edition, f"/meeting/{item.entry.id}"),
                            status_code=303)


def _minutes_context(facts: MeetingFacts) -> dict:
    return {"edition": facts.edition, "facts": facts, "round_label": round_label}


async def minutes(request: Request, errors: dict | None = None, status: int = 200
                  ) -> Response:
    """The minutes as a page to print (its print style leaves the navigation out)."""
    facts = await _facts(request)
    return render(request, "admin/meeting/minutes.html",
                  {**_minutes_context(facts), "errors": errors or {}}, status_code=status)


async def minutes_download(request: Request) -> Response:
    """The minutes as a PDF, made off the event loop (WeasyPrint is slow and synchronous)."""
    facts = await _facts(request)
    html = render(request, "admin/meeting/minutes_pdf.html", _minutes_context(facts)).body
    try:
        body = await asyncio.to_thread(minutes_pdf, html.decode())
    except PdfUnavailable:
        logger.exception("WeasyPrint cannot make the minutes' PDF")
        return await minutes(request, {"form": gettext(
            "The PDF cannot be made on this server (its PDF library is missing): print "
            "this page instead, or ask the operator to install it.")}, 503)
    name = f"jury-meeting-{facts.edition.year}.pdf"
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
    })


MEETING = "/admin/editions/{year:id}/meeting"

routes = [
    page(MEETING, meeting_page, roles=Role.STAFF),
    page(MEETING + "/attendance", save_attendance, methods=["POST"], roles=Role.STAFF),
    page(MEETING + "/minutes", minutes, roles=Role.STAFF),
    page(MEETING + "/minutes.pdf", minutes_download, roles=Role.STAFF),
    page(MEETING + "/{entry_id:id}", meeting_entry, roles=Role.STAFF),
    page(MEETING + "/{entry_id:id}/decision", record_decision, methods=["POST"],
         roles=Role.STAFF),
]
