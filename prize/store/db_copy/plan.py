"""Which tables `prize db copy` copies, compares, and in which order.

The shapes come from the migrated schemas themselves (each engine's catalogue), so a new
migration's table is copied without touching this module. What the schema cannot say is
written here, each with its reason:

- `schema_migrations` is the schema's own record: compared, never copied (the
  destination's migrate wrote its own). `prize_secret` is the installation's own too,
  and `prize_commit_stamp` PostgreSQL's own bookkeeping (prize/store/commit_stamp.py).
- `practice_facets` is kept from `practices` by triggers on both engines: inserting the
  practices fills it, copying it as well would double it (its primary key would
  refuse). It is compared like any other table, which checks the triggers' work.
- `catalogue_version` is written by the triggers that bump the public version when a
  public row is inserted: it is copied after every other table, so that it ends with
  the source's value and not the source's value plus one per copied practice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MIGRATIONS_TABLE = "schema_migrations"
#: Not the site's data but the installation's own: PostgreSQL keeps the generated secret
#: key there (prize/store/postgres.py), made at the first start. Neither copied nor
#: compared nor counted against an empty destination; the operator sets
#: PRIZE_SECRET_KEY instead (docs/operator.md). The commit stamp is PostgreSQL's count
#: of its writing transactions (prize/store/commit_stamp.py): SQLite has no such table,
#: and a copy into PostgreSQL moves it on by itself (its triggers fire as rows arrive).
INSTALLATION_TABLES = frozenset({"prize_secret", "prize_commit_stamp"})
#: Filled by triggers from other tables: compared, not copied.
DERIVED = frozenset({"practice_facets"})
#: Written by triggers as other tables are copied: copied last.
TRIGGER_WRITTEN = ("catalogue_version",)


@dataclass(frozen=True, slots=True)
class TableShape:
    """A table as an engine's catalogue describes it."""

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    parents: frozenset[str] = field(default_factory=frozenset)  # tables its foreign keys name
    identity: str | None = None  # PostgreSQL: the column its identity sequence feeds

    @property
    def key(self) -> tuple[str, ...]:
        """The columns that order its rows: the primary key, or every column."""
        return self.primary_key or self.columns


class PlanError(Exception):
    """The two schemas cannot be copied one onto the other (said in one sentence)."""


def data_tables(shapes: Mapping[str, TableShape]) -> dict[str, TableShape]:
    """The tables that hold the site's data (all but the installation's own)."""
    return {name: shape for name, shape in shapes.items() if name not in INSTALLATION_TABLES}


def copy_order(shapes: Mapping[str, TableShape]) -> list[str]:
    """The tables to copy, parents before children (so each foreign key finds its row
    with the constraints on); ties in name order, the trigger-written tables last."""
    wanted = {
        name for name in shapes
        if name != MIGRATIONS_TABLE and name not in DERIVED and name not in TRIGGER_WRITTEN
    }
    order: list[str] = []
    placed: set[str] = set()
    while wanted - placed:
        ready = sorted(
            name for name in wanted - placed
            if all(parent in placed or parent == name or parent not in wanted
                   for parent in shapes[name].parents)
        )
        if not ready:
            stuck = ", ".join(sorted(wanted - placed))
            raise PlanError(f"the foreign keys of {stuck} form a cycle")
        order.extend(ready)
        placed.update(ready)
    return order + [name for name in TRIGGER_WRITTEN if name in shapes]


def compared_tables(shapes: Mapping[str, TableShape]) -> list[str]:
    """Every table whose rows are compared after the copy, in name order."""
    return sorted(name for name in shapes if name != MIGRATIONS_TABLE)


def common_columns(source: TableShape, destination: TableShape) -> tuple[str, ...]:
    """The columns copied and compared: the source's, which the destination must have."""
    missing = [column for column in source.columns if column not in destination.columns]
    if missing:
        raise PlanError(
            f"the destination's table {source.name} has no column {missing[0]}")
    return source.columns


def check_same_tables(source: Iterable[str], destination: Iterable[str]) -> None:
    """Both sides migrated to the same level have the same tables; say which is not."""
    only_source = sorted(set(source) - set(destination))
    if only_source:
        raise PlanError(f"the destination has no table {only_source[0]}")
    only_destination = sorted(set(destination) - set(source))
    if only_destination:
        raise PlanError(f"the source has no table {only_destination[0]}")


def migration_gap(source: set[str], destination: set[str], source_label: str) -> str | None:
    """None when both sides are at the same migration level, else what to do."""
    missing = sorted(destination - source)
    if missing:
        return (f"the source {source_label} lacks migration {missing[0]}"
                f" ({len(missing)} in all): run `prize migrate` on it first"
                f" (PRIZE_DB={source_label} prize migrate)")
    unknown = sorted(source - destination)
    if unknown:
        return (f"the source {source_label} has migration {unknown[0]}, which this version"
                f" of prize does not know: upgrade prize first")
    return None
