"""The application form as data: sections and questions, per edition, in English and French.

An edition's form is a `FormSchema`. The default form is built from today's fields
(`prize.domain.entries.FIELDS`), so an edition without a form of its own behaves as
before. Questions whose key is a field of `Application` are answered into that field;
any other question is a custom one, answered into `Application.answers[key]`.

*Core* questions are those the platform itself reads (assignment, conflicts, screening,
the catalogue, publication, the exports): they may be relabelled and have their word
limit changed, never removed, re-kinded, made optional or given other choices.

Once an edition has a submitted entry its form is *frozen*: wording, hints, limits and
order may still change, but no question or section may be added or removed, and no kind
or choice list changed, since submitted answers were given to those questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from prize.domain import entries as form
from prize.domain.entries import FieldKind, FormField
from prize.i18n import LOCALES, gettext, translations

KINDS: tuple[str, ...] = FieldKind.__args__  # type: ignore[attr-defined]
VisibleTo = Literal["jury", "secretariat"]
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 2000
MAX_WORD_LIMIT = 5000
MAX_QUESTIONS = 120
MAX_CHOICES = 200
#: Keys the editor's addresses use (…/questions/new).
RESERVED_KEYS = frozenset({"new", "answers"})

#: The questions the platform relies on: assignment (language, settings, target groups,
#: countries), conflicts (organisation, countries), screening and submission (dates,
#: participation grid, declaration), the catalogue and publication (title, summary,
#: levels, substances, youth participation, consent) and the contact of the entry.
CORE_KEYS: frozenset[str] = frozenset({
    "org_name", "country", "countries", "contact_name", "contact_email", "title",
    "language", "start_date", "running", "end_date", "summary", "target_groups", "settings",
    "levels", "substances", "youth_participation", "participation_grid",
    "consent_publication", "declaration",
})

#: Answers only the secretariat reads by default (the jury never needed them).
SECRETARIAT_ONLY = frozenset({"contact_phone"})

#: The kind of each question answered into a field of `Application` (a built-in question).
BUILTIN_KINDS: dict[str, str] = {field.name: field.kind for field in form.FIELDS}


class FormProblem(ValueError):
    """A form that may not be saved, with one sentence that says why. `key` and `field`
    name the question and the part of it refused (`max_words`, `key`), where one is."""

    def __init__(self, message: str, *, key: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.key, self.field = key, field


class Texts(BaseModel):
    """A text in both working languages."""

    model_config = ConfigDict(extra="forbid")

    en: str = ""
    fr: str = ""

    @field_validator("en", "fr")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.replace("\r\n", "\n").strip()

    def get(self, locale: str) -> str:
        return (self.fr if locale == "fr" else self.en) or self.en

    def complete(self) -> bool:
        return bool(self.en and self.fr)

    def empty(self) -> bool:
        return not (self.en or self.fr)


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: Texts


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    kind: str
    label: Texts
    hint: Texts = Field(default_factory=Texts)
    required: bool = True
    max_words: int | None = None
    choices: list[Choice] = []
    visible_to: VisibleTo = "jury"
    public: bool = False
    core: bool = False

    @property
    def builtin(self) -> bool:
        return self.key in BUILTIN_KINDS

    @property
    def custom_grid(self) -> bool:
        """A participation grid of its own, answered as `<key>_<stage>` (not `grid_…`)."""
        return self.kind == "participation" and self.key != "participation_grid"

    def choice_keys(self) -> list[str]:
        return [choice.key for choice in self.choices]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    title: Texts
    fields: list[Question] = []


class FormSchema(BaseModel):
    """One edition's application form: what `prize form export` writes."""

    model_config = ConfigDict(extra="forbid")

    sections: list[Section]

    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.fields]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def question_keys(self) -> list[str]:
        return [question.key for question in self.questions()]

    def custom_questions(self) -> list[Question]:
        return [question for question in self.questions() if not question.builtin]

    def fields(self, locale: str) -> tuple[FormField, ...]:
        """The questions as the entry functions and templates take them, in `locale`."""
        return _fields(self.model_dump_json(), locale)

    def section_titles(self, locale: str) -> dict[str, str]:
        return {section.key: section.title.get(locale) for section in self.sections}

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


@lru_cache(maxsize=64)
def _fields(schema_json: str, locale: str) -> tuple[FormField, ...]:
    schema = FormSchema.model_validate_json(schema_json)
    return tuple(
        FormField(
            name=question.key,
            section=section.key,
            label=question.label.get(locale),
            kind=question.kind,  # type: ignore[arg-type]
            required=question.required,
            max_words=question.max_words,
            hint=question.hint.get(locale),
            choices={c.key: c.label.get(locale) for c in question.choices}
            if question.kind in ("select", "multi") else None,
            public=question.public,
            visible_to=question.visible_to,
            core=question.core,
            custom=not question.builtin,
        )
        for section in schema.sections
        for question in section.fields
    )


