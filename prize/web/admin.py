"""The secretariat's console: editions, criteria, lifecycle, screening, progress, users, audit."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import lifecycle
from prize.domain.editions import Criterion, Edition, default_edition
from prize.domain.progress import completion_percent, days_left
from prize.domain.screening import eligibility_checklist
from prize.domain.vocabulary import COUNTRY_CODES, country_choices
from prize.i18n import N_, gettext
from prize.settings import DEFAULT_TIMEZONE
from prize.store import audit, console, editions, entries, progress, users, users_admin
from prize.store.entries import Entry
from prize.web.accounts import VERIFY_VALID_FOR
from prize.web.applicant import render_print
from prize.web.forms import validate, whole_number
from prize.web.routing import MAX_ID, database_id, form_values, page
from prize.web.templating import flash, local_datetime, render

ADMIN = ("admin",)
PER_PAGE = 50
FROZEN_STATUSES = ("judging", "deliberation", "published", "archived")
ENTRY_STATUSES = tuple(lifecycle.EntryStatus)
TRANSITION_EMAILS = {
    "open_call": N_("Every verified applicant who ever signed up learns that the call is open."),
    "start_judging": N_("The applicant of each screened entry learns the result and its reason."),
    "publish_results": N_("The applicant of each judged entry learns the result."),
}
EMAIL_TEMPLATES = {"call_opened": "call_opened", "eligibility_results": "eligibility_result",
                   "results": "results"}


def _render(request: Request, template: str, context: dict[str, Any],
            status_code: int = 200) -> Response:
    """Render an admin page with the status labels of the lifecycle at hand."""
    return render(request, template, {
        "status_label": lifecycle.edition_status_label,
        "entry_status_label": lifecycle.entry_status_label, **context,
    }, status_code=status_code)


# Parameters ---------------------------------------------------------------------


def _path_id(request: Request, name: str) -> int:
    """A numeric id from the path; anything else is a page that does not exist."""
    number = database_id(str(request.path_params[name]))
    if number is None:
        raise HTTPException(404)
    return number


def _query_int(request: Request, name: str, default: int | None = None, *,
               low: int = 1, high: int = MAX_ID) -> int | None:
    """An optional whole-number query parameter; a bad one is ignored."""
    value = whole_number(request.query_params.get(name, ""), low=low, high=high)
    return default if value is None else value


def _query_text(request: Request, name: str, max_length: int = 200) -> str:
    return request.query_params.get(name, "").strip()[:max_length]


async def edition_of(request: Request) -> Edition:
    """The edition whose year is in the path (`{year:int}`); an unknown year is a 404.

    Every secretariat page about an edition is addressed by its year, never its row id."""
    edition = await editions.by_year(request.app.state.db, request.path_params["year"])
    if edition is None:
        raise HTTPException(404)
    return edition


def edition_path(edition: Edition, tail: str = "") -> str:
    """The secretariat's address of an edition's page: `/admin/editions/2026` + tail."""
    return f"/admin/editions/{edition.year}{tail}"


async def _entry(request: Request) -> Entry:
    entry = await entries.get(request.app.state.db, _path_id(request, "entry_id"))
    if entry is None:
        raise HTTPException(404)
    return entry


def _pages(total: int, current: int) -> dict[str, int]:
    last = max(1, math.ceil(total / PER_PAGE))
    return {"page": min(current, last), "last": last, "total": total}


# Console home --------------------------------------------------------------------


async def home(request: Request) -> Response:
    app = request.app.state
    counts = await console.status_counts(app.db)
    rows = []
    for edition in await editions.all_editions(app.db):
        full = await editions.get(app.db, edition.id)
        rows.append({"edition": full, "counts": counts.get(edition.id, {}),
                     "next": (await _transitions(request, full))[:1]})
    return _render(request, "admin/home.html", {"rows": rows})


# Editions -------------------------------------------------------------------------


def _local_datetime_value(text: Any) -> datetime | None:
    """A datetime-local value ("2027-05-30T23:59") read in Strasbourg's time, as UTC."""
    if text in (None, ""):
        return None
    if isinstance(text, datetime):
        return text
    try:
        naive = datetime.fromisoformat(str(text))
    except ValueError:
        raise ValueError(gettext("Enter a date and time like 2027-05-30 23:59.")) from None
    if naive.tzinfo is not None:
        raise ValueError(gettext("Enter a date and time like 2027-05-30 23:59."))
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    local = naive.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(gettext("This time does not exist in Strasbourg: the clocks change then."))
    return local.astimezone(UTC)


