"""Two tabs or two sessions editing the same sheet or entry at once: one wins, the other is
told, and nothing is ever merged silently."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from prize.store import entries
from prize.store import scoring as sheets
from tests import factories
from tests.conftest import Browser

VERSION = re.compile(r'name="version" value="(\d+)"')
SHEET_CONFLICT = "saved in another tab or window"
ENTRY_CONFLICT = "changed in another tab or on another device"
ROUNDS = 6


@pytest.fixture
async def judging(db):
    """A judging edition and one juror assigned one released entry."""
    edition = await factories.edition(db, year=2025, status="judging",
                                      closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    owner = await factories.user(db)
    entry = await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="eligible")
    juror = await factories.juror(db, edition_id=edition.id, email="juror@example.org")
    await factories.assignment(db, edition_id=edition.id, entry_id=entry.id, juror_id=juror.id)
    await factories.release_assignment(db, edition.id)
    return [criterion.key for criterion in edition.criteria], entry, juror


def half_sheet(keys: list[str], half: int, text: str, version: int, token: str,
               action: str = "save") -> dict:
    """Scores and justifications for one half of the criteria only, the other half empty:
    a merge of two such saves would show both halves filled."""
    form = {"csrf_token": token, "version": str(version), "action": action,
            "overall_comment": text}
    for index, key in enumerate(keys):
        mine = index % 2 == half
        form[f"score-{key}"] = "2" if mine else ""
        form[f"justification-{key}"] = text if mine else ""
    return form


async def opened(tab: Browser, path: str) -> tuple[int, str]:
    """The version and CSRF token of the form as the page shows it."""
    page = await tab.get(path)
    assert page.status_code == 200
    return int(VERSION.search(page.text).group(1)), await tab.csrf_token(path)


@pytest.mark.parametrize("sessions", ["two sessions", "two tabs of one session"])
async def test_simultaneous_saves_of_one_sheet_one_wins_the_other_is_refused_clearly(
    client, other_client, db, judging, sessions
):
    keys, entry, juror = judging
    path = f"/jury/entries/{entry.id}/sheet"
    await client.log_in("juror@example.org")
    second = client
    if sessions == "two sessions":
        await other_client.log_in("juror@example.org")
        second = other_client
    for round_ in range(ROUNDS):
        # Given both forms opened on the same version
        (version, token_a), (_, token_b) = await opened(client, path), await opened(second, path)
        texts = (f"tab A, round {round_}", f"tab B, round {round_}")
        # When both are saved at the same moment (the autosave's JSON and the Save button)
        answer_a, answer_b = await asyncio.gather(
            client.post(path, data=half_sheet(keys, 0, texts[0], version, token_a),
                        headers={"Accept": "application/json"}),
            second.post(path, data=half_sheet(keys, 1, texts[1], version, token_b)),
        )
        # Then exactly one is stored, whole, and the other is refused with the reason
        won = [answer_a.status_code == 200, answer_b.status_code == 303]
        assert sum(won) == 1, (answer_a.status_code, answer_b.status_code)
        loser = answer_b if won[0] else answer_a
        assert loser.status_code == 409
        if loser is answer_a:
            assert SHEET_CONFLICT in loser.json()["error"]
        else:
            assert SHEET_CONFLICT in loser.text and texts[1] in loser.text  # text kept
        winner = 0 if won[0] else 1
        stored = await sheets.sheet_of(db, entry.id, juror.id)
        assert stored.version == version + 1 and stored.overall_comment == texts[winner]
        assert stored == stored.model_copy(update={"scores": {
            key: sheets.CriterionScore(
                score=2 if index % 2 == winner else None,
                justification=texts[winner] if index % 2 == winner else "")
            for index, key in enumerate(keys)
        }})


@pytest.mark.parametrize("first", ["submission", "save"])
async def test_a_save_racing_a_submission_never_changes_the_submitted_sheet(
    client, other_client, db, judging, first
):
    keys, entry, juror = judging
    path = f"/jury/entries/{entry.id}/sheet"
    await client.log_in("juror@example.org")
    await other_client.log_in("juror@example.org")
    (version, token_a), (_, token_b) = await opened(client, path), await opened(other_client, path)
    complete = half_sheet(keys, 0, "Submitted text", version, token_a, action="submit")
    complete.update({f"score-{key}": "4" for key in keys})
    complete.update({f"justification-{key}": "Submitted text" for key in keys})
    requests = [
        client.post(path, data=complete),
        other_client.post(path, data=half_sheet(keys, 1, "Late draft", version, token_b),
                          headers={"Accept": "application/json"}),
    ]
    if first == "save":
        requests.reverse()
    answers = await asyncio.gather(*requests)
    submitted, saved = answers if first == "submission" else reversed(answers)
    stored = await sheets.sheet_of(db, entry.id, juror.id)
    assert {submitted.status_code, saved.status_code} in ({303, 409}, {200, 409})
    if submitted.status_code == 303:
        assert "submitted and locked" in saved.json()["error"]
        assert stored.submitted and stored.overall_comment == "Submitted text"
        assert {scored.justification for scored in stored.scores.values()} == {"Submitted text"}
    else:
        assert SHEET_CONFLICT in submitted.text
        assert not stored.submitted and stored.overall_comment == "Late draft"


async def test_simultaneous_saves_of_one_entry_keep_one_whole_version(client, other_client, db):
    # Given an applicant's draft opened in two sessions on the same version
    edition = await factories.edition(db, closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    applicant = await factories.user(db, email="maria@example.org")
    entry = await factories.entry(db, edition_id=edition.id, owner_id=applicant.id)
    path = f"/my/entries/{entry.id}/edit"
    await client.log_in("maria@example.org")
    await other_client.log_in("maria@example.org")
    for round_ in range(ROUNDS):
        (version, token_a), (_, token_b) = (
            await opened(client, path), await opened(other_client, path))
        base = (await entries.get(db, entry.id)).application
        # Tab A changes the title only, tab B the summary only: a merge would keep both.
        drafts = (base.model_copy(update={"title": f"Title from A, round {round_}"}),
                  base.model_copy(update={"summary": f"Summary from B, round {round_}"}))
        # When both are saved at the same moment
        answers = await asyncio.gather(*(
            tab.post(path, data=entry_form(draft, version, token))
            for tab, draft, token in zip((client, other_client), drafts, (token_a, token_b),
                                         strict=True)
        ))
        # Then one is stored whole and the other is refused, its text shown back
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [303, 409], statuses
        winner = 0 if answers[0].status_code == 303 else 1
        loser = answers[1 - winner]
        assert ENTRY_CONFLICT in loser.text
        assert (drafts[1 - winner].title if winner else drafts[1].summary) in loser.text
        stored = await entries.get(db, entry.id)
        assert stored.version == version + 1
        assert stored.application == drafts[winner]


def entry_form(application, version: int, token: str) -> dict:
    grouped: dict[str, list[str]] = {}
    for name, value in factories.application_form(application):
        grouped.setdefault(name, []).append(value)
    return {**grouped, "version": str(version), "action": "save", "csrf_token": token}


async def test_the_stores_save_refuses_a_stale_or_submitted_sheet_and_changes_nothing(
    db, judging
):
    """The version check and the change are one statement: each refusal says which it is
    (another version, or submitted already) and leaves the stored sheet as it was."""
    keys, entry, juror = judging
    now = datetime(2025, 6, 2, 9, tzinfo=UTC)

    def typed(text: str) -> sheets.SheetInput:
        return sheets.SheetInput({key: sheets.CriterionScore(score=2, justification=text)
                                  for key in keys}, text)

    async def save(expected: int, text: str, submit: bool = False) -> int:
        async with db.transaction() as conn:
            return await sheets.save(conn, entry_id=entry.id, juror_id=juror.id,
                                     expected_version=expected, sheet=typed(text), now=now,
                                     submit=submit)

    with pytest.raises(sheets.StaleSheet):
        await save(3, "no sheet yet, but the form says version 3")
    assert await save(0, "first") == 1
    with pytest.raises(sheets.StaleSheet):
        await save(0, "another tab opened before the first save")
    assert await save(1, "second") == 2
    with pytest.raises(sheets.StaleSheet):
        await save(1, "a tab still on version 1")
    assert await save(2, "submitted", submit=True) == 3
    for expected in (0, 2, 3):
        with pytest.raises(sheets.SheetLocked):
            await save(expected, "after the submission")
    stored = await sheets.sheet_of(db, entry.id, juror.id)
    assert (stored.version, stored.overall_comment, stored.submitted) == (3, "submitted", True)
    assert {score.justification for score in stored.scores.values()} == {"submitted"}


@pytest.mark.parametrize("version", ["99999999999999999999", "2147483648", "-5", "1e3"])
async def test_a_sheet_posted_with_a_version_no_row_can_have_is_refused_with_the_text_kept(
    client, db, judging, version
):
    """The version goes into SQL (`UPDATE … WHERE version = ?`): one beyond what an
    INTEGER holds was a 500 on both engines; it is another tab's version, a 409 that
    keeps the text, and nothing is stored."""
    keys, entry, juror = judging
    path = f"/jury/entries/{entry.id}/sheet"
    await client.log_in("juror@example.org")
    _version, token = await opened(client, path)
    for accept in ("application/json", "text/html"):
        answer = await client.post(path, data=half_sheet(keys, 0, "typed text", 0, token)
                                   | {"version": version}, headers={"Accept": accept})
        assert answer.status_code == 409
        if accept == "text/html":
            assert SHEET_CONFLICT in answer.text and "typed text" in answer.text
    assert await sheets.sheet_of(db, entry.id, juror.id) is None
