"""`prize outbox` and the links of `prize serve`: trying the demo without SMTP."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from prize.cli import local_base_url, main


@pytest.fixture
def run(tmp_path):
    def invoke(*args: str, **env: str):
        environment = {"PRIZE_DB": str(tmp_path / "cli.db"), "PRIZE_SECRET_KEY": "x" * 40, **env}
        return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)

    return invoke


def test_outbox_lists_and_shows_a_kept_message(run, tmp_path):
    assert run("migrate").exit_code == 0
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("INSERT INTO outbox (kind, recipient, subject, body, created_at)"
                     " VALUES ('verify_email', 'ana@example.org', 'Confirm your address',"
                     " 'Open http://127.0.0.1:8000/verify?token=abc', '2026-12-01T20:00:30Z')")
    listing = run("outbox")
    assert listing.exit_code == 0 and "#1" in listing.output
    assert "1 December 2026, 21:00 (Strasbourg time)" in listing.output
    shown = run("outbox", "--show", "1")
    assert shown.exit_code == 0 and "/verify?token=abc" in shown.output


@pytest.mark.parametrize("value", ["99999", "abc", "-1", ""])
def test_outbox_show_of_a_bad_id_is_one_line_and_non_zero(run, value):
    result = run("outbox", "--show", value)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", 18400, "http://127.0.0.1:18400"), ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
    ("::", 9000, "http://[::1]:9000"), ("example.org", 80, "http://example.org:80")])
def test_serve_links_follow_host_and_port(host, port, url):
    assert local_base_url(host, port) == url
