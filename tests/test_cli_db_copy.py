"""`prize db copy SRC DEST`: a whole installation moved, checked table by table.

The source is the demo (every part of the site has rows) plus an audit record, a mail
in the outbox and an uploaded file's metadata. SQLite to SQLite always; SQLite to
PostgreSQL and back when PRIZE_TEST_DB names a PostgreSQL server (each test makes its
own databases there and drops them).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.store import audit, entries, outbox
from prize.store.db import Database
from prize.store.db_copy.plan import DERIVED, TRIGGER_WRITTEN

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
AUDIT_DETAILS = {"note": "tab\there, a new line\nand Zoë's accent"}


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["db", "copy", *args], env=env)


def run_process(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """The command as its own process, for what would end pytest's (a crash)."""
    env = {**os.environ, **extra_env}
    return subprocess.run([sys.executable, "-m", "prize.cli", "db", "copy", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """An SQLite installation with the demo data, built once for the module."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "prize.db"
    env = {"PRIZE_DB": str(path), "PRIZE_SECRET_KEY": "db-copy-test",
           "PRIZE_UPLOAD_DIR": str(folder / "uploads")}
    result = CliRunner().invoke(main, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    asyncio.run(_add_what_the_demo_leaves_empty(path))
    return path


async def _add_what_the_demo_leaves_empty(path: Path) -> None:
    async with Database(path) as db:
        entry_id = await db.fetch_value("SELECT min(id) FROM entries")
        async with db.transaction() as conn:
            await audit.record(conn, now=NOW, actor_id=None, action="test.moved",
                               subject_type="entry", subject_id=entry_id,
                               details=AUDIT_DETAILS)
            await outbox.enqueue(conn, kind="test", recipient="someone@example.org",
                                 subject="Ça marche", body="Line one\nline two", now=NOW)
            await entries.add_attachment(
                conn, entry_id=entry_id, stored_name="a1b2c3.pdf", filename="plan.pdf",
                content_type="application/pdf", size=1234, sha256="ab" * 32,
                description="The plan", now=NOW)
            # A few more of the tables the demo leaves empty: composite keys, NULLs,
            # a negative number.
            juror_id = await db.fetch_value("SELECT min(user_id) FROM edition_jurors")
            await conn.execute(
                "INSERT INTO conflicts (entry_id, juror_id, source, reason, created_at)"
                " VALUES (?, ?, 'declared', 'My cousin runs it', ?)",
                (entry_id, juror_id, "2026-12-02T16:00:00Z"))
            await conn.execute(
                "INSERT INTO preferences (entry_id, juror_id, preference, updated_at)"
                " VALUES (?, ?, -1, ?)", (entry_id + 1, juror_id, "2026-12-02T16:00:00Z"))
            await conn.execute(
                "INSERT INTO tokens (purpose, token_hash, user_id, created_at, expires_at)"
                " VALUES ('reset_password', 'f00d', ?, ?, ?)",
                (juror_id, "2026-12-02T16:00:00Z", "2026-12-03T16:00:00Z"))
            await conn.execute(
                "INSERT INTO erasure_requests (user_id, requested_at) VALUES (?, ?)",
                (juror_id, "2026-12-02T16:00:00Z"))


@pytest.fixture
def source(demo_file, tmp_path) -> Path:
    """A fresh copy of the demo installation for one test."""
    path = tmp_path / "source.db"
    shutil.copy(demo_file, path)
    return path


def sqlite_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def table_lines(output: str) -> dict[str, list[str]]:
    """The printed comparison, by table: {name: [rows, checksum, ok]}."""
    lines = {}
    for line in output.splitlines():
        found = re.match(r"^([a-z_]+)\s+(\d+)\s+([0-9a-f]{12})\s+(.+)$", line)
        if found:
            lines[found[1]] = [found[2], found[3], found[4]]
    return lines


def test_copy_to_a_new_sqlite_file_brings_the_whole_site(source, tmp_path):
    dest = tmp_path / "moved.db"
    result = run(str(source), f"sqlite:///{dest}")
    assert result.exit_code == 0, result.output
    # Then: the site's own data is there, ids and all.
    for sql in ("SELECT id, title FROM entries ORDER BY id",
                "SELECT s.id, s.juror_id, c.criterion_key, c.score FROM score_sheets s"
                " JOIN scores c ON c.sheet_id = s.id ORDER BY 1, 3",
                "SELECT id, action, details FROM audit_log",
                "SELECT email, password_hash FROM users ORDER BY id",
                "SELECT stored_name, filename, size FROM attachments",
                "SELECT version FROM catalogue_version"):
        assert sqlite_rows(dest, sql) == sqlite_rows(source, sql), sql
    assert "Zoë" in sqlite_rows(dest, "SELECT details FROM audit_log")[0][0]
    # The full-text index was rebuilt by the destination's triggers: a search finds the same.
    search = "SELECT rowid FROM practices_fts WHERE practices_fts MATCH 'school' ORDER BY 1"
    assert sqlite_rows(dest, search) == sqlite_rows(source, search) != []
    # And the comparison printed says so for every table.
    printed = table_lines(result.output)
    assert printed["entries"][0] == "49" and printed["scores"][0] == "931"
    assert printed["audit_log"][0] == "1" and printed["attachments"][0] == "1"
    assert all(ok == "ok" for _rows, _sum, ok in printed.values())
    assert "schema_migrations" not in printed
    assert "rsync -a" in result.output and "(1 in SRC)" in result.output


def test_a_new_id_after_the_copy_follows_the_copied_ones(source, tmp_path):
    dest = tmp_path / "moved.db"
    assert run(str(source), str(dest)).exit_code == 0
    highest = sqlite_rows(source, "SELECT max(id) FROM audit_log")[0][0]

    async def record() -> int:
        async with Database(dest) as db:
            async with db.transaction() as conn:
                await audit.record(conn, now=NOW, actor_id=None, action="test.after",
                                   subject_type="entry")
            return await db.fetch_value("SELECT max(id) FROM audit_log")

    assert asyncio.run(record()) == highest + 1


def test_a_destination_with_data_is_refused_and_left_as_it_was(source, tmp_path):
    dest = tmp_path / "moved.db"
    assert run(str(source), str(dest)).exit_code == 0
    before = dest.read_bytes()
    refused = run(str(source), str(dest))
    assert refused.exit_code == 1
    message = refused.output.strip()
    assert len(message.splitlines()) == 1
    assert re.search(r"not empty: table \w+ has \d+ rows", message), message
    assert dest.read_bytes() == before


def test_a_destination_of_an_older_level_with_data_is_refused_before_migrating(source, tmp_path):
    dest = tmp_path / "old.db"
    shutil.copy(source, dest)
    sqlite_rows(dest, "DELETE FROM schema_migrations WHERE version = '0100_rounds.sql'")
    refused = run(str(source), str(dest))
    assert refused.exit_code == 1 and "not empty" in refused.output
    assert ("0100_rounds.sql",) not in sqlite_rows(dest, "SELECT version FROM schema_migrations")


def test_a_source_behind_in_migrations_is_told_to_migrate_first(source, tmp_path):
    sqlite_rows(source, "DELETE FROM schema_migrations WHERE version = '0100_rounds.sql'")
    dest = tmp_path / "moved.db"
    refused = run(str(source), str(dest))
    assert refused.exit_code == 1
    assert "0100_rounds.sql" in refused.output and "prize migrate" in refused.output
    assert not dest.exists()


def test_an_interrupted_copy_leaves_nothing_and_running_it_again_finishes(source, tmp_path):
    dest = tmp_path / "moved.db"
    # The process ends abruptly, in the middle of the transaction, after the 20th table.
    crashed = run_process(str(source), str(dest), PRIZE_DB_COPY_CRASH_AFTER_TABLE="20")
    assert crashed.returncode == 70, crashed.stderr
    assert "stopping after table" in crashed.stderr
    # Nothing of the copy stayed: DEST is as migrated (the users came early in the order).
    assert sqlite_rows(dest, "SELECT count(*) FROM users") == [(0,)]
    assert sqlite_rows(dest, "SELECT count(*) FROM schema_migrations")[0][0] > 0
    again = run_process(str(source), str(dest))
    assert again.returncode == 0, again.stderr
    assert sqlite_rows(dest, "SELECT count(*) FROM scores") == [(931,)]


def test_a_failing_table_rolls_the_whole_copy_back_and_says_which(source, tmp_path):
    dest = tmp_path / "moved.db"

    async def migrate_with_a_trap() -> None:
        async with Database(dest) as db:
            await db.migrate()
            async with db.transaction() as conn:
                # A full disk or a broken row, as far as the copy can tell.
                await conn.execute("CREATE TRIGGER trap BEFORE INSERT ON scores"
                                   " BEGIN SELECT RAISE(ABORT, 'disk full'); END")

    asyncio.run(migrate_with_a_trap())
    failed = run(str(source), str(dest))
    assert failed.exit_code == 1
    assert "copying table scores failed (disk full)" in failed.output
    assert len(failed.output.strip().splitlines()) == 1
    assert sqlite_rows(dest, "SELECT count(*) FROM users") == [(0,)]
    sqlite_rows(dest, "DROP TRIGGER trap")
    assert run(str(source), str(dest)).exit_code == 0
    assert sqlite_rows(dest, "SELECT count(*) FROM scores") == [(931,)]


def test_verify_only_names_the_table_where_a_row_changed(source, tmp_path):
    dest = tmp_path / "moved.db"
    assert run(str(source), str(dest)).exit_code == 0
    assert run(str(source), str(dest), "--verify-only").exit_code == 0
    sqlite_rows(dest, "UPDATE scores SET score = score + 1"
                      " WHERE rowid = (SELECT min(rowid) FROM scores)")
    checked = run(str(source), str(dest), "--verify-only")
    assert checked.exit_code == 1
    printed = table_lines(checked.output)
    assert printed["scores"][2].startswith("DIFFERS") and printed["entries"][2] == "ok"
    assert "differs from SRC in table scores" in checked.output
    assert "Copied" not in checked.output and "rsync" not in checked.output


def test_verify_only_spots_a_missing_row(source, tmp_path):
    dest = tmp_path / "moved.db"
    assert run(str(source), str(dest)).exit_code == 0
    sqlite_rows(dest, "DELETE FROM outbox")
    checked = run(str(source), str(dest), "--verify-only")
    assert checked.exit_code == 1
    assert "DEST has 0 rows" in table_lines(checked.output)["outbox"][2]


@pytest.mark.parametrize("args, said", [
    (("mysql://h/prize", "x.db"), "unknown scheme mysql://"),
    (("{tmp}/missing.db", "{tmp}/x.db"), "no such database file"),
    (("{source}", "sqlite:///{source}"), "SRC and DEST are the same database"),
    (("{tmp}", "{tmp}/x.db"), "no such database file"),
    (("{source}", "{tmp}"), "is a folder"),
    (("{notdb}", "{tmp}/x.db"), "cannot read"),
    (("{source}", "{notdb}"), "cannot use"),
    (("{source}", "postgresql://prize:secret@127.0.0.1:1/nowhere"), "cannot reach"),
])
def test_bad_arguments_are_one_line_and_no_traceback(args, said, source, tmp_path):
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not a database, just some words " * 100)
    filled = [arg.format(tmp=tmp_path, source=source, notdb=notdb) for arg in args]
    result = run(*filled)
    assert result.exit_code == 1
    assert said in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and "secret" not in result.output


def test_the_plan_names_every_table_the_triggers_write(tmp_path):
    """A new trigger that fills or bumps a table must be known to the plan, else its
    rows would be doubled (refused by a key) or end off by one."""
    path = tmp_path / "prize.db"

    async def migrate() -> None:
        async with Database(path) as db:
            await db.migrate()

    asyncio.run(migrate())
    bodies = [sql for (sql,) in sqlite_rows(path, "SELECT sql FROM sqlite_master"
                                                  " WHERE type = 'trigger'")]
    written = set()
    for body in bodies:
        inner = body[body.upper().index("BEGIN"):]
        written |= set(re.findall(r"(?:INSERT(?: OR \w+)? INTO|UPDATE|DELETE FROM)\s+(\w+)",
                                  inner, flags=re.IGNORECASE))
    full_text = {name for name in written if name.startswith("practices_fts")}
    assert written - full_text == set(DERIVED) | set(TRIGGER_WRITTEN)


# PostgreSQL: SQLite to PostgreSQL and back, on databases made for each test.


@pytest.fixture
def pg_server() -> str:
    url = os.environ.get("PRIZE_TEST_DB", "")
    if not url.startswith(("postgresql://", "postgres://")):
        pytest.skip("SQLite <-> PostgreSQL copies need a server: "
                    "PRIZE_TEST_DB=postgresql://prize:prize@127.0.0.1:5432/postgres")
    return url


@pytest.fixture
def new_pg_database(pg_server):
    """Makes empty databases on the test server (dbcopy_<random>), dropped afterwards."""
    import asyncpg

    made: list[str] = []

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(pg_server)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def make() -> str:
        name = f"dbcopy_{uuid.uuid4().hex[:10]}"
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return urlsplit(pg_server)._replace(path=f"/{name}").geturl()

    yield make
    for name in made:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pg_rows(url: str, sql: str) -> list[tuple]:
    import asyncpg

    async def fetch() -> list[tuple]:
        conn = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await conn.fetch(sql)]
        finally:
            await conn.close()

    return asyncio.run(fetch())


def search_slugs(target: str, words: str) -> list[str]:
    """The catalogue's answer to a search, through the store, on either engine."""
    from prize.domain.practices import CatalogueQuery
    from prize.store import practices
    from prize.store.db import open_database

    async def search() -> list[str]:
        async with open_database(target) as db:
            page = await practices.search(db, CatalogueQuery(q=words))
        return [card.slug for card in page.items]

    return asyncio.run(search())


SITE_QUERIES = (
    "SELECT id, title FROM entries ORDER BY id",
    "SELECT s.id, s.juror_id, c.criterion_key, c.score FROM score_sheets s"
    " JOIN scores c ON c.sheet_id = s.id ORDER BY 1, 3",
    "SELECT id, action, details FROM audit_log ORDER BY id",
    "SELECT email, password_hash FROM users ORDER BY id",
    "SELECT stored_name, filename, size FROM attachments ORDER BY id",
    "SELECT version FROM catalogue_version",
    "SELECT entry_id, juror_id, source, reason, created_by FROM conflicts",
    "SELECT entry_id, juror_id, preference FROM preferences",
    "SELECT purpose, token_hash, used_at FROM tokens",
)


def test_sqlite_to_postgresql_brings_the_whole_site(source, new_pg_database):
    dest = new_pg_database()
    result = run(str(source), dest)
    assert result.exit_code == 0, result.output
    for sql in SITE_QUERIES:
        assert pg_rows(dest, sql) == sqlite_rows(source, sql), sql
    printed = table_lines(result.output)
    assert printed["scores"][0] == "931" and printed["audit_log"][0] == "1"
    assert all(ok == "ok" for _rows, _sum, ok in printed.values())
    # The site searches the copy: PostgreSQL's own index was built by its triggers (the
    # same practices found; each engine ranks them its own way).
    assert sorted(search_slugs(dest, "school")) == sorted(search_slugs(str(source), "school"))
    assert search_slugs(dest, "school")
    # The identity sequences were set past the copied ids: the next row gets a new one.
    highest = sqlite_rows(source, "SELECT max(id) FROM outbox")[0][0]
    added = pg_rows(dest, "INSERT INTO outbox (kind, recipient, subject, body, created_at)"
                          " VALUES ('test', 'a@example.org', 's', 'b', '2026-12-02T16:00:00Z')"
                          " RETURNING id")
    assert added == [(highest + 1,)]


def test_postgresql_to_sqlite_gives_back_the_same_installation(source, new_pg_database,
                                                               tmp_path):
    middle = new_pg_database()
    assert run(str(source), middle).exit_code == 0
    back = tmp_path / "back.db"
    result = run(middle, str(back))
    assert result.exit_code == 0, result.output
    for sql in SITE_QUERIES:
        assert sqlite_rows(back, sql) == sqlite_rows(source, sql), sql
    # The round trip's end and its start: the same rows, table by table.
    assert run(str(source), str(back), "--verify-only").exit_code == 0


def test_a_postgresql_destination_with_data_is_refused(source, new_pg_database):
    dest = new_pg_database()
    assert run(str(source), dest).exit_code == 0
    refused = run(str(source), dest)
    assert refused.exit_code == 1
    assert re.search(r"not empty: table \w+ has \d+ rows", refused.output)
    assert pg_rows(dest, "SELECT count(*) FROM scores") == [(931,)]


def test_a_postgresql_database_prepared_by_prize_migrate_counts_as_empty(source,
                                                                       new_pg_database):
    dest = new_pg_database()
    # `prize migrate` seeds its rows and, without PRIZE_SECRET_KEY, keeps a secret there.
    env = {"PRIZE_DB": dest, "PRIZE_SECRET_KEY": ""}
    assert CliRunner().invoke(main, ["migrate"], env=env).exit_code == 0
    assert pg_rows(dest, "SELECT count(*) FROM prize_secret") == [(1,)]
    result = run(str(source), dest)
    assert result.exit_code == 0, result.output
    assert pg_rows(dest, "SELECT count(*) FROM prize_identity") == [(1,)]


def test_an_interrupted_copy_to_postgresql_runs_again(source, new_pg_database):
    dest = new_pg_database()
    crashed = run_process(str(source), dest, PRIZE_DB_COPY_CRASH_AFTER_TABLE="25")
    assert crashed.returncode == 70, crashed.stderr
    assert pg_rows(dest, "SELECT count(*) FROM users") == [(0,)]
    again = run_process(str(source), dest)
    assert again.returncode == 0, again.stderr
    assert pg_rows(dest, "SELECT count(*) FROM scores") == [(931,)]


def test_verify_only_spots_a_row_changed_on_postgresql(source, new_pg_database):
    dest = new_pg_database()
    assert run(str(source), dest).exit_code == 0
    pg_rows(dest, "UPDATE entries SET title = title || '.'"
                  " WHERE id = (SELECT min(id) FROM entries)")
    checked = run(str(source), dest, "--verify-only")
    assert checked.exit_code == 1 and "in table entries" in checked.output


def test_a_demo_made_on_postgresql_moves_to_sqlite(new_pg_database, tmp_path):
    """Rows PostgreSQL itself wrote (its defaults, its identities, its triggers' work),
    not only rows that came from SQLite, arrive whole in an SQLite file."""
    source = new_pg_database()
    made = CliRunner().invoke(main, ["demo"], env={
        "PRIZE_DB": source, "PRIZE_UPLOAD_DIR": str(tmp_path / "uploads")})
    assert made.exit_code == 0, made.output
    dest = tmp_path / "from-postgresql.db"
    result = run(source, str(dest), env={"PRIZE_UPLOAD_DIR": str(tmp_path / "uploads")})
    assert result.exit_code == 0, result.output
    for sql in SITE_QUERIES:
        assert sqlite_rows(dest, sql) == pg_rows(source, sql), sql
    assert sqlite_rows(dest, "SELECT count(*) FROM scores")[0][0] > 0
    assert sorted(search_slugs(str(dest), "school")) == sorted(search_slugs(source, "school"))
    # The secret key PostgreSQL keeps for its workers is the installation's, not data.
    assert pg_rows(source, "SELECT count(*) FROM prize_secret") == [(1,)]
    assert "prize_secret" not in table_lines(result.output)
    assert f"rsync -a {tmp_path / 'uploads'}/" in result.output
