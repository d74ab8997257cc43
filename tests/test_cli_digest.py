"""`prize digest`: the daily cron's command, a thin shell over notifications.send_digests."""

from __future__ import annotations

from click.testing import CliRunner

from prize.cli import main


def test_digest_command_runs_and_says_what_it_sent(tmp_path):
    environment = {"PRIZE_DB": str(tmp_path / "cli.db"), "PRIZE_SECRET_KEY": "x" * 40}

    result = CliRunner().invoke(main, ["digest"], env=environment, catch_exceptions=False)

    assert result.exit_code == 0
    assert "Digests sent: 0; already sent today: 0." in result.output
