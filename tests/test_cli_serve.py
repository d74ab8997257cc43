"""`prize serve` as a supervisor sees it: a site that cannot start exits, non-zero, at once.

Run as a real process, since what is tested is that nothing left behind (a database
connection's thread) keeps it alive.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port

# Long enough for a slow machine to import the package; far shorter than a hang.
EXIT_WITHIN_SECONDS = 30


def serve(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRIZE_DB": str(database), "PRIZE_SECRET_KEY": "x" * 40}
    environment.pop("PRIZE_SMTP_URL", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "prize", "serve", "--port", str(free_port()), *args],
            env=environment, capture_output=True, text=True, timeout=EXIT_WITHIN_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"prize serve was still running after {EXIT_WITHIN_SECONDS} s")


def test_serve_exits_non_zero_on_a_file_that_is_not_a_database(tmp_path):
    database = tmp_path / "prize.db"
    database.write_bytes(b"this is not an SQLite database, only some text " * 100)

    finished = serve(database)

    assert finished.returncode != 0
    assert "not a database" in finished.stderr
    assert "prize: the site could not start" in finished.stderr


def test_serve_exits_non_zero_when_a_migration_fails(tmp_path):
    # The first migration creates `users`: a table of that name makes it fail.
    database = tmp_path / "prize.db"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")

    finished = serve(database)

    assert finished.returncode != 0
    assert "already exists" in finished.stderr


def test_serve_demo_on_a_broken_database_says_so_in_one_line(tmp_path):
    database = tmp_path / "prize.db"
    database.write_bytes(b"garbage " * 500)

    finished = serve(database, "--demo")

    assert finished.returncode != 0
    assert "prize: cannot use the database" in finished.stderr
    assert "Traceback" not in finished.stderr
