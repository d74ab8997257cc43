"""The 2025 change of the form, in a real browser: the secretariat creates the next edition
from the last one and adds a question on digital addictions (300 words, English and French)
and lowers another limit; an applicant answers it in French, held to the word limit; the
juror reads the answer; the export has its column; a practice of an earlier edition still
shows its own text.

With PRIZE_DOC_SCREENSHOTS=1 the editor's picture is the one in docs/images/.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from prize.settings import DEFAULT_TIMEZONE
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.live_server import environment

DESKTOP = {"width": 1100, "height": 850}
SECRETARIAT = "secretariat@example.org"
APPLICANT = "lea@example.org"
JUROR = "jonas@example.org"
QUESTION_EN = "How does your project address digital addictions?"
QUESTION_FR = "Comment votre projet aborde-t-il les addictions numériques ?"
ANSWER_FR = ("Des jeunes formés animent des ateliers sur les écrans, les jeux vidéo et les "
             "réseaux sociaux, puis évaluent avec nous ce qui a changé.")


def local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%Y-%m-%dT%H:%M")


def person(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(20_000)  # the machine is shared: allow for slow moments
    return context, context.new_page()


def seed(live_server) -> None:
    async def work(db):
        await factories.published_demo(db)
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        applicant = await factories.user(db, email=APPLICANT, name="Léa Dupont")
        await db.execute_write("UPDATE users SET locale = 'fr' WHERE id = ?", (applicant.id,))
        await factories.juror(db, email=JUROR, name="Jonas Becker", country="DE",
                              languages=("en", "fr"))
    live_server.seed(work)


def create_next_edition_and_change_its_form(page, url: str) -> int:
    page.get_by_role("link", name="Secretariat").click()
    page.get_by_role("link", name="Create an edition").click()
    year = int(page.get_by_label("Year").input_value())
    now = datetime.now().astimezone()
    page.get_by_label("Opening").fill(local(now))
    page.get_by_label("Deadline").fill(local(now + timedelta(days=30)))
    page.get_by_label("End of judging").fill(local(now + timedelta(days=75)))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="application form is a copy of the 2024 form") \
        .first.wait_for()

    page.locator("nav.edition-nav").get_by_role("link", name="Application form").click()
    assert page.get_by_text("assignment, conflicts of interest, screening").is_visible()
    page.get_by_role("link", name=re.compile(r"Add a question to this section\s+3\.")).click()
    page.get_by_label("Key").fill("digital_addictions")
    page.get_by_label("Kind").select_option("textarea")
    page.get_by_label("Question in English").fill(QUESTION_EN)
    page.get_by_label("Question in French").fill(QUESTION_FR)
    page.get_by_label("Word limit").fill("300")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("status").filter(has_text="The question digital_addictions is saved.") \
        .first.wait_for()
    assert page.get_by_role("link", name=QUESTION_EN).is_visible()

    # Another limit lowered: the goals in 80 words instead of 100.
    page.get_by_role("link", name="Goals in drug prevention").click()
    page.get_by_label("Word limit").fill("80")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("status").filter(has_text="The question goals is saved.").first.wait_for()
    screenshot(page, "secretariat-form-editor",
               focus=page.locator("#q-levels"))  # down to the new question

    page.get_by_role("link", name="Preview in French").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_label(QUESTION_FR).is_visible()
    assert page.locator("#field-goals").get_attribute("data-max-words") == "80"
    page.goto(f"{url}/admin/editions/{year}")
    page.get_by_role("button", name="Open the call for entries").click()
    page.get_by_role("status").filter(has_text="Done: Open the call for entries.").first \
        .wait_for()
    return year


def fill_in_french(page) -> None:
    words = "Des jeunes préparent, animent et évaluent chaque séance avec des adultes."
    page.locator("#field-org_name").fill("Voix des jeunes")
    page.locator("#field-org_type").select_option("youth_group")
    page.locator("#field-country").select_option("FR")
    page.locator("#field-city").fill("Lyon")
    page.locator("#field-contact_phone").fill("+33 4 00 00 00 00")
    page.locator("#field-title").fill("Écrans en partage")
    page.locator("#field-language").select_option("fr")
    page.locator("#field-start_date").fill("2024-09-01")
    page.locator("#field-running").select_option("yes")
    page.locator("#field-summary").fill(words)
    page.locator("#field-goals").fill(words)
    page.locator("#field-target_groups-adolescents").check()
    page.locator("#field-settings-school").check()
    page.locator("#field-levels-universal").check()
    page.locator("#field-substances-behaviours").check()
    for name, value in (("young_people", "40"), ("adults", "3"), ("people_reached", "900")):
        page.locator(f"#field-{name}").fill(value)
    for name in ("needs_assessment", "aims", "activities", "youth_participation", "evaluation",
                 "sustainability", "ethics"):
        page.locator(f"#field-{name}").fill(words)
    page.locator("#field-grid_needs").check()
    page.locator("#field-grid_needs_how").fill("Ils ont conçu et mené l’enquête.")
    page.locator("#field-declaration").check()


def answer_in_french(page, url: str, year: int) -> None:
    page.get_by_role("button", name=re.compile("Commencer|Start a new entry")).first.click()
    page.wait_for_url(re.compile(r"/my/entries/\d+/edit"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_label(re.compile(re.escape(QUESTION_FR))).is_visible()
    fill_in_french(page)
    page.locator("#field-digital_addictions").fill(" ".join(["écran"] * 301))
    page.locator("button[name=action][value=submit]").click()
    problem = page.locator("#error-digital_addictions")
    problem.wait_for()
    assert "301" in problem.inner_text() and "300" in problem.inner_text()
    page.locator("#field-digital_addictions").fill(ANSWER_FR)
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/my/entries/\d+$"))
    assert page.get_by_text(ANSWER_FR).is_visible()


def test_a_new_question_goes_from_the_editor_to_the_applicant_the_juror_and_the_export(
        browser, live_server):
    seed(live_server)
    url = live_server.url
    context, secretariat = person(browser)
    log_in(secretariat, url, SECRETARIAT)
    year = create_next_edition_and_change_its_form(secretariat, url)

    applicant_context, applicant = person(browser)
    log_in(applicant, url, APPLICANT)
    answer_in_french(applicant, url, year)

    found: dict[str, int] = {}

    async def to_judging(db):
        entry_id = await db.fetch_value(
            "SELECT e.id FROM entries e JOIN editions ed ON ed.id = e.edition_id"
            " WHERE ed.year = ?", (year,))
        edition_id = await db.fetch_value("SELECT id FROM editions WHERE year = ?", (year,))
        juror_id = await db.fetch_value("SELECT id FROM users WHERE email = ?", (JUROR,))
        await db.execute_write("UPDATE entries SET status = 'eligible' WHERE id = ?",
                               (entry_id,))
        await db.execute_write("UPDATE editions SET status = 'judging' WHERE id = ?",
                               (edition_id,))
        await factories.assignment(db, edition_id=edition_id, entry_id=entry_id,
                                   juror_id=juror_id)
        await factories.release_assignment(db, edition_id)
        found["entry"] = entry_id
    live_server.seed(to_judging)

    juror_context, juror = person(browser)
    log_in(juror, url, JUROR)
    juror.goto(f"{url}/jury/entries/{found['entry']}")
    assert juror.get_by_text(QUESTION_EN).is_visible()
    assert juror.get_by_text(ANSWER_FR).is_visible()

    exported = subprocess.run(
        [sys.executable, "-m", "prize", "export", str(year), "--what", "entries"],
        env=environment(live_server.settings), check=True, capture_output=True, text=True)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert rows[0]["digital_addictions"] == ANSWER_FR

    # A practice of the earlier edition keeps its own text and gets no new question.
    visitor_context, visitor = person(browser)
    visitor.goto(f"{url}/practices?year=2024")
    visitor.locator("main a[href^='/practices/']").first.click()
    assert visitor.get_by_role("heading", level=1).is_visible()
    assert QUESTION_EN not in visitor.content() and "digital_addictions" not in visitor.content()
    for each in (context, applicant_context, juror_context, visitor_context):
        each.close()
