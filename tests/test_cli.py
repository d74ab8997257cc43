"""The `prize` command as an operator uses it: clear one-line errors, never a traceback."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from prize.cli import main


@pytest.fixture
def run(tmp_path):
    def invoke(*args: str, **env: str):
        environment = {"PRIZE_DB": str(tmp_path / "cli.db"), "PRIZE_SECRET_KEY": "x" * 40, **env}
        return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)

    return invoke


def dump(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def test_migrate_creates_the_schema_and_can_run_again(run, tmp_path):
    first = run("migrate")
    assert first.exit_code == 0 and "up to date" in first.output
    assert run("migrate").exit_code == 0
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"users", "editions", "entries", "score_sheets", "practices"} <= tables


def test_demo_loads_the_contract_data_and_twice_changes_nothing(run, tmp_path):
    assert run("demo").exit_code == 0
    once = dump(tmp_path / "cli.db")
    assert run("demo").exit_code == 0
    assert dump(tmp_path / "cli.db") == once
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        emails = {row[0] for row in conn.execute("SELECT email FROM users")}
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM editions GROUP BY status"))
        published = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT country) FROM practices WHERE status = 'published'"
        ).fetchone()
        judging_entries = conn.execute(
            "SELECT COUNT(*) FROM entries e JOIN editions ed ON ed.id = e.edition_id"
            " WHERE ed.status = 'judging' AND e.status = 'eligible'").fetchone()[0]
        sheets = dict(conn.execute("SELECT status, COUNT(*) FROM score_sheets GROUP BY status"))
        readings = conn.execute(
            "SELECT COUNT(*) FROM assignments a JOIN editions ed ON ed.id = a.edition_id"
            " WHERE ed.status = 'judging'").fetchone()[0]
        draft = conn.execute(
            "SELECT COUNT(*) FROM entries e JOIN users u ON u.id = e.owner_id"
            " JOIN editions ed ON ed.id = e.edition_id"
            " WHERE u.email = 'applicant@demo.prize' AND e.status = 'draft' AND ed.status = 'open'"
        ).fetchone()[0]
    assert {"admin@demo.prize", "applicant@demo.prize"} | {
        f"juror{n}@demo.prize" for n in range(1, 10)} <= emails
    assert {"published", "judging", "open"} <= statuses.keys()
    assert published[0] >= 12 and published[1] >= 8
    assert judging_entries >= 30
    assert draft == 1
    assert 0.35 * readings <= sheets["submitted"] <= 0.65 * readings  # about half


def test_user_add_creates_an_account_that_can_log_in(run, tmp_path):
    result = run("user", "add", "Chair@Example.org", "--role", "admin", "--name", "Chair",
                 PRIZE_PASSWORD="a long password")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        role, verified = conn.execute(
            "SELECT role, email_verified_at FROM users WHERE email = 'chair@example.org'"
        ).fetchone()
    assert role == "admin" and verified


@pytest.mark.parametrize(("args", "env", "message"), [
    (("user", "add", "not-an-email", "--role", "admin"), {"PRIZE_PASSWORD": "a long password"},
     "is not an email address"),
    (("user", "add", "a@example.org", "--role", "admin"), {"PRIZE_PASSWORD": "short"},
     "at least 10 characters"),
    (("user", "add", "a@example.org", "--role", "admin", "--name", "n" * 121),
     {"PRIZE_PASSWORD": "a long password"}, "120 characters"),
    (("user", "add", "a@example.org", "--role", "admin"), {}, "PRIZE_PASSWORD"),
    (("serve", "--port", "0"), {}, "0"),
    (("migrate",), {"PRIZE_BASE_URL": "ftp://example.org"}, "PRIZE_BASE_URL"),
])
def test_bad_input_is_a_one_line_error_and_a_non_zero_status(run, args, env, message):
    result = run(*args, **env)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_user_add_refuses_an_existing_account(run):
    run("user", "add", "a@example.org", "--role", "juror", PRIZE_PASSWORD="a long password")
    again = run("user", "add", "A@example.org", "--role", "admin", PRIZE_PASSWORD="a long password")
    assert again.exit_code != 0 and "exists already" in again.output


def test_backup_refuses_to_overwrite(run, tmp_path):
    run("migrate")
    target = tmp_path / "copy.db"
    assert run("backup", str(target)).exit_code == 0
    again = run("backup", str(target))
    assert again.exit_code != 0 and "exists already" in again.output
    live = run("backup", str(tmp_path / "cli.db"))
    assert live.exit_code != 0 and "live database" in live.output
