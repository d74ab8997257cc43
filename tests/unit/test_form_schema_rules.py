"""The rules of an edition's application form, without a server."""

from __future__ import annotations

from datetime import date

import pytest

from prize.domain import entries
from prize.domain.form_schema import (
    CORE_KEYS,
    Choice,
    FormProblem,
    FormSchema,
    Question,
    Texts,
    check_change,
    check_form,
    default_form,
    parse_form,
    public_answers,
)

DIGITAL = Question(
    key="digital_addictions",
    kind="textarea",
    label=Texts(en="How does your project address digital addictions?",
                fr="Comment votre projet aborde-t-il les addictions numériques ?"),
    max_words=300,
)


def with_question(schema: FormSchema, question: Question, section: str = "project") -> FormSchema:
    data = schema.model_dump()
    for part in data["sections"]:
        if part["key"] == section:
            part["fields"].append(question.model_dump())
    return FormSchema.model_validate(data)


def without(schema: FormSchema, key: str) -> FormSchema:
    data = schema.model_dump()
    for part in data["sections"]:
        part["fields"] = [q for q in part["fields"] if q["key"] != key]
    return FormSchema.model_validate(data)


def test_the_default_form_is_todays_fields_in_both_languages():
    form = default_form()
    assert [q.key for q in form.questions()] == [f.name for f in entries.FIELDS]
    assert list(form.section_titles("en").values()) == list(entries.SECTIONS.values())
    summary = form.question("summary")
    assert summary.max_words == 300 and summary.core and summary.public
    assert summary.label.fr and summary.label.fr != summary.label.en
    assert form.question("contact_phone").visible_to == "secretariat"
    check_form(form)


def test_the_default_form_checks_an_application_exactly_as_before():
    application = entries.Application(summary="word " * 301)
    today = date(2026, 6, 1)
    fields = default_form().fields("en")
    assert entries.submission_problems(application, today=today, fields=fields) == (
        entries.submission_problems(application, today=today))
    assert entries.completeness(application, today=today, fields=fields) == (
        entries.completeness(application, today=today))


def test_a_custom_question_is_answered_checked_and_counted():
    fields = with_question(default_form(), DIGITAL).fields("fr")
    values = {"digital_addictions": "mot " * 301}
    application, errors = entries.parse_draft(values, fields)
    assert not errors
    assert application.answers["digital_addictions"].startswith("mot")
    problems = entries.submission_problems(application, today=date(2026, 6, 1), fields=fields)
    assert "301" in problems["digital_addictions"]
    assert entries.form_values(application)["digital_addictions"] == application.answers[
        "digital_addictions"]
    done, total = entries.completeness(application, today=date(2026, 6, 1), fields=fields)
    assert total == entries.completeness(
        application, today=date(2026, 6, 1))[1] + 1


def test_custom_dates_and_grids_survive_a_save_and_a_reload():
    form = with_question(default_form(), Question(
        key="launch", kind="date", label=Texts(en="Launch", fr="Lancement"), required=False))
    form = with_question(form, Question(
        key="peer_grid", kind="participation", label=Texts(en="Peers", fr="Pairs"),
        required=False))
    fields = form.fields("en")
    application, errors = entries.parse_draft(
        {"launch": "2025-03-01", "peer_grid_design": "on", "peer_grid_design_how": "They lead"},
        fields)
    assert not errors
    stored = entries.Application.model_validate_json(application.model_dump_json())
    values = entries.form_values(stored)
    assert values["launch"] == "2025-03-01"
    assert values["peer_grid_design"] == "on" and values["peer_grid_design_how"] == "They lead"
    launch = next(f for f in fields if f.name == "launch")
    assert entries.shown_answer(launch, stored) == date(2025, 3, 1)


def test_changed_fields_name_the_custom_answers_that_changed():
    before = entries.Application(answers={"a": "x", "b": "y"})
    after = entries.Application(answers={"a": "x", "b": "z", "c": "new"})
    assert after.changed_fields(before) == ["b", "c"]


@pytest.mark.parametrize("key", sorted(CORE_KEYS))
def test_a_core_question_cannot_be_removed(key):
    with pytest.raises(FormProblem, match=key):
        check_form(without(default_form(), key))


def test_a_non_core_question_may_be_removed():
    check_form(without(default_form(), "goals"))


def test_a_core_question_may_be_relabelled_and_its_limit_changed_but_not_made_optional():
    data = default_form().model_dump()
    summary = next(q for s in data["sections"] for q in s["fields"] if q["key"] == "summary")
    summary["label"] = {"en": "Your project in brief", "fr": "Votre projet en bref"}
    summary["max_words"] = 250
    check_form(FormSchema.model_validate(data))
    summary["required"] = False
    with pytest.raises(FormProblem, match="summary"):
        check_form(FormSchema.model_validate(data))


def test_a_core_question_keeps_its_choices():
    data = default_form().model_dump()
    levels = next(q for s in data["sections"] for q in s["fields"] if q["key"] == "levels")
    levels["choices"].pop()
    with pytest.raises(FormProblem, match="levels"):
        check_form(FormSchema.model_validate(data))


