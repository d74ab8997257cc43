"""The secretariat's form editor: every change it takes and every change it refuses."""

from __future__ import annotations

from prize.domain.form_schema import default_form
from prize.store import audit, forms
from tests import factories

QUESTION = {
    "key": "digital_addictions", "section": "project", "kind": "textarea",
    "label_en": "How does your project address digital addictions?",
    "label_fr": "Comment votre projet aborde-t-il les addictions numériques ?",
    "max_words": "300", "visible_to": "jury", "required": "on", "action": "save",
}


async def open_edition(db, year=2027):
    return await factories.edition(db, year=year, status="open")


async def add_question(admin_client, year, **changes):
    path = f"/admin/editions/{year}/form/questions/new"
    return await admin_client.submit(path, {**QUESTION, **changes}, token_from=path)


async def test_the_editor_lists_sections_and_questions_and_says_why_core_ones_stay(
        admin_client, db):
    await open_edition(db)
    page = await admin_client.get("/admin/editions/2027/form")
    assert page.status_code == 200
    assert "Summary of the project" in page.text and "Core" in page.text
    assert "assignment, conflicts of interest, screening" in page.text
    assert "default form" in page.text


async def test_a_new_question_is_saved_in_both_languages_and_audited(admin_client, db):
    edition = await open_edition(db)
    response = await add_question(admin_client, 2027)
    assert response.status_code == 303, response.text
    schema = await forms.of_edition(db, edition.id)
    question = schema.question("digital_addictions")
    assert question.max_words == 300 and question.label.fr.startswith("Comment")
    assert schema.section("project").fields[-1].key == "digital_addictions"
    (record,) = await audit.search(db, action="form.changed")
    assert "the question digital_addictions is added" in record.details["structure"]


async def test_a_question_without_french_is_refused_in_place_with_the_text_kept(
        admin_client, db):
    edition = await open_edition(db)
    response = await add_question(admin_client, 2027, label_fr="")
    assert response.status_code == 422
    assert "Write it in French too" in response.text
    assert QUESTION["label_en"] in response.text
    assert not await forms.has_own_form(db, edition.id)


async def test_a_duplicate_key_a_bad_key_and_a_bad_limit_are_refused_in_place(admin_client, db):
    await open_edition(db)
    for changes, message in [
        ({"key": "summary"}, "is used already"),
        ({"key": "Digital Addictions"}, "lower-case letters"),
        ({"key": "new"}, "is reserved"),
        ({"max_words": "lots"}, "A whole number from 1 to 5000"),
        ({"kind": "essay"}, "Choose a kind of question"),
        ({"kind": "select", "max_words": ""}, "Give at least one choice"),
        ({"kind": "select", "max_words": "", "choices": "one | One"}, "key | English | French"),
        ({"hint_en": "Only in English"}, "in both languages, or in neither"),
        ({"label_en": "x" * 301}, "At most 300 characters."),
        ({"kind": "multi", "max_words": "",
          "choices": "\n".join(f"c{n} | C | C" for n in range(201))}, "At most 200 choices."),
        ({"kind": "multi", "max_words": "", "choices": "a | " + "x" * 301 + " | y"},
         "at most 300 characters a label"),
    ]:
        response = await add_question(admin_client, 2027, **changes)
        assert response.status_code == 422, changes
        assert message in response.text, changes


async def test_a_choice_question_takes_its_choices_in_both_languages(admin_client, db):
    edition = await open_edition(db)
    response = await add_question(
        admin_client, 2027, key="screens", kind="multi", max_words="",
        choices="gaming | Gaming | Jeux vidéo\nsocial_media | Social media | Réseaux sociaux")
    assert response.status_code == 303, response.text
    question = (await forms.of_edition(db, edition.id)).question("screens")
    assert [c.label.fr for c in question.choices] == ["Jeux vidéo", "Réseaux sociaux"]


