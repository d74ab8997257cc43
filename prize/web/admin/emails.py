"""The secretariat's email texts: every message in English and French, per edition (or
once for the messages sent outside an edition), with its placeholders, a preview made
from a real entry, "Send me a test" and "Restore the default".

A text is checked before anything is saved (prize.domain.email_texts.check): a syntax
error, an unknown placeholder or a line break in a subject is refused in place (422) with
every text kept as typed, and none of the four texts is saved.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import email_texts
from prize.domain.editions import Edition
from prize.domain.email_texts import LOCALES, MESSAGES, Message, TextRefused
from prize.i18n import gettext
from prize.store import audit, editions, entries, forms, users
from prize.store import identity as store
from prize.web.params import edition_of
from prize.web.templating import flash, render

DECIDED = ("winner", "special_mention", "shortlisted", "not_selected")
FIELDS = tuple(f"{part}_{locale}" for locale in LOCALES for part in ("subject", "body"))


async def _target(request: Request) -> tuple[Edition | None, Message]:
    """The edition (None for the messages outside an edition) and the message in the path."""
    edition = await edition_of(request) if "year" in request.path_params else None
    message = MESSAGES.get(request.path_params.get("kind", ""))
    if message is None or message.edition != (edition is not None):
        raise HTTPException(404)
    return edition, message


def _base(edition: Edition | None) -> str:
    return f"/admin/editions/{edition.year}/emails" if edition else "/admin/emails"


# The list -------------------------------------------------------------------------------


async def email_list(request: Request) -> Response:
    app = request.app.state
    edition = await edition_of(request) if "year" in request.path_params else None
    config = app.config
    edition_id = edition.id if edition else None
    rows = [{"message": message,
             "changed": [locale for locale in LOCALES
                         if (edition_id, message.kind, locale) in config.texts]}
            for message in MESSAGES.values() if message.edition == (edition is not None)]
    return render(request, "admin/emails.html", {
        "edition": edition, "rows": rows, "base": _base(edition),
        "editions": [] if edition else await editions.all_editions(app.db)})


# One message ----------------------------------------------------------------------------


def _saved_values(request: Request, edition: Edition | None, message: Message) -> dict[str, str]:
    config = request.app.state.config
    values = {}
    for locale in LOCALES:
        subject, body, _changed = config.text_of(message.kind, locale,
                                                 edition.id if edition else None)
        values[f"subject_{locale}"], values[f"body_{locale}"] = subject, body
    return values


def _typed_values(request: Request) -> dict[str, str]:
    form = request.state.form
    values = {}
    for name in FIELDS:
        value = form.get(name, "")
        value = value if isinstance(value, str) else ""
        # Browsers send textarea lines as CRLF; a subject keeps what was typed, to be checked.
        values[name] = value.replace("\r\n", "\n") if name.startswith("body") else value
    return values


def _problems(message: Message, values: dict[str, str]) -> dict[str, str]:
    errors = {}
    for name in FIELDS:
        part = name.split("_")[0]
        try:
            email_texts.check(message, part, values[name])
        except TextRefused as refused:
            errors[name] = str(refused)
    return errors


async def _preview_context(request: Request, edition: Edition | None,
                           message: Message) -> tuple[dict[str, Any], Any]:
    """What the preview fills the placeholders from: the newest submitted entry of the
    edition and its applicant when there is one, example values otherwise."""
    app = request.app.state
    user = request.state.user
    context: dict[str, Any] = {
        name: sample for name, sample in message.samples().items()
        if name not in ("prize", "contact", "edition", "year", "theme", "scope", "deadline",
                        "judging_ends")}
    context.update(name=user.display_name, link=app.settings.url("/my"))
    entry = None
    if edition is not None:
        context["edition"] = edition
        submitted = [item for item in await entries.of_edition(app.db, edition.id)
                     if item.reference]
        entry = submitted[-1] if submitted else None
    if entry is not None:
        owner = await users.get(app.db, entry.owner_id)
        from prize.web.applicant import application_sections

        context.update(
            name=owner.display_name if owner else context["name"],
            reference=entry.reference, title=entry.title,
            status=entry.status if entry.status in DECIDED else "shortlisted",
            reason=entry.status_reason or "", statement=entry.jury_statement or "",
            consent=bool(entry.application.consent_publication),
            link=app.settings.url(f"/my/entries/{entry.id}"), entries=[entry],
            sections=application_sections(
                entry.application, await forms.of_edition(app.db, entry.edition_id)),
            attachments=await entries.attachments_of(app.db, entry.id))
        if message.kind == "eligibility_result":
            context["status"] = "ineligible" if entry.status == "ineligible" else "eligible"
    elif message.kind == "eligibility_result":
        context["status"] = "eligible"
    elif message.kind == "results":
        context["status"] = "shortlisted"
    return context, entry


async def _previews(request: Request, edition: Edition | None, message: Message,
                    values: dict[str, str]) -> tuple[list[dict[str, Any]], Any]:
    mailer = request.app.state.mailer
    context, entry = await _preview_context(request, edition, message)
    shown = []
    for locale in LOCALES:
        try:
            email = mailer.compose(message.kind, request.state.user.email,
                                   email_texts.in_locale(context, locale), locale=locale,
                                   text=(values[f"subject_{locale}"],
                                         values[f"body_{locale}"]))
        except Exception:  # noqa: BLE001 (a text refused at check time is not previewed)
            continue
        shown.append({"locale": locale, "email": email})
    return shown, entry


async def _form_page(request: Request, edition: Edition | None, message: Message,
                     values: dict[str, str], errors: dict[str, str], *,
                     status_code: int = 200, note: str = "") -> Response:
    previews, entry = ([], None) if errors else await _previews(request, edition, message,
                                                                   values)
    config = request.app.state.config
    edition_id = edition.id if edition else None
    return render(request, "admin/email_form.html", {
        "edition": edition, "message": message, "values": values, "errors": errors,
        "previews": previews, "entry": entry, "base": _base(edition), "note": note,
        "changed": [locale for locale in LOCALES
                    if (edition_id, message.kind, locale) in config.texts],
    }, status_code=status_code)


async def email_form(request: Request) -> Response:
    edition, message = await _target(request)
    if request.method == "GET":
        return await _form_page(request, edition, message,
                                _saved_values(request, edition, message), {})
    values = _typed_values(request)
    errors = _problems(message, values)
    if errors:
        return await _form_page(request, edition, message, values, errors, status_code=422)
    if request.state.form.get("action") == "preview":
        return await _form_page(request, edition, message, values, {})
    app = request.app.state
    now = app.clock()
    edition_id = edition.id if edition else None
    saved = []
    async with app.db.transaction() as conn:
        for locale in LOCALES:
            subject, body = values[f"subject_{locale}"], values[f"body_{locale}"]
            if (subject, body.strip("\n") + "\n") == (message.subject[locale],
                                                      message.body[locale]):
                # The default again: nothing of the secretariat's to keep.
                await store.delete_text(conn, edition_id=edition_id, kind=message.kind,
                                        locale=locale)
                continue
            await store.save_text(conn, edition_id=edition_id, kind=message.kind,
                                  locale=locale, subject=subject, body=body, now=now,
                                  actor_id=request.state.user.id)
            saved.append(locale)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="email_text.saved", subject_type="email_text",
                           edition_id=edition_id,
                           details={"message": message.kind, "changed": saved})
    await app.config.reload()
    flash(request, gettext("The texts of “{message}” are saved.").format(
        message=gettext(message.title)))
    return RedirectResponse(f"{_base(edition)}/{message.kind}", status_code=303)


async def send_test(request: Request) -> Response:
    """The typed texts, in English and in French, to the signed-in secretariat address."""
    edition, message = await _target(request)
    values = _typed_values(request)
    errors = _problems(message, values)
    if errors:
        return await _form_page(request, edition, message, values, errors, status_code=422)
    app = request.app.state
    user = request.state.user
    context, _entry = await _preview_context(request, edition, message)
    async with app.db.transaction() as conn:
        for locale in LOCALES:
            email = app.mailer.compose(
                message.kind, user.email, email_texts.in_locale(context, locale),
                locale=locale, related_user_id=user.id,
                text=(values[f"subject_{locale}"], values[f"body_{locale}"]))
            tag = gettext("Test")
            await app.mailer.enqueue(conn, dataclasses.replace(
                email, kind=f"test_{message.kind}", subject=f"[{tag}] {email.subject}"))
    await app.mailer.flush()
    return await _form_page(request, edition, message, values, {}, note=gettext(
        "Two test emails, one in English and one in French, are sent to {email}. "
        "Nothing is saved yet.").format(email=user.email))


async def restore_default(request: Request) -> Response:
    """Back to the default texts in both languages, after a page that says so."""
    edition, message = await _target(request)
    app = request.app.state
    if request.state.form.get("confirmed") != "yes":
        return render(request, "admin/email_restore.html", {
            "edition": edition, "message": message, "base": _base(edition)})
    now = app.clock()
    edition_id = edition.id if edition else None
    async with app.db.transaction() as conn:
        removed = 0
        for locale in LOCALES:
            removed += await store.delete_text(conn, edition_id=edition_id,
                                               kind=message.kind, locale=locale)
        if removed:
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="email_text.restored", subject_type="email_text",
                               edition_id=edition_id, details={"message": message.kind})
    await app.config.reload()
    flash(request, gettext("The default texts of “{message}” are back.").format(
        message=gettext(message.title)))
    return RedirectResponse(f"{_base(edition)}/{message.kind}", status_code=303)
