"""Routes with their access rules declared beside them and checked in one place.

`page(path, handler, roles=...)` wraps a handler so that:
- anonymous visitors of a protected page are sent to log in (and back after);
- a signed-in person without the role gets 403;
- every state-changing request has its form parsed once, within size limits, and
  its CSRF token checked before the handler runs (the form is `request.state.form`).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Collection
from typing import Any
from urllib.parse import quote

from starlette.convertors import register_url_convertor
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from prize.web.params import DatabaseId
from prize.web.security import BodyTooLarge, csrf_matches

Handler = Callable[[Request], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FILES_PER_REQUEST = 5
MAX_FIELDS = 400


# Every module builds its routes through `page`, so this runs before any path is compiled.
# Our own name, not Starlette's `int`: other code keeps the framework's default.
register_url_convertor("id", DatabaseId())


class CSRFFailed(HTTPException):
    """The form's token is missing or wrong; the page says so and shows back what was sent."""

    def __init__(self, form: FormData | None) -> None:
        super().__init__(status_code=403, detail="csrf")
        self.form = form


def page(
    path: str,
    handler: Handler,
    *,
    methods: Collection[str] = ("GET",),
    roles: Collection[str] | None = None,
    name: str | None = None,
) -> Route:
    """A route; `roles=None` is public, otherwise only those roles get in."""
    allowed = frozenset(roles) if roles is not None else None

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        user = getattr(request.state, "user", None)
        if allowed is not None:
            if user is None:
                return redirect_to_login(request)
            if user.role not in allowed:
                raise HTTPException(status_code=403)
        if request.method not in SAFE_METHODS:
            form = await read_form(request)
            request.state.form = form
            if not csrf_matches(request.session.get("csrf"), form.get("csrf_token")):
                raise CSRFFailed(form)
        return await handler(request)

    return Route(path, guarded, methods=list(methods), name=name or handler.__name__)


async def read_form(request: Request) -> FormData:
    """The request's form; a malformed body is a 400 (Starlette), an oversize one a 413."""
    try:
        return await request.form(max_files=MAX_FILES_PER_REQUEST, max_fields=MAX_FIELDS)
    except BodyTooLarge:
        raise HTTPException(status_code=413) from None


def redirect_to_login(request: Request) -> RedirectResponse:
    """To the login page, and back to this page (with its query) afterwards."""
    target = request.url.path
    # A form cannot be replayed after login; its page can.
    if request.url.query and request.method in SAFE_METHODS:
        target += "?" + request.url.query
    return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only our own paths: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def form_values(form: FormData, *, multi: Collection[str] = ()) -> dict[str, Any]:
    """Plain values of a form: lists for multi-valued names, text otherwise, files left out."""
    values: dict[str, Any] = {}
    for key in set(form.keys()):
        if key == "csrf_token":
            continue
        items = [item for item in form.getlist(key) if not isinstance(item, UploadFile)]
        if key in multi:
            values[key] = items
        elif items:
            values[key] = items[0]
    return values