async def test_a_core_question_is_relabelled_and_its_limit_lowered_but_stays_required(
        admin_client, db):
    edition = await open_edition(db)
    path = "/admin/editions/2027/form/questions/summary"
    page = await admin_client.get(path)
    assert "own questions keep their kind." in page.text
    assert "but not removed, made optional" in page.text  # why, on the page
    response = await admin_client.submit(path, {
        "section": "project", "label_en": "Your project in brief",
        "label_fr": "Votre projet en bref", "max_words": "250", "kind": "text",
        "visible_to": "secretariat", "action": "save"}, token_from=path)
    assert response.status_code == 303, response.text
    summary = (await forms.of_edition(db, edition.id)).question("summary")
    assert summary.label.en == "Your project in brief" and summary.max_words == 250
    assert summary.kind == "textarea" and summary.required and summary.visible_to == "jury"


async def test_a_core_question_cannot_be_removed_nor_its_section(admin_client, db):
    edition = await open_edition(db)
    path = "/admin/editions/2027/form/questions/summary"
    response = await admin_client.submit(path, {"action": "remove", "confirm": "yes"},
                                         token_from=path)
    assert response.status_code in (409, 422)
    assert "core question summary is missing" in response.text
    order = "/admin/editions/2027/form/order"
    response = await admin_client.submit(
        order, {"what": "section", "key": "project", "action": "remove", "confirm": "yes"},
        token_from="/admin/editions/2027/form")
    assert response.status_code == 422
    assert "is missing" in response.text
    assert not await forms.has_own_form(db, edition.id)


async def test_removing_a_question_needs_the_box_ticked(admin_client, db):
    edition = await open_edition(db)
    path = "/admin/editions/2027/form/questions/goals"
    refused = await admin_client.submit(path, {"action": "remove"}, token_from=path)
    assert refused.status_code == 422 and "Tick the box" in refused.text
    done = await admin_client.submit(path, {"action": "remove", "confirm": "yes"},
                                     token_from=path)
    assert done.status_code == 303
    assert (await forms.of_edition(db, edition.id)).question("goals") is None


async def test_sections_are_added_renamed_and_moved(admin_client, db):
    edition = await open_edition(db)
    new = "/admin/editions/2027/form/sections/new"
    response = await admin_client.submit(new, {"key": "digital", "title_en": "8. Digital",
                                               "title_fr": "8. Numérique"}, token_from=new)
    assert response.status_code == 303
    refused = await admin_client.submit(new, {"key": "digital", "title_en": "Again",
                                              "title_fr": ""}, token_from=new)
    assert refused.status_code == 422
    assert "is used already" in refused.text and "Write it in French too" in refused.text
    moved = await admin_client.submit(
        "/admin/editions/2027/form/order",
        {"what": "section", "key": "digital", "action": "up"},
        token_from="/admin/editions/2027/form")
    assert moved.status_code == 303
    keys = [s.key for s in (await forms.of_edition(db, edition.id)).sections]
    assert keys[-2:] == ["digital", "consent"]


async def test_after_the_first_submission_adding_and_removing_are_refused_with_the_reason(
        admin_client, db):
    edition = await open_edition(db)
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    page = await admin_client.get("/admin/editions/2027/form")
    assert "already submitted (1)" in page.text
    response = await add_question(admin_client, 2027)
    assert response.status_code == 409
    assert "the question digital_addictions is added" in response.text
    assert QUESTION["label_fr"] in response.text
    path = "/admin/editions/2027/form/questions/goals"
    removed = await admin_client.submit(path, {"action": "remove", "confirm": "yes"},
                                        token_from=path)
    assert removed.status_code == 409 and "the question goals is removed" in removed.text
    assert not await forms.has_own_form(db, edition.id)