def test_a_builtin_question_keeps_its_kind():
    data = default_form().model_dump()
    goals = next(q for s in data["sections"] for q in s["fields"] if q["key"] == "goals")
    goals["kind"] = "text"
    goals["max_words"] = None
    with pytest.raises(FormProblem, match="goals"):
        check_form(FormSchema.model_validate(data))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["sections"][0]["fields"][0].update(kind="essay"), "unknown kind"),
    (lambda d: d["sections"][1]["fields"][0].update(key="org_name"), "used twice"),
    (lambda d: d["sections"][2]["fields"][0]["label"].update(fr=""), "French"),
    (lambda d: d["sections"][2]["fields"][0]["label"].update(en=" "), "English"),
    (lambda d: d["sections"][0]["fields"].pop(0), "org_name"),
    (lambda d: d["sections"][0].update(key="Bad Key"), "not valid"),
    (lambda d: d["sections"][0].update(key="new"), "reserved"),
])
def test_a_bad_form_is_refused_with_one_sentence(change, message):
    data = default_form().model_dump()
    change(data)
    with pytest.raises(FormProblem, match=message) as refused:
        parse_form(data)
    assert "\n" not in str(refused.value)


def test_a_choice_question_needs_choices_and_only_a_long_text_has_a_word_limit():
    bare = Question(key="pick", kind="select", label=Texts(en="Pick", fr="Choisir"))
    with pytest.raises(FormProblem, match="choice"):
        check_form(with_question(default_form(), bare))
    limited = Question(key="short", kind="text", label=Texts(en="S", fr="S"), max_words=3)
    with pytest.raises(FormProblem, match="word limit"):
        check_form(with_question(default_form(), limited))


def test_a_frozen_form_takes_new_wording_but_no_new_or_removed_question():
    old = default_form()
    reworded = old.model_dump()
    reworded["sections"][0]["fields"][0]["hint"] = {"en": "As registered", "fr": "Comme déclaré"}
    check_change(old, FormSchema.model_validate(reworded), frozen=True)
    with pytest.raises(FormProblem, match="digital_addictions is added"):
        check_change(old, with_question(old, DIGITAL), frozen=True)
    with pytest.raises(FormProblem, match="goals is removed"):
        check_change(old, without(old, "goals"), frozen=True)
    check_change(old, with_question(old, DIGITAL), frozen=False)


def test_a_word_limit_never_goes_below_a_submitted_answer_and_the_entries_are_named():
    old = default_form()
    lowered = old.model_dump()
    aims = next(q for s in lowered["sections"] for q in s["fields"] if q["key"] == "aims")
    aims["max_words"] = 10
    new = FormSchema.model_validate(lowered)
    submitted = [("EDPP-2027-0001", {"aims": "word " * 12}), ("EDPP-2027-0002", {"aims": "a"})]
    with pytest.raises(FormProblem, match="EDPP-2027-0001") as refused:
        check_change(old, new, frozen=True, submitted=submitted)
    assert "EDPP-2027-0002" not in str(refused.value)
    check_change(old, new, frozen=True, submitted=[("EDPP-2027-0002", {"aims": "a"})])


def test_an_export_reads_back_as_the_same_form():
    form = with_question(default_form(), DIGITAL)
    import json
    assert parse_form(json.loads(form.to_json())) == form


def test_a_grid_of_its_own_is_checked_like_the_participation_grid():
    form = with_question(default_form(), Question(
        key="peer_grid", kind="participation", label=Texts(en="Peers", fr="Pairs")))
    fields = form.fields("en")
    today = date(2026, 6, 1)
    empty, _ = entries.parse_draft({}, fields)
    assert "Tick at least one stage" in entries.submission_problems(
        empty, today=today, fields=fields)["peer_grid"]
    ticked, _ = entries.parse_draft({"peer_grid_design": "on"}, fields)
    assert "Say how young people take part" in entries.submission_problems(
        ticked, today=today, fields=fields)["peer_grid"]
    told, _ = entries.parse_draft({"peer_grid_design": "on", "peer_grid_design_how": "They lead"},
                                  fields)
    assert "peer_grid" not in entries.submission_problems(told, today=today, fields=fields)


def test_core_is_read_only_in_a_file_the_platform_marks_it():
    data = default_form().model_dump()
    data["sections"][0]["fields"][0]["core"] = False  # org_name
    data["sections"][1]["fields"][0].pop("core")
    data["sections"][3]["fields"][0]["core"] = True  # needs_assessment is not core
    form = parse_form(data)
    assert form.question("org_name").core and form.question("contact_name").core
    assert not form.question("needs_assessment").core
    assert form == default_form()


def test_public_answers_are_the_custom_public_ones_in_the_language_asked():
    story = Question(key="story", kind="textarea", label=Texts(en="Story", fr="Histoire"),
                     public=True)
    apps = Question(key="apps", kind="multi", label=Texts(en="Apps", fr="Applis"), public=True,
                    choices=[Choice(key="tiktok", label=Texts(en="TikTok", fr="TikTok")),
                             Choice(key="games", label=Texts(en="Games", fr="Jeux"))])
    hidden = Question(key="budget", kind="int", label=Texts(en="Budget", fr="Budget"),
                      public=True, visible_to="secretariat")
    form = with_question(with_question(with_question(default_form(), story), apps), hidden)
    application = entries.Application(
        answers={"story": " Told ", "apps": ["games", "tiktok"], "budget": 5})
    assert public_answers(application, form, "fr") == [
        ("Histoire", "Told"), ("Applis", "Jeux, TikTok")]


def test_an_answer_that_no_longer_fits_its_question_is_left_out():
    form = with_question(default_form(), Question(
        key="peer_grid", kind="participation", label=Texts(en="Peers", fr="Pairs"),
        required=False))
    fields = form.fields("en")
    grid = next(f for f in fields if f.name == "peer_grid")
    application = entries.Application(answers={"peer_grid": "was a long text", "gone": "x"})
    assert entries.shown_answer(grid, application) is None
    assert entries.fitted(application, fields).answers == {}
    kept = entries.Application(answers={"peer_grid": {"design": {"involved": True, "how": "Yes"}}})
    assert entries.fitted(kept, fields) == kept
