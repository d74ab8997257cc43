"""The juror's side: accepting an invitation, profile, conflicts and preferences, dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel import Locale
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain.editions import Edition
from prize.domain.notices import Document
from prize.domain.rounds import round_label
from prize.domain.statuses import EditionStatus, JurorStatus, Role, SheetStatus
from prize.domain.translations import can_read, readable_languages
from prize.domain.vocabulary import COUNTRY_CODES, SETTINGS, TARGET_GROUPS, country_choices
from prize.i18n import current_locale, gettext
from prize.store import access, audit, consent, discussion, editions, entries, users
from prize.store import jury as jury_store
from prize.store import scoring as scoring_store
from prize.store import translations as translations_store
from prize.web import auth, notices
from prize.web.accounts import NewPassword
from prize.web.forms import password_errors, validate, without_passwords
from prize.web.routing import form_values, page
from prize.web.templating import flash, render

# Languages a juror may read, those of the Council of Europe's member and partner states.
JURY_LANGUAGES = (
    "ar", "bg", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr",
    "ga", "he", "hr", "hu", "hy", "is", "it", "ka", "lb", "lt", "lv", "mk", "mt", "nl", "no",
    "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
)  # fmt: skip
MAX_REASON = 500
PREFERENCE_VALUES = {"like": 1, "rather_not": -1}
Conflicts = dict[tuple[int, int], jury_store.Conflict]


def language_choices() -> list[tuple[str, str]]:
    names = Locale.parse(current_locale()).languages
    return sorted(((code, names.get(code, code)) for code in JURY_LANGUAGES),
                  key=lambda pair: pair[1].casefold())


class ProfileForm(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    country: str = Field(min_length=1, max_length=2)
    languages: list[str] = Field(min_length=1, max_length=len(JURY_LANGUAGES))
    organisation: str = Field(default="", max_length=200)
    expertise_settings: list[str] = Field(default=[], max_length=len(SETTINGS))
    expertise_groups: list[str] = Field(default=[], max_length=len(TARGET_GROUPS))
    bio: str = Field(default="", max_length=1000)

    @field_validator("name", "organisation", "bio", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if value.upper() not in COUNTRY_CODES:
            raise ValueError(gettext("Choose from the list."))
        return value.upper()

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        if any(code not in JURY_LANGUAGES for code in value):
            raise ValueError(gettext("Choose from the list."))
        return list(dict.fromkeys(value))

    @field_validator("expertise_settings")
    @classmethod
    def _known_settings(cls, value: list[str]) -> list[str]:
        if any(key not in SETTINGS for key in value):
            raise ValueError(gettext("Choose from the list."))
        return list(dict.fromkeys(value))

    @field_validator("expertise_groups")
    @classmethod
    def _known_groups(cls, value: list[str]) -> list[str]:
        if any(key not in TARGET_GROUPS for key in value):
            raise ValueError(gettext("Choose from the list."))
        return list(dict.fromkeys(value))

    def profile(self, user_id: int) -> jury_store.JurorProfile:
        return jury_store.JurorProfile(
            user_id=user_id, country=self.country, languages=self.languages,
            organisation=self.organisation, expertise_settings=self.expertise_settings,
            expertise_groups=self.expertise_groups, bio=self.bio)


MULTI = ("languages", "expertise_settings", "expertise_groups")


def _profile_values(user: users.User, profile: jury_store.JurorProfile | None) -> dict[str, Any]:
    values: dict[str, Any] = {"name": user.name}
    if profile is not None:
        values |= profile.model_dump(exclude={"user_id"})
    return values


def _profile_context(values: dict, errors: dict,
                     confirmations: dict[str, bool] | None = None) -> dict[str, Any]:
    return {"values": values, "errors": errors, "countries": country_choices(sorted(COUNTRY_CODES)),
            "languages": language_choices(),
            "confirmations": confirmations or {"age_confirmed": False, "needs_notice": False}}


# No date of birth is asked or kept: a juror confirms once that they are at least 16
# (a consent record, document age_16), and on accepting an invitation the privacy notice
# in force if they have not accepted it yet.


async def _confirmations(request: Request, user_id: int) -> dict[str, bool]:
    """What the person has confirmed already: being at least 16; the notice in force."""
    accepted = await consent.accepted_version(request.app.state.db, user_id, Document.AGE_16)
    return {"age_confirmed": accepted is not None,
            "needs_notice": await notices.must_accept(request, user_id)}


def _confirmation_errors(confirmations: dict[str, bool], values: dict[str, Any], *,
                         with_notice: bool) -> dict[str, str]:
    errors = {}
    if not confirmations["age_confirmed"] and values.get("at_least_16") != "on":
        errors["at_least_16"] = gettext(
            "Confirm that you are at least 16: the prize's jurors are 16 or older.")
    if with_notice and confirmations["needs_notice"] and values.get("privacy") != "on":
        errors["privacy"] = gettext("Tick the box to accept the privacy notice.")
    return errors


async def _record_confirmations(conn, user_id: int, confirmations: dict[str, bool], *,
                                occasion: consent.Occasion, now: datetime,
                                with_notice: bool) -> None:
    if not confirmations["age_confirmed"]:
        await consent.record(conn, user_id=user_id, document=Document.AGE_16,
                             language=current_locale(), occasion=occasion, now=now)
    if with_notice and confirmations["needs_notice"]:
        await consent.record(conn, user_id=user_id, document=Document.PRIVACY,
                             language=current_locale(), occasion=occasion, now=now)


# Invitation ------------------------------------------------------------------------------


async def _invited_user(request: Request, token: str) -> users.User | None:
    app = request.app.state
    if not token or len(token) > 200:
        return None
    user_id = await users.peek_token(app.db, token, "invitation", app.clock())
    if user_id is None or not await jury_store.has_pending_invitation(app.db, user_id):
        return None
    return await users.get(app.db, user_id)


def _invitation_page(request: Request, token: str, person: users.User | None, values: dict,
                     errors: dict, status_code: int = 200,
                     confirmations: dict[str, bool] | None = None) -> Response:
    return render(request, "jury/invitation.html", {
        "token": token, "valid": person is not None,
        "needs_password": person is not None and not person.password_hash,
        **_profile_context(values, errors, confirmations)}, status_code=status_code)


async def invitation(request: Request) -> Response:
    """Accept an invitation: set a password (a new account) and the profile."""
    app = request.app.state
    if request.method == "GET":
        token = request.query_params.get("token", "")[:200]
        person = await _invited_user(request, token)
        if person is None:
            return _invitation_page(request, "", None, {}, {}, 400)
        values = _profile_values(person, await jury_store.profile(app.db, person.id))
        return _invitation_page(request, token, person, values, {},
                                confirmations=await _confirmations(request, person.id))
    values = form_values(request.state.form, multi=MULTI)
    token = str(values.pop("token", ""))[:200]
    person = await _invited_user(request, token)
    if person is None:
        return _invitation_page(request, "", None, {}, {}, 400)
    form, errors = validate(ProfileForm, values)
    password = None
    if not person.password_hash:
        password, password_problems = validate(NewPassword, values)
        errors |= password_errors(password_problems)
    confirmations = await _confirmations(request, person.id)
    errors |= _confirmation_errors(confirmations, values, with_notice=True)
    if errors:
        return _invitation_page(request, token, person, without_passwords(values), errors, 422,
                                confirmations)
    # Hashed before the write transaction and off the event loop: argon2 takes a tenth
    # of a second, which would otherwise hold every other write and request.
    password_hash = (await app.passwords.hash_in_thread(password.password)
                     if password is not None else None)
    now = app.clock()
    async with app.db.transaction() as conn:
        user_id = await users.use_token(conn, token, "invitation", now)
        if user_id != person.id:  # spent by a simultaneous request
            raise _Spent
        if password_hash is not None:
            await users.set_password(conn, person.id, password_hash)
        await users.mark_verified(conn, person.id, now)
        await jury_store.set_name(conn, person.id, form.name)
        await jury_store.save_profile(conn, form.profile(person.id), now)
        await _record_confirmations(conn, person.id, confirmations, occasion="invitation",
                                    now=now, with_notice=True)
        for edition_id in await jury_store.accept_invitations(conn, person.id, now):
            await audit.record(conn, now=now, actor_id=person.id, action="jury.accepted",
                               subject_type="user", subject_id=person.id, edition_id=edition_id)
    auth.log_in(request, await users.get(app.db, person.id))
    flash(request, gettext("Welcome to the jury! Your profile is saved."))
    return RedirectResponse("/jury", status_code=303)


class _Spent(HTTPException):
    def __init__(self) -> None:
        super().__init__(400, gettext("This invitation link was used already."))


# Dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignedEntry:
    """One entry on the juror's list, with where the juror's own sheet stands."""

    entry: entries.Entry
    state: str  # "not_started", "draft" or "submitted"
    #: The entry is in a language the juror does not read, with no complete translation
    #: into one they do.
    needs_translation: bool = False


def _needs_work(edition: Edition, assigned: list[AssignedEntry]) -> bool:
    return (edition.status in EditionStatus.SCORING
            and any(item.state != SheetStatus.SUBMITTED for item in assigned))


def _dashboard_order(section: dict[str, Any]) -> tuple[int, int]:
    """The edition that needs the juror's work first, finished editions last, newest first."""
    edition = section["edition"]
    if section["needs_work"]:
        rank = 0
    elif edition.status in EditionStatus.RESULTS_OUT:
        rank = 2
    else:
        rank = 1
    return rank, -edition.year


