"""The applicant's side: dashboard, writing an entry over several sittings, submitting it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from prize.clock import to_iso
from prize.domain import lifecycle
from prize.domain.applicant_view import status_told, why_closed
from prize.domain.editions import Edition
from prize.domain.entries import (
    KEPT_AS_TYPED,
    Application,
    completeness,
    fitted,
    form_values,
    format_problems,
    parse_draft,
    section_states,
    shown_answer,
    submission_problems,
)
from prize.domain.form_schema import FormSchema, default_form
from prize.domain.statuses import EntryStatus, Role
from prize.domain.uploads import (
    ALLOWED,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_ENTRY,
    carries_markup,
    safe_filename,
    sniff,
)
from prize.i18n import current_locale, format_moment, gettext, ngettext, use_locale
from prize.store import access, audit, editions, entries, forms
from prize.store.entries import Entry, VersionConflict
from prize.web import autosave, notices
from prize.web.forms import form_version
from prize.web.params import database_id
from prize.web.routing import form_values as raw_form_values
from prize.web.routing import page
from prize.web.templating import flash, render


async def form_of(request: Request, edition_id: int) -> FormSchema:
    """The application form of the entry's own edition (an old entry keeps its form)."""
    return await forms.of_edition(request.app.state.db, edition_id)


def multi_fields(schema: FormSchema) -> tuple[str, ...]:
    return tuple(q.key for q in schema.questions() if q.kind in ("multi", "countries"))


# Access -------------------------------------------------------------------------


async def own_entry(request: Request) -> Entry:
    """The entry in the path if it belongs to the signed-in applicant, else 404."""
    entry = await entries.get(request.app.state.db, request.path_params["entry_id"])
    if entry is None or entry.owner_id != request.state.user.id:
        raise HTTPException(404)
    return entry


def editable(entry: Entry, edition: Edition, request: Request) -> bool:
    return lifecycle.is_editable_by_applicant(
        entry.status, edition.status, request.app.state.clock(), edition.closes_at
    )


def closed_explanation(entry: Entry, edition: Edition, request: Request) -> str | None:
    """Why the applicant can no longer change this entry, in words; None while they can."""
    # The status as the applicant was told it: "not eligible" explains only once announced.
    reason = why_closed(status_told(entry.status, edition.status), edition.status,
                        request.app.state.clock(), edition.closes_at)
    if reason is None:
        return None
    if reason == "withdrawn":
        return gettext("You withdrew this entry, so it can no longer be changed or submitted. "
                       "It stays here for you to read.")
    if reason == "not_open":
        return gettext("The call for entries of this edition is not open, so this entry "
                       "cannot be changed.")
    if reason == "deadline_passed":
        when = format_moment(edition.closes_at, edition.timezone)
        if entry.status == EntryStatus.DRAFT:
            return gettext("The deadline, %(when)s, has passed, so this draft can no longer be "
                           "changed or submitted. It was never submitted, so it will not be "
                           "judged.") % {"when": when}
        return gettext("The deadline, %(when)s, has passed, so this entry can no longer be "
                       "changed. The version you submitted last is the one that is judged.") % {
                           "when": when}
    if reason == "call_closed":
        return gettext("The call for entries has closed and this draft was never submitted, so "
                       "it can no longer be changed and will not be judged. It stays here for "
                       "you to read.")
    if reason == "not_eligible":
        return gettext("The secretariat found that this entry does not meet the rules of the "
                       "prize (the reason is below), so it is not judged and can no longer be "
                       "changed.")
    if reason == "screening":
        return gettext("The call for entries has closed: the secretariat is checking that each "
                       "entry meets the rules, so yours can no longer be changed. You will hear "
                       "the result by email when judging starts.")
    if reason == "judging":
        return gettext("The call for entries has closed and the jury is reading the entries, so "
                       "yours can no longer be changed.")
    if reason == "deliberation":
        return gettext("The jury is deciding the results, so this entry can no longer be "
                       "changed. You will hear them by email when they are published.")
    return gettext("The results of this edition are published, so this entry can no longer be "
                   "changed.")


# Dashboard ------------------------------------------------------------------------


