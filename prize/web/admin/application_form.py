"""The secretariat's form editor: an edition's sections and questions, and a preview.

Plain forms, no JavaScript needed. Every change builds the whole new form and goes
through `prize.store.forms.replace`, which applies every rule (core questions kept,
nothing structural once an entry is submitted, no word limit below a submitted answer)
and audits the change. A refused change shows the page again with what was typed.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import form_schema as fs
from prize.domain.editions import Edition
from prize.domain.entries import (
    Application,
    completeness,
    parse_draft,
    section_states,
    submission_problems,
)
from prize.domain.text import one_line
from prize.domain.uploads import MAX_ATTACHMENTS_PER_ENTRY
from prize.i18n import LOCALES, N_, current_locale, gettext, use_locale
from prize.store import forms
from prize.web.forms import whole_number
from prize.web.params import edition_of
from prize.web.routing import form_values
from prize.web.templating import flash, render

#: What each kind of question is called on the editor's pages.
KIND_LABELS: dict[str, str] = {
    "text": N_("Short text"),
    "textarea": N_("Long text (with a word limit)"),
    "select": N_("Choice (one)"),
    "multi": N_("Multiple choice"),
    "bool": N_("Yes/no (a box to tick)"),
    "date": N_("Date"),
    "int": N_("Number"),
    "email": N_("Email address"),
    "tel": N_("Telephone number"),
    "url": N_("Web address"),
    "country": N_("Country"),
    "countries": N_("Countries"),
    "participation": N_("Youth participation grid"),
}
VISIBLE_LABELS = {"jury": N_("The jury and the secretariat"),
                  "secretariat": N_("The secretariat only")}
MAX_LINE = 300


def _path(edition: Edition, tail: str = "") -> str:
    return f"/admin/editions/{edition.year}/form{tail}"


async def _state(request: Request) -> tuple[Edition, fs.FormSchema, int]:
    edition = await edition_of(request)
    db = request.app.state.db
    return edition, await forms.stored(db, edition.id), await forms.submitted_count(
        db, edition.id)


def _frozen_note(submitted: int) -> str:
    if not submitted:
        return ""
    return gettext(
        "Entries of this edition are already submitted ({n}), so questions and sections can "
        "no longer be added or removed, nor change kind or choices: the submitted answers were "
        "given to these questions. Wording, hints, word limits and order can still be "
        "changed; every change is in the audit log.").format(n=submitted)


def _core_note() -> str:
    return gettext(
        "Core questions are marked: assignment, conflicts of interest, screening, the "
        "catalogue of good practices and the exports read their answers. They can be "
        "relabelled, given new hints and word limits and moved, but not removed, made "
        "optional, or given another kind or other choices.")


async def _apply(request: Request, edition: Edition, new: fs.FormSchema) -> list[str]:
    """Replace the form (every rule applied); raises FormProblem with nothing written."""
    app = request.app.state
    async with app.db.transaction() as conn:
        return await forms.replace(conn, edition.id, new, now=app.clock(),
                                   actor_id=request.state.user.id)


# The overview ----------------------------------------------------------------------------


async def form_overview(request: Request) -> Response:
    edition, schema, submitted = await _state(request)
    return await _overview(request, edition, schema, submitted, {}, {})


async def _overview(request: Request, edition: Edition, schema: fs.FormSchema, submitted: int,
                    values: dict, errors: dict, status_code: int = 200) -> Response:
    return render(request, "admin/form.html", {
        "edition": edition, "schema": schema, "frozen": _frozen_note(submitted),
        "core_note": _core_note(), "values": values, "errors": errors,
        "kinds": [(key, gettext(text)) for key, text in KIND_LABELS.items()],
        "kind_labels": KIND_LABELS, "locale": current_locale(),
        "own_form": await forms.has_own_form(request.app.state.db, edition.id),
    }, status_code=status_code)


async def change_order(request: Request) -> Response:
    """Move a section or a question up or down, or remove a section (empty of core
    questions, after a ticked confirmation)."""
    edition, schema, submitted = await _state(request)
    form = request.state.form
    what, key, action = (str(form.get(name, "")) for name in ("what", "key", "action"))
    data = schema.model_dump()
    sections = data["sections"]
    if what == "section":
        index = next((i for i, s in enumerate(sections) if s["key"] == key), None)
        if index is None:
            raise HTTPException(404)
        if action == "remove":
            if form.get("confirm") != "yes":
                return await _overview(request, edition, schema, submitted, {}, {
                    "form": gettext("Tick the box beside Remove to confirm that the section "
                                    "and its questions are to be removed.")}, 422)
            sections.pop(index)
        else:
            _move(sections, index, action)
    elif what == "form" and action == "default":
        if form.get("confirm") != "yes":
            return await _overview(request, edition, schema, submitted, {}, {
                "form": gettext("Tick the box to confirm that this edition's form is to be "
                                "replaced by the default form.")}, 422)
        data = fs.default_form().model_dump()
    elif what == "question":
        place = next(((s, i) for s in sections for i, q in enumerate(s["fields"])
                      if q["key"] == key), None)
        if place is None:
            raise HTTPException(404)
        _move(place[0]["fields"], place[1], action)
    else:
        raise HTTPException(400, gettext("Choose a section or a question to move."))
    try:
        await _apply(request, edition, fs.FormSchema.model_validate(data))
    except fs.FormProblem as problem:
        return await _overview(request, edition, schema, submitted, {}, {"form": str(problem)},
                               409 if submitted else 422)
    flash(request, gettext("The form is saved."))
    return RedirectResponse(_path(edition) + (f"#q-{key}" if what == "question" else ""),
                            status_code=303)


def _move(items: list, index: int, action: str) -> None:
    if action not in ("up", "down"):
        raise HTTPException(400, gettext("Choose Move up or Move down."))
    other = index - 1 if action == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


# Sections --------------------------------------------------------------------------------


def _texts(values: dict, name: str, errors: dict, *, required: bool, multiline: bool = False,
           what: str = "") -> fs.Texts:
    en = str(values.get(f"{name}_en", "")).strip()
    fr = str(values.get(f"{name}_fr", "")).strip()
    if not multiline:
        en, fr = one_line(en), one_line(fr)
    limit = fs.MAX_TEXT if multiline else MAX_LINE
    for code, text in (("en", en), ("fr", fr)):
        field = f"{name}_{code}"
        if len(text) > limit:
            errors[field] = gettext("At most {n} characters.").format(n=limit)
        elif required and not text:
            errors[field] = (gettext("Write it in English.") if code == "en"
                             else gettext("Write it in French too: applicants may choose "
                                          "either language."))
    if not required and bool(en) != bool(fr):
        missing = "hint_fr" if en else "hint_en"
        errors[missing] = gettext("Give the hint in both languages, or in neither.")
    return fs.Texts(en=en, fr=fr)


async def section_form(request: Request) -> Response:
    """Add a section (no key in the path) or change a section's title."""
    edition, schema, submitted = await _state(request)
    key = request.path_params.get("key")
    current = schema.section(key) if key else None
    if key and current is None:
        raise HTTPException(404)

    def again(values: dict, errors: dict, status: int = 200) -> Response:
        return render(request, "admin/form_section.html", {
            "edition": edition, "section": current, "values": values, "errors": errors,
            "frozen": _frozen_note(submitted)}, status_code=status)

    if request.method == "GET":
        values = {} if current is None else {
            "key": current.key, "title_en": current.title.en, "title_fr": current.title.fr}
        return again(values, {})
    values = form_values(request.state.form)
    errors: dict[str, str] = {}
    title = _texts(values, "title", errors, required=True)
    data = schema.model_dump()
    if current is None:
        new_key = str(values.get("key", "")).strip()
        if not fs.KEY.match(new_key):
            errors["key"] = gettext("Use lower-case letters, digits and _, starting with a "
                                    "letter (40 at most).")
        elif new_key in fs.RESERVED_KEYS:
            errors["key"] = gettext("The key {key} is reserved: choose another key.").format(
                key=new_key)
        elif new_key in {s.key for s in schema.sections} | set(schema.question_keys()):
            errors["key"] = gettext("The key {key} is used already.").format(key=new_key)
        if not errors:
            data["sections"].append({"key": new_key, "title": title.model_dump(), "fields": []})
    elif not errors:
        next(s for s in data["sections"] if s["key"] == key)["title"] = title.model_dump()
    if errors:
        return again(values, errors, 422)
    try:
        await _apply(request, edition, fs.FormSchema.model_validate(data))
    except fs.FormProblem as problem:
        return again(values, {"form": str(problem)}, 409 if submitted else 422)
    flash(request, gettext("The form is saved."))
    return RedirectResponse(_path(edition), status_code=303)


