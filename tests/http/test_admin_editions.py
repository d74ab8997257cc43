"""Editions, criteria and the lifecycle from the secretariat's screens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.store import audit, editions, outbox
from tests import factories

GOOD = {
    "year": "2028", "title": "European Prize for Drug Prevention 2028", "theme": "Youth",
    "opens_at": "2027-10-01T09:00", "closes_at": "2028-05-30T23:59",
    "judging_ends_at": "2028-07-15T18:00", "jurors_per_entry": "3", "spread_threshold": "25",
}


def form(**changes) -> list[tuple[str, str]]:
    values = {**GOOD, **changes}
    pairs = [(name, value) for name, value in values.items() if value is not None]
    return pairs + [("eligible_countries", "FR"), ("eligible_countries", "MT")]


async def test_create_an_edition_in_strasbourg_time(admin_client, db):
    response = await admin_client.submit("/admin/editions/new", form(),
                                         token_from="/admin/editions/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/editions/2028"
    edition = await editions.by_year(db, 2028)
    assert edition.status == "draft"
    # 23:59 in Strasbourg in summer is 21:59 UTC; in winter 09:00 is 08:00 UTC.
    assert edition.closes_at == datetime(2028, 5, 30, 21, 59, tzinfo=UTC)
    assert edition.opens_at == datetime(2027, 10, 1, 7, 0, tzinfo=UTC)
    assert edition.eligible_countries == ("FR", "MT")
    assert [c.key for c in edition.criteria][0] == "youth_participation"
    page = await admin_client.get(f"/admin/editions/{edition.year}/edit")
    assert 'value="2028-05-30T23:59"' in page.text
    (record,) = await audit.search(db, action="edition.created")
    assert record.actor_id == admin_client.user.id


async def test_all_jurors_without_a_conflict_is_stored_as_null(admin_client, db):
    await admin_client.submit("/admin/editions/new", form(jurors_per_entry="", all_jurors="on"),
                              token_from="/admin/editions/new")
    assert (await editions.by_year(db, 2028)).jurors_per_entry is None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "Fill in this field."),
    ({"title": "x" * 201}, "title", "At most 200 characters."),
    ({"year": "twenty"}, "year", "Enter a whole number."),
    ({"year": "1850"}, "year", "at least 2000"),
    ({"closes_at": "30/05/2028"}, "closes_at", "Enter a date and time"),
    ({"closes_at": "2028-03-26T02:30"}, "closes_at", "does not exist"),
    ({"closes_at": "2027-09-01T09:00"}, "closes_at", "after the opening"),
    ({"jurors_per_entry": ""}, "jurors_per_entry", "all jurors without a conflict"),
    ({"jurors_per_entry": "0"}, "jurors_per_entry", "at least 1"),
    ({"spread_threshold": "much"}, "spread_threshold", "Enter a number."),
])
async def test_a_bad_edition_form_comes_back_with_what_was_typed(admin_client, db, changes,
                                                                 field, message):
    response = await admin_client.submit("/admin/editions/new", form(**changes),
                                         token_from="/admin/editions/new")
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text and message in response.text
    assert 'value="Youth"' in response.text
    assert await editions.by_year(db, 2028) is None


async def test_a_year_can_have_only_one_edition(admin_client, db):
    await factories.edition(db, year=2028, status="draft")
    response = await admin_client.submit("/admin/editions/new", form(),
                                         token_from="/admin/editions/new")
    assert response.status_code == 422 and "exists already" in response.text


async def test_edit_an_edition_and_unknown_countries_are_refused(admin_client, db):
    edition = await factories.edition(db, status="draft")
    path = f"/admin/editions/{edition.year}/edit"
    bad = await admin_client.submit(path,
                                    form(eligible_countries="XX") + [("eligible_countries", "QQ")])
    assert bad.status_code == 422 and "Choose countries from the list." in bad.text
    response = await admin_client.submit(path, form(title="Renamed"))
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/editions/{edition.year}"
    assert (await editions.get(db, edition.id)).title == "Renamed"
    assert await audit.search(db, action="edition.updated")


async def test_the_console_addresses_an_edition_by_its_year_not_its_id(admin_client, db):
    edition = await factories.edition(db, year=2026, status="open")
    assert edition.id != edition.year
    home = await admin_client.get("/admin")
    assert 'href="/admin/editions/2026"' in home.text
    page = await admin_client.get("/admin/editions/2026")
    assert page.status_code == 200
    for tail in ("/edit", "/criteria", "/screening", "/progress", "/transition", "/jury",
                 "/deliberation"):
        assert f'"/admin/editions/2026{tail}"' in page.text, tail
    assert (await admin_client.get(f"/admin/editions/{edition.id}")).status_code == 404
    assert (await admin_client.get("/admin/editions/2027/edit")).status_code == 404


async def test_criteria_are_added_edited_moved_and_removed(admin_client, db):
    edition = await factories.edition(db, status="draft")
    base = f"/admin/editions/{edition.year}/criteria"
    added = await admin_client.submit(f"{base}/new", {
        "key": "digital", "title": "Digital means", "weight": "2", "scale_min": "0",
        "scale_max": "2", "rubric": "None\nSome\nMuch"})
    assert added.status_code == 303 and added.headers["location"] == base
    criteria = (await editions.get(db, edition.id)).criteria
    assert criteria[-1].key == "digital" and criteria[-1].rubric == ("None", "Some", "Much")

    await admin_client.submit(f"{base}/digital",
                              {"title": "Digital", "weight": "4", "scale_min": "0",
                                                  "scale_max": "5", "rubric": ""})
    await admin_client.submit(f"{base}/digital/change", {"action": "up"}, token_from=base)
    criteria = (await editions.get(db, edition.id)).criteria
    assert criteria[-2].key == "digital" and criteria[-2].weight == 4
    await admin_client.submit(f"{base}/digital/change", {"action": "remove"}, token_from=base)
    assert "digital" not in [c.key for c in (await editions.get(db, edition.id)).criteria]
    actions = {r.action for r in await audit.search(db, edition_id=edition.id)}
    expected = {"criterion.added", "criterion.updated", "criterion.moved", "criterion.removed"}
    assert expected <= actions


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"key": "Bad Key"}, "key", "lower-case"),
    ({"key": "youth_participation"}, "key", "already"),
    ({"title": ""}, "title", "Fill in this field."),
    ({"weight": "heavy"}, "weight", "Enter a number."),
    ({"weight": "0"}, "weight", "at least 0"),
    ({"scale_max": "0"}, "scale_max", "at least 1"),
    ({"scale_min": "5", "scale_max": "3"}, "scale_max", "top of the scale"),
    ({"rubric": "one\ntwo"}, "rubric", "one sentence for each of the 6 levels"),
    ({"rubric": "x" * 5001}, "rubric", "At most 5000 characters."),
])
async def test_a_bad_criterion_is_refused_in_place(admin_client, db, changes, field, message):
    edition = await factories.edition(db, status="draft")
    path = f"/admin/editions/{edition.year}/criteria/new"
    data = {"key": "digital", "title": "Digital means", "weight": "1", "scale_min": "0",
            "scale_max": "5", "rubric": "", **changes}
    response = await admin_client.submit(path, data)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text and message in response.text
    assert len((await editions.get(db, edition.id)).criteria) == 8


async def test_criteria_are_frozen_once_judging_starts(admin_client, db):
    edition = await factories.edition(db, status="judging")
    base = f"/admin/editions/{edition.year}/criteria"
    page = await admin_client.get(base)
    assert "The criteria are frozen" in page.text
    response = await admin_client.submit(f"{base}/new",
                                         {"key": "late", "title": "Late", "weight": "1",
                                                         "scale_min": "0", "scale_max": "5"})
    assert response.status_code == 409 and "The criteria are frozen" in response.text
    response = await admin_client.submit(f"{base}/ethics/change", {"action": "remove"},
                                         token_from=base)
    assert response.status_code == 409
    assert len((await editions.get(db, edition.id)).criteria) == 8


async def test_opening_the_call_writes_the_audit_and_tells_every_verified_applicant(
        admin_client, db, mailbox, clock):
    edition = await factories.edition(db, status="draft", year=2026,
                                      closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    verified = await factories.user(db, email="ana@example.org")
    await factories.user(db, email="unverified@example.org", verified=False)
    await factories.user(db, role="juror", email="juror@example.org")
    page = await admin_client.get(f"/admin/editions/{edition.year}")
    assert "Open the call for entries" in page.text
    response = await admin_client.submit(f"/admin/editions/{edition.year}/transition",
                                         {"transition": "open_call"},
                                         token_from=f"/admin/editions/{edition.year}")
    assert response.status_code == 303
    assert (await editions.get(db, edition.id)).status == "open"
    assert [m["To"] for m in mailbox.messages] == [verified.email]
    assert "call for entries" in mailbox.messages[0]["Subject"]
    (record,) = await audit.search(db, action="edition.call_opened")
    assert record.details["to"] == "open" and record.actor_id == admin_client.user.id


async def test_a_refused_transition_says_what_is_missing(admin_client, db):
    edition = await factories.edition(db, status="screening")
    owner = await factories.user(db)
    await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status="submitted")
    page = await admin_client.get(f"/admin/editions/{edition.year}")
    assert "not screened yet" in page.text or "screened" in page.text
    response = await admin_client.submit(f"/admin/editions/{edition.year}/transition",
                                         {"transition": "start_judging"},
                                         token_from=f"/admin/editions/{edition.year}")
    assert response.status_code == 409
    assert (await editions.get(db, edition.id)).status == "screening"
    unknown = await admin_client.submit(f"/admin/editions/{edition.year}/transition",
                                        {"transition": "archive"},
                                        token_from=f"/admin/editions/{edition.year}")
    assert unknown.status_code == 409 and "not possible" in unknown.text


async def test_closing_the_call_early_needs_the_force_option(admin_client, db, clock):
    edition = await factories.edition(db, status="open",
                                      closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    path = f"/admin/editions/{edition.year}"
    page = await admin_client.get(path)
    assert "I confirm: go ahead anyway" in page.text
    refused = await admin_client.submit(f"{path}/transition", {"transition": "close_call"},
                                        token_from=path)
    assert refused.status_code == 409 and "has not passed yet" in refused.text
    forced = await admin_client.submit(f"{path}/transition",
                                       {"transition": "close_call", "force": "on"},
                                       token_from=path)
    assert forced.status_code == 303
    assert (await editions.get(db, edition.id)).status == "screening"
    (record,) = await audit.search(db, action="edition.call_closed")
    assert record.details["forced"] is True


async def test_the_console_home_shows_each_edition_and_its_next_step(admin_client, db):
    await factories.edition(db, year=2026, status="open")
    await factories.edition(db, year=2024, status="published")
    page = await admin_client.get("/admin")
    assert "Close the call for entries" in page.text and "Archive the edition" in page.text
    assert not await outbox.recent(db)
