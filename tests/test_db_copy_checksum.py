"""The pure parts of `prize db copy`: canonical row texts, checksums, the copy order,
the migration levels and the locations (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prize.store.db_copy.checksum import canonical, sort_key, table_sum
from prize.store.db_copy.plan import (
    PlanError,
    TableShape,
    check_same_tables,
    common_columns,
    copy_order,
    migration_gap,
)
from prize.store.db_copy.sides import LocationError, parse_location, same_place


def test_a_value_reads_the_same_whichever_driver_returned_it():
    # SQLite returns 1 where asyncpg may return True, 3.0 or Decimal("3") for the same datum.
    assert canonical(1) == canonical(True) == canonical(1.0) == canonical(Decimal("1"))
    assert canonical(0) == canonical(False)
    assert canonical(2.5) == canonical(Decimal("2.5")) == "2.5"
    assert canonical(b"\x00\xff") == canonical(memoryview(b"\x00\xff")) == "\\x00ff"
    moment = dt.datetime(2026, 12, 2, 16, 53, 57, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert canonical(moment) == "2026-12-02T15:53:57Z"


def test_null_an_empty_text_and_the_text_of_the_null_mark_differ():
    assert len({canonical(None), canonical(""), canonical("\\N"), canonical("None")}) == 4


def test_a_tab_or_newline_inside_a_text_cannot_pass_for_a_column_boundary():
    one_column = table_sum([(1, "a\tb")], key=[0])
    two_columns = table_sum([(1, "a", "b")], key=[0])
    assert one_column.checksum != two_columns.checksum
    assert table_sum([(1, "a\nb")], [0]) != table_sum([(1, "a\\nb")], [0])


def test_the_checksum_follows_the_primary_key_not_the_order_rows_came_in():
    rows = [(2, "Zoë"), (10, "ant"), (1, "Émile")]
    assert table_sum(rows, [0]) == table_sum(list(reversed(rows)), [0])
    assert table_sum(rows, [0]).rows == 3


def test_keys_sort_by_number_then_code_point_whatever_an_engine_collation_would_say():
    # PostgreSQL in an en_US database would sort "b" before "C" and "é" beside "e";
    # the order is ours, SQLite's byte order of UTF-8, on both sides.
    texts = ["é", "b", "e", "C"]
    assert sorted(texts, key=lambda text: sort_key([text])) == ["C", "b", "e", "é"]
    assert sorted([10, 2, 1.5], key=lambda number: sort_key([number])) == [1.5, 2, 10]
    assert sort_key([None]) < sort_key([0]) < sort_key(["0"])


def test_any_changed_value_changes_the_checksum_but_not_the_count():
    before = table_sum([(1, "Youth first", 4.5), (2, "Peer to peer", None)], [0])
    for changed in ([(1, "Youth first!", 4.5), (2, "Peer to peer", None)],
                    [(1, "Youth first", 4.0), (2, "Peer to peer", None)],
                    [(1, "Youth first", 4.5), (2, "Peer to peer", "")]):
        after = table_sum(changed, [0])
        assert after.rows == before.rows and after.checksum != before.checksum


def shapes(**parents: str) -> dict[str, TableShape]:
    return {name: TableShape(name, ("id",), ("id",), frozenset(filter(None, refs.split(","))))
            for name, refs in parents.items()}


def test_parents_are_copied_before_their_children():
    order = copy_order(shapes(scores="score_sheets", score_sheets="entries,users",
                              entries="editions,users", users="", editions="",
                              schema_migrations=""))
    assert order.index("users") < order.index("entries") < order.index("score_sheets")
    assert order.index("editions") < order.index("entries")
    assert order[-1] == "scores"
    assert "schema_migrations" not in order


def test_derived_tables_are_left_to_triggers_and_the_version_row_comes_last():
    order = copy_order(shapes(catalogue_version="", practices="", practice_facets="practices",
                              users=""))
    assert "practice_facets" not in order
    assert order[-1] == "catalogue_version"


def test_a_foreign_key_cycle_is_refused_with_its_tables():
    with pytest.raises(PlanError, match="a, b"):
        copy_order(shapes(a="b", b="a", c=""))


def test_a_table_naming_itself_is_no_cycle():
    assert copy_order(shapes(people="people")) == ["people"]


def test_a_column_missing_on_the_destination_is_named():
    source = TableShape("entries", ("id", "title", "motto"), ("id",))
    destination = TableShape("entries", ("id", "title"), ("id",))
    with pytest.raises(PlanError, match="entries has no column motto"):
        common_columns(source, destination)
    with pytest.raises(PlanError, match="has no table jury"):
        check_same_tables(["users", "jury"], ["users"])


def test_an_older_source_is_told_to_migrate_first():
    code = {"0001_core.sql", "0040_fts.sql", "0100_rounds.sql"}
    assert migration_gap(code, code, "old.db") is None
    told = migration_gap({"0001_core.sql"}, code, "old.db")
    assert "0040_fts.sql" in told and "prize migrate" in told and "(2 in all)" in told
    newer = migration_gap(code | {"0200_future.sql"}, code, "new.db")
    assert "0200_future.sql" in newer and "upgrade prize" in newer


def test_locations_are_paths_sqlite_urls_or_postgresql_urls(tmp_path):
    path = tmp_path / "prize.db"
    assert parse_location(str(path)).target == str(path)
    assert parse_location(f"sqlite:///{path}").target == str(path)  # sqlite:////abs/path
    assert parse_location(f"sqlite:///{path}").engine == "sqlite"
    url = parse_location("postgres://prize:secret@db.example:5433/prize")
    assert url.engine == "postgresql" and "secret" not in url.label
    assert same_place(parse_location(str(path)), parse_location(f"sqlite:///{path}"))
    assert same_place(parse_location("postgresql://a@h/prize"),
                      parse_location("postgresql://b:pw@h:5432/prize"))
    assert not same_place(parse_location("postgresql://h/one"),
                          parse_location("postgresql://h/two"))


@pytest.mark.parametrize("text, said", [
    ("mysql://h/prize", "unknown scheme mysql://"),
    ("postgresql://prize:secret@h:5432", "names no database"),
    ("sqlite://relative.db", "sqlite:///path"),
    ("", "empty"),
])
def test_a_location_that_cannot_be_used_is_said_in_a_sentence(text, said):
    with pytest.raises(LocationError, match=said) as refused:
        parse_location(text)
    assert "secret" not in str(refused.value)


def test_values_are_made_to_what_each_destination_driver_binds():
    from prize.store.db_copy.sides import _COERCE, _for_sqlite

    # Into SQLite: sqlite3 binds no Decimal and no datetime.
    assert _for_sqlite(Decimal("3")) == 3 and _for_sqlite(Decimal("2.5")) == 2.5
    moment = dt.datetime(2026, 12, 2, 15, 53, 57, tzinfo=dt.UTC)
    assert _for_sqlite(moment) == "2026-12-02T15:53:57Z"
    # Into PostgreSQL's binary COPY, which wants the column's own Python type.
    assert _COERCE["bigint"](True) == 1 and _COERCE["integer"]("42") == 42
    assert _COERCE["double precision"](3) == 3.0
    assert _COERCE["text"](7) == "7" and _COERCE["text"](b"caf\xc3\xa9") == "café"
    assert _COERCE["timestamp with time zone"]("2026-12-02T15:53:57Z") == moment
    # Either way the checksum reads them alike.
    assert canonical(_COERCE["double precision"](3)) == canonical(3)
