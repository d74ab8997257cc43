"""A small tile map of the prize's countries for the public pages (pure data, no I/O).

Each country is a square on a grid that keeps Europe and the Mediterranean roughly in
place: north at the top, Iceland to the west, the Caucasus to the east, North Africa and
the Middle East below. It is light (no outlines to download) and the same on every page;
the template draws it as SVG, each country with practices a link to its filter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from prize.domain.vocabulary import country_name, name_order
from prize.i18n import current_locale

# (column, row) of each country's tile. Mexico, a MedNET member, sits apart in the corner.
GRID: dict[str, tuple[int, int]] = {
    "IS": (0, 0), "NO": (5, 0), "SE": (6, 0), "FI": (7, 0),
    "IE": (1, 1), "GB": (2, 1), "DK": (5, 1), "EE": (7, 1),
    "BE": (3, 2), "NL": (4, 2), "DE": (5, 2), "PL": (6, 2), "LV": (7, 2),
    "FR": (3, 3), "LU": (4, 3), "CZ": (5, 3), "SK": (6, 3), "LT": (7, 3), "UA": (8, 3),
    "PT": (1, 4), "ES": (2, 4), "MC": (3, 4), "CH": (4, 4), "LI": (5, 4), "AT": (6, 4),
    "HU": (7, 4), "MD": (8, 4),
    "IT": (4, 5), "SM": (5, 5), "SI": (6, 5), "HR": (7, 5), "RS": (8, 5), "RO": (9, 5),
    "GE": (11, 5),
    "BA": (7, 6), "ME": (8, 6), "MK": (9, 6), "BG": (10, 6), "AM": (11, 6), "AZ": (12, 6),
    "MA": (1, 7), "DZ": (2, 7), "TN": (4, 7), "MT": (5, 7), "AL": (8, 7), "GR": (9, 7),
    "TR": (10, 7),
    "CY": (10, 8), "LB": (11, 8),
    "MX": (0, 9), "EG": (9, 9), "IL": (10, 9), "JO": (11, 9),
}  # fmt: skip
COLUMNS = 1 + max(column for column, _ in GRID.values())
ROWS = 1 + max(row for _, row in GRID.values())


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    column: int
    row: int
    count: int
    """Published practices in this country (0: drawn, not a link)."""


@dataclass(frozen=True)
class CountryMap:
    tiles: list[Tile]
    listed: list[Tile]
    """The countries with practices, by name: the text beside the map (with those that
    have no tile)."""
    columns: int = COLUMNS
    rows: int = ROWS

    def __bool__(self) -> bool:
        return bool(self.listed)


def tiles(counts: dict[str, int]) -> CountryMap:
    """The map for these counts of published practices per country code."""
    return _tiles(current_locale(), tuple(sorted(counts.items())))


@functools.lru_cache(maxsize=64)
def _tiles(_locale: str, count_items: tuple[tuple[str, int], ...]) -> CountryMap:
    """The map of one language and one set of counts, drawn once (the catalogue's pages
    show the same map on every request: its names and their order cost a sort each time).
    """
    counts = dict(count_items)
    drawn = [Tile(code, country_name(code), column, row, counts.get(code, 0))
             for code, (column, row) in GRID.items()]
    listed = sorted((Tile(code, country_name(code), *GRID.get(code, (-1, -1)), count)
                     for code, count in counts.items() if count),
                    key=lambda tile: name_order(tile.name))
    return CountryMap(tiles=drawn, listed=listed)
