"""A checksum per table that two engines agree on, whatever their drivers return.

SQLite hands back int, float, str, bytes and None; asyncpg may add bool, Decimal or a
date where a column's type says so. Each value is written as one canonical text (a
whole number as digits whether it came as 3, 3.0, True or Decimal("3"); bytes as hex;
NULL as a mark no text can be), the row as those texts joined by tabs, and the table's
checksum is the SHA-256 of its rows' texts in primary-key order. The order is sorted
here, not by the engines: PostgreSQL sorts text by the database's collation, SQLite by
bytes, and the same rows must give the same checksum on both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NULL = "\\N"
SEPARATOR = "\t"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def canonical(value: Any) -> str:
    """One text per value, the same for the same datum on either engine."""
    if value is None:
        return NULL
    if isinstance(value, bool):  # before int: True is an int too
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        # The store keeps times as ISO text in UTC (2026-12-02T15:53:57Z).
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def row_text(values: Sequence[Any]) -> str:
    return SEPARATOR.join(canonical(value) for value in values)


def sort_key(values: Sequence[Any]) -> tuple:
    """Primary-key order that does not depend on an engine's collation: numbers by
    value, then text by code point (SQLite's BINARY order of UTF-8 is the same)."""
    return tuple(_key_part(value) for value in values)


def _key_part(value: Any) -> tuple:
    if value is None:
        return (0, 0)
    if isinstance(value, (bool, int, float, Decimal)):
        return (1, value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (3, bytes(value))
    return (2, canonical(value))


@dataclass(frozen=True, slots=True)
class TableSum:
    rows: int
    checksum: str  # hex SHA-256

    @property
    def short(self) -> str:
        return self.checksum[:12]


def table_sum(rows: Iterable[Sequence[Any]], key: Sequence[int]) -> TableSum:
    """The row count and checksum of a table's rows; `key` are the positions of the
    primary-key columns in each row. Only each row's digest is kept while sorting."""
    digests = []
    for values in rows:
        line = row_text(values).encode("utf-8")
        digests.append((sort_key([values[i] for i in key]), hashlib.sha256(line).digest()))
    digests.sort(key=lambda pair: pair[0])
    whole = hashlib.sha256()
    for _key, digest in digests:
        whole.update(digest)
    return TableSum(len(digests), whole.hexdigest())