# Questions -------------------------------------------------------------------------------


def _question_values(question: fs.Question, section: str) -> dict[str, Any]:
    return {
        "key": question.key, "kind": question.kind, "section": section,
        "label_en": question.label.en, "label_fr": question.label.fr,
        "hint_en": question.hint.en, "hint_fr": question.hint.fr,
        "required": "on" if question.required else "", "public": "on" if question.public else "",
        "visible_to": question.visible_to,
        "max_words": "" if question.max_words is None else str(question.max_words),
        "choices": "\n".join(f"{c.key} | {c.label.en} | {c.label.fr}" for c in question.choices),
    }


def _choices(text: str, errors: dict) -> list[fs.Choice]:
    found = []
    for number, line in enumerate(str(text).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not all(parts):
            errors["choices"] = gettext(
                "Line {n}: write each choice as key | English | French.").format(n=number)
            return []
        if not fs.KEY.match(parts[0]):
            errors["choices"] = gettext(
                "Line {n}: the key {key} may have lower-case letters, digits and _ only, "
                "starting with a letter.").format(n=number, key=parts[0])
            return []
        if max(len(parts[1]), len(parts[2])) > MAX_LINE:
            errors["choices"] = gettext("Line {n}: at most {limit} characters a label.").format(
                n=number, limit=MAX_LINE)
            return []
        found.append(fs.Choice(key=parts[0], label=fs.Texts(en=parts[1], fr=parts[2])))
    if len(found) > fs.MAX_CHOICES:
        errors["choices"] = gettext("At most {n} choices.").format(n=fs.MAX_CHOICES)
        return []
    return found


def _parse_question(values: dict, current: fs.Question | None, sections: list[str], *,
                    frozen: bool = False) -> tuple[fs.Question | None, str, dict[str, str]]:
    """The question the form describes, the section it goes in, and a message per field.
    What a core question may not change is taken from the stored question, whatever was
    posted (the page shows those inputs disabled)."""
    errors: dict[str, str] = {}
    label = _texts(values, "label", errors, required=True)
    hint = _texts(values, "hint", errors, required=False, multiline=True)
    section = str(values.get("section", ""))
    if section not in sections:
        errors["section"] = gettext("Choose a section.")
    if current is not None:
        key = current.key
    else:
        key = str(values.get("key", "")).strip()
        if not fs.KEY.match(key):
            errors["key"] = gettext("Use lower-case letters, digits and _, starting with a "
                                    "letter (40 at most).")
        elif key in fs.RESERVED_KEYS:
            errors["key"] = gettext("The key {key} is reserved: choose another key.").format(
                key=key)
    kind = str(values.get("kind", "")) if current is None or not (
        current.core or current.builtin or frozen) else current.kind
    if kind not in fs.KINDS:
        errors["kind"] = gettext("Choose a kind of question.")
    max_words = None
    typed_limit = str(values.get("max_words", "")).strip()
    if kind == "textarea":
        if typed_limit:
            max_words = whole_number(typed_limit, low=1, high=fs.MAX_WORD_LIMIT)
            if max_words is None:
                errors["max_words"] = gettext("A whole number from 1 to {n}.").format(
                    n=fs.MAX_WORD_LIMIT)
    elif typed_limit:
        errors["max_words"] = gettext("Only a long text has a word limit.")
    choices = _choices(values.get("choices", ""), errors) if kind in ("select", "multi") else []
    if kind in ("select", "multi") and not choices and "choices" not in errors:
        errors["choices"] = gettext("Give at least one choice.")
    visible_to = str(values.get("visible_to", "jury"))
    if visible_to not in VISIBLE_LABELS:
        errors["visible_to"] = gettext("Choose who sees the answer.")
    required = values.get("required") == "on"
    core = current is not None and current.core
    if core:
        required, visible_to = current.required, current.visible_to
    public = values.get("public") == "on"
    if current is not None and current.builtin:
        public = current.public  # the public record takes the built-in fields it always did
    if errors:
        return None, section, errors
    return fs.Question(
        key=key, kind=kind, label=label, hint=hint, required=required, max_words=max_words,
        choices=choices, visible_to=visible_to, public=public, core=core), section, {}


def _field_of(problem: fs.FormProblem, question: fs.Question) -> str:
    """Where on the question's page a refusal belongs."""
    if problem.field == "max_words" or (problem.field == "key" and problem.key == question.key):
        return problem.field
    return "form"


async def question_form(request: Request) -> Response:
    """Add a question (no key in the path), change one, or remove one (ticked confirm)."""
    edition, schema, submitted = await _state(request)
    key = request.path_params.get("key")
    current = schema.question(key) if key else None
    if key and current is None:
        raise HTTPException(404)
    home = next((s.key for s in schema.sections if current and current in s.fields), None)

    def again(values: dict, errors: dict, status: int = 200) -> Response:
        return render(request, "admin/form_question.html", {
            "edition": edition, "question": current, "values": values, "errors": errors,
            "frozen": _frozen_note(submitted), "core_note": _core_note(),
            "sections": [(s.key, s.title.get(current_locale())) for s in schema.sections],
            "kinds": [(k, gettext(text)) for k, text in KIND_LABELS.items()],
            "visible": [(k, gettext(text)) for k, text in VISIBLE_LABELS.items()],
            "locked_kind": current is not None and (current.core or current.builtin),
            "frozen_kind": current is not None and bool(submitted),
        }, status_code=status)

    if request.method == "GET":
        if current is None:
            wanted = str(request.query_params.get("section", ""))
            values = {"section": wanted if schema.section(wanted) else schema.sections[-1].key,
                      "required": "on", "visible_to": "jury", "kind": "textarea"}
        else:
            values = _question_values(current, home)
        return again(values, {})

    values = form_values(request.state.form)
    data = schema.model_dump()
    if values.get("action") == "remove" and current is not None:
        if values.get("confirm") != "yes":
            return again({**_question_values(current, home), **values}, {
                "confirm": gettext("Tick the box to confirm that the question is to be "
                                   "removed.")}, 422)
        for section in data["sections"]:
            section["fields"] = [q for q in section["fields"] if q["key"] != current.key]
        try:
            await _apply(request, edition, fs.FormSchema.model_validate(data))
        except fs.FormProblem as problem:
            return again(values, {"form": str(problem)}, 409 if submitted else 422)
        flash(request, gettext("The question {key} is removed.").format(key=current.key))
        return RedirectResponse(_path(edition), status_code=303)

    question, section_key, errors = _parse_question(
        values, current, [s.key for s in schema.sections], frozen=bool(submitted))
    if question is not None and current is None and question.key in (
            set(schema.question_keys()) | {s.key for s in schema.sections}):
        errors["key"] = gettext("The key {key} is used already.").format(key=question.key)
    if errors or question is None:
        return again(values, errors, 422)
    for section in data["sections"]:
        if current is not None and section["key"] == home:
            position = next(i for i, q in enumerate(section["fields"]) if q["key"] == key)
            if home == section_key:
                section["fields"][position] = question.model_dump()
                continue
            section["fields"].pop(position)
    if current is None or home != section_key:
        target = next(s for s in data["sections"] if s["key"] == section_key)
        target["fields"].append(question.model_dump())
    try:
        await _apply(request, edition, fs.FormSchema.model_validate(data))
    except fs.FormProblem as problem:
        return again(values, {_field_of(problem, question): str(problem)},
                     409 if submitted and _field_of(problem, question) == "form" else 422)
    flash(request, gettext("The question {key} is saved.").format(key=question.key))
    return RedirectResponse(_path(edition) + f"#q-{question.key}", status_code=303)


# Preview ---------------------------------------------------------------------------------


async def preview(request: Request) -> Response:
    """The entry form exactly as an applicant sees it (the applicant's own template), in
    English or French. Nothing is saved: Submit shows what the applicant would be told."""
    edition, _, _ = await _state(request)
    # As applicants see it: with the words the edition adds to substances and behaviours.
    schema = await forms.of_edition(request.app.state.db, edition.id)
    lang = request.query_params.get("lang", current_locale())
    if lang not in LOCALES:
        raise HTTPException(400, gettext("Choose English (en) or French (fr)."))
    today = request.app.state.clock().date()
    with use_locale(lang):
        fields = schema.fields(lang)
        sections = schema.section_titles(lang)
        values: dict[str, Any] = {"language": lang}
        errors: dict[str, str] = {}
        if request.method == "POST":
            form = request.state.form
            values = form_values(form, multi=[q.key for q in schema.questions()
                                                  if q.kind in ("multi", "countries")])
            shown, errors = parse_draft(values, fields)
            if form.get("action") == "submit":
                errors = {**submission_problems(shown, today=today, fields=fields), **errors}
        else:
            shown = Application(language=lang)
        problems = submission_problems(shown, today=today, fields=fields)
        filled, required = completeness(shown, today=today, fields=fields)
        return render(request, "admin/form_preview.html", {
            "entry": SimpleNamespace(id=0, title="", reference=None, status="draft", version=1),
            "edition": edition, "status": "draft", "values": values, "errors": errors,
            "labels": {f.name: f.label for f in fields}, "sections": sections,
            "section_states": section_states(problems, errors, fields, sections),
            "fields": fields, "files_section": "consent" if "consent" in sections
            else list(sections)[-1], "filled": filled, "required": required,
            "attachments": [], "can_edit": True, "closed_because": "", "autosave": False,
            "version": 1, "max_attachments": MAX_ATTACHMENTS_PER_ENTRY,
            "form_action": f"{_path(edition, '/preview')}?lang={lang}",
        }, status_code=422 if errors else 200)


__all__ = ["form_overview", "change_order", "section_form", "question_form", "preview"]
