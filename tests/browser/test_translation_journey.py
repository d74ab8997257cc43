"""A French entry, a jury that reads English: the secretariat hands the entry to a
translator, who translates it beside the original; an English-only juror reads both side
by side (one language at a time on a phone) and scores. axe-core checks each new page,
and each column carries its own `lang`."""

from __future__ import annotations

from datetime import UTC, datetime

from prize.domain.editions import DEFAULT_CRITERIA
from prize.domain.entries import FIELDS
from prize.domain.translations import translated_fields
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_accessibility import axe_violations, page_overflow

FRENCH = "Des lycéens mènent l’enquête, conçoivent et animent chaque séance."
ENGLISH = "Secondary pupils run the survey, design and lead every session."
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def seed(live_server) -> dict:
    made: dict = {}

    async def work(db):
        edition = await factories.edition(db, year=2025, status="judging",
                                          closes_at=datetime(2025, 5, 30, tzinfo=UTC))
        await factories.user(db, role="admin", email="admin@example.org", name="Sophie Martin")
        await factories.user(db, role="translator", email="tess@example.org",
                             name="Tess Translator")
        owner = await factories.user(db, email="claire@example.org")
        application = factories.complete_application(
            language="fr", title="Parole aux pairs", country="FR", org_name="Jeunes Voix",
            city="Lyon", **{name: FRENCH for name in (
                "summary", "goals", "needs_assessment", "aims", "activities",
                "youth_participation", "evaluation", "sustainability", "ethics")})
        # Submitted, and found eligible at screening.
        entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      application=application, status="eligible")
        juror = await factories.juror(db, edition_id=edition.id, country="IE",
                                      languages=("en",), email="juror@example.org",
                                      name="Aoife Byrne")
        await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                   juror_id=juror.id)
        await factories.release_assignment(db, edition.id)
        made.update(entry_id=entry.id, reference=entry.reference, year=edition.year)

    live_server.seed(work)
    return made


def new_person(browser, viewport=WIDE):
    # bypass_csp lets axe-core be injected (the site rightly refuses inline scripts).
    context = browser.new_context(viewport=viewport, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def check_accessible(page, name: str) -> None:
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == [], f"{name} at {WIDE['width']} px"
    page.set_viewport_size({"width": 320, "height": 800})
    assert page_overflow(page) == "", f"{name} scrolls sideways at 320 px"
    assert axe_violations(page) == [], f"{name} at 320 px"
    page.set_viewport_size(WIDE)


def test_a_french_entry_is_translated_and_an_english_juror_reads_both_and_scores(
        live_server, browser):
    made = seed(live_server)
    url = live_server.url

    # The secretariat hands the entry to the translator.
    context, admin = new_person(browser)
    log_in(admin, url, "admin@example.org")
    admin.goto(f"{url}/admin/editions/{made['year']}/progress")
    admin.get_by_text("needs a translation for 1 juror").wait_for()
    admin.get_by_role("link", name="Translations").first.click()
    admin.get_by_role("heading", name=f"Translations of the {made['year']} edition").wait_for()
    check_accessible(admin, "translations")
    admin.locator("#field-entry_id").select_option(str(made["entry_id"]))
    admin.locator("#field-translator_id").select_option(label="Tess Translator")
    admin.get_by_role("button", name="Hand over").click()
    admin.get_by_role("status").filter(has_text="is handed to Tess Translator").wait_for()
    context.close()

    # The translator writes the translation beside the original, over autosave.
    context, tess = new_person(browser)
    log_in(tess, url, "tess@example.org")
    tess.wait_for_url("**/translations")
    tess.get_by_role("link", name=made["reference"]).click()
    tess.get_by_role("heading", name=f"Translation of {made['reference']} into English").wait_for()
    assert tess.locator(".bilingual-original [lang=fr]", has_text=FRENCH).count() == 9
    assert tess.locator("textarea[lang=en]").count() == len(translated_fields(FIELDS))
    check_accessible(tess, "translation-form")
    for field in translated_fields(FIELDS):
        box = tess.locator(f"#field-t-{field.name}")
        if field.name == "title":
            box.fill("Peer Voices")
        elif field.name in ("org_name", "city"):
            box.fill({"org_name": "Young Voices", "city": "Lyon"}[field.name])
        else:
            box.fill(ENGLISH)
    tess.locator("#autosave-status").get_by_text("Draft saved").wait_for()
    screenshot(tess, "translator-beside-the-original")
    tess.get_by_role("button", name="Mark the translation complete").click()
    tess.get_by_role("status").filter(has_text="The translation is complete").wait_for()
    context.close()

    # The English-only juror reads both, side by side on a wide screen.
    context, juror = new_person(browser)
    log_in(juror, url, "juror@example.org")
    juror.goto(f"{url}/jury")
    assert juror.get_by_text("Needs a translation into a language you read").count() == 0
    juror.goto(f"{url}/jury/entries/{made['entry_id']}")
    juror.get_by_text("Original (French)").first.wait_for()
    juror.get_by_text("Translation (English), by a translator").first.wait_for()
    assert "Tess" not in juror.content()
    french = juror.locator(".bilingual-original [lang=fr]", has_text=FRENCH).first
    english = juror.locator(".bilingual-translation [lang=en]", has_text=ENGLISH).first
    assert FRENCH in french.inner_text() and ENGLISH in english.inner_text()
    # Beside each other: the translation starts to the right of the original.
    left, right = french.bounding_box(), english.bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1
    assert abs(right["y"] - left["y"]) < 40
    check_accessible(juror, "reading-view-translated")

    # On a phone: one under the other, and the switch shows the translation only.
    juror.set_viewport_size(PHONE)
    left, right = french.bounding_box(), english.bounding_box()
    assert right["y"] > left["y"] + left["height"] - 1
    juror.get_by_label("Translation (English), by a translator").first.check()
    assert not french.is_visible() and english.is_visible()
    juror.get_by_label("Original (French)").first.check()
    assert french.is_visible() and not english.is_visible()
    screenshot(juror, "juror-reads-the-original-on-a-phone")
    juror.set_viewport_size(WIDE)

    # And scores, the translation beside the sheet.
    juror.goto(f"{url}/jury/entries/{made['entry_id']}/sheet")
    juror.locator(".entry-pane .bilingual-translation [lang=en]").first.wait_for()
    check_accessible(juror, "score-sheet-translated")
    for criterion in DEFAULT_CRITERIA:
        juror.locator(f"#score-{criterion.key}-4").check()
        juror.locator(f"#field-justification-{criterion.key}").fill(
            f"Clear from the translation on {criterion.key.replace('_', ' ')}.")
    juror.locator("#autosave-status").get_by_text("Draft saved").wait_for()
    juror.get_by_role("button", name="Submit the sheet").click()
    juror.get_by_text("Your score sheet is submitted.").wait_for()
    context.close()


def seed_published(live_server) -> dict:
    made: dict = {}

    async def work(db):
        from prize.domain.practices import PublicText
        from prize.store import practices, translations

        edition = await factories.edition(db, year=2024, status="published",
                                          closes_at=datetime(2024, 5, 30, tzinfo=UTC))
        await factories.user(db, role="admin", email="admin@example.org")
        owner = await factories.user(db, email="claire@example.org")
        entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                      status="winner", application=factories.complete_application(
                                          language="fr", title="Parole aux pairs",
                                          summary=FRENCH))
        now = datetime(2025, 1, 3, tzinfo=UTC)
        async with db.transaction() as conn:
            practice_id = await practices.create(
                conn, edition_id=edition.id, year=2024, award="winner", entry_id=entry.id,
                text=PublicText(title="Parole aux pairs", organisation="Jeunes Voix",
                                summary=FRENCH), country="FR", countries=["FR"],
                substances=[], language="fr", now=now, status="published",
                slug="parole-aux-pairs")
            # The jury's complete translation, which the public text starts from.
            await translations.save(conn, entry_id=entry.id, language="en",
                                    texts={"title": "Peer Voices", "summary": ENGLISH},
                                    expected_version=0, user_id=owner.id, role="admin",
                                    now=now)
            await translations.set_status(conn, entry_id=entry.id, language="en",
                                          status="complete", now=now)
        made["practice_id"] = practice_id

    live_server.seed(work)
    return made


