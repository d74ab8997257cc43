"""The publication workflow: from an awarded entry to a public good-practice page.

The secretariat prepares the public record from the entry (public fields only), sends
it to the applicant, who approves it or asks for changes; the secretariat publishes
and can unpublish. Every step is one transaction with its audit record.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize import photos
from prize.domain import practices as workflow
from prize.domain.editions import substance_label
from prize.domain.form_schema import public_answers
from prize.domain.practices import Figures, PublicPhotoChoice, PublicText, TransitionRefused
from prize.domain.statuses import PracticeStatus, Role
from prize.i18n import gettext
from prize.store import audit, entries, forms, translations, users
from prize.store import editions as editions_store
from prize.store import practices as store
from prize.web.params import database_id
from prize.web.routing import form_values, page
from prize.web.templating import flash, render

LIST_FIELDS = ("settings", "levels", "target_groups", "image_attachment_ids")


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


async def _practice_or_404(request: Request) -> store.Practice:
    practice = await store.get(request.app.state.db, request.path_params["practice_id"])
    if practice is None:
        raise HTTPException(404)
    return practice


async def _public_images(request: Request, entry_id: int | None) -> list[entries.Attachment]:
    """The entry's images the applicant allowed on a public page (PNG or JPEG only)."""
    if entry_id is None:
        return []
    return [
        attachment for attachment in await entries.attachments_of(request.app.state.db, entry_id)
        if attachment.public_allowed and attachment.content_type in ("image/png", "image/jpeg")
    ]


# The secretariat ---------------------------------------------------------------------


async def admin_list(request: Request) -> Response:
    db = request.app.state.db
    return render(request, "publication/admin_list.html", {
        "candidates": await store.candidate_entries(db),
        "practices": await store.all_practices(db),
    })


async def prepare(request: Request) -> Response:
    """Create the public record of an awarded entry, pre-filled from its public fields."""
    app = request.app.state
    entry_id = database_id(request.state.form.get("entry_id", ""))
    if entry_id is None:
        raise HTTPException(400)
    entry = await entries.get(app.db, entry_id)
    if entry is None:
        raise HTTPException(404)
    application = entry.application
    if not workflow.may_publish_entry(entry.status, application.consent_publication):
        flash(request, gettext(
            "Only winners, special mentions and shortlisted entries whose applicant "
            "consented to publication can become public."), "error")
        return _redirect("/admin/practices")
    images = await _public_images(request, entry.id)
    text = PublicText(
        title=entry.title or application.title or entry.reference or "Untitled",
        organisation=application.org_name or entry.organisation or "—",
        city=application.city,
        summary=application.summary or "—",
        key_facts=workflow.key_facts_from(
            start_year=application.start_date.year if application.start_date else None,
            running=application.running, young_people=application.young_people,
            adults=application.adults, people_reached=application.people_reached,
        ),
        # The answers to the edition's own questions marked public follow the activities.
        activities="\n\n".join([application.activities] + [
            f"{question}\n{answer}" for question, answer in public_answers(
                application, await forms.of_edition(app.db, entry.edition_id), entry.language)
        ]).strip(),
        youth_participation=application.youth_participation,
        evaluation=application.evaluation,
        jury_statement=entry.jury_statement,
        website=application.website,
        settings=application.settings,
        levels=application.levels,
        target_groups=application.target_groups,
        image_attachment_ids=[image.id for image in images],
    )
    now = app.clock()
    async with app.db.transaction() as conn:
        existing_id = await store.id_of_entry(conn, entry.id)
        if existing_id is not None:
            return _redirect(f"/admin/practices/{existing_id}")
        practice_id = await store.create(
            conn, entry_id=entry.id, edition_id=entry.edition_id, year=entry.edition_year,
            award=entry.status, text=text, country=application.country or entry.country,
            countries=application.all_countries() or [entry.country],
            substances=application.substances, language=entry.language, now=now,
        )
        await store.set_figures(conn, practice_id, Figures(
            young_people=application.young_people, adults=application.adults,
            people_reached=application.people_reached,
            running_since=application.start_date.year
            if application.start_date and application.running == "yes" else None,
        ))
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="practice.prepared", subject_type="practice",
                           subject_id=practice_id, edition_id=entry.edition_id,
                           details={"entry_id": entry.id})
    flash(request, gettext("The public page is prepared: check and edit it."))
    return _redirect(f"/admin/practices/{practice_id}")