async def dashboard(request: Request) -> Response:
    app = request.app.state
    mine = await entries.of_owner(app.db, request.state.user.id)
    open_editions = await editions.open_for_entries(app.db, app.clock())
    editions_of_mine = await editions.by_ids(app.db, (entry.edition_id for entry in mine))
    rows = []
    today = app.clock().date()
    fields_of = {
        edition_id: (await form_of(request, edition_id)).fields(current_locale())
        for edition_id in editions_of_mine
    }
    for entry in mine:
        if entry.status == "withdrawn" and entry.submitted_at is None:
            # A draft withdrawn before it was ever submitted is of no use to anyone: it
            # no longer clutters the list (new ones are deleted instead).
            continue
        edition = editions_of_mine[entry.edition_id]
        filled, required = completeness(
            entry.application, today=today, fields=fields_of[entry.edition_id])
        rows.append(
            {
                "entry": entry,
                "edition": edition,
                "filled": filled,
                "required": required,
                "editable": editable(entry, edition, request),
                "status": status_told(entry.status, edition.status),
            }
        )
    drafts = {
        edition.id: next(
            (entry for entry in mine if entry.edition_id == edition.id and entry.status == "draft"),
            None,
        )
        for edition in open_editions
    }
    return render(
        request,
        "applicant/dashboard.html",
        {"rows": rows, "open_editions": open_editions, "drafts": drafts},
    )


async def start_entry(request: Request) -> Response:
    app = request.app.state
    edition_id = database_id(request.state.form.get("edition_id", ""))
    if edition_id is None:
        raise HTTPException(400, gettext("Choose an edition that is open for entries."))
    edition = await editions.get(app.db, edition_id)
    if edition is None or not edition.is_open_for_entries(app.clock()):
        raise HTTPException(
            400, gettext("This edition is not open for entries: its deadline has passed.")
        )
    user = request.state.user
    drafts = await entries.drafts_of_owner(app.db, user.id, edition.id)
    if drafts and request.state.form.get("another") != "yes":
        # One draft per edition unless the applicant asks for a second one explicitly.
        flash(
            request,
            gettext(
                "You already have a draft in this edition: here it is. To write a second "
                "entry, choose Start another entry on My entries."
            ),
        )
        return RedirectResponse(f"/my/entries/{drafts[0].id}/edit", status_code=303)
    application = Application(contact_name=user.name, contact_email=user.email)
    async with app.db.transaction() as conn:
        entry_id = await entries.create(
            conn, edition_id=edition.id, owner_id=user.id, application=application, now=app.clock()
        )
    return RedirectResponse(f"/my/entries/{entry_id}/edit", status_code=303)


# Viewing --------------------------------------------------------------------------


async def show_entry(request: Request) -> Response:
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    schema = await form_of(request, entry.edition_id)
    filled, required = completeness(
        entry.application, today=app.clock().date(), fields=schema.fields(current_locale()))
    return render(
        request,
        "applicant/entry.html",
        {
            "entry": entry,
            "edition": edition,
            "sections": application_sections(entry.application, schema),
            "attachments": await entries.attachments_of(app.db, entry.id),
            "revisions": await entries.revisions(app.db, entry.id),
            "editable": editable(entry, edition, request),
            "closed_because": closed_explanation(entry, edition, request),
            "status": status_told(entry.status, edition.status),
            "deletable": is_deletable(entry),
            "filled": filled,
            "required": required,
        },
    )


async def print_entry(request: Request) -> Response:
    entry = await own_entry(request)
    return await render_print(request, entry, told=True)


async def render_print(request: Request, entry: Entry, *, told: bool = False) -> Response:
    """The print-friendly view, shared with the secretariat's and the jury's pages.

    ``told``: show the status as the applicant has been told it (their own copy)."""
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    return render(
        request,
        "applicant/print.html",
        {
            "entry": entry,
            "edition": edition,
            "status": status_told(entry.status, edition.status) if told else entry.status,
            "sections": application_sections(
                entry.application, await form_of(request, entry.edition_id)),
            "attachments": await entries.attachments_of(app.db, entry.id),
        },
    )


