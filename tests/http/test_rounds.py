"""An edition with a final round (issue 15, part 3): the order of the rounds, the pages of
each round, the blind rule of the current round, and the exports' round."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest

from prize.domain.editions import DEFAULT_CRITERIA
from prize.store import discussion, entries, jury
from prize.store import scoring as sheets
from tests import factories
from tests.conftest import Browser

YEAR = 2027
NOW = datetime(2027, 9, 1, tzinfo=UTC)
#: Entries' countries; the juror from PT is in conflict with the first entry.
COUNTRIES = ("PT", "ES", "IT", "SE")
JUROR_COUNTRIES = ("FR", "DE", "PT")


async def submit(db, entry_id: int, juror_id: int, level: int, round_number: int = 1,
                 criteria=DEFAULT_CRITERIA) -> None:
    scored = {c.key: sheets.CriterionScore(score=level, justification="Because.")
              for c in criteria}
    async with db.transaction() as conn:
        await sheets.save(conn, entry_id=entry_id, juror_id=juror_id, expected_version=0,
                          sheet=sheets.SheetInput(scored, "Seeded."), now=NOW, submit=True,
                          round_number=round_number)


async def two_rounds(db, status: str = "deliberation"):
    """A two-round edition after round 1's judging: four entries, three jurors, each juror
    has scored each entry they may read (the PT juror not the PT entry)."""
    edition = await factories.edition(db, year=YEAR, status=status, rounds=2,
                                      closes_at=datetime(YEAR, 5, 30, tzinfo=UTC),
                                      jurors_per_entry=None)
    owner = await factories.user(db)
    made = [await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="eligible",
        application=factories.complete_application(title=f"Project {n}", country=country,
                                                   org_name=f"Group {n}"))
        for n, country in enumerate(COUNTRIES, start=1)]
    jurors = [await factories.juror(db, edition_id=edition.id, country=country,
                                    email=f"juror{n}@example.org", name=f"Juror {n}")
              for n, country in enumerate(JUROR_COUNTRIES, start=1)]
    for index, entry in enumerate(made):
        for juror in jurors:
            if entry.application.country == "PT" and juror.email == "juror3@example.org":
                continue
            await factories.assignment(db, edition_id=edition.id, entry_id=entry.id,
                                       juror_id=juror.id)
            await submit(db, entry.id, juror.id, 5 - index)
    await factories.release_assignment(db, edition.id)
    return edition, made, jurors


@asynccontextmanager
async def signed_in(app, email: str) -> AsyncIterator[Browser]:
    async with Browser.for_app(app) as browser:
        await browser.log_in(email)
        yield browser


async def decide(admin_client, decisions: dict, statements: dict | None = None):
    """Decisions (and statements) by entry id, recorded together on the deliberation page."""
    path = f"/admin/editions/{YEAR}/deliberation"
    data = {f"decision-{entry_id}": decision for entry_id, decision in decisions.items()}
    data.update({f"statement-{entry_id}": text for entry_id, text in (statements or {}).items()})
    return await admin_client.submit(f"{path}/decisions", data, token_from=path)


async def transition(admin_client, name: str):
    path = f"/admin/editions/{YEAR}"
    return await admin_client.submit(f"{path}/transition", {"transition": name},
                                     token_from=path)


async def open_final_round(admin_client, made):
    """Round 1's decisions (entries 1 and 2 shortlisted), then the final round opens."""
    response = await decide(admin_client, {made[0].id: "shortlist", made[1].id: "shortlist",
                                           made[2].id: "not_select", made[3].id: "not_select"})
    assert response.status_code == 303, response.text
    response = await transition(admin_client, "open_final_round")
    assert response.status_code == 303, response.text


# Round order -------------------------------------------------------------------------------


async def test_an_award_in_round_1_deliberation_is_refused_in_a_sentence(admin_client, db):
    edition, made, _ = await two_rounds(db)
    response = await decide(admin_client, {made[0].id: "award_winner"},
                            {made[0].id: "Young people lead it."})
    assert response.status_code == 409
    assert "This edition has a final round: awards are decided after it." in response.text
    assert (await entries.get(db, made[0].id)).status == "eligible"


