"""An edition's words join the substances question's choices when its form is answered."""

from __future__ import annotations

from prize.domain.editions import vocabulary_items
from prize.domain.form_schema import check_form, default_form, with_added_words

WORDS = vocabulary_items("Gambling\nScreens", "Jeux d’argent\nÉcrans")


def test_the_words_come_after_the_platforms_choices_in_both_languages():
    schema = with_added_words(default_form(), WORDS)
    question = schema.question("substances")
    assert question.choice_keys()[-2:] == ["gambling", "screens"]
    assert question.choices[-2].label.en == "Gambling"
    assert question.choices[-2].label.fr == "Jeux d’argent"
    (field,) = [f for f in schema.fields("fr") if f.name == "substances"]
    assert field.choices["screens"] == "Écrans" and "alcohol" in field.choices


def test_no_words_or_known_keys_leave_the_form_as_it_is():
    schema = default_form()
    assert with_added_words(schema, ()) == schema
    again = with_added_words(with_added_words(schema, WORDS), WORDS)
    assert again.question("substances").choice_keys().count("gambling") == 1


def test_only_the_substances_question_changes():
    before = default_form()
    after = with_added_words(before, WORDS)
    changed = [q.key for q in after.questions() if q != before.question(q.key)]
    assert changed == ["substances"]
    assert [s.key for s in after.sections] == [s.key for s in before.sections]
    check_form(before)  # the stored form is untouched and still valid