def application_sections(
    application: Application, schema: FormSchema | None = None, *, audience: str = "secretariat"
) -> list[dict]:
    """The application's answers grouped by the sections of its edition's form, in the
    current language, as the reading views show them. For the jury (`audience="jury"`),
    the answers only the secretariat sees are left out."""
    schema = schema or default_form()
    locale = current_locale()
    fields = schema.fields(locale)
    shown = []
    for key, title in schema.section_titles(locale).items():
        here = [
            f for f in fields
            if f.section == key and (audience != "jury" or f.visible_to != "secretariat")
        ]
        shown.append(
            {
                "key": key,
                "title": title,
                "fields": [(f, shown_answer(f, application)) for f in here],
            }
        )
    return shown


# Writing --------------------------------------------------------------------------


async def render_form(
    request: Request,
    entry: Entry,
    edition: Edition,
    values: dict,
    errors: dict,
    *,
    version: int | None = None,
    status_code: int = 200,
    **extra,
) -> Response:
    """The entry form with the given values and messages; the stored entry is never changed."""
    schema = await form_of(request, entry.edition_id)
    locale = current_locale()
    fields = schema.fields(locale)
    sections = schema.section_titles(locale)
    shown, _type_errors = parse_draft(values, fields)
    today = request.app.state.clock().date()
    problems = submission_problems(shown, today=today, fields=fields)
    filled, required = completeness(shown, today=today, fields=fields)
    can_edit = editable(entry, edition, request)
    return render(
        request,
        "applicant/edit.html",
        {
            "entry": entry,
            "edition": edition,
            "values": values,
            "errors": errors,
            "labels": {f.name: f.label for f in fields},
            "sections": sections,
            "section_states": section_states(problems, errors, fields, sections),
            "fields": fields,
            # The section that holds the attachments: consent, or the form's last one.
            "files_section": "consent" if "consent" in sections else list(sections)[-1],
            "filled": filled,
            "required": required,
            "attachments": await entries.attachments_of(request.app.state.db, entry.id),
            "can_edit": can_edit,
            "closed_because": closed_explanation(entry, edition, request),
            "status": status_told(entry.status, edition.status),
            # A submitted entry keeps its submitted text until the new one is complete,
            # so only a draft is saved as the applicant types.
            "autosave": can_edit and entry.status == "draft",
            "version": entry.version if version is None else version,
            "max_attachments": MAX_ATTACHMENTS_PER_ENTRY,
            **extra,
        },
        status_code=status_code,
    )



