"""The demo can be taken to its end with the accounts the README lists: every demo
account takes `demo-password` and is in the README, or cannot sign in at all; the
judging edition's entries belong to such an account; the secretariat takes one of them
through deliberation, prepares its public page, its applicant approves it, and it is
published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prize.demo import DEMO_PASSWORD, load_demo
from prize.store import practices, users
from prize.web.security import Passwords
from tests.conftest import Browser

README = (Path(__file__).parents[2] / "README.md").read_text()


def readme_accounts() -> set[str]:
    """The accounts of the README's table of demo accounts (juror1 … juror9 spelled out)."""
    table = README.split("Demo accounts", 1)[1].split("\n\n", 2)[1]
    found = set(re.findall(r"`([a-z0-9]+@demo\.prize)`", table))
    if "juror1@demo.prize" in found and "juror9@demo.prize" in found:
        found |= {f"juror{n}@demo.prize" for n in range(1, 10)}
    return found


@pytest.fixture
async def demo(app, settings, clock):
    await load_demo(app.state.db, settings, clock)
    return app


async def test_every_demo_account_takes_the_demo_password_and_is_in_the_readme(demo, settings):
    db = demo.state.db
    rows = await db.fetch_all("SELECT email FROM users WHERE email LIKE '%@demo.prize'")
    listed = readme_accounts()
    check = Passwords(settings)
    for row in rows:
        person = await users.by_email(db, row["email"])
        if person.password_hash is None:
            continue  # cannot sign in at all
        assert check.verify(person.password_hash, DEMO_PASSWORD), person.email
        assert person.email in listed, f"{person.email} is not in the README's table"


async def test_the_judging_editions_entries_belong_to_readme_accounts(demo):
    db = demo.state.db
    owners = await db.fetch_all(
        "SELECT DISTINCT u.email, u.password_hash FROM entries e JOIN users u ON u.id = e.owner_id"
        " JOIN editions ed ON ed.id = e.edition_id WHERE ed.status = 'judging'")
    assert owners
    for owner in owners:
        assert owner["email"] in readme_accounts() and owner["password_hash"]


async def test_the_secretariat_takes_a_demo_entry_to_a_published_page(demo):
    db = demo.state.db
    year = await db.fetch_value("SELECT year FROM editions WHERE status = 'judging'")
    edition = f"/admin/editions/{year}"
    async with Browser.for_app(demo) as secretariat, Browser.for_app(demo) as entrant:
        await secretariat.log_in("admin@demo.prize", DEMO_PASSWORD)
        started = await secretariat.submit(f"{edition}/transition", {
            "transition": "start_deliberation", "force": "on"}, token_from=edition)
        assert started.status_code == 303, started.text
        page = await secretariat.get(f"{edition}/deliberation")
        entry_id = int(re.search(r'name="decision-(\d+)"', page.text).group(1))
        decided = await secretariat.submit(f"{edition}/deliberation/decisions", {
            f"decision-{entry_id}": "award_winner",
            f"statement-{entry_id}": "Young people lead it from start to end."},
            token_from=f"{edition}/deliberation")
        assert decided.status_code == 303, decided.text
        prepared = await secretariat.submit("/admin/practices/prepare", {"entry_id": entry_id},
                                            token_from="/admin/practices")
        assert prepared.status_code == 303
        async with db.transaction() as conn:
            practice_id = await practices.id_of_entry(conn, entry_id)
        record = f"/admin/practices/{practice_id}"
        sent = await secretariat.submit(f"{record}/send", {}, token_from=record)
        assert sent.status_code == 303

        owner = await db.fetch_value(
            "SELECT u.email FROM entries e JOIN users u ON u.id = e.owner_id WHERE e.id = ?",
            (entry_id,))
        assert owner in readme_accounts()
        await entrant.log_in(owner, DEMO_PASSWORD)
        review = f"/my/practices/{practice_id}"
        assert (await entrant.get(review)).status_code == 200
        approved = await entrant.submit(f"{review}/approve", {}, token_from=review)
        assert approved.status_code == 303, approved.text

        published = await secretariat.submit(f"{record}/publish", {}, token_from=record)
        assert published.status_code == 303
    assert (await practices.get(db, practice_id)).status == "published"
