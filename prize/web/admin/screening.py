"""The secretariat's screening: the list of submitted entries and each entry's decision."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import lifecycle
from prize.domain.screening import eligibility_checklist
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.domain.vocabulary import COUNTRY_CODES
from prize.i18n import gettext
from prize.store import audit, console, editions, entries, scoring, users
from prize.store.entries import Entry
from prize.web.applicant import render_print
from prize.web.forms import validate
from prize.web.params import edition_of, edition_path, entry_of, query_text
from prize.web.routing import form_values
from prize.web.templating import flash, render


async def screening(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    status = query_text(request, "status", 20)
    country = query_text(request, "country", 2).upper()
    sort = query_text(request, "sort", 20)
    status = status if status in EntryStatus.SCREENING else ""
    country = country if country in COUNTRY_CODES else ""
    sort = sort if sort in console.SCREENING_SORTS else "reference"
    listed = await console.screening_list(app.db, edition.id, status=status or None,
                                          country=country or None, sort=sort)
    reference_date = (edition.closes_at or app.clock()).date()
    rows = [{"entry": entry, "checks": eligibility_checklist(
        entry.application, eligible_countries=edition.eligible_countries,
        reference_date=reference_date)} for entry in listed]
    return render(request, "admin/screening.html", {
        "edition": edition, "rows": rows,
        "filters": {"status": status, "country": country, "sort": sort},
        "countries": await console.screening_countries(app.db, edition.id),
        "statuses": EntryStatus.SCREENING, "sorts": list(console.SCREENING_SORTS),
    })


class ScreeningForm(BaseModel):
    decision: Literal[EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE]
    reason: str = Field(default="", max_length=2000)

    @field_validator("reason", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


async def _entry_page(request: Request, entry: Entry, values: dict, errors: dict,
                      status_code: int = 200) -> Response:
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    checks = eligibility_checklist(
        entry.application, eligible_countries=edition.eligible_countries,
        reference_date=(edition.closes_at or app.clock()).date())
    owner = await users.get(app.db, entry.owner_id)
    history = await audit.search(app.db, subject_type="entry", subject_id=entry.id, limit=20)
    return render(request, "admin/entry.html", {
        "harm_reports": await scoring.harm_reports(app.db, entry_id=entry.id),
        "entry": entry, "edition": edition, "checks": checks, "owner": owner,
        "history": history, "values": values, "errors": errors,
        "can_screen": edition.status == EditionStatus.SCREENING
        and entry.status in EntryStatus.SCREENING,
    }, status_code=status_code)


async def show_entry(request: Request) -> Response:
    entry = await entry_of(request)
    return await _entry_page(request, entry, {"reason": entry.status_reason}, {})


async def entry_text(request: Request) -> Response:
    return await render_print(request, await entry_of(request))


async def screen_entry(request: Request) -> Response:
    entry = await entry_of(request)
    app = request.app.state
    values = form_values(request.state.form)
    form, errors = validate(ScreeningForm, values)
    if form is not None and form.decision == EntryStatus.INELIGIBLE and not form.reason:
        errors = {"reason": gettext("Say why the entry is not eligible: the applicant reads this.")}
    if form is None or errors:
        return await _entry_page(request, entry, values, errors, 422)
    edition = await editions.get(app.db, entry.edition_id)
    now = app.clock()
    name = "mark_eligible" if form.decision == EntryStatus.ELIGIBLE else "mark_ineligible"
    try:
        result = lifecycle.entry_transition(
            name, entry.status, edition_status=edition.status, now=now,
            closes_at=edition.closes_at, reason=form.reason or None)
    except lifecycle.TransitionRefused as refused:
        return await _entry_page(request, entry, values, {"form": " ".join(refused.reasons)}, 409)
    target = str(result.target)
    async with app.db.transaction() as conn:
        await entries.set_status(conn, entry.id, target, now=now, reason=result.reason)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=result.audit_action, subject_type="entry", subject_id=entry.id,
                           edition_id=edition.id, details=result.details)
    flash(request, gettext("{reference}: {status}.").format(
        reference=entry.reference, status=lifecycle.entry_status_label(target)))
    return RedirectResponse(edition_path(edition, "/screening"), status_code=303)
