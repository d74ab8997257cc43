"""`prize db copy SRC DEST`: a whole installation from one database to another.

The destination is migrated first, then filled in one transaction: every table, every
column, the ids kept, parents before children (prize.store.db_copy.plan). A failure or
a kill part-way leaves nothing of the copy behind (the migrations, committed before,
stay), so running the command again simply starts over. After the copy, and alone with
`verify_only`, both sides' row counts and checksums are compared table by table
(prize.store.db_copy.checksum).

A destination is refused unless it is empty: no table may hold a row beyond those the
migrations themselves seed (the public version row, the prize's identity, the first
versions of the notices), which the copy replaces with the source's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from prize.store.db_copy.checksum import TableSum, table_sum
from prize.store.db_copy.plan import (
    MIGRATIONS_TABLE,
    PlanError,
    TableShape,
    check_same_tables,
    common_columns,
    compared_tables,
    copy_order,
    data_tables,
    migration_gap,
)
from prize.store.db_copy.sides import (
    Location,
    LocationError,
    Side,
    SqliteSide,
    database_errors,
    parse_location,
    same_place,
    side_for,
)

__all__ = ["CopyRefused", "CopyReport", "Location", "LocationError", "TableReport",
           "copy_installation", "parse_location"]

#: The table whose rows name the uploaded files (kept in PRIZE_UPLOAD_DIR, not here).
UPLOADS_TABLE = "attachments"


class CopyRefused(Exception):
    """The copy was not made, and nothing was changed (said in one sentence)."""


@dataclass(frozen=True, slots=True)
class TableReport:
    name: str
    source: TableSum
    destination: TableSum

    @property
    def ok(self) -> bool:
        return self.source == self.destination


@dataclass(frozen=True, slots=True)
class CopyReport:
    tables: list[TableReport]
    copied: bool
    uploads: int  # rows of uploaded files' metadata on the source

    @property
    def mismatched(self) -> list[TableReport]:
        return [table for table in self.tables if not table.ok]


#: Called after each table is copied, with its position (1, 2, ...) and name; the test
#: hook PRIZE_DB_COPY_CRASH_AFTER_TABLE of the command uses it (docs/operator.md).
AfterTable = Callable[[int, str], None]


async def copy_installation(source: Location, destination: Location, *,
                            verify_only: bool = False,
                            after_table: AfterTable | None = None) -> CopyReport:
    if same_place(source, destination):
        raise CopyRefused("SRC and DEST are the same database")
    src = side_for(source)
    dest = side_for(destination)
    try:
        await src.open(for_writing=False)
        source_levels = await src.migrations()
        if not source_levels:
            raise CopyRefused(
                f"{source.label} is not a prize database (it has no migrations)")
        fresh = None
        if not verify_only:
            # Checked before DEST is opened (and made, for a new file): a refusal
            # changes nothing there.
            fresh = await fresh_installation()
            gap = migration_gap(source_levels, fresh[1], source.label)
            if gap:
                raise CopyRefused(gap)
        await dest.open(for_writing=not verify_only)
        return await _copy(src, dest, source_levels, fresh, after_table=after_table)
    except PlanError as error:
        raise CopyRefused(str(error)) from None
    except database_errors() as error:
        # Past the checks above, what is left is the engines' own refusal (a permission,
        # a lost connection): said in a line; a copy under way was rolled back.
        raise CopyRefused(f"the database refused: {_first_line(error)}") from None
    finally:
        await dest.close()
        await src.close()


async def _copy(src: Side, dest: Side, source_levels: set[str],
                fresh: tuple[dict[str, int], set[str]] | None,
                after_table: AfterTable | None) -> CopyReport:
    """With `fresh` (the seeded rows and levels of a new installation), copy, then
    compare; without, compare only."""
    seeds = fresh[0] if fresh is not None else {}
    if fresh is not None:
        # Before migrating: a used database of an older level is not touched.
        await _refuse_unless_empty(dest, data_tables(await dest.shapes()), seeds)
        try:
            await dest.migrate()
        except database_errors() as error:
            raise CopyRefused(
                f"cannot migrate {dest.location.label}: {_first_line(error)}") from None
    dest_levels = await dest.migrations()
    if fresh is None and dest_levels != source_levels:
        apart = sorted(dest_levels ^ source_levels)
        raise CopyRefused(
            f"SRC and DEST are at different migration levels ({apart[0]} is on one side"
            " only): run `prize migrate` on the one behind first")
    gap = migration_gap(source_levels, dest_levels, src.location.label)
    if gap:
        raise CopyRefused(gap)
    source_shapes = data_tables(await src.shapes())
    dest_shapes = data_tables(await dest.shapes())
    check_same_tables(source_shapes, dest_shapes)
    copied = fresh is not None
    if copied:
        await _fill(src, dest, source_shapes, dest_shapes, seeds, after_table)
    tables = []
    for name in compared_tables(source_shapes):
        columns = common_columns(source_shapes[name], dest_shapes[name])
        tables.append(TableReport(
            name,
            await _sum(src, source_shapes[name], columns),
            await _sum(dest, dest_shapes[name], columns),
        ))
    uploads = 0
    if UPLOADS_TABLE in source_shapes:
        uploads = await src.count(UPLOADS_TABLE)
    return CopyReport(tables, copied, uploads)


async def _fill(src: Side, dest: Side, source_shapes: dict[str, TableShape],
                dest_shapes: dict[str, TableShape], seeds: dict[str, int],
                after_table: AfterTable | None) -> None:
    order = copy_order(source_shapes)
    async with dest.copying(dest_shapes) as writer:
        # Again inside the transaction: nothing may have arrived since the first look.
        await _refuse_unless_empty(dest, dest_shapes, seeds)
        # The seeded rows give way to the source's (children first: none has rows yet).
        for name in reversed(order):
            if seeds.get(name):
                await writer.clear(name)
        for position, name in enumerate(order, start=1):
            columns = common_columns(source_shapes[name], dest_shapes[name])
            try:
                rows = await src.rows(name, columns)
                await writer.insert(dest_shapes[name], columns, rows)
            except database_errors() as error:
                # Raised inside the transaction, which is rolled back on the way out.
                raise CopyRefused(
                    f"copying table {name} failed ({_first_line(error)}); nothing of the"
                    " copy was kept in DEST: remove the cause and run the command again"
                ) from None
            if after_table is not None:
                after_table(position, name)
        await writer.finish()


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text.splitlines()[0]


async def _sum(side: Side, shape: TableShape, columns: tuple[str, ...]) -> TableSum:
    rows = await side.rows(shape.name, columns)
    key = [columns.index(column) for column in shape.key if column in columns]
    return table_sum(rows, key or range(len(columns)))


async def _refuse_unless_empty(dest: Side, shapes: dict[str, TableShape],
                               seeds: dict[str, int]) -> None:
    for name in sorted(shapes):
        if name == MIGRATIONS_TABLE:
            continue
        rows = await dest.count(name)
        if rows > seeds.get(name, 0):
            raise CopyRefused(
                f"the destination {dest.location.label} is not empty: table {name} has"
                f" {rows} {'row' if rows == 1 else 'rows'}; prize db copy fills a new,"
                " empty database only")


async def fresh_installation() -> tuple[dict[str, int], set[str]]:
    """How many rows the migrations themselves put in each table, and the migrations
    this version of prize applies, measured on a scratch database migrated for the
    purpose (the engines' migrations have the same names and seed alike)."""
    with tempfile.TemporaryDirectory(prefix="prize-db-copy-") as folder:
        path = Path(folder) / "fresh.db"
        scratch = SqliteSide(Location("sqlite", str(path), str(path)))
        await scratch.open(for_writing=True)
        try:
            await scratch.migrate()
            counts = {name: await scratch.count(name) for name in await scratch.shapes()}
            levels = await scratch.migrations()
        finally:
            await scratch.close()
    return {name: rows for name, rows in counts.items() if rows}, levels
