"""WCAG 2.1 AA in a real browser: every page type of every role, on the demo data.

axe-core (npm, see package.json) is injected into each page and must report no
violation of the wcag2a/wcag2aa/wcag21a/wcag21aa rules. Each page is checked at
a desktop width, then at 320 CSS px (WCAG 1.4.10 reflow: 1280 px at 400 %) and
at 640 CSS px, which is the layout a 1280 × 900 window gets at 200 % zoom:
browser zoom only shrinks the viewport measured in CSS pixels, so a 640 × 450
viewport lays out exactly like it. At the narrow widths the page itself must not
scroll sideways; only the tables' own scrolling regions may.

One server with the demo data serves the whole module; each role logs in once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from prize.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in, running_server, screenshot
from tests.conftest import MailCatcher, free_port

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 800}
ZOOM_200 = {"width": 640, "height": 450}
ACCOUNTS = {
    "public": None,
    "applicant": "applicant@demo.prize",
    "juror": "juror1@demo.prize",
    "advisor": "advisor@demo.prize",
    "secretariat": "admin@demo.prize",
}
# Pages kept as 320 px pictures in test-artifacts/ to look at.
PICTURES = {"home", "practices-search", "entry-form-errors", "score-sheet-errors",
            "deliberation", "assignment-matrix", "screening"}


@dataclass
class DemoSite:
    url: str
    ids: dict[str, object]
    sessions: dict[str, object] = field(default_factory=dict)


def demo_ids(db_path: Path) -> dict[str, object]:
    """Ids of the demo records each page type needs (read straight from the file)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        def one(sql: str, *params: object) -> object:
            found = db.execute(sql, params).fetchone()
            assert found, f"the demo data has nothing for: {sql}"
            return found[0]

        juror = one("SELECT id FROM users WHERE email = 'juror1@demo.prize'")
        return {
            "open_year": one("SELECT year FROM editions WHERE status = 'open'"),
            # The one-round edition in judging; the demo's other one has a final round.
            "judging_year": one("SELECT year FROM editions WHERE status = 'judging'"
                                " AND rounds = 1"),
            "final_year": one("SELECT year FROM editions WHERE rounds = 2"),
            "final_sheet_entry": one("SELECT min(entry_id) FROM assignments"
                                     " WHERE juror_id = ? AND round = 2", juror),
            "final_sheet_title": one(
                "SELECT title FROM entries WHERE id = (SELECT min(entry_id) FROM assignments"
                " WHERE juror_id = ? AND round = 2)", juror),
            "published_year": one("SELECT max(year) FROM editions WHERE status = 'published'"),
            "practice_id": one("SELECT min(id) FROM practices WHERE status = 'published'"),
            "practice_slug": one("SELECT slug FROM practices WHERE status = 'published'"
                                 " ORDER BY id LIMIT 1"),
            "country": one("SELECT country FROM practices WHERE status = 'published'"
                           " ORDER BY id LIMIT 1"),
            "draft_entry": one("SELECT e.id FROM entries e JOIN users u ON u.id = e.owner_id"
                               " WHERE u.email = 'applicant@demo.prize'"),
            "submitted_sheet_entry": one("SELECT min(entry_id) FROM score_sheets"
                                         " WHERE juror_id = ? AND status = 'submitted'", juror),
            "draft_sheet_entry": one("SELECT min(entry_id) FROM score_sheets"
                                     " WHERE juror_id = ? AND status = 'draft'", juror),
            "sheet_id": one("SELECT min(id) FROM score_sheets WHERE status = 'submitted'"),
            "juror_id": juror,
            "eligible_entry": one("SELECT min(id) FROM entries WHERE status = 'eligible'"),
            # What the pages about those records show as their heading.
            "practice_title": one("SELECT title FROM practices WHERE status = 'published'"
                                  " ORDER BY id LIMIT 1"),
            "draft_title": one("SELECT e.title FROM entries e JOIN users u ON u.id = e.owner_id"
                               " WHERE u.email = 'applicant@demo.prize'"),
            "submitted_sheet_title": one(
                "SELECT title FROM entries WHERE id = (SELECT min(entry_id) FROM score_sheets"
                " WHERE juror_id = ? AND status = 'submitted')", juror),
            "draft_sheet_title": one(
                "SELECT title FROM entries WHERE id = (SELECT min(entry_id) FROM score_sheets"
                " WHERE juror_id = ? AND status = 'draft')", juror),
            "juror_name": one("SELECT name FROM users WHERE id = ?", juror),
            "sheet_heading": one(
                "SELECT 'Score sheet of ' || u.name || ' for ' || e.reference"
                "  FROM score_sheets s JOIN users u ON u.id = s.juror_id"
                "  JOIN entries e ON e.id = s.entry_id"
                " WHERE s.id = (SELECT min(id) FROM score_sheets WHERE status = 'submitted')"),
            "eligible_heading": one(
                "SELECT reference || ': ' || title FROM entries"
                " WHERE id = (SELECT min(id) FROM entries WHERE status = 'eligible')"),
            # An entry the demo's advisor has written about (prize.demo.discussion).
            "discussed_entry": one("SELECT min(entry_id) FROM discussion_comments"),
            "discussed_reference": one(
                "SELECT reference FROM entries"
                " WHERE id = (SELECT min(entry_id) FROM discussion_comments)"),
            "discussed_title": one(
                "SELECT title FROM entries"
                " WHERE id = (SELECT min(entry_id) FROM discussion_comments)"),
            "eligible_reference": one("SELECT reference FROM entries"
                                      " WHERE id = (SELECT min(id) FROM entries"
                                      " WHERE status = 'eligible')"),
            # The working language the eligible entry is translated into.
            "eligible_into": one("SELECT CASE language WHEN 'en' THEN 'French' ELSE 'English'"
                                 " END FROM entries WHERE id = (SELECT min(id) FROM entries"
                                 " WHERE status = 'eligible')"),
            "eligible_title": one("SELECT title FROM entries"
                                  " WHERE id = (SELECT min(id) FROM entries"
                                  " WHERE status = 'eligible')"),
        }


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Iterator[DemoSite]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install --no-audit --no-fund` at the repo root")
    folder = tmp_path_factory.mktemp("a11y")
    catcher = MailCatcher()
    mail = Controller(catcher, hostname="127.0.0.1", port=free_port())
    mail.start()
    try:
        with running_server(folder, catcher, mail.port, demo=True) as server:
            yield DemoSite(url=server.url, ids=demo_ids(server.db_path))
    finally:
        mail.stop()


@pytest.fixture(scope="module")
def tab_for(browser, demo_site) -> Iterator[Callable[[str], object]]:
    """One logged-in tab per role, reused by every test of the module.

    bypass_csp lets Playwright inject axe-core: the site's CSP (rightly) refuses inline
    scripts, and the injected tag is one.
    """
    contexts = []

    def tab(role: str):
        if role not in demo_site.sessions:
            context = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
            context.set_default_timeout(10_000)
            contexts.append(context)
            page = context.new_page()
            if ACCOUNTS[role]:
                log_in(page, demo_site.url, ACCOUNTS[role], DEMO_PASSWORD)
            demo_site.sessions[role] = page
        page = demo_site.sessions[role]
        page.set_viewport_size(DESKTOP)
        return page

    yield tab
    for context in contexts:
        context.close()


# How to reach each page type: a path (format fields from the demo ids) or steps.
def _submit_empty(path: str, button: str):
    def steps(page, site: DemoSite) -> None:
        page.goto(site.url + path.format(**site.ids))
        page.get_by_role("button", name=button).click()
        page.locator(".error-summary, .notice-error").first.wait_for()
    return steps


def _bad_email_text(page, site: DemoSite) -> None:
    page.goto(site.url + "/admin/emails/verify_email")
    page.get_by_label("Subject in English").fill("Confirm {{ addres }}")
    page.get_by_role("button", name="Save the texts").click()
    page.locator(".error-summary").wait_for()


def _login_refused(page, site: DemoSite) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    page.locator(".error-summary").wait_for()


def _new_entry(page, site: DemoSite) -> None:
    page.goto(site.url + "/my")
    # With a draft in the edition already, a second entry is asked for explicitly.
    page.get_by_role("button", name=re.compile("^Start (a new|another) entry$")).first.click()
    page.wait_for_url("**/edit")


def _new_entry_submitted_empty(page, site: DemoSite) -> None:
    _new_entry(page, site)
    page.get_by_role("button", name="Submit entry").click()
    page.locator(".error-summary").wait_for()


def _new_draft_page(page, site: DemoSite) -> None:
    """A fresh draft's own page (not the form), from which it is withdrawn or deleted."""
    _new_entry(page, site)
    page.goto(page.url.removesuffix("/edit"))


def _draft_withdrawn(page, site: DemoSite) -> None:
    _new_draft_page(page, site)
    page.locator("summary", has_text="Withdraw this entry").click()
    page.get_by_label("Yes, withdraw this entry").check()
    page.get_by_role("button", name="Withdraw", exact=True).click()
    page.locator("#why-closed").wait_for()


def _draft_deleted(page, site: DemoSite) -> None:
    _new_draft_page(page, site)
    page.locator("summary", has_text="Delete this draft").click()
    page.get_by_label("Yes, delete this draft for good").check()
    page.get_by_role("button", name="Delete the draft").click()
    page.get_by_text("The draft is deleted.").wait_for()


def _sheet_submitted_incomplete(page, site: DemoSite) -> None:
    page.goto(f"{site.url}/jury/entries/{site.ids['draft_sheet_entry']}/sheet")
    page.locator("textarea[id^='field-justification-']").first.fill("")
    page.get_by_role("button", name="Submit the sheet").click()
    page.locator(".error-summary").wait_for()


def _edition_saved_without_title(page, site: DemoSite) -> None:
    page.goto(f"{site.url}/admin/editions/{site.ids['open_year']}/edit")
    page.locator("#field-title").fill("")
    page.get_by_role("button", name="Save", exact=True).click()  # not "Save the rounds"
    page.locator(".error-summary").wait_for()


def _assignment_button(button: str):
    """The page a button of the judging edition's assignment leads to (a confirmation or
    the comparison of a new run: nothing is applied there)."""
    def steps(page, site: DemoSite) -> None:
        page.goto(f"{site.url}/admin/editions/{site.ids['judging_year']}/jury/assignment")
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    return steps


# The last field is the page's <h1> (format fields from the demo ids): an error page or
# the wrong page in its place would meet the contract too, so each says which it is.
PAGES: list[tuple[str, str, str | Callable, str]] = [
    ("public", "home", "/", "European Prize for Drug Prevention"),
    ("public", "practices", "/practices", "Good practices"),
    ("public", "practices-filtered", "/practices?country={country}&year={published_year}",
     "Good practices"),
    ("public", "practices-search", "/practices?q=youth", "Good practices"),
    ("public", "practices-by-substance", "/practices?substance=alcohol", "Good practices"),
    ("public", "practices-search-nothing", "/practices?q=zzqqxx", "Good practices"),
    ("public", "practices-bad-query", "/practices?q=" + "x" * 201, "Good practices"),
    ("public", "practices-past-the-end", "/practices?page=99", "Good practices"),
    ("public", "practice", "/practices/{practice_slug}", "{practice_title}"),
    ("public", "edition", "/editions/{published_year}",
     "European Prize for Drug Prevention {published_year}"),
    ("public", "login", "/login", "Log in"),
    ("public", "login-refused", _login_refused, "Log in"),
    ("public", "signup", "/signup", "Create an account"),
    ("public", "signup-errors", _submit_empty("/signup", "Create my account"), "Create an account"),
    ("public", "forgot-password", "/password/forgot", "Reset your password"),
    ("public", "privacy-notice", "/privacy", "Privacy notice"),
    ("public", "privacy-notice-version", "/privacy/versions/1", "Privacy notice"),
    ("public", "not-found", "/no-such-page", "Page not found"),
    ("applicant", "dashboard", "/my", "My entries"),
    ("applicant", "entry-form-empty", _new_entry, "New entry"),
    ("applicant", "entry-form-errors", _new_entry_submitted_empty, "New entry"),
    ("applicant", "entry-form-draft", "/my/entries/{draft_entry}/edit", "{draft_title}"),
    ("applicant", "entry", "/my/entries/{draft_entry}", "{draft_title}"),
    ("applicant", "entry-print", "/my/entries/{draft_entry}/print", "{draft_title}"),
    ("applicant", "entry-withdrawn", _draft_withdrawn, "Untitled draft"),
    ("applicant", "dashboard-draft-deleted", _draft_deleted, "My entries"),
    ("applicant", "my-data", "/account/data", "My data"),
    ("applicant", "delete-my-account", "/account/delete", "Delete my account"),
    ("juror", "jury-dashboard", "/jury", "Jury"),
    ("juror", "conflicts", "/jury/{judging_year}/conflicts",
     "Conflicts of interest, {judging_year}"),
    ("juror", "profile", "/jury/profile", "My juror profile"),
    ("juror", "reading-view", "/jury/entries/{draft_sheet_entry}", "{draft_sheet_title}"),
    ("juror", "score-sheet", "/jury/entries/{draft_sheet_entry}/sheet",
     "Score sheet: {draft_sheet_title}"),
    ("juror", "score-sheet-errors", _sheet_submitted_incomplete,
     "Score sheet: {draft_sheet_title}"),
    ("juror", "score-sheet-submitted", "/jury/entries/{submitted_sheet_entry}/sheet",
     "Score sheet: {submitted_sheet_title}"),
    ("advisor", "advisor-dashboard", "/jury", "Jury"),
    ("advisor", "advisor-reading-view", "/jury/entries/{discussed_entry}", "{discussed_title}"),
    ("advisor", "discussion", "/jury/entries/{discussed_entry}/discussion",
     "Discussion of {discussed_reference}"),
    ("advisor", "discussion-errors",
     _submit_empty("/jury/entries/{discussed_entry}/discussion", "Post the comment"),
     "Discussion of {discussed_reference}"),
    ("advisor", "advisor-ranking", "/jury/{judging_year}/ranking",
     "Ranking of the {judging_year} edition"),
    ("advisor", "digest", "/jury/digest", "Daily email of new comments"),
    ("secretariat", "admin-home", "/admin", "Secretariat"),
    ("secretariat", "notices", "/admin/notices", "Privacy notice and declarations"),
    ("secretariat", "notice-form", "/admin/notices/privacy/new",
     "New version of the privacy notice"),
    ("secretariat", "notice-version", "/admin/notices/privacy/1", "Privacy notice: version 1"),
    ("secretariat", "edition", "/admin/editions/{judging_year}",
     "European Prize for Drug Prevention {judging_year}"),
    ("secretariat", "edition-form", "/admin/editions/{open_year}/edit",
     "Settings of the {open_year} edition"),
    ("secretariat", "edition-form-errors", _edition_saved_without_title,
     "Settings of the {open_year} edition"),
    ("secretariat", "new-edition", "/admin/editions/new", "New edition"),
    ("secretariat", "criteria", "/admin/editions/{judging_year}/criteria",
     "Criteria of the {judging_year} edition"),
    ("secretariat", "criterion-form-errors",
     _submit_empty("/admin/editions/{open_year}/criteria/new", "Save"), "New criterion"),
    ("secretariat", "form-editor", "/admin/editions/{open_year}/form",
     "Application form of the {open_year} edition"),
    ("secretariat", "form-question", "/admin/editions/{open_year}/form/questions/summary",
     "Question “Summary of the project”"),
    ("secretariat", "form-question-substances",
     "/admin/editions/{open_year}/form/questions/substances",
     "Question “Substances and behaviours addressed”"),
    ("secretariat", "form-question-errors",
     _submit_empty("/admin/editions/{open_year}/form/questions/new", "Save the question"),
     "New question"),
    ("secretariat", "form-preview-fr", "/admin/editions/{open_year}/form/preview?lang=fr",
     "Nouvelle candidature"),
    ("secretariat", "screening", "/admin/editions/{judging_year}/screening",
     "Screening of the {judging_year} edition"),
    ("secretariat", "progress", "/admin/editions/{judging_year}/progress",
     "Judging progress of the {judging_year} edition"),
    ("secretariat", "translations", "/admin/editions/{judging_year}/translations",
     "Translations of the {judging_year} edition"),
    ("secretariat", "translation-form", "/translations/entries/{eligible_entry}",
     "Translation of {eligible_reference} into {eligible_into}"),
    ("secretariat", "users", "/admin/users", "Users"),
    ("secretariat", "user", "/admin/users/{juror_id}", "{juror_name}"),
    ("secretariat", "erase-user", "/admin/users/{juror_id}/erase", "Erase {juror_name}"),
    ("secretariat", "personal-data", "/admin/privacy", "Personal data"),
    ("secretariat", "audit", "/admin/audit", "Audit log"),
    ("secretariat", "identity", "/admin/identity", "The prize's identity"),
    ("secretariat", "emails", "/admin/emails", "Email texts"),
    ("secretariat", "edition-emails", "/admin/editions/{open_year}/emails",
     "Email texts of the {open_year} edition"),
    ("secretariat", "email-form", "/admin/editions/{judging_year}/emails/eligibility_result",
     "Email: Result of the screening"),
    ("secretariat", "email-form-errors", _bad_email_text, "Email: Confirm an email address"),
    ("secretariat", "entries", "/admin/entries", "Entries of every edition"),
    ("secretariat", "entry", "/admin/entries/{eligible_entry}", "{eligible_heading}"),
    ("secretariat", "entry-text", "/admin/entries/{eligible_entry}/text", "{eligible_title}"),
    ("secretariat", "jurors", "/admin/editions/{judging_year}/jury",
     "Jury of the {judging_year} edition"),
    ("secretariat", "assignment-matrix", "/admin/editions/{judging_year}/jury/assignment",
     "Assignment of the {judging_year} edition"),
    ("secretariat", "deliberation", "/admin/editions/{judging_year}/deliberation",
     "Deliberation of the {judging_year} edition"),
    ("secretariat", "sheet", "/admin/sheets/{sheet_id}", "{sheet_heading}"),
    ("secretariat", "practices", "/admin/practices", "Publication of good practices"),
    ("secretariat", "practice-edit", "/admin/practices/{practice_id}", "{practice_title}"),
    ("secretariat", "meeting", "/admin/editions/{judging_year}/meeting",
     "Jury meeting of the {judging_year} edition"),
    ("secretariat", "meeting-entry", "/admin/editions/{judging_year}/meeting/{discussed_entry}",
     "{discussed_reference}: {discussed_title}"),
    ("secretariat", "meeting-minutes", "/admin/editions/{judging_year}/meeting/minutes",
     "Minutes of the jury meeting"),
    ("secretariat", "deliberation-charts", "/admin/editions/{judging_year}/deliberation/charts",
     "Charts and agreement of the {judging_year} edition"),
    ("secretariat", "edition-publication", "/admin/editions/{judging_year}/publication",
     "Publication of the {judging_year} edition"),
    ("secretariat", "publish-confirmation", "/admin/editions/{judging_year}/results",
     "Publish the results of the {judging_year} edition?"),
    # An edition with a final round, in its final round: each page on the round it shows
    # by default, or the other one, with the round switcher.
    ("secretariat", "final-round-edition", "/admin/editions/{final_year}",
     "European Prize for Drug Prevention {final_year}"),
    ("secretariat", "final-round-settings", "/admin/editions/{final_year}/edit",
     "Settings of the {final_year} edition"),
    ("secretariat", "final-criteria", "/admin/editions/{final_year}/criteria?round=2",
     "Criteria of the {final_year} edition"),
    ("secretariat", "final-round-assignment", "/admin/editions/{final_year}/jury/assignment",
     "Assignment of the {final_year} edition"),
    ("secretariat", "final-round-progress", "/admin/editions/{final_year}/progress",
     "Judging progress of the {final_year} edition"),
    ("secretariat", "round-1-deliberation", "/admin/editions/{final_year}/deliberation?round=1",
     "Deliberation of the {final_year} edition"),
    ("secretariat", "final-round-meeting", "/admin/editions/{final_year}/meeting",
     "Jury meeting of the {final_year} edition"),
    ("juror", "final-round-sheet", "/jury/entries/{final_sheet_entry}/sheet",
     "Score sheet: {final_sheet_title}"),
    ("secretariat", "exports", "/admin/editions/{judging_year}/exports",
     "Exports of the {judging_year} edition"),
    ("secretariat", "release-confirmation", _assignment_button("Send the jurors their lists again"),
     "Send the jurors their lists again?"),
    ("secretariat", "assignment-changes", _assignment_button("Run the assignment again"),
     "What a new run of the assignment would change"),
]


def axe_violations(page, within: str | None = None) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page, or only in the element `within` (a CSS
    selector) of a page whose rest is checked elsewhere: a long form takes axe seconds."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([tags, within]) => axe.run(within ? {include: [within]} : document,"
        " {runOnly: {type: 'tag', values: tags}})", [WCAG_TAGS, within])
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


def page_overflow(page) -> str:
    """'' when the page does not scroll sideways, else what sticks out."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        if (document.documentElement.scrollWidth <= width) return '';
        const culprits = [...document.querySelectorAll('body *')]
            .filter(el => !el.closest('.table-wrap') && el.getBoundingClientRect().right > width)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        return document.documentElement.scrollWidth + ' px wide: '
            + culprits.slice(0, 5).join(', ');
    }""")


@pytest.mark.parametrize(("role", "name", "how", "heading"), PAGES,
                         ids=[f"{r}-{n}" for r, n, _, _ in PAGES])
def test_page_meets_wcag_21_aa_at_desktop_phone_and_200_percent_zoom(tab_for, demo_site,
                                                                     role, name, how, heading):
    # given the page, reached as that role
    page = tab_for(role)
    if callable(how):
        how(page, demo_site)
    else:
        page.goto(demo_site.url + how.format(**demo_site.ids))

    # then the contract of every page holds and axe finds nothing, wide or narrow
    assert page.locator("html").get_attribute("lang") in {"en", "fr"}
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() == heading.format(**demo_site.ids), \
        f"{name}: not the intended page"
    assert page.locator("a.skip-link[href='#main']").count() == 1
    assert axe_violations(page) == [], f"{name} at {DESKTOP['width']} px"
    page.set_viewport_size(PHONE)
    assert page_overflow(page) == "", f"{name} scrolls sideways at 320 px"
    assert axe_violations(page) == [], f"{name} at 320 px"
    if name in PICTURES:
        screenshot(page, f"a11y-320-{role}-{name}")
    page.set_viewport_size(ZOOM_200)
    assert page_overflow(page) == "", f"{name} scrolls sideways at 200 % zoom"


# Keyboard ---------------------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id, stop: el.dataset.tabStop || null,
            text: (el.innerText || el.value || '').trim().slice(0, 40),
            href: el.getAttribute('href') || '', inMain: !!el.closest('main'),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""
# Numbers every control a keyboard user should reach; a group of radio buttons is one stop.
MARK_TAB_STOPS = """() => {
    // tabindex="-1": out of the Tab order on purpose (the map's tiles, whose links the list
    // beside the map repeats for the keyboard).
    const controls = [...document.querySelectorAll('a[href]:not([tabindex="-1"]), button,'
        + ' input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
        .filter(el => !el.disabled && el.checkVisibility({visibilityProperty: true})
                && !el.closest('details:not([open]) > :not(summary)'));
    const radioGroups = new Set();
    let count = 0;
    for (const el of controls) {
        if (el.type === 'radio') {
            if (radioGroups.has(el.name)) continue;
            radioGroups.add(el.name);
            for (const radio of document.getElementsByName(el.name)) radio.dataset.tabStop = count;
        } else {
            el.dataset.tabStop = count;
        }
        count += 1;
    }
    return count;
}"""


@pytest.mark.parametrize("role", ["public", "applicant", "juror", "secretariat"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(tab_for, demo_site, role):
    page = tab_for(role)
    page.goto(demo_site.url + {"public": "/practices", "applicant": "/my", "juror": "/jury",
                               "secretariat": "/admin"}[role])

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["href"] == "#main" and first["text"] == "Skip to content"
    assert first["outline"], "the skip link shows where the focus is"
    assert page.locator(".skip-link").evaluate("el => el.getBoundingClientRect().left") >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inMain"], "the next tab stop is inside the main content"


@pytest.mark.parametrize(("role", "path"), [
    ("public", "/"),
    ("public", "/signup"),
    ("applicant", "/my/entries/{draft_entry}/edit"),
    ("juror", "/jury/entries/{draft_sheet_entry}/sheet"),
    ("secretariat", "/admin/editions/{judging_year}/deliberation"),
])
def test_tab_reaches_every_control_with_a_visible_focus_and_no_trap(tab_for, demo_site,
                                                                    role, path):
    page = tab_for(role)
    page.goto(demo_site.url + path.format(**demo_site.ids))
    stops = page.evaluate(MARK_TAB_STOPS)

    # when tabbing from the top of the page until focus leaves it (date fields have 3 stops each)
    seen = []
    for _ in range(4 * stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (seen and focused["href"] == "#main"):
            break
        seen.append(focused)
    else:
        pytest.fail(f"focus never left the page after {4 * stops} presses of Tab: {seen[-3:]}")

    # then every control had its turn, in one pass, each time with a visible outline
    reached = {stop["stop"] for stop in seen}
    assert reached == {str(n) for n in range(stops)}, f"{len(reached)} of {stops} reached"
    hidden = [stop for stop in seen if not stop["outline"]]
    assert hidden == [], "focus is invisible on these"


def test_a_visitor_searches_and_logs_in_with_the_keyboard_alone(browser, demo_site):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(demo_site.url + "/practices")
        search = page.locator("input[type=search], input[name=q]").first
        tab_to(page, search)
        page.keyboard.type("youth")
        page.keyboard.press("Enter")
        page.wait_for_url("**q=youth**")

        page.goto(demo_site.url + "/login")
        tab_to(page, page.get_by_label("Email"))
        page.keyboard.type(ACCOUNTS["juror"])
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/jury**")
        assert page.get_by_role("heading", level=1).is_visible()
    finally:
        context.close()


def test_a_juror_scores_a_criterion_with_arrow_keys(tab_for, demo_site):
    page = tab_for("juror")
    page.goto(f"{demo_site.url}/jury/entries/{demo_site.ids['draft_sheet_entry']}/sheet")
    first_group = page.locator("fieldset.criterion").first
    radios = first_group.locator("input[type=radio]")
    tab_to(page, radios.first if first_group.locator("input:checked").count() == 0
           else first_group.locator("input:checked"))
    before = first_group.locator("input:checked").get_attribute("value") \
        if first_group.locator("input:checked").count() else None

    page.keyboard.press("ArrowDown")

    after = first_group.locator("input:checked").get_attribute("value")
    assert after is not None and after != before


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab from the top of a freshly loaded page until `target` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab")
