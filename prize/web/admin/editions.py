"""The secretariat's editions: the console home, an edition's settings, its lifecycle.

Each step of the lifecycle is a guarded transition of :mod:`prize.domain.lifecycle`; this
module shows what stops each one and sends the emails that belong to it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import lifecycle
from prize.domain.edition_words import dropped_words_in_use
from prize.domain.editions import Edition, default_edition, vocabulary_items
from prize.domain.rounds import round_label, rounds_change_problems
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.domain.text import one_line
from prize.domain.vocabulary import COUNTRY_CODES, country_choices
from prize.i18n import N_, gettext, ngettext
from prize.settings import DEFAULT_TIMEZONE
from prize.store import audit, console, editions, entries, forms, jury, privacy
from prize.store import identity as identity_store
from prize.web.forms import validate
from prize.web.params import edition_of, edition_path
from prize.web.routing import form_values
from prize.web.templating import flash, render

TRANSITION_EMAILS = {
    "open_call": N_("Every verified applicant who ever signed up learns that the call is open."),
    "start_judging": N_("The applicant of each screened entry learns the result and its reason."),
    "publish_results": N_("The applicant of each judged entry learns the result."),
    "open_final_round": N_("Every active juror without a conflict gets every shortlisted "
                           "entry to score in the final round, and the list by email, in "
                           "their language."),
}
EMAIL_TEMPLATES = {"call_opened": "call_opened", "eligibility_results": "eligibility_result",
                   "results": "results"}
#: Transitions that act only from their confirmation page (its form posts confirmed=yes).
CONFIRMED_TRANSITIONS = ("publish_results",)
#: Who hears of each result email: the entries in these statuses.
RESULT_RECIPIENTS = {
    "eligibility_results": (EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE),
    "results": EntryStatus.DECIDED,
}


async def home(request: Request) -> Response:
    app = request.app.state
    counts = await console.status_counts(app.db)
    rows = []
    for edition in await editions.all_editions(app.db):
        full = await editions.get(app.db, edition.id)
        rows.append({"edition": full, "counts": counts.get(edition.id, {}),
                     "next": (await _transitions(request, full))[:1]})
    return render(request, "admin/home.html", {
        "rows": rows, "erasure_requests": len(await privacy.pending_requests(app.db)),
        "retention_due": sum(1 for item in await privacy.retention_overview(app.db)
                             if item.due(app.clock()))})


# Settings ---------------------------------------------------------------------------


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
    scope: str = Field(default="", max_length=3000)
    scope_fr: str = Field(default="", max_length=3000)
    prize_money: int | None = Field(default=None, ge=0, le=10_000_000)
    awards: int | None = Field(default=None, ge=1, le=50)
    substances_en: str = Field(default="", max_length=2000)
    substances_fr: str = Field(default="", max_length=2000)

    @field_validator("scope", "scope_fr", "substances_en", "substances_fr", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value

    @field_validator("prize_money", "awards", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        # "6 000", "6,000" and "EUR 6000" all mean 6000; an empty field says nothing.
        if isinstance(value, str):
            value = value.replace("EUR", "").replace("€", "")
            for separator in (" ", "\u00a0", "\u202f", ","):
                value = value.replace(separator, "")
            return None if value == "" else value
        return value

    @field_validator("title", "title_fr", "theme", "theme_fr", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return one_line(value) if isinstance(value, str) else value

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
    try:
        vocabulary_items(form.substances_en, form.substances_fr)
    except ValueError as refused:
        problems["substances_en"] = str(refused)
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
        "scope": edition.scope, "scope_fr": edition.scope_fr,
        "prize_money": "" if edition.prize_money is None else str(edition.prize_money),
        "awards": "" if edition.awards is None else str(edition.awards),
        "substances_en": "\n".join(item.en for item in edition.substances_extra),
        "substances_fr": "\n".join(item.fr for item in edition.substances_extra),
    }


def _edition_form_page(request: Request, edition: Edition | None, values: dict, errors: dict,
                       status_code: int = 200, rounds_values: dict | None = None,
                       rounds_errors: dict | None = None) -> Response:
    return render(request, "admin/edition_form.html", {
        "edition": edition, "values": values, "errors": errors,
        "countries": country_choices(sorted(COUNTRY_CODES)),
        "timezone": DEFAULT_TIMEZONE,
        # The rounds' own form (prize.domain.rounds), below the settings.
        "rounds_values": rounds_values if rounds_values is not None else (
            _rounds_values(edition) if edition else {}),
        "rounds_errors": rounds_errors or {},
        "rounds_choices": [("1", gettext("One round")),
                           ("2", gettext("Round 1, then a final round for the shortlist"))],
    }, status_code=status_code)


def _rounds_values(edition: Edition) -> dict[str, str]:
    return {"rounds": str(edition.rounds),
            "final_judging_ends_at": _datetime_input(edition.final_judging_ends_at)}


async def edit_rounds(request: Request) -> Response:
    """Add or remove the final round, and set its deadline (prize.domain.rounds)."""
    edition = await edition_of(request)
    app = request.app.state
    form = request.state.form
    values = {"rounds": str(form.get("rounds", "")).strip(),
              "final_judging_ends_at": str(form.get("final_judging_ends_at", "")).strip()[:40]}
    errors: dict[str, str] = {}
    wanted = {"1": 1, "2": 2}.get(values["rounds"])
    if wanted is None:
        errors["rounds"] = gettext("Choose one round or a final round from the list.")
    deadline = None
    if values["final_judging_ends_at"]:
        try:
            deadline = _local_datetime_value(values["final_judging_ends_at"])
        except ValueError as error:
            errors["final_judging_ends_at"] = str(error)
    if (deadline and edition.judging_ends_at and deadline <= edition.judging_ends_at
            and "final_judging_ends_at" not in errors):
        errors["final_judging_ends_at"] = gettext(
            "The final round must end after round 1's end of judging.")
    now = app.clock()
    async with app.db.transaction() as conn:
        if wanted is not None and not errors:
            problems = rounds_change_problems(
                wanted=wanted, rounds=edition.rounds, current_round=edition.current_round,
                published=edition.status in EditionStatus.RESULTS_OUT,
                final_sheets=await editions.final_sheets_exist(conn, edition.id))
            if problems:
                errors["rounds"] = " ".join(problems)
        if not errors:
            if wanted != edition.rounds:
                await editions.set_rounds(conn, edition.id, wanted, now)
            await editions.set_final_deadline(conn, edition.id,
                                              deadline if wanted == 2 else None, now)
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="edition.rounds_changed", subject_type="edition",
                               subject_id=edition.id, edition_id=edition.id,
                               details={"from": edition.rounds, "to": wanted,
                                        "final_judging_ends_at": str(deadline or "")})
    if errors:
        return _edition_form_page(request, edition, _edition_values(edition), {}, 422,
                                  rounds_values=values, rounds_errors=errors)
    flash(request, gettext("The edition's rounds are saved."))
    return RedirectResponse(edition_path(edition, "/edit"), status_code=303)


async def new_edition(request: Request) -> Response:
    app = request.app.state
    if request.method == "GET":
        year = app.clock().year + 1
        fresh = default_edition(year, identity=app.config.identity)
        latest = await editions.all_editions(app.db)
        if latest:
            # What the last call said of its scope, prize and words, to change or keep.
            last = max(latest, key=lambda item: item.year)
            fresh = fresh.model_copy(update={
                name: getattr(last, name) for name in (
                    "scope", "scope_fr", "prize_money", "awards", "substances_extra")})
        return _edition_form_page(request, None, _edition_values(fresh), {})
    values = form_values(request.state.form, multi=("eligible_countries",))
    form, errors = validate(NewEditionForm, values)
    if form is not None:
        errors = _edition_problems(form)
        if await editions.by_year(app.db, form.year):
            errors["year"] = gettext("An edition for {year} exists already.").format(year=form.year)
    if form is None or errors:
        return _edition_form_page(request, None, values, errors, 422)
    model = default_edition(form.year, identity=app.config.identity).model_copy(
        update=_settings_of(form))
    now = app.clock()
    async with app.db.transaction() as conn:
        edition_id = await editions.insert(conn, model, now)
        # The application form starts as a copy of the previous edition's (issue 14).
        copied_from = await forms.copy_previous(conn, edition_id, form.year, now=now)
        # So do the email texts the secretariat wrote for the edition before.
        texts_from = await identity_store.copy_previous_texts(conn, edition_id, form.year, now)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action="edition.created",
                           subject_type="edition", subject_id=edition_id, edition_id=edition_id,
                           details={"year": form.year, "title": form.title,
                                    "form_copied_from": copied_from,
                                    "email_texts_copied_from": texts_from})
    form_note = (gettext("Its application form is a copy of the {year} form.").format(
        year=copied_from) if copied_from else gettext("It has the default application form."))
    flash(request, gettext("The edition {year} is created as a draft.").format(year=form.year)
          + " " + form_note)
    if texts_from:
        flash(request, gettext("Its email texts are a copy of those of {year}.").format(
            year=texts_from))
    return RedirectResponse(edition_path(model), status_code=303)


def _settings_of(form: EditionForm) -> dict[str, Any]:
    return {
        "title": form.title, "title_fr": form.title_fr, "theme": form.theme,
        "theme_fr": form.theme_fr, "opens_at": form.opens_at, "closes_at": form.closes_at,
        "judging_ends_at": form.judging_ends_at,
        "eligible_countries": tuple(form.eligible_countries),
        "jurors_per_entry": None if form.all_jurors else form.jurors_per_entry,
        "spread_threshold": form.spread_threshold,
        "scope": form.scope, "scope_fr": form.scope_fr, "prize_money": form.prize_money,
        "awards": form.awards,
        "substances_extra": vocabulary_items(form.substances_en, form.substances_fr),
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
        if not errors:
            # A word an entry chose stays (its key is what the entry stored).
            lost = dropped_words_in_use(
                edition.substances_extra,
                vocabulary_items(form.substances_en, form.substances_fr),
                await editions.substances_chosen(app.db, edition.id))
            if lost:
                errors["substances_en"] = lost
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


# Lifecycle --------------------------------------------------------------------------


async def _transitions(request: Request, edition: Edition) -> list[dict[str, Any]]:
    """Each transition available from the edition's status, with what stops it now."""
    app = request.app.state
    facts = await console.edition_facts(app.db, edition, app.clock())
    shown = []
    for name in lifecycle.available_transitions(edition.status, rounds=edition.rounds,
                                                current_round=edition.current_round):
        missing = lifecycle.check_edition_transition(name, facts, now=app.clock())
        forced = lifecycle.check_edition_transition(name, facts, now=app.clock(), force=True)
        emails = TRANSITION_EMAILS.get(name)
        emails_text = gettext(emails) if emails else ""
        if name == "close_call" and edition.closes_at and app.clock() < edition.closes_at:
            drafts = (await console.status_counts(app.db)).get(edition.id, {}).get(
                EntryStatus.DRAFT, 0)
            emails_text = ngettext(
                "Closing before the deadline: the applicant of %(num)d draft not submitted"
                " learns by email, in their language, that the call is closed.",
                "Closing before the deadline: the applicants of %(num)d drafts not submitted"
                " learn by email, in their language, that the call is closed.", drafts
            ) % {"num": drafts}
        shown.append({"name": name, "label": lifecycle.edition_transition_label(name),
                      "missing": missing, "can_force": bool(missing) and not forced,
                      "emails": emails_text})
    return shown


