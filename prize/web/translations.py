"""Translations of entries: the secretariat hands entries to translators, and a translator
(or the secretariat) writes the translation field by field beside the original.

A translator sees only the entries handed to them: any other entry does not exist for
them (404). Jurors and applicants never reach these pages (403 by their roles); jurors
read a complete translation beside the original (prize.web.scoring).
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import translations as domain
from prize.domain.entries import answer_of
from prize.domain.statuses import Role
from prize.domain.vocabulary import LANGUAGES
from prize.i18n import current_locale, gettext
from prize.store import audit, editions, entries, forms, jury, practices, users
from prize.store import translations as store
from prize.store.entries import Entry
from prize.web import autosave
from prize.web.forms import form_version
from prize.web.params import MAX_ID, edition_of, edition_path
from prize.web.routing import form_values, page
from prize.web.templating import flash, local_datetime, render


def language_name(code: str) -> str:
    """A language's name in the page's language, as used within a sentence ("French",
    "français"), from Babel: a juror may read any of many languages."""
    names = Locale.parse(current_locale()).languages
    return names.get(code) or gettext(LANGUAGES.get(code, code))


def by_whom(role: str) -> str:
    """Who wrote a translation, as the jury reads it: never a person's name."""
    if role == Role.TRANSLATOR:
        return gettext("by a translator")
    return gettext("by the secretariat")


def original_caption(language: str) -> str:
    return gettext("Original ({language})").format(language=language_name(language))


def translation_caption(language: str, role: str) -> str:
    return gettext("Translation ({language}), {by}").format(
        language=language_name(language), by=by_whom(role))


async def _translatable_entry(request: Request) -> Entry:
    """The entry in the path, if this person may translate it; otherwise 404."""
    db = request.app.state.db
    user = request.state.user
    entry = await entries.get(db, request.path_params["entry_id"])
    if entry is None or entry.status not in store.TRANSLATABLE:
        raise HTTPException(404)
    if user.role == Role.TRANSLATOR and not await store.is_handed(db, entry.id, user.id):
        raise HTTPException(404)
    return entry


async def _fields(request: Request, entry: Entry):
    schema = await forms.of_edition(request.app.state.db, entry.edition_id)
    return schema.fields(current_locale())



async def bilingual(db, entry: Entry, schema) -> dict[str, Any] | None:
    """What the jury's pages need to show a complete translation beside the original;
    None when the entry has no complete translation."""
    language = domain.other_language(entry.language)
    translation = await store.get(db, entry.id, language)
    if translation is None or not translation.complete:
        return None
    fields = schema.fields(current_locale())
    return {
        "original_lang": entry.language, "translation_lang": language,
        "original_caption": original_caption(entry.language),
        "translation_caption": translation_caption(language, translation.translator_role),
        "fields": {field.name for field in domain.translated_fields(fields)},
        "texts": translation.texts,
    }


# The translator's list ------------------------------------------------------------------


async def my_translations(request: Request) -> Response:
    db = request.app.state.db
    ids = await store.entry_ids_of_translator(db, request.state.user.id)
    found = await entries.by_ids(db, ids)
    rows = []
    for entry in found:
        language = domain.other_language(entry.language)
        rows.append({"entry": entry, "language": language,
                     "translation": await store.get(db, entry.id, language)})
    return render(request, "translations/mine.html", {
        "rows": rows, "language_name": language_name})


# Writing a translation --------------------------------------------------------------------


