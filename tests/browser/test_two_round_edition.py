"""A two-round edition in a real browser, as the real jury works (issue 15).

Seeded: an edition in judging with three jurors per entry, six eligible entries, five
jurors (one from Ireland, so in conflict with the Irish entry), an advisor, round 1's
sheets but one. Then, through the pages, each person in their own browser: the secretariat
adds a final round on the settings page and gives it criteria of its own; the last round 1
sheet is submitted; the secretariat closes round 1 and records the shortlist
(an award is refused in round 1, in a sentence); the final round opens after a
confirmation that says what will happen; every juror without a conflict scores every
shortlisted entry (one juror through the pages); a juror and the advisor discuss; the other
juror cannot read the thread before submitting their own final sheet and can after; the
secretariat closes the final round, runs the meeting (attendance, the award with its
statement and the vote), downloads the minutes, records the other decisions and publishes
the winner's good practice, which a visitor finds on /practices.

axe-core checks each page the rounds added. With PRIZE_DOC_SCREENSHOTS=1 the pictures
secretariat-rounds, secretariat-final-round-ranking and juror-final-round go to docs/images/.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf

from prize.domain.editions import DEFAULT_CRITERIA
from prize.store import discussion, jury
from prize.store import scoring as sheets
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_whole_edition import local

YEAR = 2026
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SECRETARIAT = "secretariat@example.org"
ADVISOR = ("Dr Hélène Moreau", "advisor@example.org")
#: name, email, country; Liam is Irish, so in conflict with the Irish entry in both rounds.
JURORS = {
    "camille": ("Camille Laurent", "camille@example.org", "FR"),
    "jonas": ("Jonas Becker", "jonas@example.org", "DE"),
    "ana": ("Ana Kowalska", "ana@example.org", "PL"),
    "liam": ("Liam Byrne", "liam@example.org", "IE"),
    "sofia": ("Sofia Gruber", "sofia@example.org", "AT"),
}
#: title, country, applicant's email.
ENTRIES = {
    "peer": ("Peer Talk", "IE", "maria@example.org"),
    "night": ("Night Light", "PT", "joao@example.org"),
    "street": ("Street Voices", "ES", "lucia@example.org"),
    "summer": ("Safe Summer", "IT", "marco@example.org"),
    "doors": ("Open Doors", "NL", "anouk@example.org"),
    "radio": ("Youth Radio", "SE", "elsa@example.org"),
}
SHORTLIST = ("peer", "night", "street")
#: Round 1: three jurors per entry, never Liam on the Irish entry; each entry's level.
ROUND_1 = {
    "peer": (("camille", "jonas", "ana"), 5),
    "night": (("camille", "jonas", "sofia"), 4),
    "street": (("camille", "ana", "liam"), 4),
    "summer": (("jonas", "liam", "sofia"), 2),
    "doors": (("ana", "liam", "sofia"), 2),
    "radio": (("camille", "jonas", "liam"), 1),
}
#: The one round 1 sheet left to submit through the page.
BY_HAND_ROUND_1 = ("camille", "peer")
#: The final round's own criteria: three of round 1's (Transferability will weigh 2).
FINAL_CRITERIA = tuple(criterion for criterion in DEFAULT_CRITERIA
                       if criterion.key in ("youth_participation", "evaluation", "transferability"))
#: The final round's level of each shortlisted entry: Night Light comes first now.
FINAL_LEVEL = {"night": 5, "peer": 4, "street": 3}
STATEMENT = "Young people run Night Light from the first survey to the last evaluation."
MENTION = "Peer Talk shows how a school can hand its prevention work to its pupils."
CAMILLE_COMMENT = "Night Light kept its promise: the young people led the evaluation too."
ADVICE = "The advisors agree; ask them how the night buses are paid for next year."
#: Jonas's comment on Night Light in round 1's thread, after his round 1 sheet.
ROUND_1_COMMENT = "Round 1: the night buses are a good idea; is the evaluation independent?"


def seed(live_server) -> dict:
    """The edition in judging (one round, R = 3), its people and every round 1 sheet but one."""
    made: dict = {"entries": {}, "jurors": {}}

    async def work(db):
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        edition = await factories.edition(db, year=YEAR, status="judging",
                                          closes_at=datetime(YEAR, 5, 30, tzinfo=UTC),
                                          jurors_per_entry=3)
        for key, (name, email, country) in JURORS.items():
            made["jurors"][key] = await factories.juror(
                db, edition_id=edition.id, email=email, name=name, country=country)
        await factories.juror(db, edition_id=edition.id, name=ADVISOR[0], email=ADVISOR[1],
                              role="advisor", country="BE")
        for key, (title, country, email) in ENTRIES.items():
            owner = await factories.user(db, email=email)
            made["entries"][key] = await factories.entry(
                db, edition_id=edition.id, owner_id=owner.id, status="eligible",
                application=factories.complete_application(
                    title=title, country=country, contact_email=email,
                    org_name=f"{title} Youth Group"))
        for key, (jurors, level) in ROUND_1.items():
            for juror in jurors:
                await factories.assignment(db, edition_id=edition.id,
                                           entry_id=made["entries"][key].id,
                                           juror_id=made["jurors"][juror].id)
                if (juror, key) != BY_HAND_ROUND_1:
                    await submit(db, made["entries"][key].id, made["jurors"][juror].id,
                                 DEFAULT_CRITERIA, level, round_number=1)
        await factories.release_assignment(db, edition.id)
        async with db.transaction() as conn:
            await discussion.add(conn, entry_id=made["entries"]["night"].id,
                                 author_id=made["jurors"]["jonas"].id, body=ROUND_1_COMMENT,
                                 now=datetime.now(UTC), round_number=1)

    live_server.seed(work)
    return made


async def submit(db, entry_id: int, juror_id: int, criteria, level: int, *,
                 round_number: int) -> None:
    """A submitted sheet, as the store writes one from the page."""
    scored = {criterion.key: sheets.CriterionScore(
                  score=level, justification=f"{criterion.key}: {level}.")
              for criterion in criteria}
    async with db.transaction() as conn:
        await sheets.save(conn, entry_id=entry_id, juror_id=juror_id, expected_version=0,
                          sheet=sheets.SheetInput(scored, "Seeded."),
                          now=datetime.now(UTC), submit=True, round_number=round_number)


def seed_final_sheets(live_server, made: dict, criteria, *, leave: set) -> None:
    """The final round's sheets of its assignment (made when the round opened), but those
    in `leave` ((juror, entry) keys), which are submitted through the pages."""
    jurors = {person.id: key for key, person in made["jurors"].items()}
    entries = {entry.id: key for key, entry in made["entries"].items()}

    async def work(db):
        edition_id = made["entries"]["peer"].edition_id
        for pair in await jury.assignment_of(db, edition_id, 2):
            juror, entry = jurors[pair.juror_id], entries[pair.entry_id]
            if (juror, entry) not in leave:
                await submit(db, pair.entry_id, pair.juror_id, criteria, FINAL_LEVEL[entry],
                             round_number=2)

    live_server.seed(work)


# People and their steps -------------------------------------------------------------------


def person(browser, viewport: dict, *, downloads: bool = False):
    # bypass_csp lets axe-core be injected: the site's CSP rightly refuses inline scripts.
    context = browser.new_context(viewport=viewport, locale="en-GB", bypass_csp=True,
                                  accept_downloads=downloads)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def flash(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).first.wait_for()


def no_violation(page, within: str | None = None) -> None:
    assert axe_violations(page, within) == [], page.url


def score_and_submit(page, url: str, entry_id: int, criteria, level: int,
                     round_title: str) -> None:
    """The juror's sheet for the entry in the current round (`round_title` says which),
    scored and submitted."""
    page.goto(f"{url}/jury/entries/{entry_id}/sheet")
    assert page.locator(".round-label").inner_text() == round_title
    for criterion in criteria:
        page.locator(f"#score-{criterion.key}-{level}").check()
        page.locator(f"#field-justification-{criterion.key}").fill(
            f"{criterion.title}: {level}, from what the entry shows.")
    page.get_by_label("Overall comment").fill("Youth-led from start to end.")
    page.get_by_role("button", name="Submit the sheet").click()
    flash(page, "Your score sheet is submitted.")


def edition_page(page, url: str) -> None:
    page.goto(f"{url}/admin/editions/{YEAR}")


def step(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    flash(page, f"Done: {name}.")


def decide(page, decisions: dict[str, str], statements: dict[str, str] | None = None) -> None:
    """On the deliberation page: one decision per entry reference, recorded together."""
    for reference, decision in decisions.items():
        page.get_by_label(f"Decision for {reference}").select_option(decision)
    for reference, statement in (statements or {}).items():
        page.get_by_label(f"Statement for {reference}").fill(statement)
    page.get_by_role("button", name="Record the decisions").click()


# The journey -----------------------------------------------------------------------------


def test_a_two_round_edition_from_round_1_to_a_published_winner(live_server, browser):
    made = seed(live_server)
    url = live_server.url
    entry = made["entries"]
    ref = {key: entry[key].reference for key in entry}
    contexts = []

    def open_as(viewport: dict, email: str, **options):
        context, page = person(browser, viewport, **options)
        contexts.append(context)
        log_in(page, url, email)
        return page

    try:
        # The secretariat adds a final round on the edition's settings page, with its end...
        secretariat = open_as(DESKTOP, SECRETARIAT, downloads=True)
        secretariat.goto(f"{url}/admin/editions/{YEAR}/edit")
        secretariat.locator("#field-rounds").select_option("2")
        secretariat.get_by_label("End of the final round").fill(
            local(datetime.now(UTC) + timedelta(days=30)))
        secretariat.get_by_role("button", name="Save the rounds").click()
        flash(secretariat, "The edition's rounds are saved.")
        # The rest of the settings page, a long form, is test_accessibility's.
        assert secretariat.locator("#field-rounds").input_value() == "2"
        no_violation(secretariat, within="#rounds")

        # ... and gives it criteria of its own: three of round 1's, one weighing more.
        secretariat.goto(f"{url}/admin/editions/{YEAR}/criteria?round=2")
        secretariat.get_by_label("The final round uses").select_option("own")
        secretariat.get_by_role("button", name="Save the choice").click()
        flash(secretariat, "The final round uses its own criteria.")
        for criterion in DEFAULT_CRITERIA:
            if criterion not in FINAL_CRITERIA:
                remove = secretariat.get_by_role("button", name=f"Remove {criterion.title}")
                remove.click()
                remove.wait_for(state="detached")
        secretariat.get_by_role("link", name=FINAL_CRITERIA[-1].title).click()
        secretariat.get_by_label("Weight").fill("2")
        secretariat.get_by_role("button", name="Save the criterion").click()
        secretariat.get_by_role("heading", name=f"Criteria of the {YEAR} edition").wait_for()
        assert secretariat.get_by_role("navigation", name="Rounds").get_by_role(
            "link", name="Final round").get_attribute("aria-current") == "page"
        assert secretariat.locator('td[data-label="Weight"]').all_inner_texts() == [
            "3", "2", "2"]
        no_violation(secretariat)

        # Round 1: Camille submits her last sheet through the page.
        camille = open_as(DESKTOP, JURORS["camille"][1])
        score_and_submit(camille, url, entry["peer"].id, DEFAULT_CRITERIA, 5, "Round 1")

        # The final round cannot open before round 1 is closed and its shortlist decided.
        edition_page(secretariat, url)
        assert not secretariat.get_by_role("button", name="Open the final round").is_visible()
        # The secretariat closes round 1: every sheet is in.
        step(secretariat, "Start deliberation")
        secretariat.get_by_text("6 entries have no round 1 decision yet").wait_for()

        # Round 1's deliberation decides the shortlist only: an award is refused, in words.
        secretariat.goto(f"{url}/admin/editions/{YEAR}/deliberation")
        decide(secretariat, {ref["peer"]: "award_winner"}, {ref["peer"]: STATEMENT})
        secretariat.get_by_text(
            "This edition has a final round: awards are decided after it.").first.wait_for()
        decide(secretariat, {
            **{ref[key]: "shortlist" for key in SHORTLIST},
            **{ref[key]: "not_select" for key in entry if key not in SHORTLIST},
        }, {ref["peer"]: ""})
        flash(secretariat, "Decisions recorded: 6.")

        # The final round opens after a confirmation that says what will happen; the
        # results cannot be published before it.
        edition_page(secretariat, url)
        secretariat.get_by_text("This edition has a final round: awards are decided after "
                                "it. Open the final round first.").wait_for()
        opening = secretariat.locator("section.transition", has=secretariat.get_by_role(
            "heading", name="Open the final round"))
        assert ("Every active juror without a conflict gets every shortlisted entry to score "
                "in the final round, and the list by email") in opening.inner_text()
        assert secretariat.locator("dd", has_text="Current round: Round 1").is_visible()
        # (axe-core checks this overview in test_accessibility, on the demo's final round.)
        screenshot(secretariat, "secretariat-rounds",
                   focus=secretariat.locator("dt", has_text="Rounds"))
        step(secretariat, "Open the final round")
        assert secretariat.locator("dd", has_text="Current round: Final round").is_visible()
        # Each juror has the list by email: the whole shortlist, or all of it but the Irish
        # entry for the Irish juror (round 1's assignment was seeded: it sent none).
        for key, titles in (("camille", SHORTLIST), ("liam", ("night", "street"))):
            (message,) = [message for message in live_server.mail.to(JURORS[key][1])
                          if "Your entries to" in message["Subject"]]
            body = live_server.mail.body(message)
            assert [ENTRIES[entry][0] in body for entry in SHORTLIST] == [
                entry in titles for entry in SHORTLIST]

        # The final round: every juror without a conflict scores every shortlisted entry.
        # Camille, through the pages, from her dashboard; the others' sheets are seeded but
        # Jonas's on Night Light, who is the other juror of the discussion below.
        final_criteria = FINAL_CRITERIA
        seed_final_sheets(live_server, made, final_criteria,
                          leave={("camille", key) for key in SHORTLIST} | {("jonas", "night")})
        camille.goto(f"{url}/jury")
        final = camille.locator(".jury-edition").get_by_role("list").first
        assert [item.split(" · ")[1] for item in final.get_by_role("link").all_inner_texts()
                if " · " in item] == [ENTRIES[key][0] for key in SHORTLIST]
        screenshot(camille, "juror-final-round", focus=camille.locator("h1"))
        no_violation(camille)
        for key in SHORTLIST:
            score_and_submit(camille, url, entry[key].id, final_criteria, FINAL_LEVEL[key],
                             "Final round")

        # Liam, from Ireland, has no final sheet for the Irish entry: 5 × 3 − 1 sheets.
        secretariat.goto(f"{url}/admin/editions/{YEAR}/progress")
        rounds = secretariat.get_by_role("navigation", name="Rounds")
        assert rounds.get_by_role("link", name="Final round").get_attribute(
            "aria-current") == "page"
        secretariat.get_by_text("13 of 14 score sheets submitted").wait_for()
        no_violation(secretariat)
        rounds.get_by_role("link", name="Round 1").click()
        secretariat.get_by_text("18 of 18 score sheets submitted").wait_for()
        secretariat.goto(f"{url}/admin/editions/{YEAR}/jury/assignment?round=2")
        secretariat.get_by_text("every juror without a conflict of interest scores every "
                                "shortlisted entry").wait_for()
        no_violation(secretariat)

        # Camille comments on Night Light after submitting; the advisor answers.
        camille.goto(f"{url}/jury/entries/{entry['night'].id}/discussion")
        camille.get_by_label("Your comment").fill(CAMILLE_COMMENT)
        camille.get_by_role("button", name="Post the comment").click()
        flash(camille, "Your comment is posted.")
        # The final round's thread is new; round 1's is below it, to read.
        assert camille.get_by_role("heading", name="Final round · 1 comment").is_visible()
        assert camille.get_by_role("heading", name="Round 1 · 1 comment").is_visible()
        assert camille.get_by_text(ROUND_1_COMMENT).is_visible()
        advisor = open_as(DESKTOP, ADVISOR[1])
        advisor.goto(f"{url}/jury/entries/{entry['night'].id}/discussion")
        assert advisor.get_by_text(CAMILLE_COMMENT).is_visible()
        advisor.get_by_label("Your comment").fill(ADVICE)
        advisor.get_by_role("button", name="Post the comment").click()
        flash(advisor, "Your comment is posted.")

        # Jonas submitted Night Light in round 1, not yet in the final round: the thread
        # stays closed to him, and says why.
        jonas = open_as(PHONE, JURORS["jonas"][1])
        thread = f"{url}/jury/entries/{entry['night'].id}/discussion"
        jonas.goto(thread)
        assert jonas.get_by_text("once you have submitted your own score sheet").is_visible()
        assert jonas.get_by_text(CAMILLE_COMMENT).count() == 0
        assert jonas.get_by_text(ADVICE).count() == 0
        assert jonas.get_by_text(ROUND_1_COMMENT).count() == 0
        score_and_submit(jonas, url, entry["night"].id, final_criteria, FINAL_LEVEL["night"],
                         "Final round")
        jonas.goto(thread)
        assert jonas.get_by_text(CAMILLE_COMMENT).is_visible()
        assert jonas.get_by_text(ADVICE).is_visible()

        # The secretariat closes the final round; its ranking has Night Light first, and
        # round 1's, still there to read, had Peer Talk first.
        edition_page(secretariat, url)
        step(secretariat, "Start deliberation")
        secretariat.goto(f"{url}/admin/editions/{YEAR}/deliberation")
        ranking = secretariat.locator("table.decisions tbody tr")
        assert ENTRIES["night"][0] in ranking.first.inner_text()
        assert ranking.count() == len(SHORTLIST)
        # Every juror's sheet counts, but Liam's on the Irish entry, which he never had.
        assert [ranking.nth(n).locator('td[data-label="Sheets"]').inner_text()
                for n in range(len(SHORTLIST))] == ["5", "4", "5"]
        screenshot(secretariat, "secretariat-final-round-ranking",
                   focus=secretariat.get_by_role("navigation", name="Rounds"))
        no_violation(secretariat)
        secretariat.get_by_role("navigation", name="Rounds").get_by_role(
            "link", name="Round 1").click()
        secretariat.get_by_text("This round is over: its ranking is shown for reading.").wait_for()
        assert ENTRIES["peer"][0] in ranking.first.inner_text()
        assert ranking.count() == len(ENTRIES)

        # The jury meeting: who attended, then the award with the statement and the vote.
        meeting = f"{url}/admin/editions/{YEAR}/meeting"
        secretariat.goto(meeting)
        assert secretariat.get_by_text("Round shown: Final round").is_visible()
        for name, _, _ in JURORS.values():
            secretariat.get_by_label(f"{name} (Juror)").check()
        secretariat.get_by_label(f"{ADVISOR[0]} (Jury advisor)").check()
        secretariat.get_by_role("button", name="Record the attendance").click()
        secretariat.get_by_text("Attendance recorded.").wait_for()
        no_violation(secretariat)
        secretariat.get_by_role("link", name="Start with the first entry").click()
        secretariat.wait_for_url(f"{meeting}/{entry['night'].id}")
        assert secretariat.get_by_text(ADVICE).is_visible()
        secretariat.locator("#field-decision").select_option(label="Award a prize")
        secretariat.get_by_label("Jury statement").fill(STATEMENT)
        secretariat.get_by_label("Votes for").fill("4")
        secretariat.get_by_label("Votes against").fill("0")
        secretariat.get_by_label("Abstaining").fill("1")
        secretariat.get_by_role("button", name="Record the decision").click()
        secretariat.get_by_text("Decision recorded for").wait_for()
        assert secretariat.get_by_text("4 for, 0 against, 1 abstaining").is_visible()
        no_violation(secretariat)

        # The minutes, downloaded as a PDF and read back.
        secretariat.goto(f"{meeting}/minutes")
        with secretariat.expect_download() as download:
            secretariat.get_by_role("link", name="Download the PDF").click()
        pdf = Path(download.value.path()).read_bytes()
        text = " ".join(" ".join(sheet.extract_text().split())
                        for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert "Final round" in text
        assert "Night Light" in text and STATEMENT in text and "Decision: Winner" in text
        assert "4 for, 0 against, 1 abstaining" in text
        assert "Camille Laurent" in text and ADVISOR[0] in text

        # The other decisions, on the final round's deliberation page.
        secretariat.goto(f"{url}/admin/editions/{YEAR}/deliberation")
        decide(secretariat, {ref["peer"]: "award_special_mention",
                             ref["street"]: "not_select"}, {ref["peer"]: MENTION})
        flash(secretariat, "Decisions recorded: 2.")

        # The results are published; the winner's good practice goes public.
        edition_page(secretariat, url)
        secretariat.get_by_role("link", name="Publish the results…").click()
        secretariat.get_by_role("button", name=re.compile("Publish the results and send")).click()
        flash(secretariat, "Done: Publish the results.")
        secretariat.goto(f"{url}/admin/practices")
        secretariat.get_by_role("row").filter(has_text=ENTRIES["night"][0]).get_by_role(
            "button", name="Prepare the public page").click()
        flash(secretariat, "The public page is prepared")
        assert secretariat.get_by_label("The jury's statement").input_value() == STATEMENT
        secretariat.get_by_role("button", name="Send to the applicant for approval").click()
        flash(secretariat, "The text is saved and sent to the applicant for approval.")
        applicant = open_as(PHONE, ENTRIES["night"][2])
        applicant.goto(url + live_server.mail.link(ENTRIES["night"][2], "/my/practices/"))
        applicant.get_by_role("button", name="I approve this text").click()
        flash(applicant, "Thank you: you approved the public page.")
        secretariat.reload()
        secretariat.get_by_role("button", name="Validate and publish").click()
        flash(secretariat, "The good practice is published.")

        visitor_context, visitor = person(browser, PHONE)
        contexts.append(visitor_context)
        visitor.goto(f"{url}/practices")
        visitor.get_by_role("link", name=ENTRIES["night"][0]).first.click()
        visitor.get_by_role("heading", name=ENTRIES["night"][0], level=1).wait_for()
        assert visitor.get_by_text(STATEMENT).is_visible()
    finally:
        for context in contexts:
            context.close()
