"""The secretariat's long texts (the privacy notice, an email text) ask before the page is
left with typing not saved, like the applicant's and the jury's forms; saving does not ask."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories
from tests.browser.conftest import log_in

SECRETARIAT = "sophie@example.org"


def seed(live_server) -> None:
    async def work(db):
        await factories.user(db, role="admin", email=SECRETARIAT, name="Sophie Martin")
        await factories.edition(db, year=2027, status="open",
                                closes_at=datetime(2027, 5, 30, tzinfo=UTC))

    live_server.seed(work)


def record_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    return dialogs


@pytest.mark.parametrize(("path", "box"), [
    ("/admin/notices/privacy/new", "Text in English"),
    ("/admin/editions/2027/emails/entry_submitted", "Text in English"),
])
def test_typing_in_a_long_console_text_then_leaving_asks_first(live_server, page, path, box):
    seed(live_server)
    log_in(page, live_server.url, SECRETARIAT)
    page.goto(live_server.url + path)
    dialogs = record_dialogs(page)
    field = page.get_by_label(box, exact=False).first
    field.click()
    page.keyboard.type(" A sentence not saved yet.")
    page.get_by_role("link", name="Users").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "A sentence not saved yet." in field.input_value()


def test_a_page_without_typing_leaves_without_asking(live_server, page):
    seed(live_server)
    log_in(page, live_server.url, SECRETARIAT)
    page.goto(live_server.url + "/admin/notices/privacy/new")
    dialogs = record_dialogs(page)
    page.get_by_role("link", name="Users").first.click()
    page.wait_for_url("**/admin/users**")
    assert dialogs == []