async def show_edition(request: Request) -> Response:
    edition = await edition_of(request)
    return await _lifecycle_page(request, edition, {}, 200)


async def _lifecycle_page(request: Request, edition: Edition, errors: dict,
                          status_code: int) -> Response:
    app = request.app.state
    counts = (await console.status_counts(app.db)).get(edition.id, {})
    return render(request, "admin/edition.html", {
        "edition": edition, "counts": counts, "transitions": await _transitions(request, edition),
        "round_label": round_label,
        "retention": await privacy.retention_of(app.db, edition.id),
        "errors": errors}, status_code=status_code)


async def transition(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    form = request.state.form
    name = str(form.get("transition", ""))
    force = form.get("force") == "on"
    if name not in lifecycle.available_transitions(edition.status, rounds=edition.rounds,
                                                    current_round=edition.current_round):
        return await _lifecycle_page(request, edition, {"form": gettext(
            "This step is not possible from the edition's current status.")}, 409)
    if name in CONFIRMED_TRANSITIONS and form.get("confirmed") != "yes":
        # Mass mail that cannot be taken back: say what will be sent before sending it.
        from prize.web.admin import publishing

        return await publishing.results_confirmation(request, edition)
    now = app.clock()
    facts = await console.edition_facts(app.db, edition, now)
    try:
        result = lifecycle.edition_transition(name, edition.status, facts, now=now, force=force)
    except lifecycle.TransitionRefused as refused:
        return await _lifecycle_page(request, edition, {"form": " ".join(refused.reasons)}, 409)
    target = str(result.target)
    messages = await _transition_emails(request, edition, result.emails)
    if name == "close_call" and edition.closes_at is not None and now < edition.closes_at:
        messages += await _early_close_emails(request, edition, now)
    async with app.db.transaction() as conn:
        if await editions.status_of(conn, edition.id) != edition.status:
            raise HTTPException(409)
        await editions.set_status(conn, edition.id, target, now)
        if result.opens_round is not None:
            # The final round: its own assignment, every juror × every shortlisted entry.
            await editions.set_current_round(conn, edition.id, result.opens_round, now)
            await jury.assign_final_round(conn, edition.id, now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=result.audit_action, subject_type="edition",
                           subject_id=edition.id, edition_id=edition.id,
                           details={**result.audit_details,
                                    "description": result.audit_description,
                                    "emails": len(messages)})
        for message in messages:
            await app.mailer.enqueue(conn, message)
    if result.opens_round is not None:
        # Each juror's final-round list, composed from the assignment just made.
        final = await _final_round_emails(request, edition)
        async with app.db.transaction() as conn:
            for message in final:
                await app.mailer.enqueue(conn, message)
        messages += final
    await app.mailer.flush()
    flash(request, gettext("Done: {step}. Emails sent: {n}.").format(
        step=lifecycle.edition_transition_label(name), n=len(messages)))
    return RedirectResponse(edition_path(edition), status_code=303)


async def _final_round_emails(request: Request, edition: Edition) -> list:
    """The "Your entries to judge" email of each juror of the final round, with the final
    round's entries and deadline (prize.web.admin.assignment's release email)."""
    from prize.web.admin import assignment

    final = edition.model_copy(update={
        "current_round": 2,
        "judging_ends_at": edition.final_judging_ends_at or edition.judging_ends_at})
    pairs = [(pair.juror_id, pair.entry_id)
             for pair in await jury.assignment_of(request.app.state.db, edition.id, 2)]
    return [assignment.list_message(request, final, member, mine)
            for member, mine in await assignment.juror_lists(request, final, pairs) if mine]


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
                    "link": app.settings.url("/my")}, locale=person.locale,
                    related_user_id=person.user_id))
        elif email_name in RESULT_RECIPIENTS:
            messages.extend(message for _, message in
                            await result_messages(request, edition, email_name))
    return messages