async def test_after_the_first_submission_wording_still_changes_and_is_audited(
        admin_client, db):
    edition = await open_edition(db)
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    path = "/admin/editions/2027/form/questions/goals"
    response = await admin_client.submit(path, {
        "section": "project", "label_en": "Aims in prevention", "label_fr": "Buts en prévention",
        "hint_en": "In a few lines.", "hint_fr": "En quelques lignes.", "max_words": "100",
        "visible_to": "jury", "required": "on", "public": "on", "action": "save"},
        token_from=path)
    assert response.status_code == 303, response.text
    assert (await forms.of_edition(db, edition.id)).question("goals").hint.fr == (
        "En quelques lignes.")
    (record,) = await audit.search(db, action="form.changed")
    assert record.details["wording"] == ["goals"] and record.details["frozen"] is True


async def test_a_word_limit_below_a_submitted_answer_is_refused_naming_the_entry(
        admin_client, db):
    edition = await open_edition(db)
    owner = await factories.user(db)
    long_aims = " ".join(["word"] * 40)
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="submitted",
        application=factories.complete_application(aims=long_aims))
    path = "/admin/editions/2027/form/questions/aims"
    response = await admin_client.submit(path, {
        "section": "approach", "label_en": "Aims and objectives",
        "label_fr": "Buts et objectifs", "max_words": "30", "visible_to": "jury",
        "required": "on", "action": "save"}, token_from=path)
    assert response.status_code == 422
    assert entry.reference in response.text and "cannot go below 30" in response.text
    assert 'value="30"' in response.text
    ok = await admin_client.submit(path, {
        "section": "approach", "label_en": "Aims and objectives",
        "label_fr": "Buts et objectifs", "max_words": "40", "visible_to": "jury",
        "required": "on", "action": "save"}, token_from=path)
    assert ok.status_code == 303


async def test_unknown_sections_questions_and_moves_are_not_found(admin_client, db):
    await open_edition(db)
    assert (await admin_client.get("/admin/editions/2027/form/questions/nothing")).status_code \
        == 404
    assert (await admin_client.get("/admin/editions/2027/form/sections/nothing")).status_code \
        == 404
    response = await admin_client.submit(
        "/admin/editions/2027/form/order", {"what": "question", "key": "nothing", "action": "up"},
        token_from="/admin/editions/2027/form")
    assert response.status_code == 404
    response = await admin_client.submit(
        "/admin/editions/2027/form/order", {"what": "question", "key": "goals",
                                            "action": "sideways"},
        token_from="/admin/editions/2027/form")
    assert response.status_code == 400


async def test_the_preview_shows_the_form_as_applicants_see_it_in_either_language(
        admin_client, db):
    await open_edition(db)
    await add_question(admin_client, 2027)
    english = await admin_client.get("/admin/editions/2027/form/preview?lang=en")
    assert english.status_code == 200
    assert QUESTION["label_en"] in english.text and "Summary of the project" in english.text
    assert 'lang="en"' in english.text
    french = await admin_client.get("/admin/editions/2027/form/preview?lang=fr")
    assert QUESTION["label_fr"] in french.text and 'lang="fr"' in french.text
    assert "Nom de l’organisation" in french.text
    bad = await admin_client.get("/admin/editions/2027/form/preview?lang=de")
    assert bad.status_code == 400


async def test_a_new_edition_starts_from_a_copy_of_the_previous_form(admin_client, db):
    await open_edition(db, 2027)
    await add_question(admin_client, 2027)
    new = "/admin/editions/new"
    response = await admin_client.submit(new, [
        ("year", "2028"), ("title", "European Prize for Drug Prevention 2028"),
        ("theme", "Youth"), ("opens_at", "2027-10-01T09:00"),
        ("closes_at", "2028-05-30T23:59"), ("judging_ends_at", "2028-07-15T18:00"),
        ("jurors_per_entry", "3"), ("spread_threshold", "25"), ("eligible_countries", "FR")],
        token_from=new)
    assert response.status_code == 303, response.text
    page = await admin_client.get("/admin/editions/2028", follow_redirects=True)
    assert "a copy of the 2027 form" in page.text
    edition = await factories.editions.by_year(db, 2028)
    assert (await forms.of_edition(db, edition.id)).question("digital_addictions") is not None