def _datetime_input(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%Y-%m-%dT%H:%M")


class EditionForm(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    title_fr: str = Field(default="", max_length=200)
    theme: str = Field(default="", max_length=500)
    theme_fr: str = Field(default="", max_length=500)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    judging_ends_at: datetime | None = None
    eligible_countries: list[str] = Field(min_length=1, max_length=300)
    all_jurors: bool = False
    jurors_per_entry: int | None = Field(default=None, ge=1, le=50)
    spread_threshold: float = Field(ge=0, le=100)

    @field_validator("title", "title_fr", "theme", "theme_fr", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("opens_at", "closes_at", "judging_ends_at", mode="before")
    @classmethod
    def _local(cls, value: Any) -> datetime | None:
        return _local_datetime_value(value)

    @field_validator("jurors_per_entry", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("eligible_countries")
    @classmethod
    def _known_countries(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in COUNTRY_CODES]
        if unknown:
            raise ValueError(gettext("Choose countries from the list."))
        return sorted(set(value))


class NewEditionForm(EditionForm):
    year: int = Field(ge=2000, le=2100)


def _edition_problems(form: EditionForm) -> dict[str, str]:
    problems = {}
    if not form.all_jurors and form.jurors_per_entry is None:
        problems["jurors_per_entry"] = gettext(
            "Give a number of jurors, or tick “all jurors without a conflict”.")
    if form.opens_at and form.closes_at and form.closes_at <= form.opens_at:
        problems["closes_at"] = gettext("The deadline must come after the opening.")
    if form.closes_at and form.judging_ends_at and form.judging_ends_at <= form.closes_at:
        problems["judging_ends_at"] = gettext("Judging must end after the deadline.")
    return problems


def _edition_values(edition: Edition) -> dict[str, Any]:
    return {
        "year": str(edition.year), "title": edition.title, "title_fr": edition.title_fr,
        "theme": edition.theme, "theme_fr": edition.theme_fr,
        "opens_at": _datetime_input(edition.opens_at),
        "closes_at": _datetime_input(edition.closes_at),
        "judging_ends_at": _datetime_input(edition.judging_ends_at),
        "eligible_countries": list(edition.eligible_countries),
        "all_jurors": "on" if edition.jurors_per_entry is None else "",
        "jurors_per_entry": str(edition.jurors_per_entry or ""),
        "spread_threshold": f"{edition.spread_threshold:g}",
    }


def _edition_form_page(request: Request, edition: Edition | None, values: dict, errors: dict,
                       status_code: int = 200) -> Response:
    return _render(request, "admin/edition_form.html", {
        "edition": edition, "values": values, "errors": errors,
        "countries": country_choices(sorted(COUNTRY_CODES)),
        "timezone": DEFAULT_TIMEZONE,
    }, status_code=status_code)


async def new_edition(request: Request) -> Response:
    app = request.app.state
    if request.method == "GET":
        year = app.clock().year + 1
        return _edition_form_page(request, None, _edition_values(default_edition(year)), {})
    values = form_values(request.state.form, multi=("eligible_countries",))
    form, errors = validate(NewEditionForm, values)
    if form is not None:
        errors = _edition_problems(form)
        if await editions.by_year(app.db, form.year):
            errors["year"] = gettext("An edition for {year} exists already.").format(year=form.year)
    if form is None or errors:
        return _edition_form_page(request, None, values, errors, 422)
    model = default_edition(form.year).model_copy(update=_settings_of(form))
    now = app.clock()
    async with app.db.transaction() as conn:
        edition_id = await editions.insert(conn, model, now)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action="edition.created",
                           subject_type="edition", subject_id=edition_id, edition_id=edition_id,
                           details={"year": form.year, "title": form.title})
    flash(request, gettext("The edition {year} is created as a draft.").format(year=form.year))
    return RedirectResponse(edition_path(model), status_code=303)


def _settings_of(form: EditionForm) -> dict[str, Any]:
    return {
        "title": form.title, "title_fr": form.title_fr, "theme": form.theme,
        "theme_fr": form.theme_fr, "opens_at": form.opens_at, "closes_at": form.closes_at,
        "judging_ends_at": form.judging_ends_at,
        "eligible_countries": tuple(form.eligible_countries),
        "jurors_per_entry": None if form.all_jurors else form.jurors_per_entry,
        "spread_threshold": form.spread_threshold,
    }


async def edit_edition(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    if request.method == "GET":
        return _edition_form_page(request, edition, _edition_values(edition), {})
    values = form_values(request.state.form, multi=("eligible_countries",))
    form, errors = validate(EditionForm, values)
    if form is not None:
        errors = _edition_problems(form)
    if form is None or errors:
        return _edition_form_page(request, edition, values, errors, 422)
    changed = edition.model_copy(update=_settings_of(form))
    now = app.clock()
    async with app.db.transaction() as conn:
        await editions.update_settings(conn, edition.id, changed, now)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action="edition.updated",
                           subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                           details={name: str(value) for name, value in _settings_of(form).items()
                                    if getattr(edition, name) != value})
    flash(request, gettext("The edition's settings are saved."))
    return RedirectResponse(edition_path(edition), status_code=303)


# Criteria -------------------------------------------------------------------------


def _criteria_frozen(edition: Edition) -> str | None:
    if edition.status in FROZEN_STATUSES:
        return gettext(
            "The criteria are frozen: judging has started, and jurors score against them. "
            "They can no longer be changed for this edition.")
    return None


async def criteria_list(request: Request) -> Response:
    edition = await edition_of(request)
    return _render(request, "admin/criteria.html", {
        "edition": edition, "frozen": _criteria_frozen(edition), "errors": {}})


def _criterion_values(criterion: Criterion | None) -> dict[str, str]:
    if criterion is None:
        return {"scale_min": "0", "scale_max": "5", "weight": "1"}
    return {
        "key": criterion.key, "title": criterion.title, "title_fr": criterion.title_fr,
        "guidance": criterion.guidance, "guidance_fr": criterion.guidance_fr,
        "weight": f"{criterion.weight:g}", "scale_min": str(criterion.scale_min),
        "scale_max": str(criterion.scale_max), "rubric": "\n".join(criterion.rubric),
        "rubric_fr": "\n".join(criterion.rubric_fr),
    }


def _parse_criterion(values: dict[str, Any]) -> tuple[Criterion | None, dict[str, str]]:
    errors = {}
    for name in ("rubric", "rubric_fr"):
        if len(str(values.get(name, ""))) > 5000:
            errors[name] = gettext("At most {n} characters.").format(n=5000)
    data = {name: str(values.get(name, "")).strip() for name in (
        "key", "title", "title_fr", "guidance", "guidance_fr", "weight", "scale_min", "scale_max")}
    for name in ("rubric", "rubric_fr"):
        data[name] = tuple(line.strip() for line in str(values.get(name, "")).splitlines()
                           if line.strip())
    criterion, problems = validate(Criterion, data)
    if "__all__" in problems:
        message = problems.pop("__all__")
        problems["scale_max" if "top of the scale" in message else "rubric"] = message
    if "key" in problems:
        problems["key"] = gettext(
            "Use lower-case letters, digits and _, starting with a letter (40 at most).")
    errors = {**problems, **errors}
    return (criterion if not errors else None), errors


async def criterion_form(request: Request) -> Response:
    edition = await edition_of(request)
    key = request.path_params.get("key")
    current = next((c for c in edition.criteria if c.key == key), None)
    if key is not None and current is None:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition)

    def again(values: dict, errors: dict, status: int) -> Response:
        return _render(request, "admin/criterion_form.html", {
            "edition": edition, "criterion": current, "values": values, "errors": errors,
            "frozen": frozen}, status_code=status)

    if request.method == "GET":
        return again(_criterion_values(current), {}, 200)
    values = form_values(request.state.form)
    if current is not None:
        values["key"] = current.key  # a criterion's key is its identity in the scores
    if frozen:
        return again(values, {"form": frozen}, 409)
    criterion, errors = _parse_criterion(values)
    if criterion is not None and current is None and any(
            c.key == criterion.key for c in edition.criteria):
        errors = {"key": gettext("This edition has a criterion with this key already.")}
    if criterion is None or errors:
        return again(values, errors, 422)
    if current is None:
        updated = (*edition.criteria, criterion)
        action = "criterion.added"
    else:
        updated = tuple(criterion if c.key == current.key else c for c in edition.criteria)
        action = "criterion.updated"
    await _save_criteria(request, edition, updated, action, {"key": criterion.key})
    flash(request, gettext("The criterion “{title}” is saved.").format(title=criterion.title))
    return RedirectResponse(edition_path(edition, "/criteria"), status_code=303)


async def criterion_change(request: Request) -> Response:
    """Remove a criterion or move it up or down."""
    edition = await edition_of(request)
    key = request.path_params["key"]
    keys = [c.key for c in edition.criteria]
    if key not in keys:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition)
    if frozen:
        return _render(request, "admin/criteria.html", {"edition": edition, "frozen": frozen,
                                                       "errors": {"form": frozen}},
                      status_code=409)
    action = str(request.state.form.get("action", ""))
    criteria = list(edition.criteria)
    index = keys.index(key)
    if action == "remove":
        if len(criteria) == 1:
            return _render(request, "admin/criteria.html", {
                "edition": edition, "frozen": None,
                "errors": {"form": gettext("An edition needs at least one criterion.")}},
                status_code=422)
        criteria.pop(index)
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(criteria):
            criteria[index], criteria[other] = criteria[other], criteria[index]
    else:
        raise HTTPException(400, gettext("Choose remove, up or down."))
    done = "criterion.removed" if action == "remove" else "criterion.moved"
    await _save_criteria(request, edition, tuple(criteria), done, {"key": key, "action": action})
    return RedirectResponse(edition_path(edition, "/criteria"), status_code=303)


async def _save_criteria(request: Request, edition: Edition, criteria: tuple[Criterion, ...],
                         action: str, details: dict) -> None:
    app = request.app.state
    now = app.clock()
    async with app.db.transaction() as conn:
        # Checked again inside the transaction: judging may have started meanwhile.
        if await editions.status_of(conn, edition.id) in FROZEN_STATUSES:
            frozen = edition.model_copy(update={"status": "judging"})
            raise HTTPException(409, _criteria_frozen(frozen))
        await editions.replace_criteria(conn, edition.id, criteria)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                           subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                           details=details)


