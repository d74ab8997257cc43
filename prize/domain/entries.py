"""The application form of an entry: its fields, drafts, and what submission requires.

A draft may be incomplete but never malformed: each value is checked for its type
and size when saved. Submission checks everything else and names, field by field,
what is missing, so the applicant can finish without losing a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, TypeAdapter, ValidationError

from prize.domain import vocabulary as voc
from prize.domain.text import OneLine, one_line
from prize.i18n import N_, gettext, ngettext

FieldKind = Literal[
    "text",
    "textarea",
    "email",
    "tel",
    "url",
    "date",
    "int",
    "select",
    "multi",
    "bool",
    "country",
    "countries",
    "participation",
]

WORD = re.compile(r"\S+")
MAX_TEXT_CHARS = 20_000  # far above any word limit: only stops abuse
MAX_LINE_CHARS = 300


def is_empty(value: Any) -> bool:
    # Zero people is an answer; False is not (an unticked declaration).
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def count_words(text: str) -> int:
    return len(WORD.findall(text or ""))


@dataclass(frozen=True)
class FormField:
    name: str
    section: str
    label: str
    kind: FieldKind
    required: bool = True
    max_words: int | None = None
    hint: str = ""
    choices: dict[str, str] | None = None
    public: bool = False  # may appear on a published good-practice page
    visible_to: str = "jury"  # or "secretariat": never shown to jurors and advisors
    core: bool = False  # the platform relies on it (prize.domain.form_schema.CORE_KEYS)
    custom: bool = False  # answered into Application.answers, not a field of its own

    @property
    def grid_prefix(self) -> str:
        """How the participation grid's inputs are named: `grid_<stage>` for the built-in
        grid, `<key>_<stage>` for a grid the secretariat added."""
        return "grid_" if self.name == "participation_grid" else f"{self.name}_"


SECTIONS = {
    "organisation": N_("1. The organisation"),
    "contact": N_("2. Contact person"),
    "project": N_("3. The project"),
    "approach": N_("4. Needs, aims and activities"),
    "participation": N_("5. Youth participation"),
    "results": N_("6. Evaluation, sustainability and ethics"),
    "consent": N_("7. Attachments, consent and declaration"),
}

FIELDS: tuple[FormField, ...] = (
    FormField("org_name", "organisation", N_("Name of the organisation"), "text", public=True),
    FormField(
        "org_type",
        "organisation",
        N_("Type of organisation"),
        "select",
        choices=voc.ORGANISATION_TYPES,
    ),
    FormField(
        "country",
        "organisation",
        N_("Country"),
        "country",
        hint=N_("Where the organisation is based."),
    ),
    FormField(
        "countries",
        "organisation",
        N_("Countries where the project is active"),
        "countries",
        required=False,
        hint=N_("Add every country where the project works, if there are others."),
    ),
    FormField("city", "organisation", N_("Town or city"), "text", public=True),
    FormField(
        "website",
        "organisation",
        N_("Website"),
        "url",
        required=False,
        public=True,
        hint=N_("Starts with https:// or http://"),
    ),
    FormField("contact_name", "contact", N_("Full name"), "text"),
    FormField("contact_email", "contact", N_("Email"), "email"),
    FormField(
        "contact_phone",
        "contact",
        N_("Telephone"),
        "tel",
        hint=N_("With the country code, for example +33 3 88 41 20 00."),
    ),
    FormField("title", "project", N_("Title of the project"), "text", public=True),
    FormField("language", "project", N_("Language of this entry"), "select", choices=voc.LANGUAGES),
    FormField("start_date", "project", N_("Start date"), "date"),
    FormField(
        "running",
        "project",
        N_("Is the project running now?"),
        "select",
        choices={"yes": N_("Yes, it is running"), "no": N_("No, it has finished")},
    ),
    FormField(
        "end_date",
        "project",
        N_("End date"),
        "date",
        required=False,
        hint=N_("Only if the project has finished."),
    ),
    FormField(
        "summary",
        "project",
        N_("Summary of the project"),
        "textarea",
        max_words=300,
        public=True,
        hint=N_("What the project does, with whom, and what it achieved."),
    ),
    FormField(
        "goals", "project", N_("Goals in drug prevention"), "textarea", max_words=100, public=True,
        hint=N_("What the project wants to change, in one or two sentences (for example: fewer "
                "young people start smoking). Your detailed objectives go under “Aims and "
                "objectives”."),
    ),
    FormField(
        "target_groups",
        "project",
        N_("Target groups"),
        "multi",
        choices=voc.TARGET_GROUPS,
        public=True,
    ),
    FormField("settings", "project", N_("Settings"), "multi", choices=voc.SETTINGS, public=True),
    FormField(
        "levels", "project", N_("Level of prevention"), "multi", choices=voc.LEVELS, public=True,
        hint=N_("Universal: for everyone in a group (a class, a town). Selective: for groups more "
                "at risk. Indicated: for people already showing early signs. Environmental: "
                "changes rules, places or prices."),
    ),
    FormField(
        "substances",
        "project",
        N_("Substances and behaviours addressed"),
        "multi",
        choices=voc.SUBSTANCES,
        public=True,
    ),
    FormField("young_people", "project",
              N_("Number of young people under 25 who help run the project"), "int"),
    FormField("adults", "project",
              N_("Number of adults (25 or over) who help run the project"), "int"),
    FormField("people_reached", "project",
              N_("Number of people the project reached (participants, audience)"), "int"),
    FormField(
        "needs_assessment",
        "approach",
        N_("Needs assessment"),
        "textarea",
        max_words=300,
        hint=N_("How you found out what the young people and the community need."),
    ),
    FormField(
        "aims", "approach", N_("Aims and objectives"), "textarea", max_words=300,
        hint=N_("What you planned to achieve, and how you know if you achieved it (for example: "
                "60 pupils trained by June)."),
    ),
    FormField("activities", "approach", N_("Activities"), "textarea", max_words=1000, public=True),
    FormField(
        "youth_participation",
        "participation",
        N_("How young people actively take part"),
        "textarea",
        max_words=500,
        public=True,
        hint=N_("Merely consulting young people is not enough: say what they decide and do."),
    ),
    FormField(
        "participation_grid",
        "participation",
        N_("Are young people involved in each stage?"),
        "participation",
        required=False,
    ),
    FormField(
        "evaluation",
        "results",
        N_("Evaluation and results"),
        "textarea",
        max_words=500,
        public=True,
    ),
    FormField(
        "sustainability", "results", N_("Sustainability and funding"), "textarea", max_words=300
    ),
    FormField(
        "ethics",
        "results",
        N_("Ethics"),
        "textarea",
        max_words=300,
        hint=N_("Consent, confidentiality, and how you avoid stigma and harm."),
    ),
    FormField(
        "consent_publication",
        "consent",
        N_("We agree that a summary of this entry may be published as a good practice."),
        "bool",
        required=False,
    ),
    FormField(
        "declaration",
        "consent",
        N_("I declare that the information in this entry is true."),
        "bool",
    ),
)

FIELDS_BY_NAME = {form_field.name: form_field for form_field in FIELDS}
_EMAIL = TypeAdapter(EmailStr)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


class Participation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    involved: bool = False
    how: str = ""


class Application(BaseModel):
    """The entry as the applicant wrote it: every field may still be empty in a draft."""

    model_config = ConfigDict(extra="ignore")

    org_name: OneLine = ""
    org_type: str = ""
    country: str = ""
    countries: list[str] = []
    city: OneLine = ""
    website: str = ""
    contact_name: OneLine = ""
    contact_email: str = ""
    contact_phone: str = ""
    title: OneLine = ""
    language: str = "en"
    start_date: date | None = None
    running: str = ""
    end_date: date | None = None
    summary: str = ""
    goals: str = ""
    target_groups: list[str] = []
    settings: list[str] = []
    levels: list[str] = []
    substances: list[str] = []
    young_people: int | None = None
    adults: int | None = None
    people_reached: int | None = None
    needs_assessment: str = ""
    aims: str = ""
    activities: str = ""
    youth_participation: str = ""
    participation_grid: dict[str, Participation] = {}
    evaluation: str = ""
    sustainability: str = ""
    ethics: str = ""
    consent_publication: bool = False
    declaration: bool = False
    #: Answers to the questions an edition's form adds, by question key (JSON values:
    #: text, a list of keys, a number, true/false, a date as YYYY-MM-DD, or a grid).
    answers: dict[str, Any] = {}

    def all_countries(self) -> list[str]:
        """The base country first, then the other countries of activity."""
        seen = [self.country] if self.country else []
        seen += [code for code in self.countries if code not in seen]
        return seen

    def changed_fields(self, other: Application) -> list[str]:
        mine, theirs = self.model_dump(), other.model_dump()
        changed = [name for name in mine if name != "answers" and mine[name] != theirs.get(name)]
        keys = dict.fromkeys([*self.answers, *other.answers])
        return changed + [key for key in keys if self.answers.get(key) != other.answers.get(key)]


def answer_of(application: Application, name: str) -> Any:
    """The answer to one question: a field of the application, or a custom answer."""
    if name in Application.model_fields and name != "answers":
        return getattr(application, name)
    return application.answers.get(name)


def answer_fits(kind: str, value: Any) -> bool:
    """Whether a stored custom answer has the shape its question's kind gives answers
    (a question may have changed kind while a draft answered it)."""
    if value is None:
        return True
    if kind in ("multi", "countries"):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "participation":
        return isinstance(value, dict) and all(isinstance(part, dict) for part in value.values())
    return isinstance(value, str)


def fitted(application: Application, fields: tuple[FormField, ...]) -> Application:
    """The application with only the custom answers that fit its form's questions now."""
    kinds = {form_field.name: form_field.kind for form_field in fields if form_field.custom}
    answers = {key: value for key, value in application.answers.items()
               if key in kinds and answer_fits(kinds[key], value)}
    if answers == application.answers:
        return application
    return application.model_copy(update={"answers": answers})