async def edit_entry(request: Request) -> Response:
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    can_edit = editable(entry, edition, request)
    if request.method == "GET":
        # Answers kept as typed (a mistyped phone number) show again with their error;
        # answers that no longer fit their question (its kind changed) are left out.
        fields = (await form_of(request, entry.edition_id)).fields(current_locale())
        return await render_form(
            request,
            entry,
            edition,
            form_values(fitted(entry.application, fields)),
            format_problems(entry.application, fields),
        )

    form = request.state.form
    schema = await form_of(request, entry.edition_id)
    fields = schema.fields(current_locale())
    values = raw_form_values(form, multi=multi_fields(schema))
    action = str(form.get("action", "save"))
    expected_version = form_version(form)
    by_script = autosave.wants_json(request)
    remove_id = database_id(str(form.get("remove_attachment", "")))
    if remove_id is not None:
        action = "remove"

    async def again(errors: dict, status: int, version: int = entry.version, **extra) -> Response:
        # The person's own text goes back into the form, whatever went wrong.
        if by_script:
            return JSONResponse(
                {"version": version, "error": " ".join(errors.values()), "errors": errors},
                status_code=status,
            )
        return await render_form(
            request,
            entry,
            edition,
            values,
            errors,
            version=version,
            status_code=status,
            **extra,
        )

    if not can_edit:
        return await again({"form": " ".join((
            closed_explanation(entry, edition, request) or "",
            gettext("Your text below was not saved; your last saved version is kept."),
        ))}, 403)
    resubmission = entry.status == "submitted"
    if by_script and (resubmission or action != "save"):
        return await again({"form": gettext("Only a draft is saved automatically.")}, 409)
    application, type_errors = parse_draft(values, fields)
    if type_errors:
        # Keep the stored value of each field that could not be read at all; save the
        # rest, with answers that only fail their format kept as typed.
        stored = entry.application.model_dump()
        merged = application.model_dump()
        by_name = {f.name: f for f in fields}
        for name in type_errors:
            field = by_name.get(name)
            kind = field.kind if field else ""
            place, kept = (
                (merged["answers"], stored["answers"]) if field and field.custom
                else (merged, stored))
            if kind in KEPT_AS_TYPED and place.get(name):
                continue
            if name in kept:
                place[name] = kept[name]
            else:
                place.pop(name, None)
        application = Application.model_validate(merged)
    now = app.clock()

    if action in ("upload", "remove"):
        return await _save_then_change_files(
            request,
            entry,
            edition,
            application,
            values,
            type_errors,
            expected_version,
            remove_id,
            again,
        )

    problems = submission_problems(application, today=now.date(), fields=fields)
    wants_submit = action == "submit" or resubmission
    if type_errors or (wants_submit and problems):
        version = entry.version
        if not resubmission:
            # A draft is saved anyway so that nothing typed is lost; a submitted entry
            # keeps its submitted text until the new one is complete.
            try:
                version = await _save_draft(request, entry, application, expected_version)
            except VersionConflict:
                return await again({"form": _conflict_message()}, 409)
        errors = {**problems, **type_errors} if wants_submit else type_errors
        if by_script:
            return JSONResponse(
                {
                    "version": version,
                    "saved_at": to_iso(now),
                    "note": ngettext(
                        "%(num)d answer needs correcting.",
                        "%(num)d answers need correcting.",
                        len(errors),
                    )
                    % {"num": len(errors)},
                    "errors": errors,
                },
                status_code=422,
            )
        return await again(errors, 422, version)
    if resubmission and not application.changed_fields(entry.application):
        # Submitting the same text again (Back, then Submit) is not a change: no second
        # email, no new history event.
        flash(request, gettext("Nothing has changed: your entry stays as you submitted it."))
        return RedirectResponse(f"/my/entries/{entry.id}", status_code=303)
    try:
        if wants_submit:
            reference = await _submit(request, entry, edition, application, expected_version)
        else:
            version = await _save_draft(request, entry, application, expected_version)
    except VersionConflict:
        current = await entries.get(app.db, entry.id)
        return await again({"form": _conflict_message()}, 409, current.version)
    except lifecycle.TransitionRefused as refused:
        return await again({"form": " ".join(refused.reasons)}, 409)
    if by_script:
        return JSONResponse({"version": version, "saved_at": to_iso(now)})
    if wants_submit:
        flash(
            request,
            gettext("Your entry is submitted. Its reference is {reference}.").format(
                reference=reference
            ),
        )
        return RedirectResponse(f"/my/entries/{entry.id}", status_code=303)
    flash(request, gettext("Your draft is saved."))
    if action == "save_exit":
        return RedirectResponse("/my", status_code=303)
    return RedirectResponse(f"/my/entries/{entry.id}/edit", status_code=303)


async def _save_then_change_files(
    request: Request,
    entry: Entry,
    edition: Edition,
    application: Application,
    values: dict,
    type_errors: dict,
    expected_version: int,
    remove_id: int | None,
    again,
) -> Response:
    """Upload or Remove pressed inside the entry form: the draft is saved first, in the
    same request, so what was typed is never lost; then the file is attached or removed.

    A submitted entry keeps its submitted text: the typed text comes back in the form,
    to be submitted with "Submit the changes"."""
    app = request.app.state
    form = request.state.form
    version = entry.version
    if entry.status == "draft":
        try:
            version = await _save_draft(request, entry, application, expected_version)
        except VersionConflict:
            current = await entries.get(app.db, entry.id)
            return await again(
                {"form": _conflict_message() + " " + gettext("The file was not changed.")},
                409,
                current.version,
            )
    description = str(form.get("description", "")).strip()[:300]
    if remove_id is not None:
        attachment = await entries.attachment(app.db, remove_id)
        if attachment is None or attachment.entry_id != entry.id:
            return await again(
                {**type_errors, "file": gettext("This file is not attached to this entry.")},
                404,
                version,
            )
        async with app.db.transaction() as conn:
            await entries.delete_attachment(conn, attachment.id)
        (app.settings.upload_dir / attachment.stored_name).unlink(missing_ok=True)
        done = gettext("The file is removed.")
    else:
        refused = await _attach(request, entry, form.get("file"), description)
        if refused is not None:
            message, status = refused
            return await again(
                {**type_errors, "file": message}, status, version, upload_description=description
            )
        done = gettext("The file is attached.")
    if entry.status == "draft" and not type_errors:
        flash(request, gettext("Your draft is saved.") + " " + done)
        return RedirectResponse(f"/my/entries/{entry.id}/edit#attachments", status_code=303)
    # Text that could not be saved as it is, or changes to a submitted entry: show the
    # form again with what was typed.
    if entry.status != "draft":
        done += " " + gettext("Your changes are not submitted yet: press Submit the changes.")
    return await render_form(
        request,
        entry,
        edition,
        values,
        type_errors,
        version=version,
        notice=done,
        status_code=422 if type_errors else 200,
    )


