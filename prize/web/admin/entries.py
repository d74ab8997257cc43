"""The secretariat's entries across editions: a filtered overview and its CSV download."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from prize.domain import exports
from prize.domain.statuses import EntryStatus
from prize.store import console, editions
from prize.web.params import fetch_page, query_int, query_page, query_text
from prize.web.templating import render

ENTRY_STATUSES = tuple(EntryStatus)
ENTRIES_CSV_HEADER = ("reference", "year", "status", "title", "organisation", "country",
                      "submitted_at")


def _entry_filters(request: Request) -> dict[str, Any]:
    status = query_text(request, "status", 20)
    return {"q": query_text(request, "q"),
            "year": query_int(request, "year", low=2000, high=2100),
            "status": status if status in ENTRY_STATUSES else ""}


async def entry_overview(request: Request) -> Response:
    app = request.app.state
    filters = _entry_filters(request)

    def fetch(limit: int, offset: int):
        return console.search_entries(
            app.db, q=filters["q"] or None, year=filters["year"],
            status=filters["status"] or None, limit=limit, offset=offset)

    found, pages = await fetch_page(fetch, query_page(request))
    return render(request, "admin/entries.html", {
        "entries": found, "filters": filters, "pages": pages,
        "statuses": ENTRY_STATUSES, "editions": await editions.all_editions(app.db)})


async def entries_csv(request: Request) -> Response:
    app = request.app.state
    filters = _entry_filters(request)
    found, _ = await console.search_entries(
        app.db, q=filters["q"] or None, year=filters["year"], status=filters["status"] or None,
        limit=None)
    table = exports.Table(ENTRIES_CSV_HEADER, [
        (row.reference, row.year, row.status, row.title, row.organisation, row.country,
         row.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ") if row.submitted_at else "")
        for row in found])
    # The writer of every export, which keeps formulas out; the csv module's line ends.
    return Response(exports.to_csv(table, lineterminator="\r\n"),
                    media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="entries.csv"'})