async def dashboard(request: Request) -> Response:
    juror = request.state.user
    # The same queries on every visit: asked again only after a commit (prize/store/memo.py).
    sections = await request.app.state.memo.get(
        ("jury dashboard", juror.id, juror.role), lambda: _dashboard_sections(request))
    return render(request, "jury/dashboard.html", {"sections": sections})


async def _dashboard_sections(request: Request) -> list[dict[str, Any]]:
    app = request.app.state
    juror = request.state.user
    active = [edition_id for edition_id, status in await jury_store.memberships(app.db, juror.id)
              if status == JurorStatus.ACTIVE]
    sections = []
    for edition in (await editions.by_ids(app.db, active)).values():
        if juror.role == Role.ADVISOR:
            sections.append(await _advisor_section(request, edition))
            continue
        assigned = await _assigned_with_state(request, edition, edition.current_round)
        # In the final round, the juror's round 1 sheets stay listed, to read.
        earlier = (await _assigned_with_state(request, edition, 1)
                   if edition.current_round == 2 else [])
        sections.append({
            "edition": edition,
            "finished": edition.status in EditionStatus.RESULTS_OUT,
            "needs_work": _needs_work(edition, assigned),
            "assigned": assigned,
            "round_title": round_label(edition.current_round) if edition.rounds == 2 else "",
            "round_deadline": (edition.final_judging_ends_at if edition.current_round == 2
                               else edition.judging_ends_at),
            "earlier": earlier,
            "earlier_title": round_label(1),
            "submitted": sum(item.state == SheetStatus.SUBMITTED for item in assigned),
            "conflicts": await _own_conflicts(request, edition),
            "comments": await discussion.comment_counts(app.db, edition.id),
        })
    sections.sort(key=_dashboard_order)
    return sections


