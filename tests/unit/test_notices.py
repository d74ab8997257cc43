"""The texts people accept: how a version is laid out, what a new one must hold, and when a
person must accept one."""

from __future__ import annotations

import pytest

from prize.domain.notices import MAX_BODY_CHARS, Block, NoticeDraft, blocks, needs_acceptance
from prize.web.forms import validate


def test_lines_become_headings_paragraphs_and_lists():
    text = "# Who\nThe secretariat.\n\n- one\n- two\nAfter the list.\n- alone"
    assert blocks(text) == [
        Block("heading", "Who"), Block("paragraph", "The secretariat."),
        Block("list", items=("one", "two")), Block("paragraph", "After the list."),
        Block("list", items=("alone",))]


def test_markup_is_kept_as_text():
    assert blocks("<b>bold</b>") == [Block("paragraph", "<b>bold</b>")]
    assert blocks("#not a heading") == [Block("paragraph", "#not a heading")]


def draft(**changes):
    return validate(NoticeDraft, {"body_en": "Text.", "body_fr": "Texte.",
                                  "change_note": "New.", **changes})


def test_a_complete_draft_is_normalised():
    model, errors = draft(body_en="  \r\n# Title  \r\nLine\r\n\r\n", change_note=" Two\n words ")
    assert errors == {} and model.body_en == "# Title\nLine" and model.change_note == "Two words"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("body_en", "   \n ", "Write the text: it cannot be empty."),
    ("body_fr", "", "Write the text: it cannot be empty."),
    ("body_en", "x" * (MAX_BODY_CHARS + 1), "At most 20,000 characters."),
    ("change_note", "", "Say in a sentence what changed."),
    ("change_note", "n" * 501, "At most 500 characters."),
])
def test_a_draft_missing_something_is_refused_field_by_field(field, value, message):
    model, errors = draft(**{field: value})
    assert model is None and errors == {field: message}


def test_the_longest_text_allowed_is_taken():
    model, errors = draft(body_en="x" * MAX_BODY_CHARS)
    assert errors == {}


@pytest.mark.parametrize(("accepted", "current", "needed"), [
    (None, 1, True), (1, 2, True), (2, 2, False), (3, 2, False), (None, None, False)])
def test_who_must_accept(accepted, current, needed):
    assert needs_acceptance(accepted, current) is needed


def test_every_text_and_occasion_has_a_label():
    from typing import get_args

    from prize.domain import labels
    from prize.domain.notices import Document
    from prize.store.consent import Occasion

    assert all(labels.is_known("document", document) for document in Document)
    assert all(labels.is_known("occasion", occasion) for occasion in get_args(Occasion))
