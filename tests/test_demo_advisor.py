"""The demo's advisor: advisor@demo.prize sits on the judging edition's jury and has
written in a few threads, beside jurors who submitted their sheet; loading twice changes
nothing."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from prize.cli import main


def test_demo_has_an_advisor_with_comments_and_twice_changes_nothing(tmp_path):
    environment = {"PRIZE_DB": str(tmp_path / "demo.db"), "PRIZE_SECRET_KEY": "x" * 40}
    assert CliRunner().invoke(main, ["demo"], env=environment).exit_code == 0
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        first = conn.execute("SELECT id, author_id, entry_id, body FROM discussion_comments"
                             " ORDER BY id").fetchall()
    assert CliRunner().invoke(main, ["demo"], env=environment).exit_code == 0

    with sqlite3.connect(tmp_path / "demo.db") as conn:
        advisor = conn.execute("SELECT id, role, password_hash FROM users"
                               " WHERE email = 'advisor@demo.prize'").fetchone()
        seated = conn.execute(
            "SELECT ed.status FROM edition_jurors ej JOIN editions ed ON ed.id = ej.edition_id"
            " WHERE ej.user_id = ? AND ej.status = 'active'", (advisor[0],)).fetchall()
        again = conn.execute("SELECT id, author_id, entry_id, body FROM discussion_comments"
                             " ORDER BY id").fetchall()
        blind_kept = conn.execute(
            "SELECT COUNT(*) FROM discussion_comments c JOIN users u ON u.id = c.author_id"
            " WHERE u.role = 'juror' AND NOT EXISTS (SELECT 1 FROM score_sheets s"
            " WHERE s.entry_id = c.entry_id AND s.juror_id = c.author_id"
            " AND s.status = 'submitted')").fetchone()[0]
        assignments = conn.execute("SELECT COUNT(*) FROM assignments WHERE juror_id = ?",
                                   (advisor[0],)).fetchone()[0]
    assert advisor[1] == "advisor" and advisor[2]
    assert ("judging",) in seated
    assert first == again and len({entry for _, _, entry, _ in first}) >= 3
    assert {author for _, author, _, _ in first} - {advisor[0]}, "jurors write too"
    assert blind_kept == 0
    assert assignments == 0
