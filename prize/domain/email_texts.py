# ruff: noqa: E501 (the default texts are data: one line per paragraph, as they are sent)
"""The texts of every email the platform sends, as data the secretariat can edit.

Each message has a subject (one line) and a body, in English and French, written in
Jinja2 and rendered in a `SandboxedEnvironment` with only the placeholders listed for
that message. The defaults below are the texts the platform has always sent (with the
review of 2026-11 applied: what happens next, the prize's name in account subjects);
the secretariat's changes are kept per edition (table email_texts), or once for the
messages sent outside an edition (verification, reset, an existing account).

The signature (the organiser and the contact address, from the prize's identity) is not
part of the editable text: `prize.mail` adds it to every message, so no email can lose it.
A subject is a separate one-line field, so it can never swallow the greeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from prize.i18n import N_, gettext

LOCALES = ("en", "fr")
SUBJECT_MAX = 200
BODY_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str
    description: str  # marked with N_, translated where shown
    sample: Any  # what the preview and the check at save use when no real entry is at hand


@dataclass(frozen=True, slots=True)
class Message:
    kind: str
    title: str  # N_: what the list of messages calls it
    when: str  # N_: when the platform sends it
    edition: bool  # per edition (True) or once for the whole platform (False)
    placeholders: tuple[Placeholder, ...]
    subject: dict[str, str]
    body: dict[str, str]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.placeholders)

    def samples(self) -> dict[str, Any]:
        return {p.name: p.sample for p in self.placeholders}


def _p(name: str, description: str, sample: Any) -> Placeholder:
    return Placeholder(name, description, sample)


class InLanguages(dict):
    """An example value written in each language (a digest's comments, say): the preview
    in French shows the French one."""


def in_locale(context: dict[str, Any], locale: str) -> dict[str, Any]:
    """The context with each example written in several languages given in `locale`'s."""
    return {name: value.get(locale, value["en"]) if isinstance(value, InLanguages) else value
            for name, value in context.items()}


NAME = _p("name", N_("The recipient's name."), "Ana Costa")
PRIZE = _p("prize", N_("The prize's name, in the recipient's language."),
           "European Prize for Drug Prevention")
LINK = _p("link", N_("The link the recipient opens."), "https://prize.example.org/my")
EDITION = _p("edition", N_("The edition's title, in the recipient's language."),
             "European Prize for Drug Prevention 2027")
YEAR = _p("year", N_("The edition's year."), 2027)
DEADLINE = _p("deadline", N_("The deadline for entries, in the recipient's language."),
              "30 May 2027, 23:59 (Strasbourg time)")
JUDGING_ENDS = _p("judging_ends", N_("The judging deadline, in the recipient's language."),
                  "15 September 2027, 23:59 (Strasbourg time)")
REFERENCE = _p("reference", N_("The entry's reference."), "EDPP-2027-0004")
TITLE = _p("title", N_("The project's title."), "Peer talk")
THEME = _p("theme", N_("The edition's theme, in the recipient's language."),
           "Youth Innovation in Drug Prevention")
SCOPE = _p("scope", N_("The edition's scope, as the call shows it."), "")
CONTACT = _p("contact", N_("The secretariat's contact address."), "secretariat@prize.invalid")
CALL_LINK = _p("call_link", N_("The edition's public page: the call, its rules and criteria."),
               "https://prize.example.org/editions/2027")

COMMON = (NAME, PRIZE, CONTACT)
EDITION_COMMON = (*COMMON, EDITION, YEAR, THEME, DEADLINE, JUDGING_ENDS)


#: The end of every email, filled from the prize's identity (not editable per message, so
#: that no message can lose it). Data like the texts, in both languages.
SIGNATURE = {
    "en": "Kind regards,\nThe secretariat of the {prize}\n{organiser}\n"
          "Questions? Write to {contact}",
    "fr": "Cordialement,\nLe secrétariat du {prize}\n{organiser}\n"
          "Une question\u00a0? Écrivez à {contact}",
}
PRIVACY_LINE = {"en": "How we use your data: {link}",
                "fr": "Ce que nous faisons de vos données\u00a0: {link}"}

MESSAGES: dict[str, Message] = {}


_FRENCH_SPACES = re.compile(r" ([:;?!»])|(«) ")


def french_spacing(text: str) -> str:
    """A no-break space before : ; ? ! » and after «, as French typography wants."""
    return _FRENCH_SPACES.sub(lambda m: f"\u00a0{m[1]}" if m[1] else f"{m[2]}\u00a0", text)


def _message(kind: str, title: str, when: str, *, edition: bool,
             placeholders: tuple[Placeholder, ...], subject: dict[str, str],
             body: dict[str, str]) -> None:
    common = EDITION_COMMON if edition else COMMON
    seen = {p.name for p in common}
    own = tuple(p for p in placeholders if p.name not in seen)
    subject = {**subject, "fr": french_spacing(subject["fr"])}
    body = {**body, "fr": french_spacing(body["fr"])}
    MESSAGES[kind] = Message(kind, title, when, edition, (*common, *own), subject,
                             {locale: text.strip("\n") + "\n" for locale, text in body.items()})


# Messages outside an edition ---------------------------------------------------------

_message(
    "verify_email", N_("Confirm an email address"),
    N_("When someone creates an account, and when the secretariat sends a new link."),
    edition=False, placeholders=(LINK,),
    subject={"en": "Confirm your email address – {{ prize }}",
             "fr": "Confirmez votre adresse électronique – {{ prize }}"},
    body={
        "en": """Hello {{ name }},

Please confirm your email address for the {{ prize }} by opening this link:

{{ link }}

The link works for 48 hours. If you did not create an account, you can ignore this message.""",
        "fr": """Bonjour {{ name }},

Veuillez confirmer votre adresse électronique pour le {{ prize }} en ouvrant ce lien :

{{ link }}

Le lien est valable 48 heures. Si vous n’avez pas créé de compte, vous pouvez ignorer ce message.""",
    },
)

_message(
    "reset_password", N_("Choose a new password"),
    N_("When someone asks for a new password."),
    edition=False, placeholders=(LINK,),
    subject={"en": "Choose a new password – {{ prize }}",
             "fr": "Choisissez un nouveau mot de passe – {{ prize }}"},
    body={
        "en": """Hello {{ name }},

To choose a new password for the {{ prize }}, open this link:

{{ link }}

The link works for one hour and only once. If you did not ask for it, ignore this message: your password stays as it is.""",
        "fr": """Bonjour {{ name }},

Pour choisir un nouveau mot de passe pour le {{ prize }}, ouvrez ce lien :

{{ link }}

Le lien est valable une heure et une seule fois. Si vous ne l’avez pas demandé, ignorez ce message : votre mot de passe reste inchangé.""",
    },
)

_message(
    "signup_existing", N_("Someone tried to create a second account"),
    N_("When someone creates an account with an address that has one already."),
    edition=False,
    placeholders=(_p("login_link", N_("The link to log in."), "https://prize.example.org/login"),
                  _p("reset_link", N_("The link to choose a new password."),
                     "https://prize.example.org/password/forgot")),
    subject={"en": "Someone tried to create an account with your address – {{ prize }}",
             "fr": "Quelqu’un a tenté de créer un compte avec votre adresse – {{ prize }}"},
    body={
        "en": """Hello {{ name }},

Someone, perhaps you, tried to create a new account for the {{ prize }} with this email address. You already have an account.

If it was not you, you do not need to do anything: your account is safe.

Log in: {{ login_link }}
Forgot your password? {{ reset_link }}""",
        "fr": """Bonjour {{ name }},

Quelqu’un, peut-être vous-même, a tenté de créer un nouveau compte pour le {{ prize }} avec cette adresse électronique. Vous avez déjà un compte.

Si ce n’était pas vous, vous n’avez rien à faire : votre compte est protégé.

Se connecter : {{ login_link }}
Mot de passe oublié ? {{ reset_link }}""",
    },
)

_message(
    "discussion_digest", N_("Daily digest of the jury's discussions"),
    N_("Once a day at most, to each juror, advisor and member of the secretariat who wants "
       "it, when new comments were written on entries they may read."),
    edition=False,
    placeholders=(_p("count", N_("How many new comments."), 2),
                  _p("comments", N_("The new comments, entry by entry, with a link to each "
                                    "discussion."),
                     InLanguages(
                         en="== EDPP-2027-0004 · Peer talk ==\n\nJonas Becker (Juror), "
                            "2 June 2027, 16:05 (Strasbourg time):\nThe evaluation is thin.",
                         fr="== EDPP-2027-0004 · Peer talk ==\n\nJonas Becker (membre du "
                            "jury), 2 juin 2027, 16:05 (heure de Strasbourg)\u00a0:\n"
                            "L’évaluation est mince.")),
                  _p("link", N_("The page where the person stops or chooses this email."),
                     "https://prize.example.org/jury/digest")),
    subject={"en": "{% if count == 1 %}1 new comment{% else %}{{ count }} new comments{% endif %} in the jury's discussions",
             "fr": "{% if count == 1 %}1 nouveau commentaire{% else %}{{ count }} nouveaux commentaires{% endif %} dans les discussions du jury"},
    body={
        "en": """Hello {{ name }},

Here are the new comments in the discussions of the entries you can see.

{{ comments }}

You get this email at most once a day. To stop it, or to choose it again: {{ link }}""",
        "fr": """Bonjour {{ name }},

Voici les nouveaux commentaires dans les discussions des candidatures que vous pouvez voir.

{{ comments }}

Vous recevez ce courriel une fois par jour au plus. Pour ne plus le recevoir, ou pour le choisir à nouveau : {{ link }}""",
    },
)

# Messages of an edition --------------------------------------------------------------

_message(
    "call_opened", N_("The call for entries is open"),
    N_("When the secretariat opens the call: to every applicant whose address is confirmed."),
    edition=True, placeholders=(SCOPE, CALL_LINK, LINK),
    subject={"en": "The call for entries is open: {{ edition }}",
             "fr": "L’appel à candidatures est ouvert : {{ edition }}"},
    body={
        "en": """Hello {{ name }},

The call for entries of the {{ edition }} is open.
{% if theme %}Theme: {{ theme }}
{% endif %}{% if deadline %}Deadline: {{ deadline }}
{% endif %}{% if scope %}
{{ scope }}
{% endif %}

Who may apply, the rules and the criteria the jury scores: {{ call_link }}
Write and submit your entry here: {{ link }}

You receive this message because you have an account on the platform of the {{ prize }}. To stop receiving it, log in and delete your account on the My data page.""",
        "fr": """Bonjour {{ name }},

L’appel à candidatures du {{ edition }} est ouvert.
{% if theme %}Thème : {{ theme }}
{% endif %}{% if deadline %}Date limite : {{ deadline }}
{% endif %}{% if scope %}
{{ scope }}
{% endif %}

Qui peut participer, le règlement et les critères que le jury note : {{ call_link }}
Rédigez et envoyez votre candidature ici : {{ link }}

Vous recevez ce message parce que vous avez un compte sur la plateforme du {{ prize }}. Pour ne plus le recevoir, connectez-vous et supprimez votre compte depuis la page Mes données.""",
    },
)

_message(
    "call_closed_early", N_("The call closed before its deadline"),
    N_("When the secretariat closes the call early: to each applicant with a draft not submitted."),
    edition=True,
    placeholders=(_p("closed_at", N_("When the call was closed."),
                     "20 May 2027, 10:00 (Strasbourg time)"), LINK),
    subject={"en": "The call for entries is closed: {{ edition }}",
             "fr": "L’appel à candidatures est clos : {{ edition }}"},
    body={
        "en": """Hello {{ name }},

The secretariat closed the call for entries of the {{ edition }} on {{ closed_at }}, before the deadline of {{ deadline }}.

Your draft was not submitted, so it cannot take part in this edition. It stays in your account, where you can still read it: {{ link }}""",
        "fr": """Bonjour {{ name }},

Le secrétariat a clos l’appel à candidatures du {{ edition }} le {{ closed_at }}, avant la date limite du {{ deadline }}.

Votre brouillon n’a pas été envoyé : il ne peut donc pas concourir dans cette édition. Il reste dans votre compte, où vous pouvez encore le lire : {{ link }}""",
    },
)

_message(
    "entry_submitted", N_("Entry received"),
    N_("When an applicant submits an entry, or submits changes to it."),
    edition=True,
    placeholders=(REFERENCE, TITLE,
                  _p("resubmitted", N_("Yes when the applicant sent changes to an entry "
                                       "submitted before."), False),
                  LINK,
                  # In each language: the French preview shows the French heading.
                  _p("entry_copy", N_("A copy of the whole entry, in the recipient's "
                                      "language."),
                     InLanguages(en="== 1. The organisation ==\n…",
                                 fr="== 1. L’organisation ==\n…"))),
    subject={"en": "{% if resubmitted %}Changes received{% else %}Entry received{% endif %}: {{ reference }}",
             "fr": "{% if resubmitted %}Modifications reçues{% else %}Candidature reçue{% endif %} : {{ reference }}"},
    body={
        "en": """Hello {{ name }},

{% if resubmitted %}We have received the changes to your entry for the {{ edition }}.{% else %}Thank you: we have received your entry for the {{ edition }}.{% endif %}

Reference: {{ reference }}
You can change it or withdraw it until the deadline{% if deadline %}, {{ deadline }}{% endif %}: {{ link }}

What happens next: after the deadline, the secretariat checks that each entry meets the rules of the prize, and we will email you the result.

A copy of your entry follows.

{{ entry_copy }}""",
        "fr": """Bonjour {{ name }},

{% if resubmitted %}Nous avons bien reçu les modifications de votre candidature au {{ edition }}.{% else %}Merci : nous avons bien reçu votre candidature au {{ edition }}.{% endif %}

Référence : {{ reference }}
Vous pouvez la modifier ou la retirer jusqu’à la date limite{% if deadline %}, le {{ deadline }}{% endif %} : {{ link }}

La suite : après la date limite, le secrétariat vérifie que chaque candidature respecte le règlement du prix, puis nous vous écrivons pour vous donner le résultat.

Vous trouverez ci-dessous une copie de votre candidature.

{{ entry_copy }}""",
    },
)

_message(
    "eligibility_result", N_("Result of the screening"),
    N_("When judging starts: to the applicant of each screened entry."),
    edition=True,
    placeholders=(REFERENCE, TITLE,
                  _p("eligible", N_("Yes when the entry is eligible."), True),
                  _p("reason", N_("The secretariat's reason, if it gave one."), ""),
                  LINK),
    subject={"en": "Your entry {{ reference }} is {% if not eligible %}not {% endif %}eligible",
             "fr": "Votre candidature {{ reference }} {% if eligible %}est éligible{% else %}n’est pas éligible{% endif %}"},
    body={
        "en": """Hello {{ name }},

{% if eligible %}The secretariat has screened your entry {{ reference }} ({{ title }}) for the {{ edition }}: it is eligible and goes to the jury.{% else %}The secretariat has screened your entry {{ reference }} ({{ title }}) for the {{ edition }}: it is not eligible, so it does not go to the jury.{% endif %}
{% if reason %}

Reason: {{ reason }}
{% endif %}

{% if eligible %}What happens next: the jury scores the eligible entries{% if judging_ends %} until {{ judging_ends }}{% endif %}. We will email you the results after the jury's decision.{% else %}If you have a question about this decision, reply to this email. You are welcome to apply again in a future edition.{% endif %}

Your entry: {{ link }}""",
        "fr": """Bonjour {{ name }},

{% if eligible %}Le secrétariat a examiné votre candidature {{ reference }} ({{ title }}) au {{ edition }} : elle est éligible et sera transmise au jury.{% else %}Le secrétariat a examiné votre candidature {{ reference }} ({{ title }}) au {{ edition }} : elle n’est pas éligible et ne sera donc pas transmise au jury.{% endif %}
{% if reason %}

Motif : {{ reason }}
{% endif %}

{% if eligible %}La suite : le jury note les candidatures éligibles{% if judging_ends %} jusqu’au {{ judging_ends }}{% endif %}. Nous vous écrirons pour vous donner les résultats après la décision du jury.{% else %}Si vous avez une question sur cette décision, répondez à ce courriel. Vous pourrez présenter un projet lors d’une prochaine édition.{% endif %}

Votre candidature : {{ link }}""",
    },
)

_message(
    "invitation", N_("Invitation to the jury"),
    N_("When the secretariat invites a juror, or sends the invitation again."),
    edition=True,
    placeholders=(_p("days", N_("How many days the link works."), 14), LINK),
    subject={"en": "Invitation to the jury of the {{ edition }}",
             "fr": "Invitation à rejoindre le jury du {{ edition }}"},
    body={
        "en": """Hello {{ name }},

The secretariat of the {{ prize }} invites you to join the jury of the {{ edition }}.
{% if judging_ends %}Jurors read and score the eligible entries until {{ judging_ends }}; the secretariat will guide you.
{% endif %}

To accept, open this link, then set up your juror profile (country, languages, organisation and experience):

{{ link }}

The link works once, for {{ days }} days. If you did not expect this message, you can ignore it.""",
        "fr": """Bonjour {{ name }},

Le secrétariat du {{ prize }} vous invite à rejoindre le jury du {{ edition }}.
{% if judging_ends %}Les membres du jury lisent et notent les candidatures éligibles jusqu’au {{ judging_ends }} ; le secrétariat vous accompagne.
{% endif %}

Pour accepter, ouvrez ce lien, puis complétez votre profil de membre du jury (pays, langues, organisation et expérience) :

{{ link }}

Le lien n’est utilisable qu’une fois, pendant {{ days }} jours. Si vous n’attendiez pas ce message, vous pouvez l’ignorer.""",
    },
)

_message(
    "assignment_released", N_("Entries assigned to a juror"),
    N_("When the secretariat releases the assignment: to each active juror."),
    edition=True,
    placeholders=(_p("count", N_("How many entries the juror has to score."), 2),
                  _p("entries", N_("The list of those entries, one per line."),
                     "- EDPP-2027-0004 (Peer talk)\n- EDPP-2027-0007 (Night lights)"),
                  LINK),
    subject={"en": "Your entries to score for the {{ edition }}",
             "fr": "Vos candidatures à noter pour le {{ edition }}"},
    body={
        "en": """Hello {{ name }},

{% if count == 0 %}No entry is assigned to you in this edition.{% elif count == 1 %}One entry is assigned to you:{% else %}{{ count }} entries are assigned to you:{% endif %}

{{ entries }}

Read each entry, then fill in its score sheet: for each criterion, a score and a few sentences explaining it. If you know a project too well to score it fairly, tell the secretariat.
{% if judging_ends %}Please submit your score sheets before {{ judging_ends }}.
{% endif %}

Your jury page: {{ link }}""",
        "fr": """Bonjour {{ name }},

{% if count == 0 %}Aucune candidature ne vous a été confiée pour cette édition.{% elif count == 1 %}Une candidature vous est attribuée :{% else %}{{ count }} candidatures vous sont attribuées :{% endif %}

{{ entries }}

Lisez chaque candidature, puis remplissez sa fiche d’évaluation : pour chaque critère, une note et quelques phrases qui l’expliquent. Si vous connaissez trop bien un projet pour le noter en toute impartialité, prévenez le secrétariat.
{% if judging_ends %}Veuillez envoyer vos fiches d’évaluation avant le {{ judging_ends }}.
{% endif %}

Votre page de membre du jury : {{ link }}""",
    },
)

_message(
    "reminder", N_("Reminder to a late juror"),
    N_("When the secretariat sends reminders: to each juror with sheets not submitted."),
    edition=True,
    placeholders=(_p("submitted", N_("How many score sheets the juror has submitted."), 1),
                  _p("assigned", N_("How many score sheets the juror has."), 4),
                  _p("days_left", N_("Days until the judging deadline (negative once it "
                                     "has passed; empty without a deadline)."), 3),
                  LINK),
    subject={"en": "Reminder: score sheets waiting for you ({{ edition }})",
             "fr": "Rappel : des fiches d’évaluation vous attendent ({{ edition }})"},
    body={
        "en": """Hello {{ name }},

Score sheets submitted for the {{ edition }}: {{ submitted }} of {{ assigned }}.
{% if days_left is not none and days_left != "" %}{% if days_left >= 0 %}Judging ends in {{ days_left }} day{% if days_left != 1 %}s{% endif %}.{% else %}The judging deadline has passed: please submit your sheets as soon as you can.{% endif %}
{% endif %}

Your entries to score: {{ link }}

If you cannot finish in time, tell the secretariat.""",
        "fr": """Bonjour {{ name }},

Fiches d’évaluation envoyées pour le {{ edition }} : {{ submitted }} sur {{ assigned }}.
{% if days_left is not none and days_left != "" %}{% if days_left >= 0 %}L’évaluation se termine dans {{ days_left }} jour{% if days_left > 1 %}s{% endif %}.{% else %}La date limite de notation est passée : veuillez envoyer vos fiches dès que possible.{% endif %}
{% endif %}

Vos candidatures à noter : {{ link }}

Si vous ne pouvez pas terminer à temps, prévenez le secrétariat.""",
    },
)

_message(
    "results", N_("The jury's decision"),
    N_("When the secretariat publishes the results: to the applicant of each judged entry."),
    edition=True,
    placeholders=(REFERENCE, TITLE,
                  _p("outcome", N_("The result (the prize, a special mention, shortlisted "
                                   "or not selected): the default text shows how to test it."),
                     "shortlisted"),
                  _p("statement", N_("The jury's statement about the entry, if any."), ""),
                  _p("consent", N_("Yes when the applicant agreed that the project may be "
                                   "published as a good practice."), True),
                  LINK),
    subject={"en": "Results of the {{ edition }} – your entry {{ reference }}",
             "fr": "Résultats du {{ edition }} – votre candidature {{ reference }}"},
    body={
        "en": """Hello {{ name }},

The jury of the {{ edition }} has made its decisions.
{% if outcome == "winner" %}Congratulations! Your entry {{ reference }} ({{ title }}) has won the prize. The secretariat will contact you soon about the award ceremony.{% elif outcome == "special_mention" %}Your entry {{ reference }} ({{ title }}) has received a special mention from the jury. The secretariat will contact you soon about the award ceremony.{% elif outcome == "shortlisted" %}Your entry {{ reference }} ({{ title }}) was shortlisted: the jury placed it among the best entries, but it did not receive a prize this time.{% else %}Your entry {{ reference }} ({{ title }}) was not selected this time.{% endif %}
{% if statement %}

The jury's statement: {{ statement }}
{% endif %}

{% if outcome == "not_selected" %}What happens next: nothing more is needed from you. You are welcome to apply again in a future edition.{% elif consent %}What happens next: you agreed that your project may be published as a good practice, so we will send you a draft of its public page to check. Nothing is published before you approve it.{% else %}What happens next: your project is not published as a good practice, as you did not agree to it. If you change your mind, tell the secretariat.{% endif %}

Thank you for your work and for taking part.
Your entry: {{ link }}""",
        "fr": """Bonjour {{ name }},

Le jury du {{ edition }} a pris ses décisions.
{% if outcome == "winner" %}Félicitations ! Votre candidature {{ reference }} ({{ title }}) a remporté le prix. Le secrétariat vous contactera prochainement au sujet de la cérémonie de remise des prix.{% elif outcome == "special_mention" %}Votre candidature {{ reference }} ({{ title }}) a reçu une mention spéciale du jury. Le secrétariat vous contactera prochainement au sujet de la cérémonie de remise des prix.{% elif outcome == "shortlisted" %}Votre candidature {{ reference }} ({{ title }}) a été présélectionnée : le jury l’a placée parmi les meilleures candidatures, mais elle n’a pas reçu de prix cette fois-ci.{% else %}Votre candidature {{ reference }} ({{ title }}) n’a pas été retenue cette fois-ci.{% endif %}
{% if statement %}

La déclaration du jury : {{ statement }}
{% endif %}

{% if outcome == "not_selected" %}La suite : vous n’avez plus rien à faire. Vous pourrez présenter un projet lors d’une prochaine édition.{% elif consent %}La suite : vous avez accepté que votre projet soit publié comme bonne pratique ; nous vous enverrons donc un projet de page publique à relire. Rien n’est publié sans votre accord.{% else %}La suite : votre projet n’est pas publié comme bonne pratique, car vous ne l’avez pas accepté. Si vous changez d’avis, prévenez le secrétariat.{% endif %}

Merci pour votre travail et votre participation.
Votre candidature : {{ link }}""",
    },
)

_message(
    "practice_review", N_("Review of a public page"),
    N_("When the secretariat sends a good practice's public page to its applicant."),
    edition=True, placeholders=(TITLE, LINK),
    subject={"en": "Please review the public page of “{{ title }}”",
             "fr": "Veuillez relire la page publique de « {{ title }} »"},
    body={
        "en": """Hello {{ name }},

The secretariat has prepared the public good-practice page of your project “{{ title }}”.
Please read it, then approve it or tell us what should change: {{ link }}

Nothing is published before you approve it. Your contact details are never shown.""",
        "fr": """Bonjour {{ name }},

Le secrétariat a préparé la page publique de bonne pratique de votre projet « {{ title }} ».
Veuillez la lire, puis l’approuver ou nous dire ce qui devrait changer : {{ link }}

Rien n’est publié avant votre approbation. Vos coordonnées ne sont jamais affichées.""",
    },
)


# Rendering and checking ----------------------------------------------------------------


class TextRefused(ValueError):
    """A text the secretariat typed that cannot be saved; `field` is subject or body."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, without the two operators that can fill the memory from a short
    text (a power, or a string repeated a billion times)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):  # noqa: ANN001 (Jinja's signature)
        if operator == "**" or isinstance(left, str | list) or isinstance(right, str | list):
            raise SecurityError(f"the operator {operator} cannot be used in an email text")
        return super().call_binop(context, operator, left, right)


def _environment() -> SandboxedEnvironment:
    # What is typed is what is sent: tags vanish and nothing else does (no trim_blocks,
    # which swallowed the line after a tag and ran paragraphs together); `render` then
    # folds the blank lines a condition leaves behind.
    env = _Sandbox(autoescape=False, undefined=StrictUndefined)
    # Only the placeholders: no global function or filter reaches the text but the plain
    # ones (upper, lower, default…), and the sandbox refuses attribute tricks.
    env.globals.clear()
    return env


SANDBOX = _environment()


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def render(source: str, values: dict[str, Any]) -> str:
    """The text with its placeholders filled (raises on a syntax or sandbox error); at
    most one blank line between paragraphs, whatever the conditions left."""
    text = SANDBOX.from_string(source).render(values)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def render_subject(source: str, values: dict[str, Any]) -> str:
    """A subject: one line whatever the text or the values hold."""
    from prize.domain.text import one_line

    return one_line(render(source, values))


def check(message: Message, field: str, source: str) -> None:
    """Raises TextRefused if `source` cannot be saved as this message's `field`."""
    limit = SUBJECT_MAX if field == "subject" else BODY_MAX
    if not source.strip():
        raise TextRefused(field, gettext("Write the text: it cannot be empty."))
    if len(source) > limit:
        raise TextRefused(field, gettext("At most {n} characters.").format(n=limit))
    if field == "subject" and any(c in source for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise TextRefused(field, gettext("The subject must be one line: remove the line breaks."))
    try:
        tree = SANDBOX.parse(source)
    except TemplateSyntaxError as error:
        raise TextRefused(field, gettext(
            "This text cannot be read (line {line}): {problem}. Check the double braces"
            " around each placeholder and that every if has its endif."
        ).format(line=error.lineno, problem=error.message)) from None
    unknown = sorted(meta.find_undeclared_variables(tree) - message.names)
    if unknown:
        raise TextRefused(field, gettext(
            "Unknown placeholder: {names}. This message offers: {offered}."
        ).format(names=", ".join(unknown), offered=", ".join(sorted(message.names))))
    try:
        render(source, in_locale(message.samples(), "en"))
    except (SecurityError, UndefinedError, TypeError, ValueError, ArithmeticError) as error:
        raise TextRefused(field, gettext(
            "This text cannot be filled in with the placeholders: {problem}."
        ).format(problem=error)) from None
