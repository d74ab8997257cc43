"""What the pages' autosave script (static/autosave.js) is answered: JSON with the version
the next save must name, and either when it was saved or what was refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from prize.clock import to_iso


def wants_json(request: Request) -> bool:
    """The autosave script asks for JSON; a form posted without JavaScript gets the page."""
    return "application/json" in request.headers.get("accept", "")


def answer(*, version: int, errors: dict[str, str], status: int,
           now: datetime) -> JSONResponse:
    body: dict[str, Any] = {"version": version}
    if errors:
        body["error"] = " ".join(errors.values())
        body["errors"] = errors
    else:
        body["saved_at"] = to_iso(now)
    return JSONResponse(body, status_code=status)