async def test_after_the_first_submission_a_new_kind_or_new_choices_are_refused(
        admin_client, db):
    edition = await open_edition(db)
    await add_question(admin_client, 2027, key="screens", kind="select", max_words="",
                       choices="yes | Yes | Oui\nno | No | Non")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    path = "/admin/editions/2027/form/questions/screens"
    choices = "yes | Yes | Oui\nno | No | Non"
    base = {**QUESTION, "key": "screens", "max_words": "", "choices": choices}
    page = await admin_client.get(path)
    assert "the kind no longer changes" in page.text
    rekinded = await admin_client.submit(path, {**base, "kind": "multi"}, token_from=path)
    assert rekinded.status_code == 303  # a kind posted anyway is not taken
    assert (await forms.of_edition(db, edition.id)).question("screens").kind == "select"
    rechosen = await admin_client.submit(
        path, {**base, "kind": "select", "choices": "yes | Yes | Oui\nmaybe | Maybe | Peut-être"},
        token_from=path)
    assert rechosen.status_code == 409 and "the choices of screens change" in rechosen.text
    reworded = await admin_client.submit(
        path, {**base, "kind": "select",
               "choices": "yes | Yes, often | Oui, souvent\nno | No | Non"}, token_from=path)
    assert reworded.status_code == 303
    question = (await forms.of_edition(db, edition.id)).question("screens")
    assert question.kind == "select" and question.choices[0].label.fr == "Oui, souvent"


async def test_a_question_moves_to_another_section(admin_client, db):
    edition = await open_edition(db)
    path = "/admin/editions/2027/form/questions/goals"
    response = await admin_client.submit(path, {
        "section": "approach", "label_en": "Goals in drug prevention",
        "label_fr": "Objectifs en prévention des drogues", "max_words": "100",
        "visible_to": "jury", "required": "on", "public": "on", "action": "save"},
        token_from=path)
    assert response.status_code == 303, response.text
    schema = await forms.of_edition(db, edition.id)
    assert schema.section("approach").fields[-1].key == "goals"
    assert "goals" not in [q.key for q in schema.section("project").fields]


async def test_the_preview_is_the_applicants_form_and_shows_what_submit_would_say(
        admin_client, db):
    edition = await open_edition(db)
    await add_question(admin_client, 2027)
    path = "/admin/editions/2027/form/preview?lang=fr"
    page = await admin_client.get(path)
    assert "Nouvelle candidature" in page.text and 'id="attachments"' in page.text
    assert 'action="/admin/editions/2027/form/preview?lang=fr"' in page.text
    response = await admin_client.submit(path, {
        "digital_addictions": " ".join(["mot"] * 301), "action": "submit"}, token_from=path)
    assert response.status_code == 422
    assert "301" in response.text and 'lang="fr"' in response.text
    assert " ".join(["mot"] * 301) in response.text
    assert not await forms.submitted_count(db, edition.id)
    assert not await db.fetch_value("SELECT COUNT(*) FROM entries")


async def test_the_default_form_comes_back_after_a_ticked_confirmation(admin_client, db):
    edition = await open_edition(db)
    await add_question(admin_client, 2027)
    page = await admin_client.get("/admin/editions/2027/form")
    assert "Use the default form" in page.text
    order = "/admin/editions/2027/form/order"
    data = {"what": "form", "key": "", "action": "default"}
    refused = await admin_client.submit(order, data, token_from="/admin/editions/2027/form")
    assert refused.status_code == 422 and "Tick the box" in refused.text
    assert (await forms.of_edition(db, edition.id)).question("digital_addictions")
    done = await admin_client.submit(order, {**data, "confirm": "yes"},
                                     token_from="/admin/editions/2027/form")
    assert done.status_code == 303
    assert (await forms.of_edition(db, edition.id)) == default_form()