def _edit_context(practice: store.Practice, values: dict, errors: dict,
                  images: list[entries.Attachment]) -> dict:
    return {"practice": practice, "values": values, "errors": errors, "images": images,
            "editable": practice.status in PracticeStatus.EDITABLE}


async def _substance_labels(request: Request, practice: store.Practice) -> dict[str, str]:
    """The practice's substances and behaviours by name, an edition's own words included."""
    words = await editions_store.substances_vocabulary(request.app.state.db)
    return {key: substance_label(key, words) for key in practice.substances}


FIGURE_FIELDS = tuple(Figures.model_fields)


def _values_of(practice: store.Practice) -> dict:
    values = practice.model_dump()
    values["links"] = "\n".join(practice.links)
    values["image_attachment_ids"] = [str(i) for i in practice.image_attachment_ids]
    for name in FIGURE_FIELDS:
        values[name] = "" if values.get(name) is None else str(values[name])
    return values


def _problems(error: ValidationError) -> dict[str, str]:
    return {str(problem["loc"][0]): problem["msg"].removeprefix("Value error, ")
            for problem in error.errors()}


async def _save_text(request: Request, practice: store.Practice,
                     images: list[entries.Attachment]) -> Response | None:
    """Save the edit form's text and figures; the form again (422) if something is wrong.

    None when saved. Saving an approved or unpublished text makes it a draft again: the
    applicant has not seen the new words.
    """
    values = form_values(request.state.form, multi=LIST_FIELDS)
    allowed_images = {image.id for image in images}
    errors: dict[str, str] = {}
    try:
        text = PublicText.model_validate({
            **values,
            "links": (values.get("links") or "").splitlines(),
            "image_attachment_ids": [
                number for i in values.get("image_attachment_ids", [])
                if (number := database_id(i)) in allowed_images
            ],
        })
    except ValidationError as error:
        errors.update(_problems(error))
    try:
        figures = Figures.model_validate({
            name: (values.get(name) or "").strip() or None for name in FIGURE_FIELDS})
    except ValidationError as error:
        errors.update({name: gettext("Enter a whole number in the range shown, or nothing.")
                       for name in _problems(error)})
    if errors:
        return render(request, "publication/admin_edit.html", {
            **_edit_context(practice, values, errors, images),
            "substance_labels": await _substance_labels(request, practice)}, status_code=422)
    app = request.app.state
    now = app.clock()
    async with app.db.transaction() as conn:
        await store.update_text(conn, practice.id, text, status=PracticeStatus.DRAFT, now=now)
        await store.set_figures(conn, practice.id, figures)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="practice.edited", subject_type="practice",
                           subject_id=practice.id, edition_id=practice.edition_id,
                           details={"status": PracticeStatus.DRAFT})
    return None


async def admin_edit(request: Request) -> Response:
    practice = await _practice_or_404(request)
    images = await _public_images(request, practice.entry_id)
    if request.method == "GET":
        return render(request, "publication/admin_edit.html", {
            **_edit_context(practice, _values_of(practice), {}, images),
            "substance_labels": await _substance_labels(request, practice)})
    if practice.status not in PracticeStatus.EDITABLE:
        flash(request, gettext("This text is with the applicant or published: it cannot be "
                               "edited now."), "error")
        return _redirect(f"/admin/practices/{practice.id}")
    refused = await _save_text(request, practice, images)
    if refused is not None:
        return refused
    flash(request, gettext("The public page is saved."))
    return _redirect(f"/admin/practices/{practice.id}")


async def _transition(request: Request, practice: store.Practice, action: str, *,
                      note: str | None = None,
                      on_success: Callable[[Any], Awaitable[None]] | None = None) -> str | None:
    """Apply one workflow step in a transaction with its audit record; None if refused."""
    app = request.app.state
    now = app.clock()
    async with app.db.transaction() as conn:
        current = await store.status_of(conn, practice.id)
        try:
            status = workflow.next_status(current or "", action)
        except TransitionRefused as refused:
            flash(request, str(refused), "error")
            return None
        await store.set_status(conn, practice.id, status, now=now, applicant_note=note)
        details = {"from": current, "to": status}
        if note:
            details["note"] = note
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action=f"practice.{action}", subject_type="practice",
                           subject_id=practice.id, edition_id=practice.edition_id,
                           details=details)
        if action in ("send", "resend"):
            await _tell_applicant(request, conn, practice)
        if on_success is not None:
            await on_success(conn)
    if action in ("send", "resend"):
        await app.mailer.flush()
    return status