async def _advisor_section(request: Request, edition: Edition) -> dict[str, Any]:
    """An advisor's edition: every entry they may read (no sheets), with its thread."""
    db, advisor_id = request.app.state.db, request.state.user.id
    readable = []
    if edition.status in EditionStatus.FROZEN:
        readable = [entry.id for entry in await jury_store.judged_entries(db, edition.id)
                    if await access.advisor_may_read(db, advisor_id, entry.id)]
    return {
        "edition": edition,
        "finished": edition.status in EditionStatus.RESULTS_OUT,
        "needs_work": False,
        "readable": await entries.by_ids(db, readable),
        "comments": await discussion.comment_counts(db, edition.id),
        "conflicts": await _own_conflicts(request, edition),
    }


async def _assigned_with_state(request: Request, edition: Edition, round_number: int = 1
                               ) -> list[AssignedEntry]:
    assigned = await _readable_assigned_entries(request, edition, round_number)
    if not assigned:
        return []
    db = request.app.state.db
    states = await scoring_store.sheet_statuses_of_juror(db, edition.id, request.state.user.id,
                                                         round_number)
    own = await jury_store.profile(db, request.state.user.id)
    complete = await translations_store.complete_languages(db, (e.id for e in assigned))
    return [AssignedEntry(
        entry, states.get(entry.id, "not_started"),
        needs_translation=bool(own and own.languages) and not can_read(
            own.languages, readable_languages(entry.language, complete.get(entry.id, ()))))
        for entry in assigned]


