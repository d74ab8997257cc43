"""Who is asking: the signed session, the current user, login, logout and throttling."""

from __future__ import annotations

import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from prize import i18n
from prize.store import users
from prize.store.users import User
from prize.web.security import new_csrf_token

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


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
        if isinstance(uid, int):
            user = await users.get(request.app.state.db, uid)
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
    return request.client.host if request.client else "unknown"


def throttle_keys(email: str, address: str) -> tuple[str, str]:
    return f"account:{users.normalise_email(email)}", f"address:{address}"


async def is_throttled(request: Request, email: str) -> bool:
    db, now = request.app.state.db, request.app.state.clock()
    account_key, address_key = throttle_keys(email, client_address(request))
    since = now - THROTTLE_WINDOW
    return (
        await users.recent_failures(db, account_key, since) >= MAX_FAILURES_PER_ACCOUNT
        or await users.recent_failures(db, address_key, since) >= MAX_FAILURES_PER_ADDRESS
    )


async def note_failure(request: Request, email: str) -> None:
    keys = list(throttle_keys(email, client_address(request)))
    await users.record_failure(
        request.app.state.db, keys, request.app.state.clock(), THROTTLE_WINDOW
    )


async def clear_account_failures(request: Request, email: str) -> None:
    account_key, _ = throttle_keys(email, client_address(request))
    await users.clear_failures(request.app.state.db, account_key)
