"""The applicant's side: dashboard, writing an entry over several sittings, submitting it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from prize.domain import lifecycle
from prize.domain.editions import Edition
from prize.domain.entries import (
    FIELDS,
    SECTIONS,
    Application,
    completeness,
    form_values,
    parse_draft,
    submission_problems,
)
from prize.domain.statuses import EntryStatus, Role
from prize.domain.uploads import (
    ALLOWED,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_ENTRY,
    carries_markup,
    safe_filename,
    sniff,
)
from prize.i18n import gettext
from prize.store import access, audit, editions, entries
from prize.store.entries import Entry, VersionConflict
from prize.web.forms import form_version
from prize.web.params import database_id
from prize.web.routing import form_values as raw_form_values
from prize.web.routing import page
from prize.web.templating import flash, render

MULTI_FIELDS = tuple(f.name for f in FIELDS if f.kind in ("multi", "countries"))


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


# Dashboard ------------------------------------------------------------------------


async def dashboard(request: Request) -> Response:
    app = request.app.state
    mine = await entries.of_owner(app.db, request.state.user.id)
    open_editions = await editions.open_for_entries(app.db, app.clock())
    editions_of_mine = await editions.by_ids(app.db, (entry.edition_id for entry in mine))
    rows = []
    for entry in mine:
        edition = editions_of_mine[entry.edition_id]
        filled, required = completeness(entry.application)
        rows.append(
            {
                "entry": entry,
                "edition": edition,
                "filled": filled,
                "required": required,
                "editable": editable(entry, edition, request),
            }
        )
    return render(
        request, "applicant/dashboard.html", {"rows": rows, "open_editions": open_editions}
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
    filled, required = completeness(entry.application)
    return render(
        request,
        "applicant/entry.html",
        {
            "entry": entry,
            "edition": edition,
            "sections": application_sections(entry.application),
            "attachments": await entries.attachments_of(app.db, entry.id),
            "revisions": await entries.revisions(app.db, entry.id),
            "editable": editable(entry, edition, request),
            "filled": filled,
            "required": required,
        },
    )


async def print_entry(request: Request) -> Response:
    entry = await own_entry(request)
    return await render_print(request, entry)


async def render_print(request: Request, entry: Entry) -> Response:
    """The print-friendly view, shared with the secretariat's and the jury's pages."""
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    return render(
        request,
        "applicant/print.html",
        {
            "entry": entry,
            "edition": edition,
            "sections": application_sections(entry.application),
            "attachments": await entries.attachments_of(app.db, entry.id),
        },
    )


def application_sections(application: Application) -> list[dict]:
    """The application's fields grouped by section, as the reading views show them."""
    shown = []
    for key, title in SECTIONS.items():
        fields = [f for f in FIELDS if f.section == key]
        shown.append(
            {
                "key": key,
                "title": gettext(title),
                "fields": [(f, getattr(application, f.name)) for f in fields],
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
    return render(
        request,
        "applicant/edit.html",
        {
            "entry": entry,
            "edition": edition,
            "values": values,
            "errors": errors,
            "labels": {f.name: gettext(f.label) for f in FIELDS},
            "sections": SECTIONS,
            "fields": FIELDS,
            "attachments": await entries.attachments_of(request.app.state.db, entry.id),
            "can_edit": editable(entry, edition, request),
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
        return await render_form(request, entry, edition, form_values(entry.application), {})

    form = request.state.form
    values = raw_form_values(form, multi=MULTI_FIELDS)
    action = str(form.get("action", "save"))
    expected_version = form_version(form)

    async def again(errors: dict, status: int, version: int = entry.version) -> Response:
        # The person's own text goes back into the form, whatever went wrong.
        return await render_form(
            request, entry, edition, values, errors, version=version, status_code=status
        )

    if not can_edit:
        return await again({"form": _closed_message(entry)}, 403)
    application, type_errors = parse_draft(values)
    if type_errors:
        # Keep the stored value of each field that could not be read; save the rest.
        stored = entry.application.model_dump()
        merged = application.model_dump()
        for name in type_errors:
            merged[name] = stored.get(name)
        application = Application.model_validate(merged)
    now = app.clock()
    problems = submission_problems(application, today=now.date())
    resubmission = entry.status == "submitted"
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
        return await again(errors, 422, version)
    try:
        if wants_submit:
            reference = await _submit(request, entry, edition, application, expected_version)
        else:
            await _save_draft(request, entry, application, expected_version)
    except VersionConflict:
        return await again({"form": _conflict_message()}, 409)
    except lifecycle.TransitionRefused as refused:
        return await again({"form": " ".join(refused.reasons)}, 409)
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


def _closed_message(entry: Entry) -> str:
    if entry.status not in EntryStatus.EDITABLE:
        return gettext("This entry can no longer be changed.")
    return gettext(
        "The deadline has passed, so this entry can no longer be changed. "
        "Your text below was not saved; your last saved version is kept."
    )


def _conflict_message() -> str:
    return gettext(
        "This entry was changed in another window or on another device since you opened it. "
        "Your text below was not saved. Open the entry in a new tab to compare; "
        "press Save again to keep the text below instead."
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
        await app.mailer.enqueue(
            conn,
            app.mailer.compose(
                "entry_submitted",
                user.email,
                {
                    "name": user.display_name,
                    "reference": reference,
                    "edition": edition,
                    "resubmitted": action == "resubmitted",
                    "sections": application_sections(application),
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


# Attachments ------------------------------------------------------------------------


async def upload_attachment(request: Request) -> Response:
    entry = await own_entry(request)
    app = request.app.state
    edition = await editions.get(app.db, entry.edition_id)
    form = request.state.form
    upload = form.get("file")
    description = str(form.get("description", "")).strip()[:300]

    async def refuse(message: str, status: int) -> Response:
        return await render_form(
            request,
            entry,
            edition,
            form_values(entry.application),
            {"file": message},
            status_code=status,
            upload_description=description,
        )

    if not editable(entry, edition, request):
        return await refuse(_closed_message(entry), 403)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await refuse(gettext("Choose a file to upload."), 422)
    head = await upload.read(8192)
    content_type = sniff(head)
    if content_type is None:
        return await refuse(_format_refused_message(), 415)
    await upload.seek(0)
    stored_name = secrets.token_hex(16) + ALLOWED[content_type]
    target = app.settings.upload_dir / stored_name
    size, digest, markup = await _copy_limited(upload, target)
    if size > MAX_ATTACHMENT_BYTES:
        target.unlink(missing_ok=True)
        return await refuse(gettext("This file is larger than 10 MB."), 413)
    if markup:
        target.unlink(missing_ok=True)
        return await refuse(_format_refused_message(), 415)
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
        return await refuse(gettext("An entry may have 5 attachments at most."), 422)
    flash(request, gettext("The file is attached."))
    return RedirectResponse(f"/my/entries/{entry.id}/edit#attachments", status_code=303)


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
        raise HTTPException(403, _closed_message(entry))
    async with app.db.transaction() as conn:
        await entries.delete_attachment(conn, attachment.id)
    (app.settings.upload_dir / attachment.stored_name).unlink(missing_ok=True)
    flash(request, gettext("The file is removed."))
    return RedirectResponse(f"/my/entries/{entry.id}/edit#attachments", status_code=303)


async def download_attachment(request: Request) -> Response:
    """Served only to the owner, the secretariat and assigned jurors without a conflict."""
    app = request.app.state
    user = request.state.user
    attachment = await entries.attachment(app.db, request.path_params["attachment_id"])
    if attachment is None:
        raise HTTPException(404)
    entry = await entries.get(app.db, attachment.entry_id)
    allowed = (
        user.role in Role.STAFF
        or entry.owner_id == user.id
        or (user.role in Role.JURY and await access.juror_may_read(app.db, user.id, entry.id))
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
    page("/my/entries/{entry_id:id}/edit", edit_entry, methods=["GET", "POST"],
         roles=Role.APPLICANTS),
    page("/my/entries/{entry_id:id}/print", print_entry, roles=Role.APPLICANTS),
    page("/my/entries/{entry_id:id}/withdraw", withdraw_entry, methods=["POST"],
         roles=Role.APPLICANTS),
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
    page("/files/{attachment_id:id}", download_attachment,
         roles=(*Role.APPLICANTS, *Role.STAFF, *Role.JURY)),
]

__all__ = ["routes", "render_print", "application_sections"]