def _conflict_message() -> str:
    return gettext(
        "Not saved: this entry was changed in another tab or on another device after you "
        "opened it. Your text is still below. To keep it, click the same button again. "
        "To compare first, open the entry in a new tab."
    )


async def _save_draft(
    request: Request, entry: Entry, application: Application, expected_version: int
) -> int:
    """Store the text as it is (complete or not) without submitting it; the new version."""
    app = request.app.state
    async with app.db.transaction() as conn:
        return await _save_text(
            request, conn, entry, application, expected_version, "saved", app.clock()
        )


async def _save_text(
    request: Request,
    conn,
    entry: Entry,
    application: Application,
    expected_version: int,
    action: str,
    now: datetime,
) -> int:
    """The applicant's new text of the entry, with the fields it changed, in `conn`."""
    return await entries.save_application(
        conn,
        entry.id,
        application,
        expected_version=expected_version,
        actor_id=request.state.user.id,
        action=action,
        changed=application.changed_fields(entry.application),
        now=now,
    )


def _check_transition(name: str, entry: Entry, edition: Edition, now: datetime) -> None:
    """Raises lifecycle.TransitionRefused when the entry may not take `name` now."""
    lifecycle.entry_transition(
        name, entry.status, edition_status=edition.status, now=now, closes_at=edition.closes_at
    )


async def _submit(
    request: Request,
    entry: Entry,
    edition: Edition,
    application: Application,
    expected_version: int,
) -> str:
    app = request.app.state
    now = app.clock()
    _check_transition("submit", entry, edition, now)
    action = "resubmitted" if entry.status == "submitted" else "submitted"
    async with app.db.transaction() as conn:
        await _save_text(request, conn, entry, application, expected_version, action, now)
        reference = await entries.assign_reference(conn, entry.id, edition.year)
        await entries.set_status(conn, entry.id, "submitted", now=now, submitted=True)
        # What the applicant declared and agreed to, recorded with the submission.
        await notices.record_submission(conn, user_id=request.state.user.id, entry_id=entry.id,
                                        publication=application.consent_publication, now=now,
                                        form=await form_of(request, entry.edition_id))
        await audit.record(
            conn,
            now=now,
            actor_id=request.state.user.id,
            action=f"entry.{action}",
            subject_type="entry",
            subject_id=entry.id,
            edition_id=edition.id,
            details={"reference": reference},
        )
        user = request.state.user
        with use_locale(user.locale):
            # The copy of the entry in the recipient's language, with its edition's form.
            sections = application_sections(
                application, await form_of(request, entry.edition_id))
        await app.mailer.enqueue(
            conn,
            app.mailer.compose(
                "entry_submitted",
                user.email,
                {
                    "name": user.display_name,
                    "reference": reference,
                    "title": application.title,
                    "edition": edition,
                    "resubmitted": action == "resubmitted",
                    "sections": sections,
                    "attachments": await entries.attachments_of(app.db, entry.id),
                    "link": app.settings.url(f"/my/entries/{entry.id}"),
                },
                locale=user.locale,
                related_user_id=user.id,
            ),
        )
    await app.mailer.flush()
    return reference


