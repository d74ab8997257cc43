"""A whole edition, from the call for entries to a published good practice, in a real browser.

Only the accounts are seeded (the secretariat and three jurors with their profiles); everything
else is done by clicking, each person in their own browser: two applicants sign up and submit,
the secretariat closes the call early and screens one entry out, invites the jury, runs and
releases the assignment; three jurors score (one over two sittings); the secretariat
deliberates and awards the prize; the applicant approves the public text; a visitor finds it.

With PRIZE_DOC_SCREENSHOTS=1 the screenshots taken here are the ones in docs/images/.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from prize.domain.editions import DEFAULT_CRITERIA
from prize.settings import DEFAULT_TIMEZONE
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_applicant_journey import fill_the_rest

DESKTOP = {"width": 1000, "height": 800}
PHONE = {"width": 390, "height": 844}
SECRETARIAT = "secretariat@example.org"
JURORS = (  # name, email, country of their profile
    ("Camille Laurent", "camille@example.org", "FR"),
    ("Jonas Becker", "jonas@example.org", "DE"),
    ("Ana Kowalska", "ana@example.org", "PL"),
)
WINNER = {"name": "Maria Example", "email": "maria@example.org", "title": "Peer Talk",
          "organisation": "Youth Voices", "country": "IE"}
SCREENED_OUT = {"name": "Tomás Borg", "email": "tomas@example.org", "title": "Night Owls",
                "organisation": "Safer Nights Ltd", "country": "MT"}
REASON = "The project is run by a commercial company, which the rules of the prize exclude."
STATEMENT = "Young people lead Peer Talk at every stage, from the survey to the evaluation."


def seed_accounts(live_server) -> None:
    async def work(db):
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        for name, email, country in JURORS:
            await factories.juror(db, email=email, name=name, country=country,
                                  languages=("en", "fr"))

    live_server.seed(work)


def person(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def local(moment: datetime) -> str:
    """A datetime-local input's value, in Strasbourg's time as the form expects."""
    return moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%Y-%m-%dT%H:%M")


def flash(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).first.wait_for()


# The secretariat ---------------------------------------------------------------------------


def create_and_open_call(page, url: str) -> int:
    page.get_by_role("link", name="Secretariat").click()
    page.get_by_role("link", name="Create an edition").click()
    year = int(page.get_by_label("Year").input_value())
    now = datetime.now().astimezone()
    page.get_by_label("Opening").fill(local(now))
    page.get_by_label("Deadline").fill(local(now + timedelta(days=30)))
    page.get_by_label("End of judging").fill(local(now + timedelta(days=75)))
    screenshot(page, "secretariat-new-edition", focus=page.get_by_role("heading", level=1))
    page.get_by_role("button", name="Save").click()
    flash(page, f"The edition {year} is created as a draft.")
    assert page.url == f"{url}/admin/editions/{year}"  # addressed by its year, not its id
    page.get_by_role("button", name="Open the call for entries").click()
    flash(page, "Done: Open the call for entries.")
    assert page.locator("dd", has_text="Open for entries").is_visible()
    return year


def close_call_early(page) -> None:
    step = page.locator("section.transition", has=page.get_by_role(
        "heading", name="Close the call for entries"))
    assert "The deadline has not passed yet" in step.inner_text()
    step.get_by_label("I confirm: go ahead anyway").check()
    screenshot(page, "secretariat-lifecycle", focus=page.get_by_role("heading", name="Next steps"))
    step.get_by_role("button", name="Close the call for entries").click()
    flash(page, "Done: Close the call for entries.")


def screen(page, title: str, decision: str, reason: str = "", picture: str = "") -> None:
    page.get_by_role("link", name="Screening", exact=True).click()
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("link").first.click()
    page.locator("#field-decision").select_option(decision)
    if reason:
        page.get_by_label("Reason").fill(reason)
    if picture:
        screenshot(page, picture, focus=page.get_by_role("heading", name="Decision"))
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("heading", name=re.compile("Screening of the")).wait_for()


def invite_jury(page, year: int) -> None:
    page.get_by_role("navigation", name=f"Edition {year}").get_by_role(
        "link", name="Jury", exact=True).click()
    for name, email, _ in JURORS:
        page.locator("#field-name").fill(name)
        page.locator("#field-email").fill(email)
        page.get_by_role("button", name="Send the invitation").click()
        flash(page, f"The invitation is sent to {email}.")


def run_and_release_assignment(page, live_server) -> None:
    page.get_by_role("link", name="Assignment", exact=True).click()
    page.get_by_role("button", name="Run the assignment").click()
    flash(page, "The assignment is computed: 3 score sheets to fill in.")
    page.get_by_role("button", name="Release to the jurors").click()
    screenshot(page, "secretariat-release-confirmation")
    page.get_by_role("button", name=re.compile("Release and send")).click()
    flash(page, "The assignment is released")
    screenshot(page, "secretariat-assignment")
    for _, email, _ in JURORS:
        assert any("Your entries to" in message["Subject"]
                   for message in live_server.mail.to(email))


def transition(page, edition_label: str, step: str) -> None:
    page.get_by_role("link", name="Secretariat").click()
    page.get_by_role("link", name=edition_label).click()
    page.get_by_role("button", name=step).click()
    flash(page, f"Done: {step}.")


# Applicants and jurors -------------------------------------------------------------------


def sign_up_and_submit(page, live_server, applicant: dict) -> str:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Enter your project").click()
    page.get_by_label("Your name").fill(applicant["name"])
    page.get_by_label("Email").fill(applicant["email"])
    page.locator("#field-password").fill("a long password")
    page.get_by_label("Password again").fill("a long password")
    page.get_by_label("I have read the privacy notice and accept it.").check()
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(live_server.url + live_server.mail.link(applicant["email"], "/verify"))
    page.get_by_role("button", name="Confirm my email address").click()

    page.get_by_role("button", name="Start a new entry").click()
    page.get_by_label("Title of the project").fill(applicant["title"])
    page.get_by_label("Name of the organisation").fill(applicant["organisation"])
    page.get_by_label("Summary of the project").fill(
        "Students design and lead prevention sessions for younger pupils.")
    fill_the_rest(page)
    page.locator("#field-country").select_option(applicant["country"])
    page.get_by_label("Full name").fill(applicant["name"])
    page.locator("#field-contact_email").fill(applicant["email"])
    page.get_by_label("a summary of this entry may be published as a good practice").check()
    page.get_by_role("button", name="Submit entry").click()
    notice = page.get_by_role("status").first
    notice.wait_for()
    return re.search(r"EDPP-\d{4}-\d{4}", notice.inner_text()).group(0)


def join_jury(page, live_server, email: str) -> None:
    page.goto(live_server.url + live_server.mail.link(email, "/invitation"))
    page.get_by_role("heading", name="Join the jury").wait_for()
    page.get_by_role("button", name="Join the jury").click()
    flash(page, "Welcome to the jury!")


def score(page, criteria, level: int, picture: str = "") -> None:
    for criterion in criteria:
        page.locator(f"#score-{criterion.key}-{level}").check()
        page.locator(f"#field-justification-{criterion.key}").fill(
            f"{criterion.title}: scored {level} from the evidence in the entry.")
    if picture:
        screenshot(page, picture, focus=page.get_by_role("heading", level=1))


def open_sheet(page, title: str) -> None:
    page.get_by_role("link", name="Jury", exact=True).click()
    # The dashboard links each entry straight to its score sheet, the entry beside it.
    page.get_by_role("link", name=re.compile(title)).first.click()
    page.get_by_role("heading", name=f"Score sheet: {title}").wait_for()


def submit_sheet(page) -> None:
    page.get_by_label("Overall comment").fill("Youth-led from start to end; a strong candidate.")
    page.get_by_role("button", name="Submit the sheet").click()
    flash(page, "Your score sheet is submitted.")


# The journey ----------------------------------------------------------------------------


def test_a_whole_edition_from_the_call_to_a_published_practice(live_server, browser):
    seed_accounts(live_server)
    url = live_server.url
    contexts = []

    def open_as(viewport: dict):
        context, page = person(browser, viewport)
        contexts.append(context)
        return page

    try:
        # The secretariat creates the edition and opens the call.
        secretariat = open_as(DESKTOP)
        log_in(secretariat, url, SECRETARIAT)
        year = create_and_open_call(secretariat, url)
        edition_label = f"European Prize for Drug Prevention {year}"

        # Two applicants, each on their phone, sign up and submit a complete entry.
        maria, tomas = open_as(PHONE), open_as(PHONE)
        winner_ref = sign_up_and_submit(maria, live_server, WINNER)
        screenshot(maria, "applicant-submitted")
        sign_up_and_submit(tomas, live_server, SCREENED_OUT)

        # The secretariat closes the call before its deadline and screens both entries.
        secretariat.get_by_role("link", name="Secretariat").click()
        secretariat.get_by_role("link", name=edition_label).click()
        close_call_early(secretariat)
        screen(secretariat, SCREENED_OUT["title"], "ineligible", REASON,
               picture="secretariat-screening-decision")
        screen(secretariat, WINNER["title"], "eligible")
        screenshot(secretariat, "secretariat-screening")

        # The jury: invited, each juror accepts; the assignment is run and released.
        invite_jury(secretariat, year)
        jurors = []
        for number, (_, email, _) in enumerate(JURORS):
            juror = open_as(DESKTOP)
            join_jury(juror, live_server, email)
            if number == 0:
                screenshot(juror, "juror-dashboard-before-release")
            jurors.append(juror)
        secretariat.get_by_role("link", name="Jury", exact=True).click()
        assert secretariat.locator(".status-active").count() == 3
        assert secretariat.title().startswith(f"Jury · {year} ·")
        screenshot(secretariat, "secretariat-jury")
        run_and_release_assignment(secretariat, live_server)

        # Judging starts: the applicants learn the result of the screening by email.
        transition(secretariat, edition_label, "Start judging")
        (result,) = [message for message in live_server.mail.to(SCREENED_OUT["email"])
                     if "is not eligible" in message["Subject"]]
        assert REASON in live_server.mail.body(result)
        tomas.goto(url + "/my")
        tomas.get_by_role("link", name=SCREENED_OUT["title"]).click()
        assert tomas.get_by_text(REASON).is_visible()
        screenshot(tomas, "applicant-not-eligible")

        # Three jurors score; the first over two sittings.
        criteria = DEFAULT_CRITERIA
        first = jurors[0]
        first.reload()
        screenshot(first, "juror-dashboard")
        open_sheet(first, WINNER["title"])
        score(first, criteria[:3], 4)
        first.get_by_role("button", name="Save draft").click()
        flash(first, "Your score sheet is saved as a draft.")
        first.get_by_role("button", name="Log out").click()
        log_in(first, url, JURORS[0][1])
        open_sheet(first, WINNER["title"])
        assert first.locator(f"#score-{criteria[0].key}-4").is_checked()
        assert first.locator(f"#field-justification-{criteria[2].key}").input_value()
        score(first, criteria[3:], 4, picture="juror-score-sheet")
        submit_sheet(first)
        for juror, level in ((jurors[1], 5), (jurors[2], 3)):
            open_sheet(juror, WINNER["title"])
            score(juror, criteria, level)
            submit_sheet(juror)
        last = jurors[2]
        last.get_by_role("link", name="My submitted score sheet").click()
        others = last.get_by_role("heading", name="The other jurors' score sheets")
        assert last.get_by_text("Camille Laurent").first.is_visible()
        screenshot(last, "juror-submitted-with-colleagues", focus=others)

        # Deliberation: the ranking, then the award with the jury's statement.
        secretariat.get_by_role("link", name="Secretariat").click()
        secretariat.get_by_role("link", name=edition_label).click()
        secretariat.get_by_role("link", name="Progress", exact=True).click()
        screenshot(secretariat, "secretariat-progress")
        transition(secretariat, edition_label, "Start deliberation")
        secretariat.get_by_role("link", name="Deliberation", exact=True).click()
        # The ranking and the decisions in one table, one row per entry.
        row = secretariat.locator("table.decisions tr").filter(has_text=winner_ref)
        assert row.locator('td[data-label="Sheets"]').inner_text() == "3"
        screenshot(secretariat, "secretariat-ranking",
                   focus=secretariat.get_by_role("heading", name="Ranking and decisions"))
        secretariat.get_by_label(f"Decision for {winner_ref}").select_option("award_winner")
        secretariat.get_by_label(f"Statement for {winner_ref}").fill(STATEMENT)
        screenshot(secretariat, "secretariat-decisions",
                   focus=row)
        secretariat.get_by_role("button", name="Record the decisions").click()
        flash(secretariat, "Decisions recorded: 1.")
        secretariat.get_by_role("link", name="Secretariat").click()
        secretariat.get_by_role("link", name=edition_label).click()
        secretariat.get_by_role("link", name="Publish the results…").click()
        # The confirmation says who gets which email, with a preview, before anything goes.
        secretariat.get_by_text("1 applicant gets the result “Winner”").wait_for()
        screenshot(secretariat, "secretariat-publish-confirmation")
        secretariat.get_by_role("button", name=re.compile("Publish the results and send")).click()
        flash(secretariat, "Done: Publish the results.")

        # Publication: prepared by the secretariat, approved by the applicant, published.
        secretariat.get_by_role("navigation", name="Secretariat").get_by_role(
            "link", name="Publication").click()
        secretariat.get_by_role("row").filter(has_text=WINNER["title"]).get_by_role(
            "button", name="Prepare the public page").click()
        flash(secretariat, "The public page is prepared")
        assert secretariat.get_by_label("The jury's statement").input_value() == STATEMENT
        screenshot(secretariat, "secretariat-public-record")
        secretariat.get_by_role("button", name="Send to the applicant for approval").click()
        flash(secretariat, "The text is saved and sent to the applicant for approval.")

        maria.goto(url + live_server.mail.link(WINNER["email"], "/my/practices/"))
        screenshot(maria, "applicant-approve-public-page")
        maria.get_by_role("button", name="I approve this text").click()
        flash(maria, "Thank you: you approved the public page.")

        secretariat.reload()
        secretariat.get_by_role("button", name="Validate and publish").click()
        flash(secretariat, "The good practice is published.")

        # An anonymous visitor finds the practice through search.
        visitor = open_as(DESKTOP)
        visitor.goto(url + "/")
        visitor.get_by_role("link", name="Good practices").first.click()
        visitor.get_by_role("searchbox").fill("peer talk")
        visitor.get_by_role("button", name="Search").click()
        visitor.get_by_role("link", name=WINNER["title"]).first.click()
        visitor.get_by_role("heading", name=WINNER["title"], level=1).wait_for()
        assert visitor.get_by_text(STATEMENT).is_visible()
        assert WINNER["email"] not in visitor.content()
        screenshot(visitor, "public-practice")
        visitor.goto(url + "/practices?q=night+owls")
        assert visitor.get_by_role("link", name=SCREENED_OUT["title"]).count() == 0
    finally:
        for context in contexts:
            context.close()
