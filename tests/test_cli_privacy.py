"""`prize user export`, `prize user erase` and `prize retention` through click's runner."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.store import audit, users
from prize.store.db import Database
from tests import factories


@pytest.fixture
def world(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))

    async def seed():
        async with Database(path) as db:
            await db.migrate()
            found = await factories.security_world(db, tmp_path / "uploads")
            past = await db.fetch_value("SELECT id FROM editions WHERE year = 2025")
            async with db.transaction() as conn:
                await conn.execute("UPDATE editions SET status = 'archived',"
                                   " retention_months = 1 WHERE id = ?", (past,))
                await audit.record(conn, now=datetime(2020, 1, 1, tzinfo=UTC), actor_id=None,
                                   action="edition.archived", subject_type="edition",
                                   subject_id=past, edition_id=past)
            return found

    found = asyncio.run(seed())
    found.path = path
    return found


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def person(path, user_id):
    async def read():
        async with Database(path) as db:
            return await users.get(db, user_id)
    return asyncio.run(read())


def test_export_writes_the_persons_zip_and_keeps_an_existing_file(world, tmp_path):
    out = tmp_path / "a.zip"
    result = run("user", "export", "a@example.org", "--out", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        data = json.loads(archive.read("data.json"))
        assert any(name.startswith("files/") for name in archive.namelist())
    assert data["account"]["email"] == "a@example.org"
    refused = run("user", "export", "a@example.org", "--out", str(out))
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        f"prize: {out} exists already; choose a new file name or add --force")
    forced = run("user", "export", "b@example.org", "--out", str(out), "--force")
    assert forced.exit_code == 0
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert json.loads(archive.read("data.json"))["account"]["email"] == "b@example.org"


def test_export_and_erase_of_an_unknown_person_say_so_in_one_line(world, tmp_path):
    for args in (("user", "export", "nobody@example.org", "--out", str(tmp_path / "n.zip")),
                 ("user", "erase", "nobody@example.org", "--yes")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.output == "prize: there is no account for nobody@example.org\n"
        assert "Traceback" not in result.output
    assert not (tmp_path / "n.zip").exists()


def test_erase_asks_first_and_a_no_erases_nothing(world):
    applicant = world.people["applicant_b"]
    result = run("user", "erase", applicant.email, input="n\n")
    assert result.exit_code == 1
    assert "This deletes:" in result.output and "nothing was erased" in result.output
    assert person(world.path, applicant.id).erased_at is None
    silent = run("user", "erase", applicant.email, input="")
    assert silent.exit_code == 1
    assert person(world.path, applicant.id).erased_at is None
    yes = run("user", "erase", applicant.email, input="y\n")
    assert yes.exit_code == 0, yes.output
    assert person(world.path, applicant.id).email == f"erased-{applicant.id}@erased.invalid"


def test_erase_with_yes_does_not_ask(world):
    applicant = world.people["applicant_b"]
    result = run("user", "erase", applicant.email, "--yes")
    assert result.exit_code == 0, result.output
    assert "Erase " not in result.output and result.output.startswith("Erased b@example.org")
    again = run("user", "erase", f"erased-{applicant.id}@erased.invalid", "--yes")
    assert again.exit_code == 1 and "erased already" in again.output


def test_erase_refuses_the_last_admin_and_a_juror_with_open_sheets(world):
    admin = run("user", "erase", "admin@example.org", "--yes")
    assert admin.exit_code == 1 and "This is the last member of the secretariat" in admin.output
    juror = run("user", "erase", "juror@example.org", "--yes")
    assert juror.exit_code == 1
    assert "1 score sheet not submitted in the 2026 edition" in juror.output
    assert len(juror.output.strip().splitlines()) == 1


def test_retention_lists_by_default_and_erases_with_apply(world):
    dry = run("retention")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[0].startswith("2025: 1 entry due since")
    assert "add --apply" in dry.output
    applied = run("retention", "--apply")
    assert applied.exit_code == 0
    assert "2025: erased the personal data of 1 entry" in applied.output
    assert run("retention").output == "Nothing is due.\n"


def test_export_where_no_file_can_be_written_is_one_line(world, tmp_path):
    out = tmp_path / "no-such-folder" / "a.zip"
    result = run("user", "export", "a@example.org", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"prize: cannot write {out}")
    assert len(result.output.strip().splitlines()) == 1
