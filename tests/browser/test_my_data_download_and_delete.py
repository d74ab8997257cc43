"""In a real browser: My data → Download my data (a ZIP with data.json) → Delete my
account (the confirmation says what goes and what stays) → the secretariat confirms →
the person can no longer sign in."""

from __future__ import annotations

import json
import zipfile

from tests import factories
from tests.browser.conftest import log_in, screenshot


def seed(live_server) -> None:
    async def work(db):
        edition = await factories.edition(db, year=2027, status="open")
        person = await factories.user(db, email="leaving@example.org", name="Lea Leaving")
        await factories.entry(db, edition_id=edition.id, owner_id=person.id)
        await factories.user(db, role="admin", email="sec@example.org")

    live_server.seed(work)


def test_my_data_download_then_delete_my_account(live_server, browser, page, tmp_path):
    seed(live_server)
    log_in(page, live_server.url, "leaving@example.org")
    page.get_by_role("link", name="My data").first.click()
    page.wait_for_url("**/account/data")
    assert page.get_by_role("heading", level=1).inner_text() == "My data"
    screenshot(page, "my-data")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    saved = tmp_path / "my-data.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "leaving@example.org"
    assert len(data["entries"]) == 1

    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_url("**/account/delete")
    assert page.get_by_role("heading", name="What will be deleted").is_visible()
    assert page.get_by_role("heading", name="What stays, without your name").is_visible()
    screenshot(page, "delete-my-account")
    page.get_by_role("button", name="Ask for my account to be deleted").click()
    page.wait_for_url("**/account/data")
    assert page.get_by_role("status").first.inner_text().startswith("Your request is recorded")

    secretariat = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = secretariat.new_page()
    log_in(admin, live_server.url, "sec@example.org")
    admin.goto(live_server.url + "/admin/privacy")
    admin.get_by_role("link", name="Review and erase").click()
    assert admin.get_by_role("heading", level=1).inner_text() == "Erase Lea Leaving"
    admin.get_by_role("button", name="Erase this account").click()
    admin.wait_for_url("**/admin/privacy")
    assert "The account is erased" in admin.get_by_role("status").first.inner_text()
    assert admin.get_by_text("No request is waiting.").is_visible()
    secretariat.close()

    page.goto(live_server.url + "/account/data")
    page.wait_for_url("**/login**")
    page.get_by_label("Email").fill("leaving@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert "/login" in page.url