async def result_messages(request: Request, edition: Edition,
                          email_name: str) -> list[tuple[str, Any]]:
    """Each result email of the edition with the status of the entry it tells about, in
    the recipient's language: what a transition sends, and what its confirmation page
    counts and previews."""
    app = request.app.state
    template = EMAIL_TEMPLATES.get(email_name, email_name)
    shown = []
    for person in await console.owners_of(app.db, edition.id, RESULT_RECIPIENTS[email_name]):
        entry = await entries.get(app.db, person.entry_id)
        shown.append((entry.status, app.mailer.compose(template, person.email, {
            "name": person.name or person.email, "edition": edition,
            "reference": entry.reference, "title": entry.title,
            "status": entry.status, "reason": entry.status_reason,
            "outcome": _outcome(entry.status), "statement": entry.jury_statement,
            "consent": bool(entry.application.consent_publication),
            "link": app.settings.url(f"/my/entries/{entry.id}")},
            locale=person.locale, related_user_id=person.user_id)))
    return shown


async def _early_close_emails(request: Request, edition: Edition, now: datetime) -> list:
    """A call closed before its deadline: each unsubmitted draft's applicant is told why
    the draft can no longer be sent, in their own language (the deadline they planned for
    has not come)."""
    app = request.app.state
    return [
        app.mailer.compose("call_closed_early", person.email, {
            "name": person.name or person.email, "edition": edition, "closed_at": now,
            "link": app.settings.url(f"/my/entries/{person.entry_id}")},
            locale=person.locale, related_user_id=person.user_id)
        for person in await console.owners_of(app.db, edition.id, (EntryStatus.DRAFT,))
    ]


def _outcome(status: str) -> str:
    return {
        "winner": gettext("a winner of the prize."),
        "special_mention": gettext("a special mention of the jury."),
        "shortlisted": gettext("shortlisted."),
        "not_selected": gettext("not selected this time."),
    }.get(status, status)
