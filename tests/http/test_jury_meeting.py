"""The jury meeting: the shared screen goes through the shortlist in ranking order; the
secretariat records who attended, each decision with its statement and the jury's vote;
decisions follow the real prize (at most the edition's awards); the minutes print and
download as a PDF."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from html import unescape

import pypdf

from prize.store import audit, discussion, entries, jury, scoring
from tests import factories
from tests.http.test_deliberation import scored_edition


async def meeting_world(db, *, awards: int | None = 1, shortlist: bool = True):
    """The scored edition in deliberation (entry 1 first in the ranking), its three jurors
    and an advisor on the jury, an advisor's comment on entry 1, and (by default) all three
    entries shortlisted."""
    edition, made, jurors = await scored_edition(db)
    async with db.transaction() as conn:
        for juror in jurors:
            await jury.add_active_juror(conn, edition.id, juror.id, edition.opens_at)
        await conn.execute("UPDATE editions SET awards = ? WHERE id = ?", (awards, edition.id))
        if shortlist:
            await conn.execute(
                "UPDATE entries SET status = 'shortlisted' WHERE edition_id = ?", (edition.id,))
    advisor = await factories.juror(db, edition_id=edition.id, role="advisor",
                                    name="Dr Advice", country="BE")
    async with db.transaction() as conn:
        await discussion.add(conn, entry_id=made[0].id, author_id=advisor.id,
                             body="The youth council ran the evaluation.",
                             now=edition.opens_at)
    return edition, made, jurors, advisor


def meeting_path(edition, tail: str = "") -> str:
    return f"/admin/editions/{edition.year}/meeting{tail}"


async def attend(admin_client, edition, people, guests: str = "", held_at: str = ""):
    return await admin_client.submit(
        meeting_path(edition, "/attendance"),
        [*(("attendee", str(person.id)) for person in people), ("guests", guests),
         ("held_at", held_at)],
        token_from=meeting_path(edition))


async def decide(admin_client, edition, entry, **fields):
    return await admin_client.submit(meeting_path(edition, f"/{entry.id}/decision"), fields,
                                     token_from=meeting_path(edition, f"/{entry.id}"))


async def test_the_meeting_goes_through_the_shortlist_in_ranking_order(admin_client, db):
    edition, made, _, _ = await meeting_world(db)
    async with db.transaction() as conn:
        await conn.execute("UPDATE entries SET status = 'eligible' WHERE id = ?", (made[2].id,))

    page = await admin_client.get(meeting_path(edition))

    assert page.status_code == 200
    assert "Project 1" in page.text and "Project 2" in page.text
    assert "Project 3" not in page.text  # not on the shortlist
    assert page.text.index("Project 1") < page.text.index("Project 2")
    results, _ = await scoring.edition_results(db, edition)
    first = next(result for result in results.entries if result.entry_id == made[0].id)
    assert f"{first.normalised:.2f}" in page.text and f"{first.mean:.2f}" in page.text


async def test_without_a_shortlist_the_meeting_lists_every_ranked_entry(admin_client, db):
    edition, _, _, _ = await meeting_world(db, shortlist=False)

    page = await admin_client.get(meeting_path(edition))

    assert all(f"Project {n}" in page.text for n in (1, 2, 3))
    assert "No shortlist yet" in page.text


async def test_one_entry_at_a_time_shows_figures_comments_and_the_next_entry(admin_client, db):
    edition, made, _, _ = await meeting_world(db)

    page = await admin_client.get(meeting_path(edition, f"/{made[0].id}"))

    assert page.status_code == 200
    assert "The youth council ran the evaluation." in page.text and "Dr Advice" in page.text
    assert "Normalised total" in page.text and "Spread" in page.text
    assert "First entry" in page.text
    assert f'href="{meeting_path(edition)}/{made[1].id}" rel="next"' in page.text


async def test_an_entry_off_the_agenda_is_not_found(admin_client, db):
    edition, _, _, _ = await meeting_world(db)
    other = await factories.edition(db, year=2030, status="deliberation")
    owner = await factories.user(db)
    stranger = await factories.entry(db, edition_id=other.id, owner_id=owner.id,
                                     status="eligible")

    assert (await admin_client.get(meeting_path(edition, f"/{stranger.id}"))).status_code == 404


async def test_attendance_records_jurors_advisors_and_guests(admin_client, db):
    edition, _, jurors, advisor = await meeting_world(db)

    response = await attend(admin_client, edition, [jurors[0], jurors[1], advisor],
                            "Ana Silva, secretariat\n\nPeter Gray, observer")
    page = await admin_client.get(meeting_path(edition, "/minutes"))

    assert response.status_code == 303
    assert "Juror 1" in page.text and "Juror 2" in page.text and "Dr Advice" in page.text
    assert "Juror 3" not in page.text
    assert "Ana Silva, secretariat" in page.text and "Peter Gray, observer" in page.text
    assert len(await audit.search(db, action="meeting.attendance_recorded")) == 1


async def test_bad_attendance_is_refused_in_place_with_the_typed_guests_kept(admin_client, db):
    edition, _, jurors, _ = await meeting_world(db)
    outsider = await factories.user(db, role="juror")
    guests = "\n".join(f"Guest {n}" for n in range(31))

    response = await attend(admin_client, edition, [jurors[0], outsider], guests)

    assert response.status_code == 422
    assert "Choose people from the edition" in unescape(response.text)
    assert "At most 30 guests" in response.text
    assert "Guest 30" in response.text
    assert not await db.fetch_value("SELECT COUNT(*) FROM jury_meetings")


async def test_a_decision_with_statement_and_vote_is_recorded_and_audited(admin_client, db):
    edition, made, jurors, advisor = await meeting_world(db)
    await attend(admin_client, edition, [*jurors, advisor])

    response = await decide(admin_client, edition, made[0], decision="award_winner",
                            statement="Young people lead every step.",
                            votes_for="2", votes_against="", votes_abstaining="1")

    assert response.status_code == 303
    winner = await entries.get(db, made[0].id)
    assert winner.status == "winner" and winner.jury_statement == "Young people lead every step."
    [record] = await audit.search(db, action="entry.awarded_winner")
    assert record.details["vote"] == [2, 0, 1] and record.details["meeting"] is True
    page = await admin_client.get(meeting_path(edition))
    assert "2 for, 0 against, 1 abstaining" in page.text


async def test_more_awards_than_the_edition_gives_are_refused(admin_client, db):
    edition, made, _, _ = await meeting_world(db, awards=1)
    await decide(admin_client, edition, made[0], decision="award_winner", statement="First.")

    response = await decide(admin_client, edition, made[1], decision="award_winner",
                            statement="Second.")

    assert response.status_code == 422
    assert "at most 1 awards" in response.text
    assert "Second." in response.text
    assert (await entries.get(db, made[1].id)).status == "shortlisted"


async def test_a_special_mention_beyond_the_awards_is_allowed(admin_client, db):
    edition, made, _, _ = await meeting_world(db, awards=1)
    await decide(admin_client, edition, made[0], decision="award_winner", statement="First.")

    response = await decide(admin_client, edition, made[1], decision="award_special_mention",
                            statement="A mention.")

    assert response.status_code == 303
    assert (await entries.get(db, made[1].id)).status == "special_mention"


async def test_the_deliberation_page_refuses_more_awards_too(admin_client, db):
    edition, made, _, _ = await meeting_world(db, awards=1)
    path = f"/admin/editions/{edition.year}/deliberation"

    response = await admin_client.submit(f"{path}/decisions", {
        f"decision-{made[0].id}": "award_winner", f"statement-{made[0].id}": "One.",
        f"decision-{made[1].id}": "award_winner", f"statement-{made[1].id}": "Two.",
    }, token_from=path)

    assert response.status_code in (409, 422)
    assert "at most 1 awards" in response.text
    assert (await entries.get(db, made[0].id)).status == "shortlisted"


async def test_an_award_without_a_statement_is_refused_beside_the_statement(admin_client, db):
    edition, made, _, _ = await meeting_world(db)

    response = await decide(admin_client, edition, made[0], decision="award_winner",
                            statement="  ", votes_for="1")

    assert response.status_code == 422
    assert 'id="error-statement"' in response.text
    assert 'value="1"' in response.text
    assert (await entries.get(db, made[0].id)).status == "shortlisted"


async def test_more_votes_than_jurors_present_are_refused(admin_client, db):
    edition, made, jurors, advisor = await meeting_world(db)
    await attend(admin_client, edition, [jurors[0], jurors[1], advisor])

    response = await decide(admin_client, edition, made[0], decision="shortlist",
                            statement="", votes_for="2", votes_against="1",
                            votes_abstaining="0")

    assert response.status_code == 422
    assert "3 votes, but 2 jurors are present" in response.text
    assert 'value="2"' in response.text and 'value="1"' in response.text


async def test_advisors_never_vote(admin_client, db):
    edition, made, _, advisor = await meeting_world(db)
    await attend(admin_client, edition, [advisor])

    response = await decide(admin_client, edition, made[1], decision="not_select",
                            votes_for="1")

    assert response.status_code == 422
    assert "advisors never vote" in response.text
    assert (await entries.get(db, made[1].id)).status == "shortlisted"


async def test_vote_counts_must_be_whole_numbers(admin_client, db):
    edition, made, jurors, _ = await meeting_world(db)
    await attend(admin_client, edition, jurors)

    response = await decide(admin_client, edition, made[1], decision="not_select",
                            votes_for="-1", votes_against="two", votes_abstaining="1.5")

    assert response.status_code == 422
    assert response.text.count("Enter a whole number of votes") >= 3
    assert 'value="two"' in response.text and 'value="-1"' in response.text


async def test_an_unknown_decision_is_refused(admin_client, db):
    edition, made, _, _ = await meeting_world(db)

    response = await decide(admin_client, edition, made[1], decision="publish_everything")

    assert response.status_code == 422
    assert "Choose a decision from the list." in response.text


async def test_jurors_and_advisors_cannot_open_the_meeting(db, juror_client, advisor_client):
    edition, made, _, _ = await meeting_world(db)

    for client in (juror_client, advisor_client):
        assert (await client.get(meeting_path(edition))).status_code == 403
        assert (await client.get(meeting_path(edition, "/minutes.pdf"))).status_code == 403
        assert (await client.get(meeting_path(edition, f"/{made[0].id}"))).status_code == 403


async def test_the_minutes_pdf_holds_the_attendance_decisions_statements_and_votes(
        admin_client, db):
    edition, made, jurors, advisor = await meeting_world(db, awards=3)
    await attend(admin_client, edition, [*jurors, advisor], "Ana Silva, secretariat")
    await decide(admin_client, edition, made[0], decision="award_winner",
                 statement="Young people lead every step.", votes_for="3")
    await decide(admin_client, edition, made[1], decision="award_special_mention",
                 statement="A brave start in a small town.", votes_for="2", votes_against="1")

    response = await admin_client.get(meeting_path(edition, "/minutes.pdf"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="jury-meeting-{edition.year}.pdf"' in response.headers[
        "content-disposition"]
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(
        io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Minutes of the jury meeting" in text
    assert "Strasbourg time" in text
    assert "Juror 1" in text and "Dr Advice" in text and "Ana Silva" in text
    assert "Project 1" in text and "Young people lead every step." in text
    assert "3 for, 0 against, 0 abstaining" in text
    assert "A brave start in a small town." in text and "2 for, 1 against" in text


async def test_the_printable_minutes_hide_the_navigation_when_printed(admin_client, db):
    edition, _, _, _ = await meeting_world(db)

    page = await admin_client.get(meeting_path(edition, "/minutes"))
    css = await admin_client.get("/static/site.css")

    assert page.status_code == 200 and "<h1>Minutes of the jury meeting</h1>" in page.text
    assert ".edition-nav" in css.text.split("@media print")[-1]


async def test_the_meeting_time_given_is_the_one_in_the_minutes(admin_client, db, clock):
    edition, _, jurors, _ = await meeting_world(db)
    clock.now = datetime(2025, 6, 21, 9, 0, tzinfo=UTC)

    response = await attend(admin_client, edition, jurors, held_at="2025-06-20T14:30")
    minutes = await admin_client.get(meeting_path(edition, "/minutes"))

    assert response.status_code == 303
    assert "Held on 20 June 2025, 14:30 (Strasbourg time)." in minutes.text


async def test_a_meeting_time_that_is_not_one_is_refused_and_kept(admin_client, db, clock):
    edition, _, jurors, _ = await meeting_world(db)
    clock.now = datetime(2025, 6, 21, 9, 0, tzinfo=UTC)

    response = await attend(admin_client, edition, jurors, held_at="2025-06-40T14:30")

    assert response.status_code == 422
    assert "Enter a date and time like" in response.text
    assert 'value="2025-06-40T14:30"' in response.text


async def test_without_the_pdf_library_the_minutes_say_to_print_the_page(admin_client, db,
                                                                          monkeypatch):
    # A server without WeasyPrint's system libraries (Pango): the rest of the site runs.
    from prize.minutes_pdf import PdfUnavailable
    from prize.web.admin import meeting

    def missing(html: str) -> bytes:
        raise PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(meeting, "minutes_pdf", missing)
    edition, _, _, _ = await meeting_world(db)

    response = await admin_client.get(meeting_path(edition, "/minutes.pdf"))

    assert response.status_code == 503
    assert "print this page instead" in response.text
    assert "Minutes of the jury meeting" in response.text


async def test_a_nomination_keeps_the_entry_shortlisted_with_its_vote(admin_client, db):
    edition, made, jurors, _ = await meeting_world(db)
    await attend(admin_client, edition, jurors)

    response = await decide(admin_client, edition, made[2], decision="nominate",
                            statement="A model for rural schools.", votes_for="2",
                            votes_against="1")

    assert response.status_code == 303
    nominated = await entries.get(db, made[2].id)
    assert nominated.status == "shortlisted"
    assert nominated.jury_statement == "A model for rural schools."
    [record] = await audit.search(db, action="entry.nominated")
    assert record.details["vote"] == [2, 1, 0]
    minutes = await admin_client.get(meeting_path(edition, "/minutes"))
    assert "A model for rural schools." in minutes.text and "2 for, 1 against" in minutes.text
