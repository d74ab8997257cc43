"""What the email-text editor accepts and refuses (prize.domain.email_texts.check), and how
a text is filled in: only its placeholders, in a sandbox, subjects on one line."""

from __future__ import annotations

import pytest

from prize.domain import email_texts
from prize.domain.email_texts import MESSAGES, TextRefused, check, render, render_subject


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_every_default_text_passes_its_own_check(kind):
    message = MESSAGES[kind]
    for locale in email_texts.LOCALES:
        check(message, "subject", message.subject[locale])
        check(message, "body", message.body[locale])


@pytest.mark.parametrize(("field", "text", "says"), [
    ("subject", "Two\nlines", "one line"),
    ("subject", "Two\u2029paragraphs", "one line"),
    ("body", "   ", "cannot be empty"),
    ("body", "{{ password }}", "Unknown placeholder: password"),
    ("body", "{{ name }", "cannot be read (line 1)"),
    ("body", "line one\n{% if eligible %}no end", "cannot be read"),
    ("body", "{{ name.__class__.__base__.__subclasses__() }}", "cannot be filled in"),
    ("body", "{{ lipsum() }}", "Unknown placeholder: lipsum"),
    ("body", "{{ range(10) }}", "Unknown placeholder: range"),
    ("body", "{{ name * 999999999 }}", "cannot be filled in"),
    ("body", "{{ 10 ** 10 ** 10 }}", "cannot be filled in"),
])
def test_refusals_name_the_problem(field, text, says):
    with pytest.raises(TextRefused) as refused:
        check(MESSAGES["eligibility_result"], field, text)
    assert says in str(refused.value) and refused.value.field == field


def test_a_placeholder_of_another_message_is_refused():
    with pytest.raises(TextRefused, match="Unknown placeholder: reference"):
        check(MESSAGES["verify_email"], "body", "Hello {{ name }}, {{ reference }}")


def test_a_subject_is_one_line_whatever_the_values_hold():
    assert render_subject("{{ title }} received", {"title": "Peer\r\nTalk\u2028"}) == \
        "Peer Talk received"


def test_blank_lines_left_by_conditions_fold_to_one():
    text = render("A\n{% if x %}\nB\n{% endif %}\n\n\nC", {"x": False})
    assert text == "A\n\nC"


def test_french_defaults_use_no_break_spaces():
    for message in MESSAGES.values():
        for text in (message.subject["fr"], message.body["fr"]):
            assert " :" not in text and " ?" not in text and " !" not in text, message.kind
