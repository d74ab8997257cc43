"""What a request says, read in one place: ids in the path, numbers and words in the query,
the page of a list, and the edition or entry a secretariat page is about.

A bad query parameter is ignored (the default applies); a path that names nothing is a 404.
Ids in paths are read by the router itself (`{name:id}`, see `DatabaseId`), so a handler
receives an int or is never called.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.convertors import IntegerConvertor
from starlette.exceptions import HTTPException
from starlette.requests import Request

from prize.domain.editions import Edition
from prize.store import editions, entries
from prize.store.entries import Entry
from prize.web.forms import whole_number

Row = TypeVar("Row")

#: The largest row id SQLite can hold.
MAX_ID = 2**63 - 1
#: Rows per page of the secretariat's lists.
PER_PAGE = 50
#: No list is longer than this many pages: a larger page number means the last page.
MAX_PAGE = 99_999


class DatabaseId(IntegerConvertor):
    """`{name:id}` in our paths: ASCII digits, at most 18, so that a number SQLite cannot
    hold (above 2**63 - 1) or another script's digits are a 404 from the router, not an
    OverflowError (500) in the store. Registered by :mod:`prize.web.routing`."""

    regex = "[0-9]{1,18}"


def database_id(text: object) -> int | None:
    """A form value as a row id, or None when it is not one SQLite could hold."""
    return whole_number(text, high=MAX_ID)


def year_of(text: object) -> int | None:
    """A year typed as ASCII digits (0 to 9999), or None."""
    return whole_number(text, low=0, high=9999)


def query_int(request: Request, name: str, default: int | None = None, *,
              low: int = 1, high: int = MAX_ID) -> int | None:
    """An optional whole-number query parameter; a bad one is ignored."""
    value = whole_number(request.query_params.get(name, ""), low=low, high=high)
    return default if value is None else value


def query_text(request: Request, name: str, max_length: int = 200) -> str:
    """An optional text query parameter, trimmed and cut to `max_length`."""
    return request.query_params.get(name, "").strip()[:max_length]


def query_page(request: Request) -> int:
    """The `page` asked for (from 1); anything that is not a page number is page 1."""
    return query_int(request, "page", 1, high=MAX_PAGE)


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in a list: `page` of `last`, out of `total` rows."""

    page: int
    last: int
    total: int
    per_page: int

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.page - 1) * self.per_page

    def slice(self, rows: list) -> list:
        """This page's rows of a list held whole in memory."""
        return rows[self.offset:self.offset + self.per_page]


def paginate(total: int, page: int, per_page: int = PER_PAGE) -> Pagination:
    """The page asked for within 1..last (a page past the end is the last one)."""
    last = max(1, math.ceil(total / per_page))
    return Pagination(page=min(max(page, 1), last), last=last, total=total, per_page=per_page)


async def fetch_page(fetch: Callable[[int, int], Awaitable[tuple[list[Row], int]]],
                     requested: int, per_page: int = PER_PAGE) -> tuple[list[Row], Pagination]:
    """One page of a list that the store counts as it reads it: `fetch(limit, offset)`
    gives (rows, total). A page past the end is the last page (read again, rarely)."""
    rows, total = await fetch(per_page, (requested - 1) * per_page)
    pages = paginate(total, requested, per_page)
    if pages.page != requested:
        rows, _ = await fetch(per_page, pages.offset)
    return rows, pages


async def edition_of(request: Request) -> Edition:
    """The edition whose year is in the path (`{year:id}`); an unknown year is a 404.

    Every secretariat page about an edition is addressed by its year, never its row id."""
    edition = await editions.by_year(request.app.state.db, request.path_params["year"])
    if edition is None:
        raise HTTPException(404)
    return edition


def edition_path(edition: Edition, tail: str = "") -> str:
    """The secretariat's address of an edition's page: `/admin/editions/2026` + tail."""
    return f"/admin/editions/{edition.year}{tail}"


async def entry_of(request: Request) -> Entry:
    """The entry whose id is in the path (`{entry_id:id}`); an unknown one is a 404."""
    entry = await entries.get(request.app.state.db, request.path_params["entry_id"])
    if entry is None:
        raise HTTPException(404)
    return entry
