"""`prize` commands with bad arguments: one line on stderr, a non-zero status, no traceback."""

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


def assert_one_line_refusal(result, message: str) -> None:
    assert result.exit_code != 0, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("year", ["²⁰²⁶", "2026²", "soon", "1999", "2101", "2026.0", ""])
@pytest.mark.parametrize("command", [("remind",), ("export", "--what", "ranking")])
def test_a_year_that_is_not_a_year_is_refused_in_one_line(run, command, year):
    result = run(command[0], year, *command[1:])
    assert_one_line_refusal(result, "is not a year")
    assert len(result.output.strip().splitlines()) == 1


def test_remind_needs_an_edition_that_exists_and_is_judging(run, tmp_path):
    assert_one_line_refusal(run("remind", "2031"), "there is no edition 2031")
    assert run("demo").exit_code == 0
    assert_one_line_refusal(run("remind", "2027"), "is not in judging")


@pytest.mark.parametrize(("args", "message"), [
    (("serve", "--port", "http"), "is not a valid integer"),
    (("serve", "--port", "65536"), "65536"),
    (("user", "add", "a@example.org", "--role", "wizard"), "wizard"),
    (("user", "add", "a@example.org"), "--role"),
    (("user", "add", "  ", "--role", "juror"), "is not an email address"),
    (("export", "2026"), "--what"),
    (("backup",), "FILE"),
])
def test_bad_options_name_what_is_wrong(run, args, message):
    result = run(*args, PRIZE_PASSWORD="a long password")
    assert_one_line_refusal(result, message)


def test_backup_where_no_file_can_be_written_is_one_line(run, tmp_path):
    run("migrate")
    (tmp_path / "a-file").write_text("not a folder")
    result = run("backup", str(tmp_path / "a-file" / "copy.db"))
    assert_one_line_refusal(result, "cannot write")
    assert_one_line_refusal(run("backup", str(tmp_path)), "is a directory")


def test_export_where_no_file_can_be_written_is_one_line(run, tmp_path):
    run("demo")
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        (year,) = conn.execute("SELECT year FROM editions WHERE status = 'judging'").fetchone()
    (tmp_path / "a-file").write_text("not a folder")
    result = run("export", str(year), "--what", "entries", "--out",
                 str(tmp_path / "a-file" / "entries.csv"))
    assert_one_line_refusal(result, "cannot write")


@pytest.mark.parametrize("command", [("migrate",), ("demo",), ("remind", "2026"),
                                     ("backup", "x.db"), ("export", "2026", "--what", "ranking"),
                                     ("user", "add", "a@example.org", "--role", "juror")])
def test_bad_settings_from_the_environment_stop_every_command_in_one_line(run, command):
    result = run(*command, PRIZE_BASE_URL="ftp://example.org", PRIZE_PASSWORD="a long password")
    assert_one_line_refusal(result, "PRIZE_BASE_URL")
    assert len(result.output.strip().splitlines()) == 1
