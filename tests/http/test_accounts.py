"""Sign-up, verification, login, throttling, password reset, sessions and CSRF."""

from __future__ import annotations

import pytest

from prize.store import users
from tests import factories


async def sign_up(client, email="new@example.org", password="a long password", **extra):
    data = {
        "name": "Ana Example",
        "email": email,
        "password": password,
        "password_confirm": password,
        "privacy": "on",
        **extra,
    }
    return await client.submit("/signup", data)


async def test_sign_up_verify_and_land_on_the_dashboard(client, db, mailbox):
    response = await sign_up(client)
    assert response.status_code == 303 and response.headers["location"] == "/signup/done"
    user = await users.by_email(db, "new@example.org")
    assert user.role == "applicant" and not user.is_verified

    link = mailbox.link("new@example.org", "/verify")
    page = await client.get(link)
    assert page.status_code == 200 and "Confirm my email address" in page.text
    token = link.split("token=")[1]
    response = await client.submit("/verify", {"token": token}, token_from=link)
    assert response.status_code == 303 and response.headers["location"] == "/my"
    assert (await users.by_email(db, "new@example.org")).is_verified
    assert "My entries" in (await client.get("/my")).text


async def test_verification_link_works_only_once(client, mailbox):
    await sign_up(client)
    link = mailbox.link("new@example.org", "/verify")
    token = link.split("token=")[1]
    await client.submit("/verify", {"token": token}, token_from=link)
    again = await client.submit("/verify", {"token": token}, token_from="/login")
    assert again.status_code == 400
    assert "not valid any more" in again.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Fill in this field."),
        ({"name": "x" * 121}, "name", "At most 120 characters."),
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"password": "short", "password_confirm": "short"}, "password", "at least 10"),
        ({"password_confirm": "something else"}, "password_confirm", "not the same"),
    ],
)
async def test_bad_sign_up_is_refused_in_place_and_keeps_what_was_typed(
    client, db, changes, field, message
):
    data = {
        "name": "Ana Example",
        "email": "ana@example.org",
        "password": "a long password",
        "password_confirm": "a long password",
        "privacy": "on",
        **changes,
    }
    response = await client.submit("/signup", data)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="error-{field}"' in response.text
    if field != "email":
        assert 'value="ana@example.org"' in response.text
    assert 'value="a long password"' not in response.text  # passwords are never echoed
    assert await users.by_email(db, "ana@example.org") is None


async def test_sign_up_with_a_known_email_reveals_nothing(client, db, mailbox):
    existing = await factories.user(db, email="known@example.org")
    response = await sign_up(client, email="known@example.org")
    assert response.headers["location"] == "/signup/done"
    (message,) = mailbox.to("known@example.org")
    assert "already have an account" in mailbox.body(message)
    assert (await users.get(db, existing.id)).password_hash == existing.password_hash


async def test_unknown_email_and_wrong_password_get_the_same_answer(client, db):
    await factories.user(db, email="someone@example.org")
    wrong_password = await client.submit(
        "/login", {"email": "someone@example.org", "password": "wrong password"}
    )
    unknown = await client.submit("/login", {"email": "nobody@example.org", "password": "x" * 12})
    assert wrong_password.status_code == unknown.status_code == 422
    message = "The email or the password is not right."
    assert message in wrong_password.text and message in unknown.text