# The default form -------------------------------------------------------------------------


def _both(message: str) -> Texts:
    """A message of the catalogue in English and in its French translation."""
    if not message:
        return Texts()
    return Texts(en=message, fr=translations("fr").gettext(message))


@cache
def _default_json() -> str:
    sections = []
    for key, title in form.SECTIONS.items():
        questions = [
            Question(
                key=field.name,
                kind=field.kind,
                label=_both(field.label),
                hint=_both(field.hint),
                required=field.required,
                max_words=field.max_words,
                choices=[Choice(key=k, label=_both(v)) for k, v in (field.choices or {}).items()],
                visible_to="secretariat" if field.name in SECRETARIAT_ONLY else "jury",
                public=field.public,
                core=field.name in CORE_KEYS,
            )
            for field in form.FIELDS
            if field.section == key
        ]
        sections.append(Section(key=key, title=_both(title), fields=questions))
    return FormSchema(sections=sections).model_dump_json()


def default_form() -> FormSchema:
    """Today's fields as a form: what an edition without a form of its own uses."""
    return FormSchema.model_validate_json(_default_json())


_DEFAULTS = {question.key: question for question in default_form().questions()}


#: The question that an edition's own words (`Edition.substances_extra`) add choices to.
VOCABULARY_QUESTION = "substances"


def with_added_words(schema: FormSchema, words: Iterable[Any]) -> FormSchema:
    """The form as the edition's applicants answer it: the substances and behaviours
    question offers, after its own choices, the words the edition adds (each with a `key`
    and its `en` and `fr` text). A word whose key is a choice already changes nothing.

    Only the form as answered and read carries them: the stored form (the editor, `prize
    form export`) keeps the platform's choices, which a core question may not change."""
    words = list(words)
    question = schema.question(VOCABULARY_QUESTION)
    if not words or question is None or question.kind != "multi":
        return schema
    known = set(question.choice_keys())
    added = [Choice(key=word.key, label=Texts(en=word.en, fr=word.fr))
             for word in words if word.key not in known]
    if not added:
        return schema
    widened = question.model_copy(update={"choices": [*question.choices, *added]})
    return schema.model_copy(update={"sections": [
        section.model_copy(update={"fields": [
            widened if q.key == VOCABULARY_QUESTION else q for q in section.fields]})
        if any(q.key == VOCABULARY_QUESTION for q in section.fields) else section
        for section in schema.sections
    ]})


# Reading a form from JSON (the CLI, the database) ----------------------------------------


def parse_form(data: Any) -> FormSchema:
    """A form from decoded JSON, checked on its own (`check_form`); FormProblem if not."""
    if not isinstance(data, Mapping) or not isinstance(data.get("sections"), list):
        raise FormProblem(gettext('The form must be a JSON object with a list of "sections".'))
    for section in data["sections"]:
        for question in section.get("fields", []) if isinstance(section, Mapping) else []:
            if isinstance(question, Mapping) and question.get("kind") not in KINDS:
                raise FormProblem(
                    gettext("The question {key} has an unknown kind {kind}: use one of {kinds}.")
                    .format(key=_shown(question.get("key")), kind=_shown(question.get("kind")),
                            kinds=", ".join(KINDS))
                )
    # "core" is read-only: the platform says which questions are core, not the file.
    data = {**data, "sections": [
        {**section, "fields": [
            {**question, "core": question.get("key") in CORE_KEYS}
            if isinstance(question, Mapping) else question
            for question in section.get("fields", [])
        ]} if isinstance(section, Mapping) and isinstance(section.get("fields", []), list)
        else section
        for section in data["sections"]
    ]}
    try:
        schema = FormSchema.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FormProblem(
            gettext("The form is not valid at {where}: {problem}.").format(
                where=where, problem=first["msg"])
        ) from None
    check_form(schema)
    return schema