async def translate(request: Request) -> Response:
    entry = await _translatable_entry(request)
    app = request.app.state
    user = request.state.user
    language = domain.other_language(entry.language)
    fields = await _fields(request, entry)
    answers = {field.name: answer_of(entry.application, field.name)
               for field in domain.translated_fields(fields)}
    current = await store.get(app.db, entry.id, language)
    edition = await editions.get(app.db, entry.edition_id)

    async def show(texts: dict[str, str], errors: dict, status: int, version: int,
                   saved: store.Translation | None) -> Response:
        if autosave.wants_json(request):
            return autosave.answer(version=version, errors=errors, status=status,
                                   now=app.clock())
        return render(request, "translations/translate.html", {
            "entry": entry, "edition": edition, "language": language,
            "pairs": domain.pairs(fields, answers, texts),
            "values": {f"t-{key}": text for key, text in texts.items()},
            "errors": errors, "version": version, "translation": saved,
            "original_caption": original_caption(entry.language),
            "target_name": language_name(language),
            "status_label": gettext(domain.STATUS_LABELS[saved.status]) if saved else
            gettext("Not started"),
            "back": edition_path(edition, "/translations") if user.role == Role.ADMIN
            else "/translations",
            # Who saved last: the translator or the secretariat may read it, never the jury.
            "saved_by": await _name_of(app.db, saved.translator_id) if saved else "",
        }, status_code=status)

    if request.method == "GET":
        return await show(current.texts if current else {}, {}, 200,
                          current.version if current else 0, current)

    form = request.state.form
    values = form_values(form)
    texts, errors = domain.clean_texts(values, fields)
    action = str(form.get("action", "save"))
    if action not in ("save", "complete", "reopen"):
        action = "save"
    expected = form_version(form)
    current_version = current.version if current else 0
    if expected != current_version:
        # The text stays in the form: saving again (on the newer version) is a choice
        # made knowingly, never a silent overwrite.
        stamp = local_datetime(current.updated_at, edition.timezone) if current else ""
        return await show(texts or _raw(values), {"form": gettext(
            "Not saved: this translation was saved in another tab or window ({time}) after "
            "you opened it. Your text is still below; saving this form again will replace "
            "the other version.").format(time=stamp)}, 409, current_version, current)
    if errors:
        return await show(_raw(values), errors, 422, current_version, current)
    if action == "complete":
        gaps = domain.missing(fields, answers, texts)
        if gaps:
            errors = {f"t-{key}": gettext("Translate this answer before marking the "
                                          "translation complete.") for key in gaps}
    now = app.clock()
    async with app.db.transaction() as conn:
        version = await store.save(conn, entry_id=entry.id, language=language, texts=texts,
                                   expected_version=expected, user_id=user.id,
                                   role=user.role, now=now)
        if version is not None:
            await audit.record(conn, now=now, actor_id=user.id, action="translation.saved",
                               subject_type="entry", subject_id=entry.id,
                               edition_id=entry.edition_id, details={"language": language})
            status = None
            if action == "complete" and not errors:
                status, event = domain.COMPLETE, "translation.completed"
            elif action == "reopen":
                status, event = domain.DRAFT, "translation.reopened"
            if status is not None:
                await store.set_status(conn, entry_id=entry.id, language=language,
                                       status=status, now=now)
                await audit.record(conn, now=now, actor_id=user.id, action=event,
                                   subject_type="entry", subject_id=entry.id,
                                   edition_id=entry.edition_id,
                                   details={"language": language})
                version += 1
    if version is None:
        latest = await store.get(app.db, entry.id, language)
        return await show(texts, {"form": gettext(
            "Not saved: this translation was saved in another tab or window a moment ago. "
            "Your text is still below; saving again will replace the other version.")},
            409, latest.version if latest else 0, latest)
    if errors:
        return await show(texts, errors, 422, version, await store.get(app.db, entry.id,
                                                                      language))
    if autosave.wants_json(request):
        return await show(texts, {}, 200, version, None)
    flash(request, {
        "complete": gettext("The translation is complete: the jury reads it beside the "
                            "original."),
        "reopen": gettext("The translation is a draft again: the jury no longer sees it."),
    }.get(action, gettext("The translation is saved as a draft.")))
    return RedirectResponse(f"/translations/entries/{entry.id}", status_code=303)


async def _name_of(db, user_id: int | None) -> str:
    person = await users.get(db, user_id) if user_id else None
    return (person.name or person.email) if person else ""


def _id(value: Any) -> int | None:
    """A row id from a form, or None when it is not one."""
    text = str(value or "")
    if not text.isdigit() or len(text) > 18 or int(text) > MAX_ID:
        return None
    return int(text)


def _raw(values: dict[str, Any]) -> dict[str, str]:
    """What was typed, as it was, to show back beside a message."""
    return {key[2:]: value for key, value in values.items()
            if key.startswith("t-") and isinstance(value, str)}


# The secretariat's page of an edition -----------------------------------------------------


async def edition_translations(request: Request) -> Response:
    edition = await edition_of(request)
    return await _edition_page(request, edition, {}, {}, 200)


async def _edition_page(request: Request, edition, values: dict, errors: dict,
                        status_code: int) -> Response:
    db = request.app.state.db
    found = [entry for entry in await entries.of_edition(db, edition.id)
             if entry.status in store.TRANSLATABLE]
    translated = await store.of_edition(db, edition.id)
    handovers = await store.handovers_of_edition(db, edition.id)
    readers = await readers_without_language(db, edition.id)
    rows = []
    for entry in found:
        language = domain.other_language(entry.language)
        rows.append({
            "entry": entry, "language": language,
            "translation": next((t for t in translated.get(entry.id, [])
                                 if t.language == language), None),
            "handovers": handovers.get(entry.id, []),
            "unreadable": readers.get(entry.id, 0),
        })
    return render(request, "translations/edition.html", {
        "edition": edition, "rows": rows,
        "translators": [(str(key), name) for key, name in await store.translators(db)],
        "entry_choices": [(str(row["entry"].id), f"{row['entry'].reference} · {row['entry'].title}")
                          for row in rows],
        "values": values, "errors": errors, "language_name": language_name,
        "status_labels": domain.STATUS_LABELS,
    }, status_code=status_code)