async def _tell_applicant(request: Request, conn, practice: store.Practice) -> None:
    app = request.app.state
    owner_id = await store.owner_of(app.db, practice.id)
    owner = await users.get(app.db, owner_id) if owner_id else None
    if owner is None:
        return
    # The edition too: its secretariat's text of this email, and its title and dates.
    edition = await editions_store.get(app.db, practice.edition_id)
    await app.mailer.enqueue(conn, app.mailer.compose(
        "practice_review", owner.email,
        {"name": owner.display_name, "title": practice.title, "edition": edition,
         "link": app.settings.url(f"/my/practices/{practice.id}")},
        locale=owner.locale, related_user_id=owner.id,
    ))


async def admin_send(request: Request) -> Response:
    """Send the text to the applicant. From the edit form, the text on the screen is saved
    first (a refusal shows the form again with nothing sent and nothing lost)."""
    practice = await _practice_or_404(request)
    if practice.entry_id is None:
        flash(request, gettext("This record has no applicant to send it to."), "error")
        return _redirect(f"/admin/practices/{practice.id}")
    if "title" in request.state.form and practice.status in PracticeStatus.EDITABLE:
        refused = await _save_text(request, practice, await _public_images(
            request, practice.entry_id))
        if refused is not None:
            return refused
        practice = await _practice_or_404(request)  # the email names the saved title
    if await _transition(request, practice, "send"):
        flash(request, gettext("The text is saved and sent to the applicant for approval."))
    return _redirect(f"/admin/practices/{practice.id}")


async def admin_recall(request: Request) -> Response:
    """Take the text back from the applicant to edit it again (it becomes a draft)."""
    practice = await _practice_or_404(request)
    if await _transition(request, practice, "recall"):
        flash(request, gettext("The text is back with the secretariat: the applicant can no "
                               "longer approve it. Edit it and send it again."))
    return _redirect(f"/admin/practices/{practice.id}")


async def admin_resend(request: Request) -> Response:
    """Email the applicant the request again (the text stays with them)."""
    practice = await _practice_or_404(request)
    if await _transition(request, practice, "resend"):
        flash(request, gettext("The request is sent to the applicant again."))
    return _redirect(f"/admin/practices/{practice.id}")


async def admin_publish(request: Request) -> Response:
    practice = await _practice_or_404(request)
    if await _transition(request, practice, "publish"):
        flash(request, gettext("The good practice is published."))
    return _redirect(f"/admin/practices/{practice.id}")


async def admin_unpublish(request: Request) -> Response:
    practice = await _practice_or_404(request)
    if await _transition(request, practice, "unpublish"):
        flash(request, gettext("The good practice is no longer public."))
    return _redirect(f"/admin/practices/{practice.id}")


# The applicant -----------------------------------------------------------------------


async def _own_practice(request: Request) -> store.Practice:
    """The practice of one of the signed-in applicant's entries, else 404."""
    practice = await _practice_or_404(request)
    owner_id = await store.owner_of(request.app.state.db, practice.id)
    if owner_id is None or owner_id != request.state.user.id:
        raise HTTPException(404)
    return practice


MAX_NOTE_CHARS = 2000


async def applicant_review(request: Request) -> Response:
    practice = await _own_practice(request)
    chosen = practice.image_attachment_ids[0] if practice.image_attachment_ids else None
    return await _review_page(request, practice, {
        "photo": str(chosen) if chosen else "", "image_alt": practice.image_alt}, {})


async def _entry_images(request: Request, practice: store.Practice) -> list[entries.Attachment]:
    """The entry's PNG and JPEG attachments: what the applicant may choose from."""
    if practice.entry_id is None:
        return []
    return [attachment for attachment in
            await entries.attachments_of(request.app.state.db, practice.entry_id)
            if attachment.content_type in ("image/png", "image/jpeg")]


