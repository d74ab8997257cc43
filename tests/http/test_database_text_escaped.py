"""Text from the database is escaped on every page that shows it, public or signed in.

Criterion titles, guidance and rubrics went through `_()`, which marks its result safe:
a `<meta http-equiv="refresh">` in a rubric redirected the visitors of the public
edition page. Here every text field of an edition, its criteria, entries, a practice,
sheets and people's names holds markup, and no page may write it out as markup.
"""

from __future__ import annotations

import json

import pytest

from prize.web.templating import build_environment
from tests import factories
from tests.conftest import Browser

# With a per cent sign: text given to `_()` was also read as a format string (a 500).
PAYLOAD = ('<script>alert(1)</script><meta http-equiv="refresh" content="0;url=https://evil.example">'
           '<img src=x onerror=alert(2)> 100% %(sure)s')
# The pages' own <script src=…> aside, none of this may appear as it is.
RAW = ("<script>alert", "<meta http-equiv", "<img src=x")
# The texts of each table that a page may show.
TEXT_COLUMNS = {
    "editions": ("title", "title_fr", "theme", "theme_fr"),
    "criteria": ("title", "title_fr", "guidance", "guidance_fr"),
    "entries": ("title", "organisation", "status_reason", "jury_statement"),
    "practices": ("title", "organisation", "city", "summary", "key_facts", "activities",
                  "youth_participation", "evaluation", "jury_statement", "applicant_note"),
    "users": ("name",),
    "score_sheets": ("overall_comment",),
    "scores": ("justification",),
}
APPLICATION_TEXTS = ("org_name", "city", "contact_name", "title", "summary", "goals",
                     "needs_assessment", "aims", "activities", "youth_participation",
                     "evaluation", "sustainability", "ethics")


async def fill_with_markup(db, world) -> None:
    async with db.transaction() as conn:
        for table, columns in TEXT_COLUMNS.items():
            await conn.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = ?" for c in columns),
                               (PAYLOAD,) * len(columns))
        cursor = await conn.execute("SELECT id, scale_min, scale_max FROM criteria")
        for criterion_id, low, high in await cursor.fetchall():
            rubric = json.dumps([PAYLOAD] * (high - low + 1))
            await conn.execute("UPDATE criteria SET rubric = ?, rubric_fr = ? WHERE id = ?",
                               (rubric, rubric, criterion_id))
        application = factories.complete_application(
            **{name: PAYLOAD for name in APPLICATION_TEXTS})
        await conn.execute("UPDATE entries SET application = ?",
                           (application.model_dump_json(),))
        # A score with its justification on the juror's sheet, so the sheet shows one.
        await conn.execute(
            "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
            " VALUES (?, ?, 3, ?)", (world.sheet_id, world.criterion_key, PAYLOAD))


def assert_escaped(path: str, html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{path} writes {raw!r} unescaped"


@pytest.fixture
async def world(app, db):
    made = await factories.security_world(db, app.state.settings.upload_dir)
    await fill_with_markup(db, made)
    return made


async def pages_of(app, person, paths) -> None:
    async with Browser.for_app(app) as browser:
        if person is not None:
            await browser.log_in(person.email)
        for path in paths:
            response = await browser.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert "&lt;script&gt;" in response.text or "&lt;meta" in response.text or (
                path in NOT_SHOWING_TEXT), f"{path} shows none of the texts"
            assert_escaped(path, response.text)


# Pages asked for all the same, to be sure they stay clean if they ever show these texts.
NOT_SHOWING_TEXT = {"/"}


async def test_public_pages_escape_database_text(app, world):
    await pages_of(app, None, [
        "/", f"/editions/{world.year}", f"/editions/{world.published_year}", "/practices",
        f"/practices/{world.public_slug}",
    ])


async def test_french_public_pages_escape_database_text(app, world):
    async with Browser.for_app(app) as browser:
        for path in (f"/editions/{world.year}", f"/practices/{world.public_slug}"):
            response = await browser.get(path, headers={"Accept-Language": "fr"})
            assert response.status_code == 200
            assert_escaped(path, response.text)


async def test_juror_pages_escape_database_text(app, world):
    await pages_of(app, world.people["juror"], [
        "/jury", f"/jury/entries/{world.entry_id}", f"/jury/entries/{world.entry_id}/sheet",
    ])


async def test_applicant_pages_escape_database_text(app, world):
    await pages_of(app, world.people["applicant_a"], [
        "/my", f"/my/entries/{world.entry_id}", f"/my/entries/{world.entry_id}/print",
        f"/my/practices/{world.practice_id}",
    ])


async def test_secretariat_pages_escape_database_text(app, world):
    year = world.year
    await pages_of(app, world.people["secretariat"], [
        "/admin", f"/admin/editions/{year}", f"/admin/editions/{year}/edit",
        f"/admin/editions/{year}/criteria",
        f"/admin/editions/{year}/criteria/{world.criterion_key}",
        f"/admin/editions/{year}/screening", f"/admin/editions/{year}/progress",
        f"/admin/editions/{year}/jury", f"/admin/editions/{year}/jury/assignment",
        f"/admin/editions/{year}/deliberation", "/admin/entries",
        f"/admin/entries/{world.entry_id}", f"/admin/entries/{world.entry_id}/text",
        "/admin/users", f"/admin/users/{world.people['juror'].id}",
        f"/admin/sheets/{world.sheet_id}", "/admin/practices",
        f"/admin/practices/{world.practice_id}",
    ])


def test_translating_text_in_a_page_escapes_it_and_in_an_email_does_not():
    env = build_environment()
    page = env.from_string("{% autoescape true %}{{ _(text) }}|{{ _('Hello %(name)s', name=text) }}"
                           "{% endautoescape %}")
    email = env.from_string("{{ _(text) }}")

    assert page.render(text="<b>") == "&lt;b&gt;|Hello &lt;b&gt;"
    assert email.render(text="<b>") == "<b>"