async def withdraw_entry(request: Request) -> Response:
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    if request.state.form.get("confirm") != "yes":
        flash(request, gettext("Tick the box to confirm that you want to withdraw."), "error")
        return RedirectResponse(f"/my/entries/{entry.id}", status_code=303)
    now = app.clock()
    try:
        _check_transition("withdraw", entry, edition, now)
    except lifecycle.TransitionRefused as refused:
        raise HTTPException(409, " ".join(refused.reasons)) from None
    async with app.db.transaction() as conn:
        await entries.set_status(conn, entry.id, "withdrawn", now=now)
        await entries.add_revision(
            conn,
            entry.id,
            actor_id=request.state.user.id,
            action="withdrawn",
            changed=[],
            application=entry.application,
            now=now,
        )
        await audit.record(
            conn,
            now=now,
            actor_id=request.state.user.id,
            action="entry.withdrawn",
            subject_type="entry",
            subject_id=entry.id,
            edition_id=edition.id,
        )
    flash(request, gettext("Your entry is withdrawn."))
    return RedirectResponse(f"/my/entries/{entry.id}", status_code=303)


async def delete_entry(request: Request) -> Response:
    """Delete a draft that was never submitted, after the applicant confirms it."""
    entry = await own_entry(request)
    app = request.app.state
    if not is_deletable(entry):
        raise HTTPException(409, gettext("Only a draft that was never submitted can be deleted."))
    if request.state.form.get("confirm") != "yes":
        flash(
            request, gettext("Tick the box to confirm that you want to delete this draft."), "error"
        )
        return RedirectResponse(f"/my/entries/{entry.id}#delete", status_code=303)
    async with app.db.transaction() as conn:
        stored = await entries.delete_draft(conn, entry.id)
        if stored is not None:
            # The entry is gone; the record says that it existed and who removed it, with
            # no word of its text.
            await audit.record(
                conn,
                now=app.clock(),
                actor_id=request.state.user.id,
                action="entry.draft_deleted",
                subject_type="entry",
                subject_id=entry.id,
                edition_id=entry.edition_id,
                details={"attachments": len(stored)},
            )
    if stored is None:
        raise HTTPException(409, gettext("Only a draft that was never submitted can be deleted."))
    for stored_name in stored:
        (app.settings.upload_dir / stored_name).unlink(missing_ok=True)
    flash(request, gettext("The draft is deleted."))
    return RedirectResponse("/my", status_code=303)


def is_deletable(entry: Entry) -> bool:
    return entry.status == "draft" and entry.submitted_at is None and not entry.reference


# Attachments ------------------------------------------------------------------------


async def upload_attachment(request: Request) -> Response:
    """The separate upload address, kept for old pages and scripts: it attaches the file
    only; the entry form's own Upload button saves the draft too."""
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    form = request.state.form
    description = str(form.get("description", "")).strip()[:300]
    if not editable(entry, edition, request):
        refused: tuple[str, int] | None = (
            closed_explanation(entry, edition, request) or "", 403)
    else:
        refused = await _attach(request, entry, form.get("file"), description)
    if refused is not None:
        message, status = refused
        fields = (await form_of(request, entry.edition_id)).fields(current_locale())
        return await render_form(
            request,
            entry,
            edition,
            form_values(fitted(entry.application, fields)),
            {"file": message},
            status_code=status,
            upload_description=description,
        )
    flash(request, gettext("The file is attached."))
    return RedirectResponse(f"/my/entries/{entry.id}/edit#attachments", status_code=303)


async def _attach(
    request: Request, entry: Entry, upload, description: str
) -> tuple[str, int] | None:
    """Check and store one uploaded file; None when attached, else (message, status)."""
    app = request.app.state
    if not isinstance(upload, UploadFile) or not upload.filename:
        return gettext("Choose a file to upload."), 422
    head = await upload.read(8192)
    content_type = sniff(head)
    if content_type is None:
        return _format_refused_message(), 415
    await upload.seek(0)
    stored_name = secrets.token_hex(16) + ALLOWED[content_type]
    target = app.settings.upload_dir / stored_name
    size, digest, markup = await _copy_limited(upload, target)
    if size > MAX_ATTACHMENT_BYTES:
        target.unlink(missing_ok=True)
        return gettext("This file is larger than 10 MB."), 413
    if markup:
        target.unlink(missing_ok=True)
        return _format_refused_message(), 415
    try:
        async with app.db.transaction() as conn:
            if await entries.count_attachments(conn, entry.id) >= MAX_ATTACHMENTS_PER_ENTRY:
                raise _TooMany
            await entries.add_attachment(
                conn,
                entry_id=entry.id,
                stored_name=stored_name,
                filename=safe_filename(upload.filename, content_type),
                content_type=content_type,
                size=size,
                sha256=digest,
                description=description,
                now=app.clock(),
            )
    except _TooMany:
        target.unlink(missing_ok=True)
        return gettext("An entry may have 5 attachments at most."), 422
    return None