def shown_answer(form_field: FormField, application: Application) -> Any:
    """An answer as the reading views show it (custom dates and grids as typed objects)."""
    value = answer_of(application, form_field.name)
    if form_field.custom and not answer_fits(form_field.kind, value):
        return None
    if not form_field.custom or value in (None, ""):
        return value
    if form_field.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if form_field.kind == "participation" and isinstance(value, dict):
        return {stage: Participation.model_validate(part) for stage, part in value.items()
                if isinstance(part, dict)}
    return value


FormErrors = dict[str, str]


def parse_draft(
    values: dict[str, Any], fields: tuple[FormField, ...] = FIELDS
) -> tuple[Application, FormErrors]:
    """Turn raw form values into an Application, checking each value's type and size.

    `values` maps a field name to a string, or a list of strings for multi-valued
    fields, and `grid_<stage>` / `grid_<stage>_how` for the participation grid.
    Values that fail are reported and left out of the returned Application; the
    caller re-renders the form from the raw values so nothing typed is lost.
    """
    clean: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    errors: FormErrors = {}
    for form_field in fields:
        target = answers if form_field.custom else clean
        if form_field.kind == "participation":
            grid, grid_error = _parse_grid(values, form_field.grid_prefix)
            target[form_field.name] = (
                {stage: part.model_dump() for stage, part in grid.items()}
                if form_field.custom else grid
            )
            if grid_error:
                errors[form_field.name] = grid_error
            continue
        raw = values.get(form_field.name)
        try:
            value = _parse_value(form_field, raw)
        except ValueError as problem:
            errors[form_field.name] = str(problem)
            if form_field.kind in KEPT_AS_TYPED:
                # A mistyped address or number is still the applicant's text: keep it in
                # the draft as typed (its error shows again on reload), never blank it.
                typed = _kept_as_typed(raw)
                if typed is not None:
                    target[form_field.name] = typed
            continue
        if value is not None:
            target[form_field.name] = (
                value.isoformat() if form_field.custom and isinstance(value, date) else value
            )
    if "country" in clean and "countries" in clean:
        clean["countries"] = [code for code in clean["countries"] if code != clean["country"]]
    clean["answers"] = answers
    return Application.model_validate(clean), errors


