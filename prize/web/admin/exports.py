"""The Exports page of an edition: every download of the edition in one list.

The files themselves are written by :func:`prize.web.deliberation.download` (and the
entries overview's CSV); this page only lists them, with what each one holds.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from prize.domain import exports
from prize.domain.rounds import round_label, rounds_of
from prize.i18n import N_, gettext
from prize.web.params import edition_of
from prize.web.templating import render

#: What each export holds, in the order the page lists them.
DESCRIPTIONS = {
    "ranking": (N_("Ranking"), N_("One row per entry: rank by normalised total (ties share a"
                                   " rank), mean, normalised total, spread, sheets, discuss.")),
    "scores": (N_("Scores"), N_("One row per submitted score: entry, juror, criterion, score,"
                                " weight, the sheet's status and its round.")),
    "entries": (N_("Entries"), N_("One row per entry: title, organisation, country, language,"
                                  " status and the jury's statement.")),
}


async def exports_page(request: Request) -> Response:
    edition = await edition_of(request)
    items = [
        {"what": what, "title": gettext(DESCRIPTIONS[what][0]),
         "description": gettext(DESCRIPTIONS[what][1]), "formats": exports.FORMATS}
        for what in DESCRIPTIONS if what in exports.WHATS
    ]
    # An edition with a final round: each round's ranking (the plain link is the last round's).
    round_items = [(number, round_label(number)) for number in rounds_of(edition.rounds)
                   ] if edition.rounds == 2 else []
    return render(request, "admin/exports.html", {"edition": edition, "items": items,
                                                  "round_items": round_items})
