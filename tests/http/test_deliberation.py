"""The deliberation screen: rankings, charts, decisions through the lifecycle, downloads."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from prize.store import audit, entries
from tests import factories
from tests.http.test_scoring import KEYS


async def scored_edition(db, status: str = "deliberation"):
    """Three eligible entries, each scored by the same three jurors; entries 2 and 3 tie."""
    edition = await factories.edition(db, year=2025, status=status,
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    made = [await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible",
                                  application=factories.complete_application(title=f"Project {n}"))
            for n in (1, 2, 3)]
    jurors = [await factories.user(db, role="juror", name=f"Juror {n}") for n in (1, 2, 3)]
    grid = {0: (5, 5, 4), 1: (3, 2, 4), 2: (3, 2, 4)}
    for index, entry in enumerate(made):
        for juror, score in zip(jurors, grid[index], strict=True):
            await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                       juror_id=juror.id, sheet="submitted")
            async with db.transaction() as conn:
                sheet_id = await conn.execute(
                    "SELECT id FROM score_sheets WHERE entry_id = ? AND juror_id = ?",
                    (entry.id, juror.id))
                sheet_id = (await sheet_id.fetchone())[0]
                await conn.executemany(
                    "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
                    " VALUES (?, ?, ?, 'why')", [(sheet_id, key, score) for key in KEYS])
                await conn.execute("UPDATE score_sheets SET overall_comment = ? WHERE id = ?",
                                   (f"Comment of {juror.name}", sheet_id))
    return edition, made, jurors


async def test_deliberation_shows_both_rankings_ties_charts_and_agreement(admin_client, db):
    edition, made, _ = await scored_edition(db)
    page = await admin_client.get(f"/admin/editions/{edition.year}/deliberation/charts")
    assert page.status_code == 200
    assert "By raw mean" in page.text and "By normalised total" in page.text
    assert "(tie)" in page.text
    assert page.text.count('role="img"') == len(KEYS) + 1
    assert "<title" in page.text and "Krippendorff" in page.text
    assert "Juror leniency" in page.text


# Who may open an edition's deliberation: see test_authorisation_matrix.py.
async def test_a_juror_is_refused_before_learning_whether_an_edition_exists(juror_client):
    assert (await juror_client.get("/admin/editions/1999/deliberation")).status_code == 403


async def test_award_needs_a_statement_and_nothing_changes_when_one_is_refused(admin_client, db):
    edition, made, _ = await scored_edition(db)
    path = f"/admin/editions/{edition.year}/deliberation"
    response = await admin_client.submit(f"{path}/decisions", {
        f"decision-{made[0].id}": "award_winner", f"statement-{made[0].id}": " ",
        f"decision-{made[1].id}": "shortlist",
    }, token_from=path)
    assert response.status_code == 409
    assert "Write the jury&#39;s statement" in response.text or "jury's statement" in response.text
    assert (await entries.get(db, made[1].id)).status == "eligible"


async def test_decisions_change_statuses_through_the_lifecycle_and_are_audited(admin_client, db):
    edition, made, _ = await scored_edition(db)
    path = f"/admin/editions/{edition.year}/deliberation"
    response = await admin_client.submit(f"{path}/decisions", {
        f"decision-{made[0].id}": "award_winner",
        f"statement-{made[0].id}": "Young people lead every step.",
        f"decision-{made[1].id}": "shortlist",
        f"decision-{made[2].id}": "not_select",
    }, token_from=path)
    assert response.status_code == 303
    winner = await entries.get(db, made[0].id)
    assert winner.status == "winner" and winner.jury_statement == "Young people lead every step."
    assert (await entries.get(db, made[1].id)).status == "shortlisted"
    assert (await entries.get(db, made[2].id)).status == "not_selected"
    assert len(await audit.search(db, action="entry.awarded_winner")) == 1


async def test_decisions_outside_deliberation_are_refused_in_words(admin_client, db):
    edition, made, _ = await scored_edition(db, status="judging")
    path = f"/admin/editions/{edition.year}/deliberation"
    response = await admin_client.submit(f"{path}/decisions",
                                         {f"decision-{made[0].id}": "shortlist"},
                                         token_from=path)
    assert response.status_code == 409
    assert "only while the edition is in deliberation" in response.text
    assert (await entries.get(db, made[0].id)).status == "eligible"


async def test_downloads_give_the_contract_columns(admin_client, db):
    edition, made, _ = await scored_edition(db)
    base = f"/admin/editions/{edition.year}/exports"
    ranking = await admin_client.get(f"{base}/ranking.csv")
    lines = ranking.text.splitlines()
    assert lines[0] == "rank,reference,title,country,sheets,mean,normalised,spread,discuss"
    assert lines[1].startswith(f"1,{made[0].reference},Project 1,IE,3,")
    assert lines[2].split(",")[0] == lines[3].split(",")[0] == "2"
    scores = await admin_client.get(f"{base}/scores.csv")
    assert scores.text.splitlines()[0] == "reference,juror,criterion,score,weight,status,round"
    workbook = load_workbook(io.BytesIO((await admin_client.get(f"{base}/entries.xlsx")).content))
    header = [cell.value for cell in next(workbook.active.iter_rows())]
    assert "reference" in header and "contact_phone" not in header