def test_a_practice_published_in_both_languages_is_shown_with_its_switch(live_server, browser):
    made = seed_published(live_server)
    url = live_server.url

    # The secretariat checks the English public text, filled in from the jury's translation.
    context, admin = new_person(browser)
    log_in(admin, url, "admin@example.org")
    admin.goto(f"{url}/admin/practices/{made['practice_id']}")
    admin.get_by_role("link", name="The public page in the other language").click()
    admin.get_by_role("heading", name="Public page in English").wait_for()
    assert admin.locator("#field-summary").input_value() == ENGLISH
    assert admin.locator("#field-summary").get_attribute("lang") == "en"
    check_accessible(admin, "practice-translation")
    admin.get_by_role("button", name="Save the text in English").click()
    admin.get_by_role("status").filter(has_text="is saved").wait_for()
    context.close()

    # The applicant approves it.
    context, applicant = new_person(browser)
    log_in(applicant, url, "claire@example.org")
    applicant.goto(f"{url}/my/practices/{made['practice_id']}")
    applicant.get_by_role("link", name="Your public page in the other language: to approve").click()
    check_accessible(applicant, "practice-translation-review")
    applicant.get_by_role("button", name="I approve the text in English").click()
    applicant.get_by_text("You approved this text").wait_for()
    context.close()

    # A visitor reads the page and switches language.
    context, visitor = new_person(browser, PHONE)
    visitor.goto(f"{url}/practices/parole-aux-pairs")
    assert visitor.locator("h1").inner_text() == "Parole aux pairs"
    assert visitor.locator("h1").get_attribute("lang") == "fr"
    visitor.get_by_role("link", name="Translation (English), approved by the applicant").click()
    visitor.wait_for_url("**?text=en")
    assert visitor.locator("h1").inner_text() == "Peer Voices"
    assert visitor.get_by_text(ENGLISH).first.is_visible()
    check_accessible(visitor, "practice-in-english")
    screenshot(visitor, "practice-with-its-language-switch")
    visitor.get_by_role("link", name="Original (French)").click()
    visitor.get_by_role("heading", name="Parole aux pairs").wait_for()
    context.close()