def _shown(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f'"{value}"'


# The rules of one form -----------------------------------------------------------------


def check_form(schema: FormSchema) -> None:
    """Raise FormProblem naming the first thing wrong with this form on its own."""
    seen: set[str] = set()
    if not schema.sections:
        raise FormProblem(gettext("The form needs at least one section."))
    if len(schema.questions()) > MAX_QUESTIONS:
        raise FormProblem(
            gettext("A form may have {n} questions at most.").format(n=MAX_QUESTIONS))
    for section in schema.sections:
        _check_key(section.key, seen)
        _check_texts(section.title, gettext("The title of the section {key}").format(
            key=section.key))
    for question in schema.questions():
        _check_key(question.key, seen)
        _check_question(question)
    for key in sorted(CORE_KEYS - set(schema.question_keys())):
        raise FormProblem(
            gettext("The core question {key} is missing: the platform relies on it, so it "
                    "cannot be removed.").format(key=key))
    grids = [q.key for q in schema.questions() if q.kind == "participation" and q.custom_grid]
    for key in schema.question_keys():
        for grid in grids:
            if key != grid and key.startswith(grid + "_"):
                raise FormProblem(
                    gettext("The key {key} begins with the key of the grid {grid}: choose "
                            "another key.").format(key=key, grid=grid))


def _check_key(key: str, seen: set[str]) -> None:
    if not KEY.match(key):
        raise FormProblem(
            gettext("The key {key} is not valid: use lower-case letters, digits and _, "
                    "starting with a letter (40 at most).").format(key=_shown(key)))
    if key in RESERVED_KEYS:
        raise FormProblem(gettext("The key {key} is reserved: choose another key.").format(
            key=key))
    if key in seen:
        raise FormProblem(gettext("The key {key} is used twice.").format(key=key),
                          key=key, field="key")
    seen.add(key)


def _check_texts(texts: Texts, what: str, *, optional: bool = False) -> None:
    if optional and texts.empty():
        return
    if not texts.en:
        raise FormProblem(gettext("{what} has no English text.").format(what=what))
    if not texts.fr:
        raise FormProblem(gettext("{what} has no French text.").format(what=what))
    if len(texts.en) > MAX_TEXT or len(texts.fr) > MAX_TEXT:
        raise FormProblem(gettext("{what} is too long: at most {n} characters.").format(
            what=what, n=MAX_TEXT))


def _check_question(question: Question) -> None:
    key = question.key
    if question.kind not in KINDS:
        raise FormProblem(
            gettext("The question {key} has an unknown kind {kind}: use one of {kinds}.")
            .format(key=key, kind=_shown(question.kind), kinds=", ".join(KINDS)))
    _check_texts(question.label, gettext("The label of {key}").format(key=key))
    _check_texts(question.hint, gettext("The hint of {key}").format(key=key), optional=True)
    builtin_kind = BUILTIN_KINDS.get(key)
    if builtin_kind is not None and question.kind != builtin_kind:
        raise FormProblem(
            gettext("The question {key} is a built-in question of the kind {kind}: its kind "
                    "cannot change.").format(key=key, kind=builtin_kind))
    if question.max_words is not None:
        if question.kind != "textarea":
            raise FormProblem(gettext("Only a long text has a word limit ({key}).").format(
                key=key), key=key, field="max_words")
        if not 1 <= question.max_words <= MAX_WORD_LIMIT:
            raise FormProblem(
                gettext("The word limit of {key} must be between 1 and {n}.").format(
                    key=key, n=MAX_WORD_LIMIT), key=key, field="max_words")
    if question.kind in ("select", "multi"):
        if not question.choices:
            raise FormProblem(gettext("The question {key} needs at least one choice.").format(
                key=key))
        if len(question.choices) > MAX_CHOICES:
            raise FormProblem(gettext("The question {key} has more than {n} choices.").format(
                key=key, n=MAX_CHOICES))
        keys: set[str] = set()
        for choice in question.choices:
            if not KEY.match(choice.key):
                raise FormProblem(
                    gettext("The choice {choice} of {key} is not a valid key: use lower-case "
                            "letters, digits and _.").format(choice=_shown(choice.key), key=key))
            if choice.key in keys:
                raise FormProblem(gettext("The choice {choice} of {key} is used twice.").format(
                    choice=choice.key, key=key))
            keys.add(choice.key)
            _check_texts(choice.label, gettext("The choice {choice} of {key}").format(
                choice=choice.key, key=key))
    elif question.choices:
        raise FormProblem(gettext("Only a choice question has choices ({key}).").format(key=key))
    default = _DEFAULTS.get(key)
    if key in CORE_KEYS and default is not None:
        if not question.core:
            raise FormProblem(gettext("The question {key} is a core question: it stays marked "
                                      '"core": true.').format(key=key))
        if question.required != default.required:
            raise FormProblem(gettext("The core question {key} cannot be made required or "
                                      "optional: the platform relies on it.").format(key=key))
        if question.choice_keys() != default.choice_keys() and question.kind in ("select",):
            raise FormProblem(gettext("The choices of the core question {key} cannot change, "
                                      "only their wording.").format(key=key))
        if question.kind == "multi" and set(question.choice_keys()) != set(default.choice_keys()):
            raise FormProblem(gettext("The choices of the core question {key} cannot change, "
                                      "only their wording.").format(key=key))
        if question.visible_to != default.visible_to:
            raise FormProblem(gettext("Who sees the core question {key} cannot change.").format(
                key=key))
    elif question.core:
        raise FormProblem(gettext('Only the platform\'s own questions are core: {key} cannot be '
                                  'marked "core": true.').format(key=key))


# The rules of a change -------------------------------------------------------------------


def structural_changes(old: FormSchema, new: FormSchema) -> list[str]:
    """What a frozen form may not change: questions or sections added or removed, a kind
    or a list of choices changed. One sentence for each, in the order found."""
    changes: list[str] = []
    old_q = {q.key: q for q in old.questions()}
    new_q = {q.key: q for q in new.questions()}
    for key in new_q.keys() - old_q.keys():
        changes.append(gettext("the question {key} is added").format(key=key))
    for key in old_q.keys() - new_q.keys():
        changes.append(gettext("the question {key} is removed").format(key=key))
    for key in old_q.keys() & new_q.keys():
        if old_q[key].kind != new_q[key].kind:
            changes.append(gettext("the kind of {key} changes").format(key=key))
        elif set(old_q[key].choice_keys()) != set(new_q[key].choice_keys()):
            changes.append(gettext("the choices of {key} change").format(key=key))
    old_s = {s.key for s in old.sections}
    new_s = {s.key for s in new.sections}
    for key in new_s - old_s:
        changes.append(gettext("the section {key} is added").format(key=key))
    for key in old_s - new_s:
        changes.append(gettext("the section {key} is removed").format(key=key))
    return sorted(changes)


def check_change(
    old: FormSchema,
    new: FormSchema,
    *,
    frozen: bool,
    submitted: Iterable[tuple[str, Mapping[str, str]]] = (),
) -> None:
    """Raise FormProblem if `new` may not replace `old`.

    `frozen`: the edition has a submitted entry. `submitted`: (reference, long answers by
    question key) of each submitted entry, so a word limit is never lowered below one.
    """
    check_form(new)
    if frozen:
        changes = structural_changes(old, new)
        if changes:
            raise FormProblem(
                gettext("Entries of this edition are already submitted, so only wording, "
                        "hints, limits and order may change: {changes}.").format(
                    changes="; ".join(changes)))
    submitted = list(submitted)
    old_q = {q.key: q for q in old.questions()}
    for question in new.questions():
        before = old_q.get(question.key)
        if question.max_words is None or before is None:
            continue
        if before.max_words is not None and question.max_words >= before.max_words:
            continue
        over = [reference for reference, answers in submitted
                if form.count_words(answers.get(question.key) or "") > question.max_words]
        if over:
            raise FormProblem(
                gettext("The word limit of {key} cannot go below {limit}: submitted answers "
                        "are longer ({references}).").format(
                    key=question.key, limit=question.max_words, references=", ".join(over)),
                key=question.key, field="max_words")


def wording_changes(old: FormSchema, new: FormSchema) -> list[str]:
    """The keys whose wording, hint, choices' wording or limit changed (for the audit)."""
    changed = []
    old_q = {q.key: q for q in old.questions()}
    for question in new.questions():
        before = old_q.get(question.key)
        if before is not None and before != question:
            changed.append(question.key)
    old_s = {s.key: s.title for s in old.sections}
    changed += [s.key for s in new.sections if s.key in old_s and old_s[s.key] != s.title]
    return changed


def long_answers(application: form.Application, schema: FormSchema) -> dict[str, str]:
    """The long-text answers of an application by question key (for the word-limit rule)."""
    found = {}
    for question in schema.questions():
        if question.kind != "textarea":
            continue
        value = form.answer_of(application, question.key)
        if isinstance(value, str):
            found[question.key] = value
    return found


def public_answers(application: form.Application, schema: FormSchema,
                   locale: str) -> list[tuple[str, str]]:
    """(question, answer) of each question the secretariat added and marked public that
    this application answered, in `locale`: what the public record is pre-filled with.
    Secretariat-only questions never go public."""
    found = []
    for question in schema.custom_questions():
        if not question.public or question.visible_to != "jury":
            continue
        answer = application.answers.get(question.key)
        labels = {choice.key: choice.label.get(locale) for choice in question.choices}
        if isinstance(answer, list):
            answer = ", ".join(labels.get(item, item) for item in answer)
        elif isinstance(answer, str) and question.kind == "select":
            answer = labels.get(answer, answer)
        if isinstance(answer, str | int) and not isinstance(answer, bool) and str(answer).strip():
            found.append((question.label.get(locale), str(answer).strip()))
    return found


__all__ = [
    "CORE_KEYS", "KINDS", "LOCALES", "Choice", "FormProblem", "FormSchema", "Question",
    "Section", "Texts", "check_change", "check_form", "default_form", "long_answers",
    "parse_form", "public_answers", "structural_changes", "with_added_words",
    "wording_changes",
]
