"""Pages for everyone: the home page with the current call, and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from prize.store import editions
from prize.web.routing import page
from prize.web.templating import render


async def home(request: Request) -> Response:
    app = request.app.state
    open_calls = await editions.open_for_entries(app.db, app.clock())
    return render(request, "public/home.html", {"open_calls": open_calls})


async def healthz(request: Request) -> Response:
    await request.app.state.db.fetch_value("SELECT 1")
    return JSONResponse({"status": "ok"})


routes = [
    page("/", home),
    page("/healthz", healthz),
]