async def _readable_assigned_entries(request: Request, edition: Edition, round_number: int = 1
                                     ) -> list[entries.Entry]:
    """The juror's released entries of the round, in reference order."""
    if edition.assignment_released_at is None:
        return []
    db, juror_id = request.app.state.db, request.state.user.id
    # The one rule: a conflicted juror never sees the entry, even when assigned.
    assigned = await jury_store.assigned_entry_ids(db, edition.id, juror_id, round_number)
    allowed = await access.entries_juror_may_read(db, juror_id, assigned)
    return await entries.by_ids(db, [entry_id for entry_id in assigned if entry_id in allowed])


async def _own_conflicts(request: Request, edition: Edition
                         ) -> list[tuple[jury_store.JuryEntry, jury_store.Conflict]]:
    """The juror's declared and secretariat conflicts on the edition's judged entries."""
    db = request.app.state.db
    conflicts = await jury_store.conflicts_of(db, edition.id, request.state.user.id)
    if not conflicts:
        return []
    judged = {entry.id: entry for entry in await jury_store.judged_entries(db, edition.id)}
    return [(judged[entry_id], conflict)
            for (_, entry_id), conflict in conflicts.items() if entry_id in judged]


# Conflicts and preferences -----------------------------------------------------------------


async def active_edition(request: Request) -> Edition:
    """The edition of the path, where the person is an active member of the jury; else 404."""
    app = request.app.state
    edition = await editions.by_year(app.db, request.path_params["year"])
    if edition is None:
        raise HTTPException(404)
    member = await jury_store.edition_juror(app.db, edition.id, request.state.user.id)
    if member is None or member.status != JurorStatus.ACTIVE:
        raise HTTPException(404)
    return edition


async def _conflict_rows(request: Request, edition: Edition) -> list[dict[str, Any]]:
    app = request.app.state
    juror_id = request.state.user.id
    profile = await jury_store.profile(app.db, juror_id)
    return [{"entry": entry, "automatic": jury_store.automatic_conflict(profile, entry)}
            for entry in await jury_store.judged_entries(app.db, edition.id)]


def _conflicts_page(request: Request, edition: Edition, rows: list[dict[str, Any]],
                   current: Conflicts, values: dict, errors: dict,
                   status_code: int = 200) -> Response:
    set_by_secretariat = {entry_id for (_, entry_id), conflict in current.items()
                          if conflict.source == "secretariat"}
    return render(request, "jury/conflicts.html", {
        "edition": edition, "rows": rows,
        "secretariat": set_by_secretariat, "values": values, "errors": errors,
        "preference_choices": [("like", gettext("I would like to read it")),
                               ("rather_not", gettext("I would rather not"))],
    }, status_code=status_code)


async def _stored_declarations(request: Request, edition: Edition,
                               current: Conflicts) -> dict[str, str]:
    """The conflicts page's form filled in with what the juror declared so far."""
    values: dict[str, str] = {}
    for (_, entry_id), conflict in current.items():
        values[f"conflict_{entry_id}"] = "on"
        values[f"reason_{entry_id}"] = conflict.reason
    preferences = await jury_store.preferences_of(
        request.app.state.db, edition.id, request.state.user.id)
    for (_, entry_id), preference in preferences.items():
        values[f"preference_{entry_id}"] = "like" if preference > 0 else "rather_not"
    return values


def _declaration_errors(rows: list[dict[str, Any]], values: dict[str, str]) -> dict[str, str]:
    errors = {}
    for row in rows:
        entry_id = row["entry"].id
        if len(values.get(f"reason_{entry_id}", "")) > MAX_REASON:
            errors[f"reason_{entry_id}"] = gettext("At most {n} characters.").format(n=MAX_REASON)
        if values.get(f"preference_{entry_id}", "") not in ("", *PREFERENCE_VALUES):
            errors[f"preference_{entry_id}"] = gettext("Choose from the list.")
    return errors