KEPT_AS_TYPED = ("email", "url", "tel")


def _kept_as_typed(raw: Any) -> str | None:
    """The text of a format-invalid one-line answer, if it can be stored as it is."""
    try:
        text = " ".join(_as_text(raw).split())  # one line, as the form shows it
    except ValueError:
        return None
    return text if 0 < len(text) <= MAX_LINE_CHARS else None


def format_problems(
    application: Application, fields: tuple[FormField, ...] = FIELDS
) -> FormErrors:
    """The stored answers kept as typed that still fail their format check."""
    problems: FormErrors = {}
    for form_field in fields:
        if form_field.kind not in KEPT_AS_TYPED:
            continue
        value = answer_of(application, form_field.name)
        if not value:
            continue
        try:
            _parse_value(form_field, value)
        except ValueError as problem:
            problems[form_field.name] = str(problem)
    return problems


def _as_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    if not isinstance(raw, str):
        raise ValueError(gettext("This value is not text."))
    # Normalise line ends so word counts and stored text match what the browser shows.
    return raw.replace("\r\n", "\n").replace("\x00", "").strip()


def _as_list(raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(item, str) for item in items):
        raise ValueError(gettext("This value is not text."))
    return [item.strip() for item in items if item.strip()]


def _parse_value(form_field: FormField, raw: Any) -> Any:
    kind = form_field.kind
    if kind in ("multi", "countries"):
        items = _as_list(raw)
        if kind == "multi":
            unknown = [item for item in items if item not in (form_field.choices or {})]
        else:
            items = [item.upper() for item in items]
            unknown = [item for item in items if not voc.is_country_code(item)]
        if unknown:
            raise ValueError(gettext("Choose from the list."))
        return list(dict.fromkeys(items))
    if kind == "bool":
        return _as_text(raw) in ("on", "yes", "true", "1")
    text = _as_text(raw)
    if kind != "textarea":
        text = one_line(text)
    limit = MAX_TEXT_CHARS if kind == "textarea" else MAX_LINE_CHARS
    if len(text) > limit:
        raise ValueError(
            gettext("This is too long: at most {limit} characters.").format(limit=limit)
        )
    if not text:
        return None
    if kind == "select" and text not in (form_field.choices or {}):
        raise ValueError(gettext("Choose from the list."))
    if kind == "country":
        text = text.upper()
        if not voc.is_country_code(text):
            raise ValueError(gettext("Choose a country from the list."))
    if kind == "email":
        try:
            text = _EMAIL.validate_python(text)
        except ValidationError:
            raise ValueError(gettext("Enter an email address like name@example.org.")) from None
    if kind == "url" and not _URL.match(text):
        raise ValueError(gettext("Enter a web address starting with https:// or http://."))
    if kind == "tel" and not _PHONE.match(text):
        raise ValueError(gettext("Enter a telephone number with digits, spaces and an optional +."))
    if kind == "date":
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ValueError(gettext("Enter a date as YYYY-MM-DD.")) from None
        if not 1950 <= parsed.year <= 2100:
            raise ValueError(gettext("Enter a real date."))
        return parsed
    if kind == "int":
        if not re.fullmatch(r"\d{1,9}", text.replace(" ", "").replace(",", "")):
            raise ValueError(gettext("Enter a whole number, for example 120."))
        return int(text.replace(" ", "").replace(",", ""))
    return text


