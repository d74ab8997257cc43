"""The answer when the database stayed busy: 503 with Retry-After, and nothing typed lost.

With several worker processes on one SQLite file, a write waits for another process's
write through SQLite's own lock (prize/store/db.py: twice the busy timeout). When even
that was not enough, `DatabaseBusy` comes here instead of a "database is locked" error:
- the autosave script and the API get JSON, `{"error": sentence}`, which the script
  shows in its status line (and the page keeps what was typed);
- a posted form gets a page that says so and shows back what was sent, with a button
  that sends exactly that again (not when it held a password, which is never echoed).
"""

from __future__ import annotations

import logging

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from prize.i18n import gettext
from prize.web.templating import render

log = logging.getLogger("prize.web")
RETRY_AFTER_SECONDS = 5


def _wants_json(request: Request) -> bool:
    return (request.url.path.startswith("/api/") or request.url.path == "/healthz"
            or "application/json" in request.headers.get("accept", ""))


def _sent_fields(request: Request) -> list[tuple[str, str]]:
    """The posted form's text fields in their order (routing.page parsed it), no files."""
    form = getattr(request.state, "form", None)
    if form is None:
        return []
    return [(name, value) for name, value in form.multi_items()
            if name != "csrf_token" and not isinstance(value, UploadFile)]


async def database_busy(request: Request, exc: Exception) -> Response:
    # No address, no form content: only where it happened.
    log.warning("database busy on %s %s: answered 503", request.method, request.url.path)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    message = gettext("The site is very busy and could not save this just now. Nothing is "
                      "lost: try again in a few seconds.")
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=503, headers=headers)
    sent = _sent_fields(request)
    has_password = any("password" in name for name, _value in sent)
    # The texts only, in the form's order: a field's name is a raw key, not for a page.
    kept = [value for name, value in sent if "password" not in name and value.strip()]
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "errors/busy.html", {
        "message": message,
        "kept": kept,
        "resend": [] if has_password or request.method != "POST" else sent,
        "action": action,
    }, status_code=503, headers=headers)
