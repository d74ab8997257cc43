"""Editions of the prize and their criteria, with the defaults of the real prize."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from prize.domain.identity import DEFAULT_IDENTITY, Identity
from prize.domain.statuses import EditionStatus
from prize.domain.text import OneLine
from prize.domain.vocabulary import ELIGIBLE_COUNTRIES, SUBSTANCES
from prize.i18n import N_, current_locale, gettext


def call_is_open(status: str, now: datetime, closes_at: datetime | None) -> bool:
    """The call for entries is open and its deadline is still ahead: applicants may act.

    At the deadline itself the call is closed. The lifecycle's steps of the applicant
    (submit, withdraw) and :meth:`Edition.is_open_for_entries` both ask this.
    """
    # An open edition without a deadline should not exist; treat it as closed, not as endless.
    return status == EditionStatus.OPEN and closes_at is not None and now < closes_at


class Criterion(BaseModel):
    """One criterion of an edition: what jurors score, how heavily it counts."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    title: OneLine = Field(min_length=1, max_length=200)
    title_fr: OneLine = Field(default="", max_length=200)
    guidance: str = Field(default="", max_length=2000)
    guidance_fr: str = Field(default="", max_length=2000)
    weight: float = Field(gt=0, le=100)
    scale_min: int = Field(default=0, ge=0, le=10)
    scale_max: int = Field(default=5, ge=1, le=10)
    rubric: tuple[str, ...] = ()
    rubric_fr: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _scale_and_rubric(self) -> Criterion:
        if self.scale_max <= self.scale_min:
            raise ValueError("the top of the scale must be above its bottom")
        levels = self.scale_max - self.scale_min + 1
        for rubric in (self.rubric, self.rubric_fr):
            if rubric and len(rubric) != levels:
                raise ValueError(f"the rubric needs one sentence for each of the {levels} levels")
        return self

    @property
    def levels(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def rubric_for(self, score: int) -> str:
        rubric = self.localized_rubric()
        index = score - self.scale_min
        return rubric[index] if 0 <= index < len(rubric) else ""

    def localized_title(self) -> str:
        return self.title_fr if current_locale() == "fr" and self.title_fr else self.title

    def localized_guidance(self) -> str:
        return self.guidance_fr if current_locale() == "fr" and self.guidance_fr else self.guidance

    def localized_rubric(self) -> tuple[str, ...]:
        return self.rubric_fr if current_locale() == "fr" and self.rubric_fr else self.rubric


class VocabularyItem(BaseModel):
    """A word an edition adds to a list of the form ("gaming" to substances and behaviours)."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    en: OneLine = Field(min_length=1, max_length=80)
    fr: OneLine = Field(min_length=1, max_length=80)

    def label(self) -> str:
        return self.fr if current_locale() == "fr" else self.en


class Edition(BaseModel):
    id: int | None = None
    year: int = Field(ge=2000, le=2100)
    title: OneLine = Field(min_length=1, max_length=200)
    title_fr: OneLine = ""
    theme: OneLine = ""
    theme_fr: OneLine = ""
    status: EditionStatus = EditionStatus.DRAFT
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    judging_ends_at: datetime | None = None
    timezone: str = "Europe/Paris"  # Strasbourg's time
    jurors_per_entry: int | None = 3
    spread_threshold: float = 25.0
    eligible_countries: tuple[str, ...] = ELIGIBLE_COUNTRIES
    assignment_released_at: datetime | None = None
    criteria: tuple[Criterion, ...] = ()
    #: What the call says of the edition's scope, in each language (shown on the call).
    scope: str = Field(default="", max_length=3000)
    scope_fr: str = Field(default="", max_length=3000)
    #: Prize money per award, in whole euros, and how many awards (None: not said).
    prize_money: int | None = Field(default=None, ge=0, le=10_000_000)
    awards: int | None = Field(default=None, ge=1, le=50)
    #: Words this edition adds to the "substances and behaviours" list.
    substances_extra: tuple[VocabularyItem, ...] = ()
    #: 1, or 2 with a final round for the shortlist (issue 15); the round judged now.
    rounds: int = Field(default=1, ge=1, le=2)
    current_round: int = Field(default=1, ge=1, le=2)
    final_judging_ends_at: datetime | None = None
    #: The final round's own criteria; empty: it uses ``criteria`` (round 1's).
    final_criteria: tuple[Criterion, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("opens_at", "closes_at", "judging_ends_at", "assignment_released_at",
                     "final_judging_ends_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("times must carry a time zone (they are stored in UTC)")
        return value

    def is_open_for_entries(self, now: datetime) -> bool:
        """Applicants may write and submit: the call is open and the deadline not passed."""
        return call_is_open(self.status, now, self.closes_at)

    def localized_title(self) -> str:
        return self.title_fr if current_locale() == "fr" and self.title_fr else self.title

    def localized_theme(self) -> str:
        return self.theme_fr if current_locale() == "fr" and self.theme_fr else self.theme

    def localized_scope(self) -> str:
        return self.scope_fr if current_locale() == "fr" and self.scope_fr else self.scope

    def substance_choices(self) -> dict[str, str]:
        """Key → label (in the reader's language) of the substances and behaviours an entry
        of this edition may name: the platform's list, then the edition's own words."""
        return substance_choices(self.substances_extra)

    @property
    def total_weight(self) -> float:
        return sum(criterion.weight for criterion in self.criteria)

    @property
    def has_final_round(self) -> bool:
        return self.rounds == 2

    def criteria_of_round(self, round_number: int) -> tuple[Criterion, ...]:
        """The criteria jurors score in that round: the final round's own, else round 1's."""
        if round_number == 2 and self.final_criteria:
            return self.final_criteria
        return self.criteria


def _rubric(*levels: str) -> tuple[str, ...]:
    assert len(levels) == 6
    return levels


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        key="youth_participation",
        title=N_("Youth participation"),
        guidance=N_(
            "Young people take an active part in every stage: needs assessment, design, "
            "delivery, evaluation."
        ),
        title_fr="Participation des jeunes",
        guidance_fr=(
            "Les jeunes prennent une part active à chaque étape\u00a0: analyse des besoins, "
            "conception, mise en œuvre, évaluation."
        ),
        weight=3,
        rubric=_rubric(
            N_("Young people are not involved, or only as an audience."),
            N_("Young people are consulted once but have no say in what happens."),
            N_("Young people help with one stage, such as running activities, but do not decide "
               "anything."),
            N_("Young people take part in several stages and some decisions."),
            N_("Young people shape most stages and are members of the group that decides (for "
               "example the steering group)."),
            N_("Young people lead the project at every stage, from finding out needs to "
               "evaluation."),
        ),
        rubric_fr=_rubric(
            "Les jeunes ne sont pas associés, ou seulement en tant que public.",
            (
                "Les jeunes sont consultés une fois mais n’ont pas leur mot à dire sur ce qui se"
                " passe."
            ),
            ("Les jeunes aident à une étape, comme l’animation des activités, mais ne décident "
             "de rien."),
            "Les jeunes participent à plusieurs étapes et à certaines décisions.",
            (
                "Les jeunes orientent la plupart des étapes et font partie du groupe qui décide "
                "(par exemple le comité de pilotage)."
            ),
            (
                "Les jeunes dirigent le projet à chaque étape, de l’analyse des besoins à "
                "l’évaluation."
            ),
        ),
    ),
    Criterion(
        key="needs_evidence",
        title=N_("Needs assessment and evidence base"),
        guidance=N_("Built on an assessment of needs and on evidence of what works in prevention."),
        title_fr="Analyse des besoins et preuves d’efficacité",
        guidance_fr=(
            "Fondé sur une analyse des besoins et sur ce que la recherche montre efficace en "
            "prévention."
        ),
        weight=2,
        rubric=_rubric(
            N_("The project does not say what young people need, and uses no research."),
            N_("Needs are guessed, not checked; no research is used."),
            N_("Some local information on needs, loosely linked to the activities."),
            N_("Needs were checked (for example a survey or interviews) and the approach uses "
               "known research."),
            N_("Needs were checked carefully, and each activity is linked to what research "
               "shows works."),
            N_("A thorough, participatory needs assessment and strong use of evidence."),
        ),
        rubric_fr=_rubric(
            (
                "Le projet ne dit pas de quoi les jeunes ont besoin et ne s’appuie sur aucune "
                "recherche."
            ),
            "Les besoins sont supposés, pas vérifiés\u00a0; aucune recherche n’est utilisée.",
            "Quelques informations locales sur les besoins, vaguement reliées aux activités.",
            (
                "Les besoins ont été vérifiés (enquête, entretiens…) et l’approche s’appuie sur "
                "des recherches connues."
            ),
            (
                "Les besoins ont été vérifiés avec soin, et chaque activité est reliée à ce que la "
                "recherche montre efficace."
            ),
            (
                "Une analyse des besoins approfondie et participative, et un usage solide des "
                "preuves d’efficacité."
            ),
        ),
    ),
    Criterion(
        key="objectives",
        title=N_("Clear objectives"),
        guidance=N_("Clear, realistic aims and objectives matched by the activities."),
        title_fr="Objectifs clairs",
        guidance_fr=(
            "Des buts et des objectifs clairs et réalistes, auxquels les activités répondent."
        ),
        weight=1,
        rubric=_rubric(
            N_("No aims or objectives are stated."),
            N_("Aims are vague and do not match the activities."),
            N_("Aims are stated, but it is hard to tell whether they were reached."),
            N_("Realistic objectives; most activities help reach them."),
            N_("Clear objectives you can measure (who, how many, by when); the activities fit "
               "them well."),
            N_("As 4, and every activity was chosen to reach a stated objective."),
        ),
        rubric_fr=_rubric(
            "Aucun but ni objectif n’est énoncé.",
            "Les buts sont vagues et ne correspondent pas aux activités.",
            "Les buts sont énoncés, mais il est difficile de savoir s’ils ont été atteints.",
            "Des objectifs réalistes\u00a0; la plupart des activités aident à les atteindre.",
            ("Des objectifs clairs et mesurables (qui, combien, pour quand)\u00a0; les activités y "
             "correspondent bien."),
            "Comme 4, et chaque activité a été choisie pour atteindre un objectif énoncé.",
        ),
    ),
    Criterion(
        key="evaluation",
        title=N_("Evaluation and results"),
        guidance=N_("Evaluated, with results that show effect on the target group."),
        title_fr="Évaluation et résultats",
        guidance_fr="Évalué, avec des résultats qui montrent un effet sur le groupe cible.",
        weight=2,
        rubric=_rubric(
            N_("No evaluation at all."),
            N_("Only counts of activities or participants."),
            N_("Feedback is gathered but says little about effects."),
            N_("An evaluation that shows some effect on the target group."),
            N_("A solid evaluation with clear results, which the team used to improve the "
               "project."),
            N_("As 4, and the evaluation was done or checked by people outside the project."),
        ),
        rubric_fr=_rubric(
            "Aucune évaluation.",
            "Seulement un décompte des activités ou des participants.",
            "Des retours sont recueillis mais renseignent peu sur les effets.",
            "Une évaluation qui montre un certain effet sur le groupe cible.",
            (
                "Une évaluation solide aux résultats clairs, que l’équipe a utilisés pour améliorer"
                " le projet."
            ),
            (
                "Comme 4, et l’évaluation a été faite ou vérifiée par des personnes extérieures au"
                " projet."
            ),
        ),
    ),
    Criterion(
        key="innovation",
        title=N_("Innovation"),
        guidance=N_("A remarkable or innovative approach."),
        title_fr="Innovation",
        guidance_fr="Une approche remarquable ou innovante.",
        weight=1,
        rubric=_rubric(
            N_("Nothing new compared with common practice."),
            N_("A usual approach with one small new detail."),
            N_("A usual approach with several new parts (for example new tools or partners)."),
            N_("A new approach for its setting or target group."),
            N_("A remarkable approach that others would notice."),
            N_("A truly original approach that can change practice."),
        ),
        rubric_fr=_rubric(
            "Rien de nouveau par rapport aux pratiques courantes.",
            "Une approche habituelle, avec un seul petit élément nouveau.",
            (
                "Une approche habituelle, avec plusieurs parties nouvelles (par exemple de "
                "nouveaux outils ou partenaires)."
            ),
            "Une approche nouvelle pour son cadre ou son groupe cible.",
            "Une approche remarquable, qui ne passerait pas inaperçue.",
            "Une approche véritablement originale, susceptible de faire évoluer les pratiques.",
        ),
    ),
    Criterion(
        key="sustainability",
        title=N_("Sustainability"),
        guidance=N_("Continues beyond its first funding; rooted in partnerships."),
        title_fr="Pérennité",
        guidance_fr=(
            "Se poursuit au-delà de son premier financement\u00a0; ancré dans des partenariats."
        ),
        weight=1,
        rubric=_rubric(
            N_("Ends when its current funding ends; no partners."),
            N_("Continuation is hoped for but not planned."),
            N_("Some partners, but the future depends on one source."),
            N_("A plan and partners to continue beyond the first funding."),
            N_("Several partners and several sources of money or support."),
            N_("Part of the regular work of its community or institutions (for example a school "
               "or a town), for the long term."),
        ),
        rubric_fr=_rubric(
            "Prend fin avec son financement actuel\u00a0; aucun partenaire.",
            "Une poursuite est espérée mais pas prévue.",
            "Quelques partenaires, mais l’avenir dépend d’une seule source.",
            "Un plan et des partenaires pour se poursuivre au-delà du premier financement.",
            "Plusieurs partenaires et plusieurs sources de financement ou de soutien.",
            (
                "Fait partie du travail habituel de son quartier ou de ses institutions (par "
                "exemple une école ou une commune), pour le long terme."
            ),
        ),
    ),
    Criterion(
        key="ethics",
        title=N_("Ethics"),
        guidance=N_("Respects rights, consent, confidentiality; avoids stigma and harm."),
        title_fr="Éthique",
        guidance_fr=(
            "Respecte les droits, le consentement et la confidentialité\u00a0; évite la "
            "stigmatisation et les préjudices."
        ),
        weight=1,
        rubric=_rubric(
            N_("Ethical questions are ignored."),
            N_("Nothing about consent (asking permission) or confidentiality (keeping personal "
               "information private)."),
            N_("Basic consent is sought but stigma and harm are not considered."),
            N_("Consent, confidentiality and stigma are handled adequately."),
            N_("Careful ethical practice, explained and applied."),
            N_("Exemplary respect for rights, with young people involved in ethical choices."),
        ),
        rubric_fr=_rubric(
            "Les questions éthiques sont ignorées.",
            (
                "Rien sur le consentement (demander l’accord) ni sur la confidentialité (garder "
                "privées les informations personnelles)."
            ),
            (
                "Un consentement de base est recherché, mais la stigmatisation et les préjudices"
                " ne sont pas pris en compte."
            ),
            (
                "Le consentement, la confidentialité et la stigmatisation sont traités de "
                "manière adéquate."
            ),
            "Une pratique éthique rigoureuse, expliquée et appliquée.",
            "Un respect exemplaire des droits, avec des jeunes associés aux choix éthiques.",
        ),
    ),
    Criterion(
        key="transferability",
        title=N_("Transferability"),
        guidance=N_("Others can learn from it and adapt it elsewhere."),
        title_fr="Transférabilité",
        guidance_fr="D’autres peuvent s’en inspirer et l’adapter ailleurs.",
        weight=1,
        rubric=_rubric(
            N_("Only works in its own unique situation."),
            N_("Hard to repeat elsewhere; nothing is written down."),
            N_("Could be repeated with effort; little is documented."),
            N_("Written down well enough for others to adapt it."),
            N_("Materials and lessons are shared and easy to adapt."),
            N_("Already adapted elsewhere, with free materials and guidance."),
        ),
        rubric_fr=_rubric(
            "Ne fonctionne que dans sa propre situation, unique.",
            "Difficile à reproduire ailleurs\u00a0; rien n’est mis par écrit.",
            "Pourrait être reproduit avec des efforts\u00a0; peu de choses sont documentées.",
            "Assez bien décrit par écrit pour que d’autres puissent l’adapter.",
            "Les supports et les enseignements sont partagés et faciles à adapter.",
            "Déjà adapté ailleurs, avec des supports et des conseils gratuits.",
        ),
    ),
)


def default_edition(year: int, title: str | None = None,
                    identity: Identity = DEFAULT_IDENTITY) -> Edition:
    """A new edition with the real prize's criteria, weights and eligible countries,
    titled with the prize's name (its identity) and the year."""
    return Edition(
        year=year,
        title=title or identity.edition_title(year, "en"),
        title_fr="" if title else identity.edition_title(year, "fr"),
        theme="Youth Innovation in Drug Prevention",
        theme_fr="L’innovation des jeunes dans la prévention des drogues",
        criteria=DEFAULT_CRITERIA,
    )


def substance_choices(extra: tuple[VocabularyItem, ...] = ()) -> dict[str, str]:
    """The platform's substances and behaviours (translated), then `extra` (an edition's)."""
    choices = {key: gettext(label) for key, label in SUBSTANCES.items()}
    for item in extra:
        choices.setdefault(item.key, item.label())
    return choices


def substance_label(key: str, editions: tuple[Edition, ...] | list[Edition] = ()) -> str:
    """The label of a substance key in the reader's language, looking in the editions'
    own words for a key the platform's list lacks (the catalogue shows what practices
    use, an edition's additions included); the key itself when nobody knows it."""
    if key in SUBSTANCES:
        return gettext(SUBSTANCES[key])
    for edition in editions:
        for item in edition.substances_extra:
            if item.key == key:
                return item.label()
    return key


def vocabulary_items(english: str, french: str) -> tuple[VocabularyItem, ...]:
    """An edition's words from two lists typed one per line, in the same order; the key of
    each is made from its English words ("Social media" → social_media).

    Raises ValueError with a sentence for the secretariat when the lists do not match."""
    en = [line.strip() for line in english.replace("\r\n", "\n").split("\n") if line.strip()]
    fr = [line.strip() for line in french.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(en) != len(fr):
        raise ValueError(gettext(
            "Give each word in both languages: {en} in English, {fr} in French. Write them "
            "one per line, in the same order.").format(en=len(en), fr=len(fr)))
    if len(en) > 20:
        raise ValueError(gettext("At most 20 words."))
    items, keys = [], set(SUBSTANCES)
    for english_word, french_word in zip(en, fr, strict=True):
        key = re.sub(r"[^a-z0-9]+", "_", english_word.lower()).strip("_")[:40] or "word"
        if not key[0].isalpha():
            key = "w_" + key
        if key in keys:
            raise ValueError(gettext(
                "“{word}” is in the list already.").format(word=english_word))
        if len(english_word) > 80 or len(french_word) > 80:
            raise ValueError(gettext("Each word: at most 80 characters."))
        keys.add(key)
        items.append(VocabularyItem(key=key, en=english_word, fr=french_word))
    return tuple(items)
