"""Friendly error pages: a clear message, the right status, never a traceback."""

from __future__ import annotations

import logging
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from prize.i18n import N_, gettext
from prize.web.routing import CSRFFailed, form_values
from prize.web.templating import render

log = logging.getLogger("prize.web")

TITLES = {
    400: N_("The request could not be understood"),
    403: N_("You cannot open this page"),
    404: N_("Page not found"),
    405: N_("This action is not possible here"),
    409: N_("Someone else changed this first"),
    413: N_("What you sent is too large"),
    422: N_("Please check the form"),
    429: N_("Too many attempts"),
}


def _wants_json(request: Request) -> bool:
    # The API, the health check, and the pages' own scripts (autosave asks for JSON, and
    # shows the message of a refusal in its status line).
    return (request.url.path.startswith("/api/") or request.url.path == "/healthz"
            or "application/json" in request.headers.get("accept", ""))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if _wants_json(request):
        if isinstance(exc, CSRFFailed):
            message = gettext("Not saved: this page has expired. Copy your text, reload the "
                              "page and save again.")
        else:
            phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            message = (
                exc.detail
                if isinstance(exc.detail, str) and exc.detail and exc.detail != phrase
                else gettext(TITLES.get(status, N_("Something went wrong")))
            )
        return JSONResponse({"error": message}, status_code=status)
    if isinstance(exc, CSRFFailed):
        sent = form_values(exc.form) if exc.form is not None else {}
        kept = {
            key: value
            for key, value in sent.items()
            if "password" not in key and isinstance(value, str) and value.strip()
        }
        return render(request, "errors/csrf.html", {"kept": kept}, status_code=403)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != TITLES.get(status) else ""
    default_details = {
        404: gettext("The page you asked for does not exist, or you cannot see it."),
        403: gettext("Your account does not give access to this page."),
        413: gettext(
            "Files may be 10 MB each at most. What you typed is still in your browser: go back."
        ),
    }
    standard = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    if detail == standard:
        detail = ""
    return render(
        request,
        "errors/error.html",
        {
            "status": status,
            "title": gettext(TITLES.get(status, N_("Something went wrong"))),
            "detail": detail or default_details.get(status, ""),
        },
        status_code=status,
        headers=getattr(exc, "headers", None),
    )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if _wants_json(request):
        return JSONResponse({"error": "internal error"}, status_code=500)
    return render(
        request,
        "errors/error.html",
        {
            "status": 500,
            "title": gettext("Something went wrong on our side"),
            "detail": gettext("Nothing you saved earlier is lost. Please try again in a moment."),
        },
        status_code=500,
    )


def exception_handlers() -> dict:
    return {HTTPException: http_error, 500: server_error}
