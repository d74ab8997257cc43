"""The privacy notice: its public page, its earlier versions, and the page after sign-in
that asks a person to accept a version they have not accepted yet.

Signing in with a password (or through an emailed link) does not open the session until
the person has accepted the notice in force: the account waits in the session
(`pending_*`) while the notice is shown; accepting opens the session and goes on to where
the person was going, signing out forgets the wait. So nobody is ever signed in without
having accepted the current version, and no page needs to check it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize import i18n
from prize.clock import from_iso, to_iso
from prize.domain.form_schema import FormSchema
from prize.domain.notices import Document, blocks, needs_acceptance
from prize.domain.notices import normalise as notice_text
from prize.i18n import gettext
from prize.store import consent, users
from prize.web import auth
from prize.web.forms import whole_number
from prize.web.routing import page, safe_next
from prize.web.templating import flash, render

# How long a password once checked may wait for the notice to be accepted.
PENDING_FOR = timedelta(minutes=30)
_PENDING_KEYS = ("pending_uid", "pending_epoch", "pending_next", "pending_until")


async def must_accept(request: Request, user_id: int) -> bool:
    """Whether the person has not accepted the privacy notice in force."""
    db = request.app.state.db
    current = await consent.current(db, Document.PRIVACY)
    accepted = await consent.accepted_version(db, user_id, Document.PRIVACY)
    return needs_acceptance(accepted, current.version if current else None)


async def sign_in(request: Request, user: users.User, destination: str) -> Response:
    """Open the session and go to `destination`, or first ask for the notice in force.

    Notes flashed for the next page before this call (``flash``) are kept either way."""
    notes = request.session.get("flash")
    if not await must_accept(request, user.id):
        auth.log_in(request, user)
        if notes:
            request.session["flash"] = notes
        return RedirectResponse(destination, status_code=303)
    # Nothing of an earlier session is kept, as when logging in (auth.log_in), but its
    # language and the notes for the next page.
    kept = {key: request.session[key] for key in ("locale", "flash") if key in request.session}
    request.session.clear()
    request.session.update(kept)
    request.session.update(
        pending_uid=user.id, pending_epoch=user.session_epoch, pending_next=destination,
        pending_until=to_iso(request.app.state.clock() + PENDING_FOR),
    )
    return RedirectResponse("/privacy/accept", status_code=303)


async def _pending_user(request: Request) -> users.User | None:
    session = request.session
    uid, until = session.get("pending_uid"), from_iso(session.get("pending_until"))
    if not isinstance(uid, int) or until is None or until <= request.app.state.clock():
        return None
    person = await users.get(request.app.state.db, uid)
    if person is None or not person.is_active or person.session_epoch != session.get(
            "pending_epoch"):
        return None
    return person


def _forget_pending(request: Request) -> None:
    for key in _PENDING_KEYS:
        request.session.pop(key, None)


def _notice_context(notice: consent.NoticeVersion) -> dict:
    locale = i18n.current_locale()
    return {"notice": notice, "blocks": blocks(notice.body(locale))}


async def privacy(request: Request) -> Response:
    """The notice in force, in the page's language."""
    notice = await consent.current(request.app.state.db, Document.PRIVACY)
    if notice is None:
        raise HTTPException(404)
    earlier = [version for version in await consent.versions(request.app.state.db,
                                                             Document.PRIVACY)
               if version.version != notice.version]
    return render(request, "public/privacy.html", {**_notice_context(notice), "latest": True,
                                                   "earlier": earlier})


async def privacy_version(request: Request) -> Response:
    """An earlier (or the current) version, for whoever accepted it."""
    notice = await consent.version(request.app.state.db, Document.PRIVACY,
                                   request.path_params["version"])
    if notice is None:
        raise HTTPException(404)
    current = await consent.current(request.app.state.db, Document.PRIVACY)
    return render(request, "public/privacy.html", {
        **_notice_context(notice), "latest": current is not None
        and current.version == notice.version, "current": current, "earlier": []})


async def accept(request: Request) -> Response:
    """After sign-in: accept the notice in force to go on, or sign out."""
    app = request.app.state
    person = await _pending_user(request)
    if person is None:
        _forget_pending(request)
        if request.state.user is not None:
            return RedirectResponse("/", status_code=303)
        flash(request, gettext("Please log in again."), "warning")
        return RedirectResponse("/login", status_code=303)
    notice = await consent.current(app.db, Document.PRIVACY)
    context = {**_notice_context(notice), "person": person, "errors": {},
               "accepted_before": await consent.accepted_version(app.db, person.id,
                                                                 Document.PRIVACY)}
    if request.method == "GET":
        return render(request, "accounts/accept_notice.html", context)
    shown = whole_number(str(request.state.form.get("version", "")))
    if shown != notice.version:
        # The notice changed while it was being read: the new one is shown instead.
        context["errors"] = {"form": gettext(
            "The privacy notice has just changed: read this version, then accept it.")}
        return render(request, "accounts/accept_notice.html", context, status_code=409)
    destination = safe_next(request.session.get("pending_next"), "/")
    async with app.db.transaction() as conn:
        await consent.record(conn, user_id=person.id, document=Document.PRIVACY,
                             version=notice.version, language=i18n.current_locale(),
                             occasion="sign_in", now=app.clock())
    auth.log_in(request, person)
    flash(request, gettext("Thank you: you accepted the privacy notice."))
    return RedirectResponse(destination, status_code=303)


async def record_submission(conn, *, user_id: int, entry_id: int, publication: bool,
                            now: datetime, form: FormSchema | None = None) -> None:
    """At an entry's submission, in its transaction: the applicant accepted the privacy
    notice in force and the declaration, and (when ticked) consented to publication.

    The declaration and the consent are recorded in the words the edition's `form` showed
    (its questions `declaration` and `consent_publication`): words no version has yet make
    a new version of that text."""
    documents = [(Document.PRIVACY, None), (Document.DECLARATION, "declaration")]
    if publication:
        documents.append((Document.PUBLICATION, "consent_publication"))
    for document, question_key in documents:
        version = None
        question = form.question(question_key) if form and question_key else None
        if question is not None and question.label.en and question.label.fr:
            version = await consent.version_with_wording(
                conn, document, notice_text(question.label.en), notice_text(question.label.fr),
                now=now, note="The wording of an edition's application form.")
        await consent.record(conn, user_id=user_id, document=document, version=version,
                             language=i18n.current_locale(), occasion="submission", now=now,
                             entry_id=entry_id)


routes = [
    page("/privacy", privacy),
    page("/privacy/versions/{version:id}", privacy_version),
    page("/privacy/accept", accept, methods=["GET", "POST"]),
]
