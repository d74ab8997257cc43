"""The round a jury page is about: `?round=N`, checked against the edition's rounds.

Without the parameter a page shows the edition's current round. A round the edition does
not have is a 400 with a sentence, never a silent default: a link to round 2 of a one-round
edition is a mistake someone should see.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from prize.domain.editions import Edition
from prize.domain.rounds import parse_round, round_label, rounds_of, unknown_round_message


def requested_round(request: Request, edition: Edition) -> int:
    """The round asked for in the query, or the current round; 400 for one it lacks."""
    text = request.query_params.get("round")
    if text is None:
        return edition.current_round
    number = parse_round(text.strip(), edition.rounds)
    if number is None:
        raise HTTPException(400, detail=unknown_round_message(edition.rounds))
    return number


def round_switcher(request: Request, edition: Edition, chosen: int) -> list[dict]:
    """Links to each round of the page (empty for a one-round edition), for
    `_macros.html`'s round switcher."""
    if edition.rounds < 2:
        return []
    path = request.url.path
    return [
        {"number": number, "label": round_label(number), "href": f"{path}?round={number}",
         "current": number == chosen}
        for number in rounds_of(edition.rounds)
    ]
