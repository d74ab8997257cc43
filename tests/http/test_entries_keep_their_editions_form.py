"""Each entry is written, checked, read, printed, mailed and exported with its edition's form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from prize.domain.exports import ENTRIES_HEADER
from prize.domain.form_schema import FormSchema, Question, Texts, default_form
from prize.store import entries, forms, practices
from prize.store.scoring import export_table
from tests import factories
from tests.factories import application_form, complete_application

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
DIGITAL = Question(
    key="digital_addictions", kind="textarea",
    label=Texts(en="How does your project address digital addictions?",
                fr="Comment votre projet aborde-t-il les addictions numériques ?"),
    hint=Texts(en="Gaming, gambling, social media.", fr="Jeux, paris, réseaux sociaux."),
    max_words=30,
)
BUDGET = Question(key="budget", kind="int", label=Texts(en="Budget in euros", fr="Budget en euros"),
                  required=False, visible_to="secretariat")


def with_questions(*questions: Question) -> FormSchema:
    data = default_form().model_dump()
    project = next(s for s in data["sections"] if s["key"] == "project")
    project["fields"] += [q.model_dump() for q in questions]
    return FormSchema.model_validate(data)


async def edition_with_its_own_form(db, year=2026, status="open", schema=None):
    edition = await factories.edition(db, year=year, status=status,
                                      closes_at=datetime(year, 5, 30, 21, 59, tzinfo=UTC))
    async with db.transaction() as conn:
        await forms.save(conn, edition.id, schema or with_questions(DIGITAL, BUDGET),
                         now=datetime(2026, 1, 1, tzinfo=UTC), actor_id=None)
    return edition


async def start(client, edition) -> int:
    response = await client.submit("/my/entries", {"edition_id": str(edition.id)},
                                   token_from="/my")
    return int(re.search(r"/my/entries/(\d+)/edit", response.headers["location"]).group(1))


async def post_entry(client, db, entry_id, extra, action="submit", headers=None):
    form = application_form(complete_application())
    version = str((await entries.get(db, entry_id)).version)
    path = f"/my/entries/{entry_id}/edit"
    token = await client.csrf_token(path)
    grouped: dict[str, list[str]] = {}
    for name, value in [*form, *extra, ("action", action), ("version", version)]:
        grouped.setdefault(name, []).append(value)
    return await client.post(path, data={**grouped, "csrf_token": token}, headers=headers or {})


async def test_an_applicant_answers_a_new_question_in_french_within_its_word_limit(
        applicant_client, db, mailbox):
    edition = await edition_with_its_own_form(db)
    await db.execute_write("UPDATE users SET locale = 'fr' WHERE id = ?",
                           (applicant_client.user.id,))
    entry_id = await start(applicant_client, edition)
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit", headers=FR)
    assert '<html lang="fr">' in page.text
    assert DIGITAL.label.fr in page.text and DIGITAL.hint.fr in page.text
    assert 'data-max-words="30"' in page.text

    too_long = " ".join(["écran"] * 31)
    refused = await post_entry(applicant_client, db, entry_id, [
        ("digital_addictions", too_long)], headers=FR)
    assert refused.status_code == 422
    assert "31" in refused.text and too_long in refused.text
    assert (await entries.get(db, entry_id)).application.answers["digital_addictions"] == too_long

    answer = "Les jeunes animent des ateliers sur les écrans et les jeux d’argent."
    done = await post_entry(applicant_client, db, entry_id, [
        ("digital_addictions", answer), ("budget", "12000")], headers=FR)
    assert done.status_code == 303, done.text
    stored = await entries.get(db, entry_id)
    assert stored.application.answers == {"digital_addictions": answer, "budget": 12000}
    (message,) = mailbox.to(applicant_client.user.email)
    assert answer in mailbox.body(message)
    assert DIGITAL.label.fr in mailbox.body(message)
    printed = await applicant_client.get(f"/my/entries/{entry_id}/print")
    assert DIGITAL.label.fr in printed.text and answer in printed.text


async def test_a_required_new_question_is_needed_to_submit(applicant_client, db):
    edition = await edition_with_its_own_form(db)
    entry_id = await start(applicant_client, edition)
    response = await post_entry(applicant_client, db, entry_id, [])
    assert response.status_code == 422
    assert "Answer this question." in response.text
    assert 'href="#field-digital_addictions"' in response.text


async def test_the_juror_reads_the_answer_but_not_a_secretariat_only_one(juror_client, db):
    edition = await edition_with_its_own_form(db, status="judging")
    owner = await factories.user(db)
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=complete_application(answers={"digital_addictions": "Peer-led screen talks",
                                                  "budget": 4321}))
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                               juror_id=juror_client.user.id)
    await factories.release_assignment(db, edition.id)
    page = await juror_client.get(f"/jury/entries/{entry.id}")
    assert page.status_code == 200, page.text
    assert DIGITAL.label.en in page.text and "Peer-led screen talks" in page.text
    assert "Budget in euros" not in page.text and "4321" not in page.text


async def test_the_export_has_a_column_for_the_new_question(db):
    edition = await edition_with_its_own_form(db, status="judging")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible",
                          application=complete_application(
                              answers={"digital_addictions": "Screens", "budget": 10}))
    table = await export_table(db, edition, "entries")
    # The question's column comes after the fixed ones (text and substances columns follow).
    column = table.header.index("digital_addictions")
    assert column == len(ENTRIES_HEADER) and "budget" not in table.header
    assert table.rows[0][column] == "Screens"


async def test_an_entry_of_an_earlier_edition_keeps_its_questions(admin_client, db):
    earlier = await factories.edition(db, year=2024, status="judging")
    owner = await factories.user(db)
    old = await factories.entry(db, edition_id=earlier.id, owner_id=owner.id,
                                status="eligible", application=complete_application())
    await edition_with_its_own_form(db, year=2027, schema=with_questions(DIGITAL))
    page = await admin_client.get(f"/admin/entries/{old.id}/text")
    assert page.status_code == 200
    assert "Goals in drug prevention" in page.text
    assert DIGITAL.label.en not in page.text


async def test_autosave_keeps_a_new_question_s_answer(applicant_client, db):
    edition = await edition_with_its_own_form(db)
    entry_id = await start(applicant_client, edition)
    response = await post_entry(
        applicant_client, db, entry_id, [("digital_addictions", "Screens at school")],
        action="save", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    stored = await entries.get(db, entry_id)
    assert stored.application.answers["digital_addictions"] == "Screens at school"
    page = await applicant_client.get(f"/my/entries/{entry_id}/edit")
    assert "Screens at school" in page.text


async def test_a_public_answer_prefills_the_public_record_and_a_private_one_does_not(
        admin_client, db):
    story = Question(key="story", kind="textarea", label=Texts(en="A young person's story",
                                                              fr="L’histoire d’un jeune"),
                     public=True)
    edition = await edition_with_its_own_form(
        db, year=2025, status="published", schema=with_questions(DIGITAL, BUDGET, story))
    owner = await factories.user(db)
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="winner",
        application=complete_application(answers={
            "story": "Aoife now runs the sessions herself.",
            "digital_addictions": "Not public", "budget": 999}))
    response = await admin_client.submit("/admin/practices/prepare", {"entry_id": str(entry.id)},
                                         token_from="/admin/practices")
    assert response.status_code == 303
    practice_id = int(response.headers["location"].rsplit("/", 1)[1])
    record = await practices.get(db, practice_id)
    assert "A young person's story\nAoife now runs the sessions herself." in record.activities
    assert "Not public" not in record.activities and "999" not in record.activities


async def test_an_answer_whose_question_changed_kind_is_left_out_not_an_error(
        applicant_client, db):
    grid = Question(key="digital_addictions", kind="participation",
                    label=Texts(en="Digital stages", fr="Étapes numériques"), required=False)
    edition = await edition_with_its_own_form(db, schema=with_questions(grid))
    entry = await factories.entry(
        db, edition_id=edition.id, owner_id=applicant_client.user.id,
        application=complete_application(answers={"digital_addictions": "Old long text"}))
    for path in (f"/my/entries/{entry.id}/edit", f"/my/entries/{entry.id}/print",
                 f"/my/entries/{entry.id}"):
        page = await applicant_client.get(path)
        assert page.status_code == 200, path
        assert "Old long text" not in page.text
