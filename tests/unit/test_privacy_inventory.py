"""The personal-data inventory lists every column the migrations create, and the docs follow it."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from prize.store.db import Database

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "prize" / "privacy_inventory.toml"
PRIVACY_DOC = ROOT / "docs" / "privacy.md"
BASES = {"contract", "interest", "consent", "security"}


def inventory() -> dict:
    return tomllib.loads(INVENTORY.read_text(encoding="utf-8"))["tables"]


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict[str, set[str]]:
    """Every table and its columns, as a fresh database has them after every migration."""
    import asyncio

    path = tmp_path_factory.mktemp("schema") / "prize.db"

    async def migrate() -> None:
        database = Database(path)
        await database.open()
        try:
            await database.migrate()
        finally:
            await database.close()

    asyncio.run(migrate())
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'")]
        return {table: {row[1] for row in connection.execute(f"PRAGMA table_info('{table}')")}
                for table in tables}


def listed_columns(table: dict) -> set[str]:
    personal = {name for name, facts in table.get("personal", {}).items()
                if facts.get("column", True)}
    return personal | set(table.get("other", []))


def test_every_table_of_the_schema_is_in_the_inventory(schema):
    missing = sorted(set(schema) - set(inventory()))
    assert not missing, f"tables not in prize/privacy_inventory.toml: {missing}"


def test_every_column_of_the_schema_is_in_the_inventory(schema):
    tables = inventory()
    unlisted = sorted(f"{table}.{column}" for table, columns in schema.items()
                      for column in columns - listed_columns(tables.get(table, {})))
    assert not unlisted, (
        f"say in prize/privacy_inventory.toml whether these hold personal data: {unlisted}")


def test_the_inventory_lists_nothing_the_schema_lacks(schema):
    tables = inventory()
    stale = sorted(f"{table}.{column}" for table, facts in tables.items()
                   for column in listed_columns(facts) - schema.get(table, set()))
    assert not stale, f"no longer in the schema: {stale}"


def test_no_column_is_both_personal_and_not():
    both = sorted(f"{table}.{column}" for table, facts in inventory().items()
                  for column in set(facts.get("personal", {})) & set(facts.get("other", [])))
    assert not both


def test_every_personal_column_says_why_who_on_what_basis_and_how_long():
    for table, facts in inventory().items():
        assert facts.get("holds"), f"{table}: say what the table holds"
        for column, about in facts.get("personal", {}).items():
            for key in ("purpose", "seen_by", "basis", "kept"):
                assert about.get(key), f"{table}.{column}: no {key}"
            bases = {part.split(" ")[0] for part in about["basis"].split("; ")}
            assert bases <= BASES, f"{table}.{column}: unknown basis {about['basis']!r}"


def test_the_privacy_page_names_every_personal_column():
    page = PRIVACY_DOC.read_text(encoding="utf-8")
    unnamed = sorted(f"{table}.{column}" for table, facts in inventory().items()
                     for column in facts.get("personal", {})
                     if f"`{table}.{column}`" not in page)
    assert not unnamed, f"docs/privacy.md does not name {unnamed}"