def _parse_grid(
    values: dict[str, Any], prefix: str = "grid_"
) -> tuple[dict[str, Participation], str]:
    grid: dict[str, Participation] = {}
    problem = ""
    for stage in voc.PARTICIPATION_STAGES:
        try:
            involved = _as_text(values.get(f"{prefix}{stage}")) in ("on", "yes", "true", "1")
            how = _as_text(values.get(f"{prefix}{stage}_how"))
        except ValueError as error:
            problem = str(error)
            continue
        if len(how) > MAX_LINE_CHARS * 4:
            problem = gettext("Each answer in the grid may have at most 1200 characters.")
            how = how[: MAX_LINE_CHARS * 4]
        if involved or how:
            grid[stage] = Participation(involved=involved, how=how)
    return grid, problem


def submission_problems(
    application: Application, *, today: date, fields: tuple[FormField, ...] = FIELDS
) -> FormErrors:
    """Everything that stops this application from being submitted, field by field."""
    problems: FormErrors = format_problems(application, fields)
    for form_field in fields:
        value = answer_of(application, form_field.name)
        if form_field.custom and not answer_fits(form_field.kind, value):
            value = None  # its question changed kind: an answer is needed again
        if form_field.name in problems:
            continue
        if form_field.custom and form_field.kind == "participation":
            parts = {stage: part for stage, part in (value or {}).items()
                     if isinstance(part, dict) and stage in voc.PARTICIPATION_STAGES}
            if form_field.required and not any(part.get("involved") for part in parts.values()):
                problems[form_field.name] = gettext(
                    "Tick at least one stage where young people are involved."
                )
            for stage, part in parts.items():
                if part.get("involved") and not part.get("how"):
                    problems[form_field.name] = gettext(
                        "Say how young people take part in each stage you ticked ({stage})."
                    ).format(stage=gettext(voc.PARTICIPATION_STAGES[stage]))
                    break
            continue
        if form_field.required and is_empty(value):
            if form_field.kind == "bool":
                problems[form_field.name] = gettext("Tick this box to submit.")
            elif form_field.kind in ("select", "multi", "country", "countries"):
                problems[form_field.name] = gettext("Choose an answer from the list.")
            else:
                problems[form_field.name] = gettext("Answer this question.")
            continue
        if form_field.max_words and isinstance(value, str):
            words = count_words(value)
            if words > form_field.max_words:
                problems[form_field.name] = ngettext(
                    "At most {limit} word: this has {words}.",
                    "At most {limit} words: this has {words}.",
                    form_field.max_words,
                ).format(limit=form_field.max_words, words=words)
    if application.start_date and application.start_date > today:
        problems["start_date"] = gettext(
            "The prize rewards work done: the project must have started."
        )
    if application.running == "no" and not application.end_date:
        problems["end_date"] = gettext("Give the end date of a finished project.")
    if (
        application.end_date
        and application.start_date
        and application.end_date < application.start_date
    ):
        problems["end_date"] = gettext("The end date is before the start date.")
    if not any(part.involved for part in application.participation_grid.values()):
        problems["participation_grid"] = gettext(
            "Tick at least one stage where young people are involved."
        )
    for stage, part in application.participation_grid.items():
        if part.involved and not part.how:
            problems["participation_grid"] = gettext(
                "Say how young people take part in each stage you ticked ({stage})."
            ).format(stage=gettext(voc.PARTICIPATION_STAGES[stage]))
            break
    return problems