async def _review_page(request: Request, practice, values: dict, errors: dict,
                       status_code: int = 200) -> Response:
    return render(request, "publication/applicant_review.html", {
        "practice": practice,
        # The public text in the other language, for the applicant to approve.
        "translation": await translations.practice_translation(request.app.state.db,
                                                               practice.id),
        "choices": await _entry_images(request, practice),
        "photo": (f"/files/{practice.image_attachment_ids[0]}"
                  if practice.image_attachment_ids and practice.image_name else None),
        "values": values, "errors": errors,
        "substance_labels": await _substance_labels(request, practice),
    }, status_code=status_code)


async def applicant_approve(request: Request) -> Response:
    """Approve the text, with the photo chosen for the public page (or none).

    The photo is re-encoded (no metadata) before the step; if the step is refused (the
    secretariat took the text back meanwhile) the new files are removed again.
    """
    practice = await _own_practice(request)
    app = request.app.state
    form = request.state.form
    raw_choice = str(form.get("photo") or "").strip()
    alt = str(form.get("image_alt") or "")
    images = await _entry_images(request, practice)
    by_id = {image.id: image for image in images}
    chosen_id = database_id(raw_choice) if raw_choice else None
    if raw_choice and chosen_id is None:
        chosen_id = -1  # not a number: not one of the entry's images
    choice, errors = PublicPhotoChoice.check(chosen_id, alt, set(by_id))
    values = {"photo": raw_choice, "image_alt": alt}
    if choice is None:
        return await _review_page(request, practice, values, errors, 422)
    photo = None
    if choice.attachment_id is not None:
        source = app.settings.upload_dir / by_id[choice.attachment_id].stored_name
        try:
            photo = await photos.public_photo(source, app.settings.upload_dir, choice.alt)
        except photos.UnreadableImage:
            return await _review_page(request, practice, values, {"photo": gettext(
                "This image cannot be read: choose another one, or no image.")}, 422)

    async def keep_photo(conn) -> None:
        await store.set_public_photo(conn, practice.id, photo, choice.attachment_id,
                                     now=app.clock())
        if choice.attachment_id is not None:
            await entries.set_attachment_public(conn, choice.attachment_id, True)

    if await _transition(request, practice, "approve", on_success=keep_photo):
        photos.remove(app.settings.upload_dir, practice.image_name, practice.image_card_name)
        flash(request, gettext("Thank you: you approved the public page."))
    elif photo is not None:
        photos.remove(app.settings.upload_dir, photo.name, photo.card_name)
    return _redirect(f"/my/practices/{practice.id}")


async def applicant_request_changes(request: Request) -> Response:
    practice = await _own_practice(request)
    note = str(request.state.form.get("note") or "").strip()
    problem = (
        gettext("Say what should change.") if not note
        else gettext("At most {n} characters.").format(n=MAX_NOTE_CHARS)
        if len(note) > MAX_NOTE_CHARS else None
    )
    if problem:
        # The note is shown again in place, so nothing typed is lost.
        return await _review_page(request, practice, {"note": note}, {"note": problem}, 422)
    if await _transition(request, practice, "request_changes", note=note):
        flash(request, gettext("Your request is sent to the secretariat."))
    return _redirect(f"/my/practices/{practice.id}")


routes = [
    page("/admin/practices", admin_list, roles=Role.STAFF),
    page("/admin/practices/prepare", prepare, methods=["POST"], roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}", admin_edit, methods=["GET", "POST"],
         roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/send", admin_send, methods=["POST"], roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/recall", admin_recall, methods=["POST"],
         roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/resend", admin_resend, methods=["POST"],
         roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/publish", admin_publish, methods=["POST"],
         roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/unpublish", admin_unpublish, methods=["POST"],
         roles=Role.STAFF),
    page("/my/practices/{practice_id:id}", applicant_review, roles=Role.APPLICANTS),
    page("/my/practices/{practice_id:id}/approve", applicant_approve, methods=["POST"],
         roles=Role.APPLICANTS),
    page("/my/practices/{practice_id:id}/changes", applicant_request_changes, methods=["POST"],
         roles=Role.APPLICANTS),
]
