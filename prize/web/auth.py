"""Who is asking: the signed session, the current user, login, logout and throttling."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from prize import i18n
from prize.store import users
from prize.store.users import User
from prize.web.security import new_csrf_token

# Attempts are counted over a sliding window, and their rows (which hold addresses)
# are deleted once they leave it.
THROTTLE_WINDOW = timedelta(minutes=15)
# Failed logins into one account from one address.
MAX_FAILURES_PER_ACCOUNT = 5
# Failed logins from one address, whatever the accounts.
MAX_FAILURES_PER_ADDRESS = 20
# Failed logins into one account from everywhere: the ceiling against guessing from many
# addresses (NIST SP 800-63B allows at most 100), far above what locks out its owner.
MAX_FAILURES_PER_ACCOUNT_ANYWHERE = 100
# Sign-ups from one address, and for one email (each may send an email to its owner).
MAX_SIGNUPS_PER_ADDRESS = 10
MAX_SIGNUPS_PER_EMAIL = 3


class CurrentUser:
    """Loads the signed-in user (if any) and chooses the language of the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = scope["session"]
        user = None
        uid = session.get("uid")
        memo = request.app.state.memo
        # Whatever anyone committed before this request is seen by its reads.
        memo.begin_request()
        if isinstance(uid, int):
            app = request.app.state
            # Read once until anyone commits (a changed password, role or deactivation is
            # a commit): prize/store/memo.py.
            # Read at once, without a trip through the event loop (prize/store/direct.py).
            user = await memo.get(("user", uid), lambda: app.db.read(
                lambda reads: users.get(reads, uid)))
            # A deactivated account or a changed password ends the session here.
            if user is None or not user.is_active or user.session_epoch != session.get("epoch"):
                session.clear()
                user = None
        scope.setdefault("state", {})["user"] = user
        # No token (and so no cookie) until a page with a form needs one: anonymous
        # readers of public pages get no session at all.
        locale = (
            session.get("locale")
            or (user.locale if user else None)
            or i18n.negotiate(request.headers.get("accept-language"))
        )
        with i18n.use_locale(locale):
            await self.app(scope, receive, send)


def log_in(request: Request, user: User) -> None:
    """Start a fresh session: nothing of the anonymous one is carried over."""
    locale = request.session.get("locale")
    request.session.clear()
    request.session.update(
        uid=user.id, epoch=user.session_epoch, csrf=new_csrf_token(), sid=secrets.token_hex(8)
    )
    if locale:
        request.session["locale"] = locale
    request.state.user = user


def log_out(request: Request) -> None:
    request.session.clear()
    request.session["csrf"] = new_csrf_token()
    request.state.user = None


def client_address(request: Request) -> str:
    """Who is asking: behind a trusted proxy, the address it reports (`ForwardedClient`)."""
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Attempt:
    """An attempt counted against the limits before its work is done (`begin_*`)."""

    row_ids: list[int]
    #: The failures of this account from this address, cleared when the password is right.
    pair_key: str = ""


async def _reserve(request: Request, limits: list[tuple[str, int]],
                   pair_key: str = "") -> Attempt | None:
    app = request.app.state
    row_ids = await users.reserve_attempt(app.db, limits, app.clock(), THROTTLE_WINDOW)
    return None if row_ids is None else Attempt(row_ids, pair_key)


async def begin_login(request: Request, email: str) -> Attempt | None:
    """Count a login attempt before its password is checked; None when it is throttled.

    The attempt counts as a failure until `login_succeeded` takes it back, so attempts
    sent at once are refused as soon as the limit is reached, not after their passwords
    were all checked. An account is throttled per address: a right password from an
    address that is not throttled gets in, whatever other addresses tried, up to a
    ceiling for the account beyond which every address waits.
    """
    account = users.normalise_email(email)
    address = client_address(request)
    pair_key = f"account-address:{account} {address}"
    return await _reserve(request, [
        (pair_key, MAX_FAILURES_PER_ACCOUNT),
        (f"address:{address}", MAX_FAILURES_PER_ADDRESS),
        (f"account:{account}", MAX_FAILURES_PER_ACCOUNT_ANYWHERE),
    ], pair_key)


async def login_succeeded(request: Request, attempt: Attempt) -> None:
    """The password was right: the attempt is no failure, and earlier ones from here end."""
    db = request.app.state.db
    await users.release_attempt(db, attempt.row_ids)
    await users.clear_failures(db, attempt.pair_key)


async def begin_signup(request: Request, email: str) -> Attempt | None:
    """Count a sign-up from this address and for this email; None when one is too many."""
    return await _reserve(request, [
        (f"signup-address:{client_address(request)}", MAX_SIGNUPS_PER_ADDRESS),
        (f"signup-email:{users.normalise_email(email)}", MAX_SIGNUPS_PER_EMAIL),
    ])
