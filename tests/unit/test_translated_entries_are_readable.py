"""A complete translation makes an entry readable in its language too: in the affinity,
and in what the jury's marks count."""

from __future__ import annotations

from prize.domain import translations
from prize.domain.assignment import (
    LANGUAGE_WEIGHT,
    EntryForAssignment,
    JurorForAssignment,
    affinity_between,
)
from prize.domain.entries import FIELDS

ENGLISH_ONLY = JurorForAssignment(id=1, name="E", country="IE", languages=("en",))


def french_entry(translated: tuple[str, ...] = ()) -> EntryForAssignment:
    return EntryForAssignment(id=7, reference="EDPP-2026-0007", countries=("FR",),
                              language="fr", translated=translated)


def test_a_french_entry_with_a_complete_english_translation_fits_an_english_only_juror():
    without = affinity_between(ENGLISH_ONLY, french_entry())
    with_translation = affinity_between(ENGLISH_ONLY, french_entry(("en",)))
    assert round(with_translation - without, 6) == LANGUAGE_WEIGHT


def test_a_translation_into_a_language_the_juror_does_not_read_changes_nothing():
    german = JurorForAssignment(id=2, name="G", country="DE", languages=("de",))
    assert affinity_between(german, french_entry(("en",))) == affinity_between(
        german, french_entry())


def test_the_translation_counts_once_for_a_juror_reading_both():
    both = JurorForAssignment(id=3, name="B", country="BE", languages=("en", "fr"))
    assert affinity_between(both, french_entry(("en",))) == affinity_between(
        both, french_entry())


def test_the_marks_count_jurors_who_read_neither_the_original_nor_a_translation():
    readable = translations.readable_languages("fr", ())
    assert translations.jurors_without_a_language([["en"], ["fr", "de"], ["de"]], readable) == 2
    readable = translations.readable_languages("fr", ["en"])
    assert translations.jurors_without_a_language([["en"], ["fr", "de"], ["de"]], readable) == 1


def test_each_working_language_is_translated_into_the_other():
    assert translations.other_language("fr") == "en"
    assert translations.other_language("en") == "fr"


def test_a_translation_covers_the_jurys_text_answers_only():
    names = {field.name for field in translations.translated_fields(FIELDS)}
    assert {"summary", "activities", "title"} <= names
    # Choices need none (their labels exist in both languages); the contact person's
    # name is no text to translate; secretariat-only questions are not the jury's.
    assert not names & {"settings", "levels", "language", "contact_name", "contact_email",
                        "contact_phone", "young_people"}


def test_no_word_limit_applies_and_a_one_line_answer_stays_one_line():
    long = "word " * 3000  # ten times the summary's word limit
    texts, errors = translations.clean_texts({"t-summary": long, "t-title": "Peer\n  Talk"},
                                             FIELDS)
    assert errors == {}
    assert texts["title"] == "Peer Talk"
    assert len(texts["summary"].split()) == 3000
    too_long, errors = translations.clean_texts({"t-title": "x" * 301}, FIELDS)
    assert "t-title" in errors
