"""Every page of an edition carries the same navigation, in the order the work goes,
with the page the secretariat is on marked for screen readers."""

from __future__ import annotations

import re

import pytest

from tests import factories

ORDER = ["Settings", "Criteria", "Application form", "Screening", "Jury", "Assignment", "Progress",
         "Deliberation", "Publication", "Exports"]
PAGES = {
    "": None, "/edit": "Settings", "/criteria": "Criteria", "/form": "Application form",
    "/screening": "Screening",
    "/jury": "Jury", "/jury/assignment": "Assignment", "/progress": "Progress",
    "/deliberation": "Deliberation", "/publication": "Publication", "/exports": "Exports",
}


def edition_nav(html: str) -> str:
    found = re.search(r'<nav class="edition-nav".*?</nav>', html, re.S)
    assert found, "no edition navigation"
    return found.group(0)


@pytest.mark.parametrize("path", list(PAGES))
async def test_each_edition_page_has_the_one_navigation_with_its_own_link_current(
        admin_client, db, path):
    edition = await factories.edition(db, year=2026, status="judging")
    page = await admin_client.get(f"/admin/editions/{edition.year}{path}")
    assert page.status_code == 200
    nav = edition_nav(page.text)
    links = re.findall(r"<li><a href=\"[^\"]+\"[^>]*>([^<]+)</a></li>", nav)
    # In this order; other parts of the console may add their own links between.
    assert [link for link in links if link in ORDER] == ORDER
    current = re.findall(r'aria-current="page">([^<]+)<', nav)
    if PAGES[path] is None:
        assert current == ["Edition 2026"]
    else:
        assert current == [PAGES[path]]
    assert 'href="/admin/editions/2026/jury/assignment"' in nav
    assert page.text.count("<h1") == 1


async def test_the_lifecycle_summary_is_a_two_column_summary(admin_client, db):
    edition = await factories.edition(db, year=2026, status="open")
    page = await admin_client.get(f"/admin/editions/{edition.year}")
    assert '<dl class="facts">' in page.text


async def test_the_exports_page_lists_every_download_of_the_edition(admin_client, db):
    edition = await factories.edition(db, year=2026, status="deliberation")
    page = await admin_client.get(f"/admin/editions/{edition.year}/exports")
    for what in ("ranking", "scores", "entries"):
        for fmt in ("csv", "xlsx"):
            link = f"/admin/editions/2026/exports/{what}.{fmt}"
            assert link in page.text
            assert (await admin_client.get(link)).status_code == 200


async def test_an_edition_page_of_an_unknown_year_is_not_found(admin_client):
    for path in ("/publication", "/exports", "/results"):
        assert (await admin_client.get(f"/admin/editions/1999{path}")).status_code == 404


async def test_the_jury_table_actions_are_a_cell_not_a_flex_box(admin_client, db):
    edition = await factories.edition(db, year=2026, status="judging")
    await factories.juror(db, edition_id=edition.id, name="Ana Juror")
    page = await admin_client.get(f"/admin/editions/{edition.year}/jury")
    assert '<td class="actions"' not in page.text
    assert 'class="row-actions"' in page.text