async def test_unverified_account_cannot_log_in_and_gets_a_new_link(client, db, mailbox):
    await factories.user(db, email="late@example.org", verified=False)
    response = await client.submit(
        "/login", {"email": "late@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 422 and "Confirm your email address first" in response.text
    assert mailbox.link("late@example.org", "/verify")


async def test_login_is_throttled_per_account(client, db):
    await factories.user(db, email="target@example.org")
    for _ in range(5):
        await client.submit("/login", {"email": "target@example.org", "password": "guess guess"})
    response = await client.submit(
        "/login", {"email": "target@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text


async def test_login_throttle_ends_after_the_window(client, db, clock):
    await factories.user(db, email="target@example.org")
    for _ in range(5):
        await client.submit("/login", {"email": "target@example.org", "password": "guess guess"})
    clock.advance(minutes=16)
    response = await client.submit(
        "/login", {"email": "target@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 303


async def test_login_is_throttled_per_address(client, db):
    for n in range(20):
        await client.submit("/login", {"email": f"spray{n}@example.org", "password": "x" * 12})
    await factories.user(db, email="real@example.org")
    response = await client.submit(
        "/login", {"email": "real@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 429


async def test_session_cookie_is_rotated_at_login_and_cleared_at_logout(client, db):
    await factories.user(db, email="me@example.org")
    await client.get("/login")
    before = client.cookies.get("prize_session")
    response = await client.log_in("me@example.org")
    after = client.cookies.get("prize_session")
    assert before and after and before != after
    cookie_header = response.headers["set-cookie"].lower()
    assert "httponly" in cookie_header and "samesite=lax" in cookie_header
    assert (await client.get("/my")).status_code == 200
    await client.submit("/logout", token_from="/my")
    response = await client.get("/my")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_an_old_cookie_does_not_work_after_a_password_reset(
    client, other_client, db, mailbox
):
    await factories.user(db, email="me@example.org")
    await client.log_in("me@example.org")
    await other_client.submit("/password/forgot", {"email": "me@example.org"})
    link = mailbox.link("me@example.org", "/password/reset")
    token = link.split("token=")[1]
    response = await other_client.submit(
        "/password/reset",
        {
            "token": token,
            "password": "a brand new password",
            "password_confirm": "a brand new password",
        },
        token_from=link,
    )
    assert response.status_code == 303
    assert (await client.get("/my")).status_code == 303  # the first device is logged out
    assert (await other_client.get("/my")).status_code == 200


async def test_password_reset_link_is_single_use_and_expires(client, db, mailbox, clock):
    await factories.user(db, email="me@example.org")
    await client.submit("/password/forgot", {"email": "me@example.org"})
    link = mailbox.link("me@example.org", "/password/reset")
    token = link.split("token=")[1]

    def reset_to(password: str) -> dict:
        return {"token": token, "password": password, "password_confirm": password}

    used = await client.submit("/password/reset", reset_to("the first new password"),
                               token_from=link)
    assert used.status_code == 303
    # Used once, the link opens nothing and sets nothing, though it has not expired yet.
    assert (await client.get(link)).status_code == 400
    reused = await client.submit("/password/reset", reset_to("a second new password"),
                                 token_from="/login")
    assert reused.status_code == 400
    await client.post("/logout", data={"csrf_token": await client.csrf_token("/my")})
    await client.log_in("me@example.org", "the first new password")

    # An unused link stops working once it is two hours old.
    await factories.user(db, email="you@example.org")
    await client.submit("/password/forgot", {"email": "you@example.org"})
    unused = mailbox.link("you@example.org", "/password/reset")
    clock.advance(hours=2)
    assert (await client.get(unused)).status_code == 400


async def test_forgot_password_says_the_same_for_unknown_addresses(client, mailbox):
    response = await client.submit("/password/forgot", {"email": "ghost@example.org"})
    assert response.status_code == 200 and "If an account uses this address" in response.text
    assert mailbox.messages == []


async def test_bad_new_password_is_refused_in_place(client, db, mailbox):
    await factories.user(db, email="me@example.org")
    await client.submit("/password/forgot", {"email": "me@example.org"})
    link = mailbox.link("me@example.org", "/password/reset")
    response = await client.submit(
        "/password/reset",
        {"token": link.split("token=")[1], "password": "short", "password_confirm": "short"},
        token_from=link,
    )
    assert response.status_code == 422 and "at least 10" in response.text


async def test_post_without_the_csrf_token_is_refused_and_shows_what_was_sent(client):
    await client.get("/signup")
    response = await client.post(
        "/signup",
        data={
            "name": "Keep me",
            "email": "a@example.org",
            "password": "secret secret",
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert "Keep me" in response.text
    assert "secret secret" not in response.text


async def test_next_parameter_never_redirects_to_another_site(client, db):
    await factories.user(db, email="me@example.org")
    response = await client.submit(
        "/login",
        {"email": "me@example.org", "password": factories.PASSWORD, "next": "//evil.example/steal"},
    )
    assert response.headers["location"] == "/my"


async def test_anonymous_visitors_are_sent_to_log_in_and_come_back(client, db):
    await factories.user(db, email="me@example.org")
    response = await client.get("/my")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/my"
    response = await client.submit(
        "/login?next=/my",
        {"email": "me@example.org", "password": factories.PASSWORD, "next": "/my"},
    )
    assert response.headers["location"] == "/my"


async def test_security_headers_are_on_every_response(client):
    for path in ("/", "/login", "/no-such-page", "/static/site.css"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]


async def test_unknown_page_is_a_friendly_404(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.text


async def test_anonymous_readers_of_public_pages_get_no_cookie(client):
    response = await client.get("/")
    assert "set-cookie" not in response.headers
    assert "prize_session" in (await client.get("/login")).headers["set-cookie"]


async def test_language_switch_is_remembered_and_only_redirects_home(client, db):
    await factories.user(db, email="me@example.org")
    await client.log_in("me@example.org")
    response = await client.get("/language?locale=fr&next=/my")
    assert response.status_code == 303 and response.headers["location"] == "/my"
    assert (await users.by_email(db, "me@example.org")).locale == "fr"
    assert 'lang="fr"' in (await client.get("/my")).text
    response = await client.get("/language?locale=xx&next=https://evil.example")
    assert response.headers["location"] == "/"