async def conflicts(request: Request) -> Response:
    app = request.app.state
    edition = await active_edition(request)
    juror_id = request.state.user.id
    rows = await _conflict_rows(request, edition)
    current = await jury_store.conflicts_of(app.db, edition.id, juror_id)
    if request.method == "GET":
        values = await _stored_declarations(request, edition, current)
        return _conflicts_page(request, edition, rows, current, values, {})
    values = form_values(request.state.form)
    errors = _declaration_errors(rows, values)
    if errors:
        return _conflicts_page(request, edition, rows, current, values, errors, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        for row in rows:
            entry_id = row["entry"].id
            await _save_declaration(conn, edition, juror_id, entry_id, values,
                                    current.get((juror_id, entry_id)), now)
        await audit.record(conn, now=now, actor_id=juror_id, action="jury.preferences_saved",
                           subject_type="user", subject_id=juror_id, edition_id=edition.id)
    flash(request, gettext("Your declarations are saved."))
    return RedirectResponse("/jury", status_code=303)


async def _save_declaration(conn, edition: Edition, juror_id: int, entry_id: int,
                            values: dict[str, str], existing: jury_store.Conflict | None,
                            now: datetime) -> None:
    """One entry's conflict and preference as the form says; a secretariat conflict stays."""
    declared = values.get(f"conflict_{entry_id}") == "on"
    reason = values.get(f"reason_{entry_id}", "").strip()
    if declared and (existing is None
                     or (existing.source == "declared" and existing.reason != reason)):
        await jury_store.set_conflict(conn, entry_id=entry_id, juror_id=juror_id,
                                      source="declared", reason=reason,
                                      created_by=juror_id, now=now)
        await audit.record(conn, now=now, actor_id=juror_id, action="conflict.declared",
                           subject_type="entry", subject_id=entry_id,
                           edition_id=edition.id, details={"juror_id": juror_id})
    elif not declared and existing is not None and existing.source == "declared":
        await jury_store.remove_conflict(conn, entry_id=entry_id, juror_id=juror_id,
                                         source="declared")
        await audit.record(conn, now=now, actor_id=juror_id, action="conflict.withdrawn",
                           subject_type="entry", subject_id=entry_id,
                           edition_id=edition.id, details={"juror_id": juror_id})
    preference = PREFERENCE_VALUES.get(values.get(f"preference_{entry_id}", ""))
    await jury_store.set_preference(conn, entry_id=entry_id, juror_id=juror_id,
                                    preference=preference, now=now)


# Profile ----------------------------------------------------------------------------------


async def edit_profile(request: Request) -> Response:
    app = request.app.state
    juror = request.state.user
    confirmations = await _confirmations(request, juror.id)
    if request.method == "GET":
        values = _profile_values(juror, await jury_store.profile(app.db, juror.id))
        return render(request, "jury/profile.html",
                      _profile_context(values, {}, confirmations))
    values = form_values(request.state.form, multi=MULTI)
    form, errors = validate(ProfileForm, values)
    errors |= _confirmation_errors(confirmations, values, with_notice=False)
    if form is None or errors:
        return render(request, "jury/profile.html",
                      _profile_context(values, errors, confirmations), status_code=422)
    now = app.clock()
    async with app.db.transaction() as conn:
        await jury_store.set_name(conn, juror.id, form.name)
        await jury_store.save_profile(conn, form.profile(juror.id), now)
        await _record_confirmations(conn, juror.id, confirmations, occasion="profile", now=now,
                                    with_notice=False)
        await audit.record(conn, now=now, actor_id=juror.id, action="jury.profile_saved",
                           subject_type="user", subject_id=juror.id)
    flash(request, gettext("Your profile is saved."))
    return RedirectResponse("/jury", status_code=303)


# Advisors and jurors share the jury's pages; only jurors score (prize.web.scoring).
routes = [
    page("/invitation", invitation, methods=["GET", "POST"]),
    page("/jury", dashboard, roles=Role.JURY_READERS),
    page("/jury/profile", edit_profile, methods=["GET", "POST"], roles=Role.JURY_READERS),
    page("/jury/{year:id}/conflicts", conflicts, methods=["GET", "POST"],
         roles=Role.JURY_READERS),
]