# Lifecycle ------------------------------------------------------------------------


async def _transitions(request: Request, edition: Edition) -> list[dict[str, Any]]:
    """Each transition available from the edition's status, with what stops it now."""
    app = request.app.state
    facts = await console.edition_facts(app.db, edition, app.clock())
    shown = []
    for name in lifecycle.available_transitions(edition.status):
        missing = lifecycle.check_edition_transition(name, facts, now=app.clock())
        forced = lifecycle.check_edition_transition(name, facts, now=app.clock(), force=True)
        emails = TRANSITION_EMAILS.get(name)
        shown.append({"name": name, "label": lifecycle.edition_transition_label(name),
                      "missing": missing, "can_force": bool(missing) and not forced,
                      "emails": gettext(emails) if emails else ""})
    return shown


async def show_edition(request: Request) -> Response:
    edition = await edition_of(request)
    return await _lifecycle_page(request, edition, {}, 200)


async def _lifecycle_page(request: Request, edition: Edition, errors: dict,
                          status_code: int) -> Response:
    app = request.app.state
    counts = (await console.status_counts(app.db)).get(edition.id, {})
    return _render(request, "admin/edition.html", {
        "edition": edition, "counts": counts, "transitions": await _transitions(request, edition),
        "errors": errors}, status_code=status_code)


