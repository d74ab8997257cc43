"""The secretariat publishes a new version of the privacy notice; the next time an
applicant signs in, the notice is asked for before they go on, and then they land where
they were going. The pages on the way pass axe, on a phone, without sideways scrolling."""

from __future__ import annotations

from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import axe_violations, page_overflow

SECRETARIAT = "sophie@example.org"
APPLICANT = "maria@example.org"
NEW_EN = ("# Who is responsible\nThe secretariat of the prize, at its new address.\n"
          "# Your rights\n- See your data\n- Have it deleted")
NEW_FR = ("# Qui est responsable\nLe secrétariat du prix, à sa nouvelle adresse.\n"
          "# Vos droits\n- Voir vos données\n- Les faire supprimer")


def seed(live_server) -> None:
    async def work(db):
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        await factories.user(db, email=APPLICANT, name="Maria Example")

    live_server.seed(work)


def sign_in(page, url: str, email: str, next_path: str = "") -> None:
    page.goto(url + "/login" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def accessible(page) -> None:
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert page_overflow(page) == ""


def person(browser, width: int, height: int):
    # bypass_csp lets Playwright inject axe-core (the site's CSP refuses inline scripts).
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_new_notice_is_published_and_asked_for_at_the_next_sign_in(live_server, browser):
    seed(live_server)
    url = live_server.url
    secretariat_context, page = person(browser, 1280, 900)

    # The secretariat writes version 2, checks it, publishes it.
    sign_in(page, url, SECRETARIAT)
    page.wait_for_url(url + "/admin")
    page.goto(url + "/admin/notices")
    accessible(page)
    page.get_by_role("link", name="Publish a new version").click()
    page.get_by_label("Text in English").fill(NEW_EN)
    page.get_by_label("Text in French").fill(NEW_FR)
    page.get_by_label("What changed").fill("The secretariat has moved.")
    page.get_by_role("button", name="Check before publishing").click()
    page.get_by_role("heading", name="Publish version 2 of the privacy notice?").wait_for()
    accessible(page)
    screenshot(page, "secretariat-notice-confirmation")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("Version 2 of the privacy notice is published.").wait_for()

    # The applicant signs in on their way to their entries: the notice comes first.
    context, applicant = person(browser, 360, 740)
    sign_in(applicant, url, APPLICANT, "/my")
    applicant.get_by_role("heading", name="Our privacy notice has changed").wait_for()
    applicant.get_by_text("The secretariat has moved.").wait_for()
    applicant.get_by_text("The secretariat of the prize, at its new address.").wait_for()
    accessible(applicant)
    screenshot(applicant, "applicant-notice-changed")
    applicant.get_by_role("button", name="I accept: continue").click()
    applicant.get_by_role("heading", name="My entries").wait_for()
    applicant.get_by_text("Thank you: you accepted the privacy notice.").wait_for()

    # The public page shows the new version, and the footer links to it.
    applicant.get_by_role("link", name="Privacy notice").click()
    applicant.get_by_role("heading", name="Privacy notice", exact=True).wait_for()
    applicant.get_by_text("Version 2, in force since").wait_for()
    context.close()
    secretariat_context.close()
