"""The tables of the secretariat's, applicants' and jury's pages turn into cards on a
narrow screen: each is marked `stack` and each cell carries its column's name."""

from __future__ import annotations

import re

from tests import factories


def tables(html: str) -> list[tuple[str, str]]:
    main = html.split('id="main"', 1)[1]
    main = re.sub(r"<details.*?</details>", "", main, flags=re.S)
    return re.findall(r"<table([^>]*)>(.*?)</table>", main, re.S)


def assert_cards(html: str) -> int:
    found = 0
    for attrs, body in tables(html):
        if "matrix" in attrs:
            continue
        assert "stack" in attrs, attrs
        headers = re.findall(r'<th scope="col"', body)
        body = body.split("<tbody>", 1)[1]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = re.findall(r'<(?:td|th scope="row")([^>]*)>', row)
            assert len(cells) <= len(headers)
            assert all("data-label=" in cell for cell in cells), row[:200]
            found += 1
    return found


async def test_secretariat_tables_have_a_label_on_every_cell(admin_client, db):
    edition = await factories.edition(db, year=2026, status="judging", jurors_per_entry=1)
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  status="eligible")
    juror = await factories.juror(db, edition_id=edition.id, country="FR", name="Camille")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id,
                               sheet="draft")
    rows = 0
    for path in ("/admin", "/admin/entries", "/admin/users", "/admin/audit",
                 f"/admin/editions/{edition.year}/screening", "/admin/editions/2026/criteria",
                 "/admin/editions/2026/progress", "/admin/editions/2026/jury",
                 "/admin/editions/2026/exports", "/admin/editions/2026/deliberation",
                 f"/admin/entries/{entry.id}"):
        page = await admin_client.get(path)
        assert page.status_code == 200, path
        rows += assert_cards(page.text)
    assert rows >= 10


async def test_the_applicants_entries_table_has_a_label_on_every_cell(applicant_client, db):
    edition = await factories.edition(db, year=2027, status="open")
    await factories.entry(db, edition_id=edition.id, owner_id=applicant_client.user.id)
    page = await applicant_client.get("/my")
    assert assert_cards(page.text) == 1