async def transition(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    form = request.state.form
    name = str(form.get("transition", ""))
    force = form.get("force") == "on"
    if name not in lifecycle.available_transitions(edition.status):
        return await _lifecycle_page(request, edition, {"form": gettext(
            "This step is not possible from the edition's current status.")}, 409)
    now = app.clock()
    facts = await console.edition_facts(app.db, edition, now)
    try:
        result = lifecycle.edition_transition(name, edition.status, facts, now=now, force=force)
    except lifecycle.TransitionRefused as refused:
        return await _lifecycle_page(request, edition, {"form": " ".join(refused.reasons)}, 409)
    target = str(result.target)
    messages = await _transition_emails(request, edition, result.emails)
    async with app.db.transaction() as conn:
        if await editions.status_of(conn, edition.id) != edition.status:
            raise HTTPException(409)
        await editions.set_status(conn, edition.id, target, now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=result.audit_action, subject_type="edition",
                           subject_id=edition.id, edition_id=edition.id,
                           details={**result.audit_details,
                                    "description": result.audit_description,
                                    "emails": len(messages)})
        for message in messages:
            await app.mailer.enqueue(conn, message)
    await app.mailer.flush()
    flash(request, gettext("Done: {step}. Emails sent: {n}.").format(
        step=lifecycle.edition_transition_label(name), n=len(messages)))
    return RedirectResponse(edition_path(edition), status_code=303)


async def _transition_emails(request: Request, edition: Edition, names) -> list:
    """The messages that belong to a transition, composed before the transaction."""
    app = request.app.state
    mailer = app.mailer
    messages = []
    for email_name in names:
        template = EMAIL_TEMPLATES.get(email_name, email_name)
        if email_name == "call_opened":
            for person in await console.verified_applicants(app.db):
                messages.append(mailer.compose(template, person.email, {
                    "name": person.name or person.email, "edition": edition,
                    "closes_at": local_datetime(edition.closes_at, edition.timezone),
                    "link": app.settings.url("/my")}, locale=person.locale,
                    related_user_id=person.user_id))
        elif email_name in ("eligibility_results", "results"):
            statuses = (("eligible", "ineligible") if email_name == "eligibility_results"
                        else console.JUDGED_STATUSES)
            for person in await console.owners_of(app.db, edition.id, statuses):
                entry = await entries.get(app.db, person.entry_id)
                messages.append(mailer.compose(template, person.email, {
                    "name": person.name or person.email, "edition": edition,
                    "reference": entry.reference, "title": entry.title,
                    "status": entry.status, "reason": entry.status_reason,
                    "outcome": _outcome(entry.status), "statement": entry.jury_statement,
                    "link": app.settings.url(f"/my/entries/{entry.id}")},
                    locale=person.locale, related_user_id=person.user_id))
    return messages


def _outcome(status: str) -> str:
    return {
        "winner": gettext("a winner of the prize."),
        "special_mention": gettext("a special mention of the jury."),
        "shortlisted": gettext("shortlisted."),
        "not_selected": gettext("not selected this time."),
    }.get(status, status)


# Screening ------------------------------------------------------------------------


async def screening(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    status = _query_text(request, "status", 20)
    country = _query_text(request, "country", 2).upper()
    sort = _query_text(request, "sort", 20)
    status = status if status in console.SCREENING_STATUSES else ""
    country = country if country in COUNTRY_CODES else ""
    sort = sort if sort in console.SCREENING_SORTS else "reference"
    listed = await console.screening_list(app.db, edition.id, status=status or None,
                                          country=country or None, sort=sort)
    reference_date = (edition.closes_at or app.clock()).date()
    rows = [{"entry": entry, "checks": eligibility_checklist(
        entry.application, eligible_countries=edition.eligible_countries,
        reference_date=reference_date)} for entry in listed]
    return _render(request, "admin/screening.html", {
        "edition": edition, "rows": rows,
        "filters": {"status": status, "country": country, "sort": sort},
        "countries": await console.screening_countries(app.db, edition.id),
        "statuses": console.SCREENING_STATUSES, "sorts": list(console.SCREENING_SORTS),
    })


class ScreeningForm(BaseModel):
    decision: Literal["eligible", "ineligible"]
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
    return _render(request, "admin/entry.html", {
        "entry": entry, "edition": edition, "checks": checks, "owner": owner,
        "history": history, "values": values, "errors": errors,
        "can_screen": edition.status == "screening"
        and entry.status in console.SCREENING_STATUSES,
    }, status_code=status_code)


async def show_entry(request: Request) -> Response:
    entry = await _entry(request)
    return await _entry_page(request, entry, {"reason": entry.status_reason}, {})


async def entry_text(request: Request) -> Response:
    return await render_print(request, await _entry(request))


async def screen_entry(request: Request) -> Response:
    entry = await _entry(request)
    app = request.app.state
    values = form_values(request.state.form)
    form, errors = validate(ScreeningForm, values)
    if form is not None and form.decision == "ineligible" and not form.reason:
        errors = {"reason": gettext("Say why the entry is not eligible: the applicant reads this.")}
    if form is None or errors:
        return await _entry_page(request, entry, values, errors, 422)
    edition = await editions.get(app.db, entry.edition_id)
    now = app.clock()
    name = "mark_eligible" if form.decision == "eligible" else "mark_ineligible"
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


# Progress and reminders -------------------------------------------------------------


async def judging_progress(request: Request) -> Response:
    edition = await edition_of(request)
    return await _progress_page(request, edition, {}, 200)


async def _progress_page(request: Request, edition: Edition, errors: dict, status_code: int):
    app = request.app.state
    jurors = await progress.juror_progress(app.db, edition.id)
    assigned = sum(j.assigned for j in jurors)
    submitted = sum(j.submitted for j in jurors)
    return _render(request, "admin/progress.html", {
        "edition": edition, "jurors": jurors, "assigned": assigned, "submitted": submitted,
        "overall": completion_percent(submitted, assigned),
        "days_left": days_left(app.clock(), edition.judging_ends_at, edition.timezone),
        "late": [j for j in jurors if j.is_late], "errors": errors,
    }, status_code=status_code)


async def send_reminders(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    if edition.status != "judging":
        return await _progress_page(request, edition, {"form": gettext(
            "Reminders go out only while the edition is in judging.")}, 409)
    reminded, skipped = await progress.send_reminders(
        app.db, app.mailer, edition, now=app.clock(), actor_id=request.state.user.id,
        base_url=app.settings.base_url)
    message = gettext("{n} reminders sent.").format(n=len(reminded))
    if skipped:
        message += " " + gettext("{n} jurors were already reminded today.").format(n=len(skipped))
    flash(request, message)
    return RedirectResponse(edition_path(edition, "/progress"), status_code=303)


# Users ----------------------------------------------------------------------------


async def user_list(request: Request) -> Response:
    app = request.app.state
    q = _query_text(request, "q")
    role = _query_text(request, "role", 20)
    role = role if role in users_admin.ROLES else ""
    current = _query_int(request, "page", 1)
    found, total = await users_admin.search(app.db, q=q or None, role=role or None,
                                            limit=PER_PAGE, offset=(current - 1) * PER_PAGE)
    return _render(request, "admin/users.html", {
        "users": found, "filters": {"q": q, "role": role}, "roles": users_admin.ROLES,
        "pages": _pages(total, current)})


class RoleForm(BaseModel):
    role: Literal["admin", "juror", "applicant", "advisor"]


async def _user(request: Request) -> users.User:
    person = await users.get(request.app.state.db, _path_id(request, "user_id"))
    if person is None:
        raise HTTPException(404)
    return person


async def _user_page(request: Request, person: users.User, values: dict, errors: dict,
                     status_code: int = 200) -> Response:
    history = await audit.search(request.app.state.db, subject_type="user",
                                 subject_id=person.id, limit=20)
    return _render(request, "admin/user.html", {
        "person": person, "values": values, "errors": errors, "history": history,
        "roles": [(role, gettext(role)) for role in users_admin.ROLES],
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
        errors = {"role": gettext("You cannot change your own role: ask another administrator.")}
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
                                                           role=gettext(form.role)))
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
    flash(request, (gettext("{name} can sign in again.") if active else gettext(
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


# Audit log ------------------------------------------------------------------------


async def audit_log(request: Request) -> Response:
    app = request.app.state
    action = _query_text(request, "action", 80) or None
    edition_id = _query_int(request, "edition")
    actor_id = _query_int(request, "actor")
    current = _query_int(request, "page", 1)
    total = await console.audit_count(app.db, action=action, edition_id=edition_id,
                                      actor_id=actor_id)
    pages = _pages(total, current)
    records = await audit.search(app.db, action=action, edition_id=edition_id, actor_id=actor_id,
                                 limit=PER_PAGE, offset=(pages["page"] - 1) * PER_PAGE)
    return _render(request, "admin/audit.html", {
        "records": records, "pages": pages,
        "filters": {"action": action or "", "edition": str(edition_id or ""),
                    "actor": str(actor_id or "")},
        "actions": await console.audit_actions(app.db),
        "actors": await console.audit_actors(app.db),
        "editions": await editions.all_editions(app.db),
    })


# Entries across editions ----------------------------------------------------------


def _entry_filters(request: Request) -> dict[str, Any]:
    status = _query_text(request, "status", 20)
    return {"q": _query_text(request, "q"),
            "year": _query_int(request, "year", low=2000, high=2100),
            "status": status if status in ENTRY_STATUSES else ""}


async def entry_overview(request: Request) -> Response:
    app = request.app.state
    filters = _entry_filters(request)
    current = _query_int(request, "page", 1)
    found, total = await console.search_entries(
        app.db, q=filters["q"] or None, year=filters["year"], status=filters["status"] or None,
        limit=PER_PAGE, offset=(current - 1) * PER_PAGE)
    return _render(request, "admin/entries.html", {
        "entries": found, "filters": filters, "pages": _pages(total, current),
        "statuses": ENTRY_STATUSES, "editions": await editions.all_editions(app.db)})


def _csv_cell(value: Any) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def entries_csv(request: Request) -> Response:
    app = request.app.state
    filters = _entry_filters(request)
    found, _ = await console.search_entries(
        app.db, q=filters["q"] or None, year=filters["year"], status=filters["status"] or None,
        limit=None)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["reference", "year", "status", "title", "organisation", "country",
                     "submitted_at"])
    for row in found:
        writer.writerow([_csv_cell(value) for value in (
            row.reference, row.year, row.status, row.title, row.organisation, row.country,
            row.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ") if row.submitted_at else "")])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="entries.csv"'})


routes = [
    page("/admin", home, roles=ADMIN),
    page("/admin/editions/new", new_edition, methods=["GET", "POST"], roles=ADMIN),
    page("/admin/editions/{year:int}", show_edition, roles=ADMIN),
    page("/admin/editions/{year:int}/edit", edit_edition, methods=["GET", "POST"], roles=ADMIN),
    page("/admin/editions/{year:int}/transition", transition, methods=["POST"], roles=ADMIN),
    page("/admin/editions/{year:int}/criteria", criteria_list, roles=ADMIN),
    page("/admin/editions/{year:int}/criteria/new", criterion_form, methods=["GET", "POST"],
         roles=ADMIN, name="criterion_new"),
    page("/admin/editions/{year:int}/criteria/{key}", criterion_form, methods=["GET", "POST"],
         roles=ADMIN),
    page("/admin/editions/{year:int}/criteria/{key}/change", criterion_change,
         methods=["POST"], roles=ADMIN),
    page("/admin/editions/{year:int}/screening", screening, roles=ADMIN),
    page("/admin/editions/{year:int}/progress", judging_progress, roles=ADMIN),
    page("/admin/editions/{year:int}/reminders", send_reminders, methods=["POST"], roles=ADMIN),
    page("/admin/entries", entry_overview, roles=ADMIN),
    page("/admin/entries.csv", entries_csv, roles=ADMIN),
    page("/admin/entries/{entry_id}", show_entry, roles=ADMIN),
    page("/admin/entries/{entry_id}/text", entry_text, roles=ADMIN),
    page("/admin/entries/{entry_id}/screen", screen_entry, methods=["POST"], roles=ADMIN),
    page("/admin/users", user_list, roles=ADMIN),
    page("/admin/users/{user_id}", show_user, roles=ADMIN),
    page("/admin/users/{user_id}/role", change_role, methods=["POST"], roles=ADMIN),
    page("/admin/users/{user_id}/active", set_active, methods=["POST"], roles=ADMIN),
    page("/admin/users/{user_id}/verification", resend_verification, methods=["POST"],
         roles=ADMIN),
    page("/admin/audit", audit_log, roles=ADMIN),
]
