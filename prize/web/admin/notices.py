"""The texts people accept: the privacy notice, which the secretariat edits by publishing
a new version (English and French, with a note of what changed, after a confirmation
page), and every version of every text, kept and readable."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain.notices import EDITABLE, MAX_BODY_CHARS, Document, NoticeDraft, blocks
from prize.i18n import gettext
from prize.store import audit, consent
from prize.web.forms import validate
from prize.web.routing import form_values
from prize.web.templating import flash, render


def _document(request: Request, *, editable: bool = False) -> Document:
    try:
        document = Document(request.path_params["document"])
    except ValueError:
        raise HTTPException(404) from None
    if editable and document not in EDITABLE:
        raise HTTPException(404)
    return document


async def notice_list(request: Request) -> Response:
    db = request.app.state.db
    documents = [{"document": document, "editable": document in EDITABLE,
                  "versions": await consent.versions(db, document),
                  "accepted": await consent.acceptance_counts(db, document)}
                 for document in Document]
    return render(request, "admin/notices.html", {"documents": documents})


async def show_version(request: Request) -> Response:
    document = _document(request)
    notice = await consent.version(request.app.state.db, document,
                                   request.path_params["version"])
    if notice is None:
        raise HTTPException(404)
    current = await consent.current(request.app.state.db, document)
    return render(request, "admin/notice_version.html", {
        "notice": notice, "in_force": current is not None and current.version == notice.version,
        "blocks_en": blocks(notice.body_en), "blocks_fr": blocks(notice.body_fr)})


async def new_version(request: Request) -> Response:
    """The form (prefilled with the version in force), then a confirmation, then publish."""
    document = _document(request, editable=True)
    app = request.app.state
    current = await consent.current(app.db, document)
    context = {"document": document, "current": current, "max_chars": MAX_BODY_CHARS}
    if request.method == "GET":
        values = {"body_en": current.body_en, "body_fr": current.body_fr} if current else {}
        return render(request, "admin/notice_form.html",
                      {**context, "values": values, "errors": {}})
    values = form_values(request.state.form)
    draft, errors = validate(NoticeDraft, {key: values.get(key, "")
                                           for key in ("body_en", "body_fr", "change_note")})
    if draft is not None and current is not None and (
            draft.body_en, draft.body_fr) == (current.body_en, current.body_fr):
        errors = {"body_en": gettext(
            "This is the text of the version in force: change it before publishing.")}
    if draft is None or errors:
        return render(request, "admin/notice_form.html",
                      {**context, "values": values, "errors": errors}, status_code=422)
    if values.get("confirm") == "edit":
        # Back from the confirmation: the text as it was typed, to change it.
        return render(request, "admin/notice_form.html",
                      {**context, "values": values, "errors": {}})
    number = (current.version if current else 0) + 1
    if values.get("confirm") != "yes":
        return render(request, "admin/notice_confirm.html", {
            **context, "draft": draft, "number": number,
            "blocks_en": blocks(draft.body_en), "blocks_fr": blocks(draft.body_fr)})
    now = app.clock()
    async with app.db.transaction() as conn:
        number = await consent.publish(conn, document, draft,
                                       published_by=request.state.user.id, now=now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="notice.published", subject_type="notice",
                           subject_id=number, details={"document": document, "version": number,
                                                       "note": draft.change_note})
    flash(request, gettext(
        "Version {number} of the privacy notice is published. Everyone is asked to accept"
        " it the next time they log in.").format(number=number))
    return RedirectResponse("/admin/notices", status_code=303)
