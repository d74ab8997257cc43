"""Every email the platform sends, rendered in English and in French with realistic data.

Each fails on what a recipient would notice (the language review of 2026-11, §4): a
subject with a line break or the greeting in it, an English status word or label in a
French email, a date with seconds or a UTC offset, an email without the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prize.configuration import Configuration
from prize.domain import email_texts
from prize.domain.editions import default_edition
from prize.domain.identity import DEFAULT_IDENTITY
from prize.mail import Mailer
from prize.web.applicant import application_sections
from prize.web.templating import build_environment
from tests import factories

EDITION = default_edition(2027).model_copy(update={
    "id": 7, "status": "judging",
    "opens_at": datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
    "closes_at": datetime(2027, 5, 30, 21, 59, tzinfo=UTC),
    "judging_ends_at": datetime(2027, 9, 15, 21, 59, tzinfo=UTC),
})


@dataclass
class _Entry:
    reference: str
    title: str


ENTRIES = [_Entry("EDPP-2027-0004", "Peer Talk"), _Entry("EDPP-2027-0011", "Safer Nights")]
LINK = "https://prize.example.org/my/entries/4"


def contexts() -> list[tuple[str, str, dict]]:
    """(kind, case, context) as the code that sends each message passes it."""
    person = {"name": "Ana Costa", "link": LINK}
    entry = {**person, "edition": EDITION, "reference": "EDPP-2027-0004", "title": "Peer Talk"}
    cases = [
        ("verify_email", "", person),
        ("reset_password", "", person),
        ("signup_existing", "", {"name": "Ana Costa"}),
        ("call_opened", "", {**person, "edition": EDITION}),
        ("call_closed_early", "", {**person, "edition": EDITION,
                                   "closed_at": datetime(2027, 5, 20, 8, 0, 31, tzinfo=UTC)}),
        ("entry_submitted", "first", {
            **entry, "resubmitted": False, "attachments": [],
            "sections": application_sections(factories.complete_application())}),
        ("entry_submitted", "changes", {
            **entry, "resubmitted": True, "attachments": [],
            "sections": application_sections(factories.complete_application())}),
        ("eligibility_result", "eligible", {**entry, "status": "eligible", "reason": ""}),
        ("eligibility_result", "ineligible", {
            **entry, "status": "ineligible", "reason": "The project started last month."}),
        ("invitation", "", {**person, "edition": EDITION, "days": 14}),
        ("assignment_released", "two", {**person, "edition": EDITION, "entries": ENTRIES,
                                         "deadline": "15 September 2027"}),
        ("assignment_released", "none", {**person, "edition": EDITION, "entries": []}),
        ("reminder", "", {**person, "edition": EDITION, "submitted": 1, "assigned": 4,
                          "days_left": 3}),
        ("reminder", "late", {**person, "edition": EDITION, "submitted": 0, "assigned": 1,
                              "days_left": -2}),
        ("practice_review", "", {**person, "title": "Peer Talk"}),
    ]
    for outcome in ("winner", "special_mention", "shortlisted", "not_selected"):
        cases.append(("results", outcome, {**entry, "status": outcome, "consent": True,
                                           "statement": "A project young people run."}))
    cases.append(("results", "winner-no-consent", {**entry, "status": "winner",
                                                   "consent": False, "statement": ""}))
    return cases


CASES = contexts()


@dataclass
class _Comment:
    author_name: str
    author_role: str
    created_at: datetime
    body: str


# The daily digest of the jury's discussions: its threads come in as one block.
CASES.append(("discussion_digest", "", {
    "name": "Ana Costa", "count": 2, "link": "https://prize.example.org/jury/digest",
    "threads": [{"reference": "EDPP-2027-0004", "title": "Peer Talk",
                 "link": "https://prize.example.org/jury/entries/4/discussion",
                 "comments": [_Comment("Jonas Becker", "juror",
                                       datetime(2027, 6, 2, 14, 5, 9, tzinfo=UTC),
                                       "The evaluation is thin."),
                              _Comment("Sophie Martin", "admin",
                                       datetime(2027, 6, 2, 16, 40, tzinfo=UTC),
                                       "The applicant sent a report.")]}]}))


def test_every_message_of_the_catalogue_is_rendered_here():
    assert {kind for kind, _case, _context in CASES} == set(email_texts.MESSAGES)


@pytest.fixture(scope="module")
def mailer(tmp_path_factory) -> Mailer:
    settings = factories.settings(Path(tmp_path_factory.mktemp("mail")))
    return Mailer(None, settings, build_environment(), lambda: datetime.now(UTC),  # type: ignore[arg-type]
                  Configuration(None))  # type: ignore[arg-type]


# What must not appear in a French email: the English of statuses, labels and dates.
ENGLISH = re.compile(
    r"\b(shortlisted|winner|special mention|not selected|eligible|ineligible|submitted|"
    r"Hello|Reason|Deadline|Theme|Reference|Your entry|Kind regards|Strasbourg time|"
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|yes|no)\b")
SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
OFFSET = re.compile(r"(?:UTC|GMT)?[+−-]\d{2}:?\d{2}\b(?!-)")
GREETING = {"en": "Hello Ana Costa,", "fr": "Bonjour Ana Costa,"}


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize(("kind", "case", "context"), CASES,
                         ids=[f"{kind}-{case}" if case else kind for kind, case, _ in CASES])
def test_each_email_reads_right(mailer, locale, kind, case, context):
    email = mailer.compose(kind, "ana@example.org", context, locale=locale)
    subject, body = email.subject, email.body

    assert subject and not any(c in subject for c in "\r\n\u2028\u2029\x85"), subject
    assert "Hello" not in subject and "Bonjour" not in subject, subject
    assert body.startswith(GREETING[locale] + "\n\n"), body[:80]

    identity = DEFAULT_IDENTITY
    ending = body.rstrip().splitlines()[-5:]
    assert ending[0] == ("Kind regards," if locale == "en" else "Cordialement,"), ending
    assert identity.localized_name(locale) in ending[1]
    assert ending[2] == identity.localized_organiser(locale)
    assert identity.contact_email in ending[3]
    assert ending[4].endswith("http://testserver/privacy")

    for text in (subject, body):
        assert not SECONDS.search(text), text
        assert not OFFSET.search(text.replace("EDPP-2027-", "")), text
        assert "Europe/Paris" not in text and "{{" not in text and "{%" not in text
    if locale == "fr":
        # The copy of the entry holds the applicant's own English text: it is not checked.
        checked = body.split("== ")[0] + subject
        found = ENGLISH.findall(checked)
        assert not found, f"English in a French email: {found}\n{checked}"
        assert "Strasbourg" not in checked or "heure de Strasbourg" in checked
        spaced = re.findall(r"\S* [:;?!]", body.split("== ")[0] + subject + "\n"
                            + "\n".join(ending))
        assert not spaced, f"an ordinary space before French punctuation: {spaced}"


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_dates_come_out_in_the_recipients_language_whoever_sends(mailer, locale):
    """The secretariat's language (the one active when it clicks) does not leak in."""
    from prize.i18n import use_locale

    other = "fr" if locale == "en" else "en"
    with use_locale(other):
        email = mailer.compose("call_opened", "ana@example.org",
                               {"name": "Ana Costa", "edition": EDITION, "link": LINK},
                               locale=locale)
    expected = "30 May 2027, 23:59" if locale == "en" else "30 mai 2027, 23:59"
    assert expected in email.body


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_results_say_the_outcome_in_a_full_sentence_and_what_happens_next(mailer, locale):
    bodies = {}
    for outcome in ("winner", "special_mention", "shortlisted", "not_selected"):
        bodies[outcome] = mailer.compose("results", "ana@example.org", {
            "name": "Ana Costa", "edition": EDITION, "reference": "EDPP-2027-0004",
            "title": "Peer Talk", "status": outcome, "statement": "", "link": LINK,
        }, locale=locale).body
    assert len(set(bodies.values())) == 4
    next_step = "What happens next" if locale == "en" else "La suite"
    assert all(next_step in body for body in bodies.values())
    assert ("has won the prize" if locale == "en" else "a remporté le prix") in bodies["winner"]
    # Publication is promised only to whoever agreed to it.
    draft = "draft of its public page" if locale == "en" else "projet de page publique"
    assert draft not in bodies["winner"]  # consent not given in this context
    with_consent = mailer.compose("results", "ana@example.org", {
        "name": "Ana Costa", "edition": EDITION, "reference": "EDPP-2027-0004",
        "title": "Peer Talk", "status": "shortlisted", "consent": True, "link": LINK,
    }, locale=locale).body
    assert draft in with_consent


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_call_links_to_the_editions_rules_and_criteria(mailer, locale):
    body = mailer.compose("call_opened", "ana@example.org",
                          {"name": "Ana Costa", "edition": EDITION, "link": LINK},
                          locale=locale).body
    assert "http://testserver/editions/2027" in body
