"""`prize form export` and `prize form import`: a round trip, and every bad file refused."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.store.db import Database
from tests import factories


@pytest.fixture
def prize_db(tmp_path, monkeypatch):
    path = tmp_path / "prize.db"
    monkeypatch.setenv("PRIZE_DB", str(path))
    monkeypatch.setenv("PRIZE_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRIZE_UPLOAD_DIR", str(tmp_path / "uploads"))

    async def seed() -> None:
        async with Database(path) as db:
            await db.migrate()
            await factories.edition(db, year=2027, status="open")
            frozen = await factories.edition(db, year=2025, status="judging")
            owner = await factories.user(db)
            await factories.entry(db, edition_id=frozen.id, owner_id=owner.id,
                                  status="submitted")

    asyncio.run(seed())
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["form", *args])


def exported(year: str = "2027") -> dict:
    result = run("export", year)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def stored_rows(path) -> int:
    async def count() -> int:
        async with Database(path) as db:
            return await db.fetch_value("SELECT COUNT(*) FROM edition_forms")
    return asyncio.run(count())


def write(tmp_path, data, name="form.json"):
    target = tmp_path / name
    target.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(target)


def test_export_writes_the_form_with_keys_texts_in_both_languages_and_core_marks(prize_db):
    data = exported()
    summary = next(q for s in data["sections"] for q in s["fields"] if q["key"] == "summary")
    assert summary["kind"] == "textarea" and summary["max_words"] == 300
    assert summary["core"] is True and summary["visible_to"] == "jury"
    assert summary["label"]["en"] == "Summary of the project" and summary["label"]["fr"]
    assert set(summary) == {"key", "kind", "label", "hint", "required", "max_words", "choices",
                            "visible_to", "public", "core"}


def test_importing_the_export_changes_nothing(prize_db, tmp_path):
    before = exported()
    result = run("import", "2027", write(tmp_path, before))
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    assert exported() == before
    assert stored_rows(prize_db) == 0


def test_an_imported_question_is_in_the_next_export(prize_db, tmp_path):
    data = exported()
    data["sections"][2]["fields"].append({
        "key": "digital_addictions", "kind": "textarea",
        "label": {"en": "How does your project address digital addictions?",
                  "fr": "Comment votre projet aborde-t-il les addictions numériques ?"},
        "max_words": 300,
    })
    result = run("import", "2027", write(tmp_path, data))
    assert result.exit_code == 0, result.output
    again = exported()
    added = again["sections"][2]["fields"][-1]
    assert added["key"] == "digital_addictions" and added["required"] is True
    assert exported("2025") != again  # another edition keeps its own form
    assert run("import", "2027", write(tmp_path, again)).output.strip().endswith("unchanged.")


def _core_removed(data):
    data["sections"][0]["fields"] = [q for q in data["sections"][0]["fields"]
                                     if q["key"] != "country"]


def _duplicate(data):
    data["sections"][2]["fields"][1]["key"] = data["sections"][2]["fields"][0]["key"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["sections"][2]["fields"][0].update(kind="essay"), "unknown kind"),
    (_duplicate, "is used twice"),
    (lambda d: d["sections"][2]["fields"][0]["label"].pop("fr"), "no French text"),
    (lambda d: d["sections"][2]["title"].update(en=""), "no English text"),
    (_core_removed, "core question country is missing"),
    (lambda d: d.pop("sections"), '"sections"'),
])
def test_a_bad_file_exits_non_zero_with_one_line_and_changes_nothing(
        prize_db, tmp_path, change, message):
    data = exported()
    change(data)
    result = run("import", "2027", write(tmp_path, data))
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert stored_rows(prize_db) == 0


def test_a_structural_change_after_the_first_submission_is_refused(prize_db, tmp_path):
    data = exported("2025")
    results = next(s for s in data["sections"] if s["key"] == "results")
    results["fields"] = [q for q in results["fields"] if q["key"] != "ethics"]
    result = run("import", "2025", write(tmp_path, data))
    assert result.exit_code != 0
    assert "already submitted" in result.output and "ethics is removed" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert stored_rows(prize_db) == 0


def test_not_json_an_unknown_edition_and_a_bad_year_are_one_line_each(prize_db, tmp_path):
    for args, message in [
        (("import", "2027", write(tmp_path, "{not json", "bad.json")), "is not JSON"),
        (("import", "2031", write(tmp_path, exported())), "there is no edition 2031"),
        (("export", "soon"), "is not a year"),
        (("import", "2027", str(tmp_path / "missing.json")), "cannot read"),
    ]:
        result = run(*args)
        assert result.exit_code != 0, args
        assert message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1


def test_the_entries_export_has_a_column_per_custom_question(prize_db, tmp_path):
    data = exported()
    data["sections"][2]["fields"].append(
        {"key": "screens", "kind": "textarea", "label": {"en": "Screens", "fr": "Écrans"}})
    data["sections"][2]["fields"].append(
        {"key": "budget", "kind": "int", "label": {"en": "Budget", "fr": "Budget"},
         "visible_to": "secretariat"})
    assert run("import", "2027", write(tmp_path, data)).exit_code == 0
    result = CliRunner().invoke(main, ["export", "2027", "--what", "entries"])
    header = result.stdout.splitlines()[0].split(",")
    # The custom question right after the fixed columns; then the text answers per
    # working language (tests/http/test_entry_translations_exported.py), never "budget".
    assert header[header.index("jury_statement") + 1] == "screens"
    assert not [column for column in header if column.startswith("budget")]


def test_a_word_limit_below_a_submitted_answer_is_refused_naming_the_entry(prize_db, tmp_path):
    data = exported("2025")
    aims = next(q for s in data["sections"] for q in s["fields"] if q["key"] == "aims")
    aims["max_words"] = 5  # the submitted entry's aims have 13 words
    result = run("import", "2025", write(tmp_path, data))
    assert result.exit_code != 0
    assert "cannot go below 5" in result.output and "EDPP-2025-0001" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert stored_rows(prize_db) == 0


def test_core_marks_in_a_file_are_read_only(prize_db, tmp_path):
    data = exported()
    for section in data["sections"]:
        for question in section["fields"]:
            question.pop("core")
    result = run("import", "2027", write(tmp_path, data))
    assert result.exit_code == 0 and "unchanged" in result.output