def form_values(application: Application) -> dict[str, Any]:
    """The raw form values that show this application in the form again."""
    values: dict[str, Any] = {}
    dumped = application.model_dump()
    custom = dumped.pop("answers")
    for key, answer in custom.items():
        if isinstance(answer, dict):  # a grid of its own: <key>_<stage>, <key>_<stage>_how
            for stage, part in answer.items():
                if isinstance(part, dict):
                    values[f"{key}_{stage}"] = "on" if part.get("involved") else ""
                    values[f"{key}_{stage}_how"] = str(part.get("how", ""))
        elif isinstance(answer, bool):
            values[key] = "on" if answer else ""
        elif isinstance(answer, list):
            values[key] = answer
        else:
            values[key] = "" if answer is None else str(answer)
    for name, value in dumped.items():
        if name == "participation_grid":
            for stage, part in value.items():
                values[f"grid_{stage}"] = "on" if part["involved"] else ""
                values[f"grid_{stage}_how"] = part["how"]
        elif isinstance(value, bool):
            values[name] = "on" if value else ""
        elif isinstance(value, list):
            values[name] = value
        elif value is None:
            values[name] = ""
        else:
            values[name] = str(value)
    return values


def completeness(
    application: Application, *, today: date, fields: tuple[FormField, ...] = FIELDS
) -> tuple[int, int]:
    """Answers ready for submission, out of the answers submission checks.

    It counts exactly what `submission_problems` checks: every required field, the
    youth-participation grid, and any other field that has a problem now; so
    `total - done` is the number of problems that Submit would list.
    """
    problems = submission_problems(application, today=today, fields=fields)
    checked = {form_field.name for form_field in fields if form_field.required}
    checked.add("participation_grid")
    checked.update(problems)
    return len(checked) - len(problems), len(checked)


SectionState = Literal["complete", "incomplete", "errors"]


def section_states(
    problems: FormErrors,
    errors: FormErrors,
    fields: tuple[FormField, ...] = FIELDS,
    sections: Iterable[str] = SECTIONS,
) -> dict[str, SectionState]:
    """Each section's state for the form's navigation: an answer that fails a check now
    (`errors`) makes it "errors"; anything still missing for submission, "incomplete"."""
    states: dict[str, SectionState] = {}
    for key in sections:
        names = {form_field.name for form_field in fields if form_field.section == key}
        if names & set(errors):
            states[key] = "errors"
        elif names & set(problems):
            states[key] = "incomplete"
        else:
            states[key] = "complete"
    return states