async def hand_over(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    values = form_values(request.state.form)
    errors: dict[str, str] = {}
    entry_id, translator_id = _id(values.get("entry_id")), _id(values.get("translator_id"))
    entry = await entries.get(app.db, entry_id) if entry_id else None
    if entry is None or entry.edition_id != edition.id or entry.status not in store.TRANSLATABLE:
        errors["entry_id"] = gettext("Choose from the list.")
    translator = await users.get(app.db, translator_id) if translator_id else None
    if translator is None or translator.role != Role.TRANSLATOR or not translator.is_active:
        errors["translator_id"] = gettext("Choose from the list.")
    take_back = values.get("action") == "take_back"
    if errors:
        return await _edition_page(request, edition, values, errors, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        if take_back:
            changed = await store.take_back(conn, entry_id=entry.id, translator_id=translator.id)
            action = "translation.handover_withdrawn"
        else:
            changed = await store.hand(conn, entry_id=entry.id, translator_id=translator.id,
                                       by=request.state.user.id, now=now)
            action = "translation.handed"
        if changed:
            await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                               subject_type="entry", subject_id=entry.id,
                               edition_id=edition.id,
                               details={"translator_id": translator.id})
    name = translator.name or translator.email
    if take_back:
        flash(request, gettext("{reference} is no longer with {name}.").format(
            reference=entry.reference, name=name))
    else:
        flash(request, gettext("{reference} is handed to {name} for translation.").format(
            reference=entry.reference, name=name))
    return RedirectResponse(edition_path(edition, "/translations"), status_code=303)


# Who cannot read what ---------------------------------------------------------------------


async def unreadable(db, edition_id: int) -> dict[int, list[tuple[int, list[str]]]]:
    """For each entry, its assigned jurors who read neither its language nor that of a
    complete translation, with the languages they read (entries all can read left out)."""
    assigned = [(pair.juror_id, pair.entry_id) for pair in await jury.assignment_of(db, edition_id)]
    if not assigned:
        return {}
    found = {entry.id: entry for entry in await entries.of_edition(db, edition_id)}
    profiles = await jury.profiles_of(db, (juror for juror, _ in assigned))
    complete = await store.complete_languages(db, found)
    result: dict[int, list[tuple[int, list[str]]]] = {}
    for juror_id, entry_id in assigned:
        entry = found.get(entry_id)
        profile = profiles.get(juror_id)
        if entry is None or profile is None or not profile.languages:
            continue
        readable = domain.readable_languages(entry.language, complete.get(entry_id, ()))
        if not domain.can_read(profile.languages, readable):
            result.setdefault(entry_id, []).append((juror_id, list(profile.languages)))
    return result


async def readers_without_language(db, edition_id: int) -> dict[int, int]:
    """For each entry, how many of its assigned jurors cannot read it yet."""
    return {entry_id: len(jurors)
            for entry_id, jurors in (await unreadable(db, edition_id)).items()}


# A published practice in the other language ----------------------------------------------

PUBLIC_LIMITS = {"title": 300, "summary": 5_000, "key_facts": 3_000, "activities": 20_000,
                 "youth_participation": 20_000, "evaluation": 20_000}


async def _practice(request: Request):
    practice = await practices.get(request.app.state.db, request.path_params["practice_id"])
    if practice is None:
        raise HTTPException(404)
    return practice


async def _suggested(db, practice) -> dict[str, str]:
    """The public text in the other language as far as the jury's complete translation of
    the entry gives it (the same questions), for the secretariat to check and complete."""
    if practice.entry_id is None:
        return {}
    translation = await store.get(db, practice.entry_id, domain.other_language(practice.language))
    if translation is None or not translation.complete:
        return {}
    return {key: translation.texts[key] for key in store.PUBLIC_FIELDS
            if translation.texts.get(key)}


def _public_texts(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, limit in PUBLIC_LIMITS.items():
        raw = values.get(key, "")
        text = (raw if isinstance(raw, str) else "").replace("\r\n", "\n").strip()
        if key == "title":
            text = " ".join(text.split())
        if len(text) > limit:
            errors[key] = gettext("This is too long: at most {limit} characters.").format(
                limit=limit)
        texts[key] = text
    for key in ("title", "summary"):
        if not texts[key] and key not in errors:
            errors[key] = gettext("Fill in this field.")
    return texts, errors


async def admin_practice_translation(request: Request) -> Response:
    practice = await _practice(request)
    app = request.app.state
    language = domain.other_language(practice.language)
    current = await store.practice_translation(app.db, practice.id)

    def show(values: dict, errors: dict, status: int = 200) -> Response:
        return render(request, "translations/practice_admin.html", {
            "practice": practice, "language": language, "target_name": language_name(language),
            "translation": current, "values": values, "errors": errors,
        }, status_code=status)

    if request.method == "GET":
        values = current.texts if current else await _suggested(app.db, practice)
        return show(values, {})
    values = form_values(request.state.form)
    now = app.clock()
    if values.get("action") == "remove":
        async with app.db.transaction() as conn:
            if await store.remove_practice_translation(conn, practice_id=practice.id):
                await audit.record(conn, now=now, actor_id=request.state.user.id,
                                   action="practice.translation_removed",
                                   subject_type="practice", subject_id=practice.id,
                                   edition_id=practice.edition_id)
        flash(request, gettext("The public page is shown in its own language only."))
        return RedirectResponse(f"/admin/practices/{practice.id}", status_code=303)
    texts, errors = _public_texts(values)
    if errors:
        return show(values, errors, 422)
    async with app.db.transaction() as conn:
        await store.save_practice_translation(conn, practice_id=practice.id, language=language,
                                              texts=texts, now=now)
        await audit.record(conn, now=now, actor_id=request.state.user.id,
                           action="practice.translation_saved", subject_type="practice",
                           subject_id=practice.id, edition_id=practice.edition_id,
                           details={"language": language})
    flash(request, gettext("The text in {language} is saved. It is shown once the applicant "
                           "approves it on their page of the good practice.").format(
        language=language_name(language)))
    return RedirectResponse(f"/admin/practices/{practice.id}/translation", status_code=303)


async def _own_practice(request: Request):
    practice = await _practice(request)
    if await practices.owner_of(request.app.state.db, practice.id) != request.state.user.id:
        raise HTTPException(404)
    return practice


async def applicant_practice_translation(request: Request) -> Response:
    practice = await _own_practice(request)
    app = request.app.state
    current = await store.practice_translation(app.db, practice.id)
    if current is None:
        raise HTTPException(404)
    if request.method == "POST":
        now = app.clock()
        async with app.db.transaction() as conn:
            if await store.approve_practice_translation(conn, practice_id=practice.id, now=now):
                await audit.record(conn, now=now, actor_id=request.state.user.id,
                                   action="practice.translation_approved",
                                   subject_type="practice", subject_id=practice.id,
                                   edition_id=practice.edition_id,
                                   details={"language": current.language})
        flash(request, gettext("Thank you: you approved the text in {language}.").format(
            language=language_name(current.language)))
        return RedirectResponse(f"/my/practices/{practice.id}/translation", status_code=303)
    return render(request, "translations/practice_review.html", {
        "practice": practice, "translation": current,
        "shown": translated_practice(practice, current),
        "target_name": language_name(current.language),
        "photo": (f"/files/{practice.image_attachment_ids[0]}"
                  if practice.image_attachment_ids and practice.image_name else None),
    })


def translated_practice(practice, translation):
    """The practice as its page shows it in the translation's language: the translated
    public fields, the rest as it is (names, figures, photo)."""
    return practice.model_copy(update={
        **{key: text for key, text in translation.texts.items()},
        "language": translation.language})


routes = [
    page("/translations", my_translations, roles=(Role.TRANSLATOR,)),
    page("/translations/entries/{entry_id:id}", translate, methods=["GET", "POST"],
         roles=Role.TRANSLATORS),
    page("/admin/editions/{year:id}/translations", edition_translations, roles=Role.STAFF),
    page("/admin/editions/{year:id}/translations/handover", hand_over, methods=["POST"],
         roles=Role.STAFF),
    page("/admin/practices/{practice_id:id}/translation", admin_practice_translation,
         methods=["GET", "POST"], roles=Role.STAFF),
    page("/my/practices/{practice_id:id}/translation", applicant_practice_translation,
         methods=["GET", "POST"], roles=Role.APPLICANTS),
]


async def practice_translations_json(db, practice) -> dict[str, dict[str, str]]:
    """The API's `translations` of a published practice: the public fields in the other
    working language, keyed by language, once the applicant approved them; else {}."""
    other = await store.approved_practice_translation(db, practice.id)
    if other is None:
        return {}
    return {other.language: {key: text for key, text in other.texts.items() if text}}