class _TooMany(Exception):
    pass


def _format_refused_message() -> str:
    return gettext("This file is not a PDF, PNG or JPEG. Only those formats are accepted.")


async def _copy_limited(upload: UploadFile, target: Path) -> tuple[int, str, bool]:
    """Copy at most one byte past the limit, so an oversize file costs little; say too
    whether markup hides anywhere in it (a polyglot), not only in its first bytes."""
    digest = hashlib.sha256()
    size = 0
    markup = False
    tail = b""  # the end of the previous chunk, so markup cut in two is still found
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_ATTACHMENT_BYTES:
                break
            markup = markup or carries_markup(tail + chunk)
            tail = chunk[-64:]
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest(), markup


async def delete_attachment(request: Request) -> Response:
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    attachment = await entries.attachment(app.db, request.path_params["attachment_id"])
    if attachment is None or attachment.entry_id != entry.id:
        raise HTTPException(404)
    if not editable(entry, edition, request):
        raise HTTPException(403, closed_explanation(entry, edition, request))
    async with app.db.transaction() as conn:
        await entries.delete_attachment(conn, attachment.id)
    (app.settings.upload_dir / attachment.stored_name).unlink(missing_ok=True)
    flash(request, gettext("The file is removed."))
    return RedirectResponse(f"/my/entries/{entry.id}/edit#attachments", status_code=303)


async def download_attachment(request: Request) -> Response:
    """Served only to the owner, the secretariat, and jurors and advisors who may read the
    entry (:func:`prize.store.access.may_read_entry`)."""
    app = request.app.state
    user = request.state.user
    attachment = await entries.attachment(app.db, request.path_params["attachment_id"])
    if attachment is None:
        raise HTTPException(404)
    entry = await entries.get(app.db, attachment.entry_id)
    allowed = (
        user.role in Role.STAFF
        or entry.owner_id == user.id
        or (user.role in Role.JURY_READERS
            and await access.may_read_entry(app.db, user.id, user.role, entry.id))
    )
    if not allowed:
        raise HTTPException(404)
    path = app.settings.upload_dir / attachment.stored_name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(
        path,
        media_type=attachment.content_type,
        filename=attachment.filename,
        content_disposition_type="inline"
        if attachment.content_type != "application/pdf"
        else "attachment",
        headers={
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
        },
    )


routes = [
    page("/my", dashboard, roles=Role.APPLICANTS),
    page("/my/entries", start_entry, methods=["POST"], roles=Role.APPLICANTS),
    page("/my/entries/{entry_id:id}", show_entry, roles=Role.APPLICANTS),
    page(
        "/my/entries/{entry_id:id}/edit", edit_entry, methods=["GET", "POST"], roles=Role.APPLICANTS
    ),
    page("/my/entries/{entry_id:id}/print", print_entry, roles=Role.APPLICANTS),
    page(
        "/my/entries/{entry_id:id}/withdraw",
        withdraw_entry,
        methods=["POST"],
        roles=Role.APPLICANTS,
    ),
    page("/my/entries/{entry_id:id}/delete", delete_entry, methods=["POST"], roles=Role.APPLICANTS),
    page(
        "/my/entries/{entry_id:id}/attachments",
        upload_attachment,
        methods=["POST"],
        roles=Role.APPLICANTS,
    ),
    page(
        "/my/entries/{entry_id:id}/attachments/{attachment_id:id}/delete",
        delete_attachment,
        methods=["POST"],
        roles=Role.APPLICANTS,
    ),
    # Who may open a file is decided per file by `download_attachment`; advisors may not.
    page(
        "/files/{attachment_id:id}",
        download_attachment,
        roles=(*Role.APPLICANTS, *Role.STAFF, *Role.JURY_READERS),
    ),
]

__all__ = ["routes", "render_print", "application_sections"]