async def test_a_shortlisted_entry_is_not_decided_before_the_final_round(admin_client, db):
    edition, made, _ = await two_rounds(db)
    assert (await decide(admin_client, {made[0].id: "shortlist"})).status_code == 303
    response = await decide(admin_client, {made[0].id: "not_select"})
    assert response.status_code == 409
    assert "A shortlisted entry is decided after the final round" in response.text
    assert (await entries.get(db, made[0].id)).status == "shortlisted"


async def test_the_final_round_does_not_open_before_every_entry_is_decided(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await decide(admin_client, {made[0].id: "shortlist"})
    response = await transition(admin_client, "open_final_round")
    assert response.status_code == 409
    assert "3 entries have no round 1 decision yet" in response.text
    assert (await factories_edition(db)).current_round == 1


async def test_the_final_round_needs_a_shortlist(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await decide(admin_client, {entry.id: "not_select" for entry in made})
    response = await transition(admin_client, "open_final_round")
    assert response.status_code == 409
    assert "No entry is shortlisted, so the final round would have nothing to score." in (
        response.text)


async def test_the_final_round_is_not_offered_to_a_one_round_edition(admin_client, db):
    edition = await factories.edition(db, year=YEAR, status="deliberation")
    page = await admin_client.get(f"/admin/editions/{YEAR}")
    assert "Open the final round" not in page.text
    response = await transition(admin_client, "open_final_round")
    assert response.status_code == 409
    assert edition.rounds == 1


async def factories_edition(db):
    from prize.store import editions

    return await editions.by_year(db, YEAR)


async def test_opening_the_final_round_gives_every_juror_without_a_conflict_the_shortlist(
        admin_client, db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    current = await factories_edition(db)
    assert (current.status, current.current_round) == ("judging", 2)
    pairs = {(pair.juror_id, pair.entry_id) for pair in await jury.assignment_of(db, edition.id, 2)}
    expected = {(juror.id, entry.id) for juror in jurors for entry in made[:2]}
    # The PT juror is in conflict with the PT entry in the final round too.
    expected.discard((jurors[2].id, made[0].id))
    assert pairs == expected
    # Round 1's assignment is kept as it was.
    assert len(await jury.assignment_of(db, edition.id, 1)) == 11


async def test_no_decision_while_the_final_round_is_judged(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await open_final_round(admin_client, made)
    response = await decide(admin_client, {made[0].id: "award_winner"}, {made[0].id: "Why."})
    assert response.status_code == 409
    assert "only while the edition is in deliberation" in response.text


async def test_the_final_round_decides_the_awards_of_its_shortlist_only(admin_client, db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    for pair in await jury.assignment_of(db, edition.id, 2):
        await submit(db, pair.entry_id, pair.juror_id, 4, round_number=2)
    assert (await transition(admin_client, "start_deliberation")).status_code == 303
    refused = await decide(admin_client, {made[2].id: "award_winner"}, {made[2].id: "Why."})
    assert refused.status_code == 409
    assert "Only the entries of the final round can be decided now." in refused.text
    refused = await decide(admin_client, {made[0].id: "unshortlist"})
    assert "The shortlist was fixed when the final round opened." in refused.text
    done = await decide(admin_client, {made[0].id: "award_winner"}, {made[0].id: "Youth-led."})
    assert done.status_code == 303
    assert (await entries.get(db, made[0].id)).status == "winner"


async def test_publishing_waits_for_the_final_round(admin_client, db):
    edition, made, _ = await two_rounds(db)
    response = await admin_client.get(f"/admin/editions/{YEAR}")
    assert "This edition has a final round: awards are decided after it." in response.text


# Advisors -------------------------------------------------------------------------------


async def test_an_advisor_neither_scores_nor_decides_in_the_final_round(app, admin_client, db):
    edition, made, _ = await two_rounds(db)
    await factories.juror(db, edition_id=edition.id, role="advisor", country="BE",
                          email="advisor@example.org")
    await open_final_round(admin_client, made)
    async with signed_in(app, "advisor@example.org") as advisor:
        page = await advisor.get(f"/jury/entries/{made[0].id}")
        assert page.status_code == 200
        sheet = f"/jury/entries/{made[0].id}/sheet"
        assert (await advisor.get(sheet)).status_code == 403
        token = await advisor.csrf_token(f"/jury/entries/{made[0].id}")
        assert (await advisor.post(sheet, data={"csrf_token": token})).status_code == 403
        decided = await advisor.post(f"/admin/editions/{YEAR}/deliberation/decisions", data={
            "csrf_token": token, f"decision-{made[0].id}": "award_winner"})
        assert decided.status_code == 403
    assert (await entries.get(db, made[0].id)).status == "shortlisted"


# Jurors in the final round ------------------------------------------------------------------


async def test_a_round_1_sheet_stays_readable_and_locked_in_the_final_round(app, admin_client,
                                                                           db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    async with signed_in(app, jurors[0].email) as juror:
        # Entry 3 was not shortlisted: its sheet is round 1's, read-only.
        page = await juror.get(f"/jury/entries/{made[2].id}/sheet")
        assert page.status_code == 200
        assert "Round 1" in page.text and "submitted and locked" in page.text
        # A shortlisted entry's round 1 sheet, asked for by its round.
        page = await juror.get(f"/jury/entries/{made[0].id}/sheet?round=1")
        assert page.status_code == 200 and "Round 1" in page.text
        path = f"/jury/entries/{made[0].id}/sheet?round=1"
        refused = await juror.submit(path, {"version": "1", "action": "save"})
        assert refused.status_code == 409
        assert "Round 1 is over: its score sheets can be read, no longer changed." in (
            refused.text)
        # The current round's sheet is the final one, not started yet.
        final = await juror.get(f"/jury/entries/{made[0].id}/sheet")
        assert "Final round" in final.text and "Not started" in final.text
        dashboard = await juror.get("/jury")
        assert "Final round" in dashboard.text and "Round 1" in dashboard.text
        assert f"/jury/entries/{made[2].id}/sheet?round=1" in dashboard.text


async def test_a_juror_reads_the_final_thread_only_after_their_final_sheet(app, admin_client,
                                                                          db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    thread = f"/jury/entries/{made[1].id}/discussion"
    async with db.transaction() as conn:
        await discussion.add(conn, entry_id=made[1].id, author_id=jurors[1].id,
                             body="The final round's first word.", now=NOW)
    async with signed_in(app, jurors[0].email) as juror:
        # Submitted in round 1, not yet in the final round: the thread is closed to them.
        before = await juror.get(thread)
        assert before.status_code in (403, 404)
        assert "The final round&#39;s first word." not in before.text
        await submit(db, made[1].id, jurors[0].id, 4, round_number=2)
        after = await juror.get(thread)
        assert after.status_code == 200
        assert "first word" in after.text


# ?round= -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["deliberation", "deliberation/charts", "progress",
                                  "jury/assignment", "criteria"])
async def test_each_round_has_its_page(admin_client, db, page):
    edition, made, _ = await two_rounds(db)
    await open_final_round(admin_client, made)
    for round_number, title in ((1, "Round 1"), (2, "Final round")):
        response = await admin_client.get(f"/admin/editions/{YEAR}/{page}?round={round_number}")
        assert response.status_code == 200, response.text
        assert title in response.text
        assert 'aria-current="page">' + title in response.text


@pytest.mark.parametrize("value", ["3", "0", "two", "-1", "1.0", "²"])
async def test_a_round_the_edition_lacks_is_refused_in_a_sentence(admin_client, db, value):
    await two_rounds(db)
    response = await admin_client.get(f"/admin/editions/{YEAR}/deliberation?round={value}")
    assert response.status_code == 400
    assert "This edition has two rounds: 1 and 2 (the final round)." in response.text


async def test_a_one_round_edition_has_no_round_2(admin_client, db):
    await factories.edition(db, year=YEAR, status="judging")
    response = await admin_client.get(f"/admin/editions/{YEAR}/progress?round=2")
    assert response.status_code == 400
    assert "This edition has one round only: round 1." in response.text
    plain = await admin_client.get(f"/admin/editions/{YEAR}/progress")
    assert plain.status_code == 200 and "Final round" not in plain.text


async def test_the_final_ranking_ranks_the_shortlist_on_final_sheets(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await open_final_round(admin_client, made)
    for pair in await jury.assignment_of(db, edition.id, 2):
        # The final round turns round 1's order round: entry 2 above entry 1.
        await submit(db, pair.entry_id, pair.juror_id, 5 if pair.entry_id == made[1].id else 1,
                     round_number=2)
    final = await admin_client.get(f"/admin/editions/{YEAR}/exports/ranking.csv")
    rows = list(csv.reader(io.StringIO(final.text)))
    assert [row[1] for row in rows[1:]] == [made[1].reference, made[0].reference]
    first = await admin_client.get(f"/admin/editions/{YEAR}/exports/ranking.csv?round=1")
    rows = list(csv.reader(io.StringIO(first.text)))
    assert rows[1][1] == made[0].reference and len(rows) == 5
    bad = await admin_client.get(f"/admin/editions/{YEAR}/exports/ranking.csv?round=5")
    assert bad.status_code == 400


async def test_the_scores_export_says_each_sheet_s_round(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await open_final_round(admin_client, made)
    pair = (await jury.assignment_of(db, edition.id, 2))[0]
    await submit(db, pair.entry_id, pair.juror_id, 3, round_number=2)
    export = await admin_client.get(f"/admin/editions/{YEAR}/exports/scores.csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["reference", "juror", "criterion", "score", "weight", "status", "round"]
    rounds = {row[6] for row in rows[1:]}
    assert rounds == {"1", "2"}
    assert len([row for row in rows if row[6] == "2"]) == len(DEFAULT_CRITERIA)


# Settings and criteria ------------------------------------------------------------------------


async def test_the_final_round_is_added_and_removed_on_the_settings_page(admin_client, db):
    await factories.edition(db, year=YEAR, status="screening")
    path = f"/admin/editions/{YEAR}/edit"
    added = await admin_client.submit(f"/admin/editions/{YEAR}/rounds", {
        "rounds": "2", "final_judging_ends_at": "2027-11-15T18:00"}, token_from=path)
    assert added.status_code == 303
    edition = await factories_edition(db)
    assert edition.rounds == 2 and edition.final_judging_ends_at is not None
    bad = await admin_client.submit(f"/admin/editions/{YEAR}/rounds", {"rounds": "7"},
                                    token_from=path)
    assert bad.status_code == 422 and "Choose one round or a final round" in bad.text
    removed = await admin_client.submit(f"/admin/editions/{YEAR}/rounds", {"rounds": "1"},
                                        token_from=path)
    assert removed.status_code == 303 and (await factories_edition(db)).rounds == 1


async def test_the_rounds_no_longer_change_once_the_final_round_began(admin_client, db):
    edition, made, _ = await two_rounds(db)
    await open_final_round(admin_client, made)
    response = await admin_client.submit(f"/admin/editions/{YEAR}/rounds", {"rounds": "1"},
                                         token_from=f"/admin/editions/{YEAR}/edit")
    assert response.status_code == 422
    assert "The final round has begun: the rounds can no longer change." in response.text
    assert (await factories_edition(db)).rounds == 2


async def test_the_final_round_may_have_criteria_of_its_own(admin_client, db):
    await factories.edition(db, year=YEAR, status="judging", rounds=2)
    path = f"/admin/editions/{YEAR}/criteria?round=2"
    page = await admin_client.get(path)
    assert "The final round uses the round 1 criteria and weights." in page.text
    chosen = await admin_client.submit(f"/admin/editions/{YEAR}/criteria/final",
                                       {"final_criteria": "own"}, token_from=path)
    assert chosen.status_code == 303
    edition = await factories_edition(db)
    assert [c.key for c in edition.final_criteria] == [c.key for c in edition.criteria]
    key = edition.final_criteria[0].key
    removed = await admin_client.submit(
        f"/admin/editions/{YEAR}/criteria/{key}/change?round=2", {"action": "remove"},
        token_from=path)
    assert removed.status_code == 303
    edition = await factories_edition(db)
    assert len(edition.final_criteria) == len(edition.criteria) - 1
    # Round 1's criteria are frozen (judging) and unchanged.
    assert edition.criteria[0].key == key


async def test_the_final_round_has_its_own_meeting_on_its_shortlist(admin_client, db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    for pair in await jury.assignment_of(db, edition.id, 2):
        await submit(db, pair.entry_id, pair.juror_id, 4, round_number=2)
    assert (await transition(admin_client, "start_deliberation")).status_code == 303
    page = await admin_client.get(f"/admin/editions/{YEAR}/meeting")
    assert page.status_code == 200
    assert "Final round" in page.text
    assert "Juror 1 (Juror)" in page.text
    assert made[0].reference in page.text and made[2].reference not in page.text


async def test_the_advisor_reads_each_round_s_ranking(app, admin_client, db):
    edition, made, _ = await two_rounds(db)
    await factories.juror(db, edition_id=edition.id, role="advisor", country="BE",
                          email="advisor@example.org")
    await open_final_round(admin_client, made)
    async with signed_in(app, "advisor@example.org") as advisor:
        final = await advisor.get(f"/jury/{YEAR}/ranking")
        assert final.status_code == 200
        assert made[0].reference in final.text and made[2].reference not in final.text
        first = await advisor.get(f"/jury/{YEAR}/ranking?round=1")
        assert made[2].reference in first.text
        assert (await advisor.get(f"/jury/{YEAR}/ranking?round=9")).status_code == 400


async def test_a_round_1_sheet_set_aside_stays_on_round_1_s_page(admin_client, db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    # Juror 1 declares a conflict with entry 3 (not shortlisted) after scoring it.
    async with db.transaction() as conn:
        await jury.set_conflict(conn, entry_id=made[2].id, juror_id=jurors[0].id,
                                source="declared", reason="A friend runs it.",
                                created_by=jurors[0].id, now=NOW)
    for pair in await jury.assignment_of(db, edition.id, 2):
        await submit(db, pair.entry_id, pair.juror_id, 4, round_number=2)
    assert (await transition(admin_client, "start_deliberation")).status_code == 303
    final = await admin_client.get(f"/admin/editions/{YEAR}/deliberation")
    assert final.status_code == 200 and "Sheets set aside" not in final.text
    first = await admin_client.get(f"/admin/editions/{YEAR}/deliberation?round=1")
    assert first.status_code == 200 and "Sheets set aside" in first.text


async def test_round_1_s_thread_stays_readable_below_the_final_one(admin_client, db):
    edition, made, jurors = await two_rounds(db)
    async with db.transaction() as conn:
        await discussion.add(conn, entry_id=made[0].id, author_id=jurors[0].id,
                             body="Said in round 1.", now=NOW)
    await open_final_round(admin_client, made)
    async with db.transaction() as conn:
        await discussion.add(conn, entry_id=made[0].id, author_id=jurors[1].id,
                             body="Said in the final round.", now=NOW)
    page = await admin_client.get(f"/jury/entries/{made[0].id}/discussion")
    assert page.status_code == 200
    final, first = page.text.split('id="earlier-title"')
    assert "Final round · 1 comment" in final and "Said in the final round." in final
    assert "Round 1 · 1 comment" in first and "Said in round 1." in first


async def test_each_final_round_juror_gets_their_list_by_email(admin_client, db):
    edition, made, jurors = await two_rounds(db)
    await open_final_round(admin_client, made)
    mails = await db.fetch_all(
        "SELECT recipient, body FROM outbox WHERE kind = 'assignment_released'"
        " ORDER BY recipient")
    assert [mail["recipient"] for mail in mails] == [juror.email for juror in jurors]
    by_juror = {mail["recipient"]: mail["body"] for mail in mails}
    assert made[0].reference in by_juror[jurors[0].email]
    # The PT juror is in conflict with the PT entry: only entry 2 on their list.
    assert made[0].reference not in by_juror[jurors[2].email]
    assert made[1].reference in by_juror[jurors[2].email]
    assert made[2].reference not in by_juror[jurors[0].email]
