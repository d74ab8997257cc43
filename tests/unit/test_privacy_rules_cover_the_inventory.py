"""Every personal column of the inventory has an answer in the export and in the erasure,
and the rules of erasure and retention say what they promise."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prize.domain import privacy

INVENTORY = Path(__file__).resolve().parents[2] / "prize" / "privacy_inventory.toml"


def personal_columns() -> set[str]:
    tables = tomllib.loads(INVENTORY.read_text(encoding="utf-8"))["tables"]
    return {f"{table}.{column}" for table, facts in tables.items()
            for column in facts.get("personal", {})}


def test_every_personal_column_is_exported_or_its_absence_explained():
    missing = sorted(personal_columns() - privacy.EXPORTED.keys())
    assert not missing, f"say in prize/domain/privacy.py EXPORTED where these go: {missing}"


def test_every_personal_column_has_an_erasure_rule():
    missing = sorted(personal_columns() - privacy.ON_ERASURE.keys())
    assert not missing, f"say in prize/domain/privacy.py ON_ERASURE what happens: {missing}"


def test_the_rules_name_no_column_the_inventory_lacks():
    columns = personal_columns()
    assert not sorted(privacy.EXPORTED.keys() - columns)
    assert not sorted(privacy.ON_ERASURE.keys() - columns)


def test_a_juror_keeps_a_pseudonym_with_their_place_and_year():
    assert privacy.pseudonym("juror", 17, number=4, year=2026) == "Juror 4 (2026)"
    assert privacy.pseudonym("advisor", 17, number=1, year=2025) == "Advisor 1 (2025)"
    assert privacy.pseudonym("applicant", 17) == "Erased account 17"
    assert privacy.pseudonym("juror", 17) == "Erased account 17"  # never in a jury


def test_the_erased_address_cannot_receive_mail():
    assert privacy.erased_email(5) == "erased-5@erased.invalid"


def test_only_the_contact_fields_of_an_application_are_blanked():
    application = {"contact_name": "Maria", "contact_email": "m@example.org",
                   "contact_phone": "+353", "title": "Peer Talk", "young_people": 40}
    assert privacy.without_contact(application) == {
        "contact_name": "", "contact_email": "", "contact_phone": "", "title": "Peer Talk",
        "young_people": 40}


@pytest.mark.parametrize(("facts", "expected"), [
    (privacy.ErasureFacts(role="applicant"), None),
    (privacy.ErasureFacts(role="applicant", erased_at=datetime(2026, 1, 1, tzinfo=UTC)),
     "erased already"),
    (privacy.ErasureFacts(role="admin", other_active_admins=0), "last member of the secretariat"),
    (privacy.ErasureFacts(role="admin", other_active_admins=1), None),
    (privacy.ErasureFacts(role="juror", open_sheets=((2026, 3),)),
     "3 score sheets not submitted in the 2026 edition"),
    (privacy.ErasureFacts(role="juror", open_sheets=((2026, 1),)),
     "1 score sheet not submitted"),
    (privacy.ErasureFacts(role="juror", open_sheets=((2026, 0),)), None),
])
def test_erasure_is_refused_with_a_reason(facts, expected):
    refusal = privacy.erasure_refusal(facts)
    if expected is None:
        assert refusal is None
    else:
        assert expected in refusal


def test_retention_ends_the_same_day_months_later_or_at_the_months_end():
    archived = datetime(2026, 8, 31, 10, 0, tzinfo=UTC)
    assert privacy.retention_ends(archived, 24) == datetime(2028, 8, 31, 10, 0, tzinfo=UTC)
    assert privacy.retention_ends(archived, 6) == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
    assert privacy.retention_ends(archived, 1) == datetime(2026, 9, 30, 10, 0, tzinfo=UTC)
    assert privacy.retention_ends(None, 24) is None


@pytest.mark.parametrize("typed", ["0", "241", "-1", "abc", "", "1.5", "12 months"])
def test_a_retention_outside_1_to_240_months_is_refused(typed):
    assert "1 to 240" in privacy.retention_problem(typed)


@pytest.mark.parametrize("typed", ["1", "24", " 240 "])
def test_a_retention_from_1_to_240_months_is_accepted(typed):
    assert privacy.retention_problem(typed) is None


def test_the_person_asking_is_told_why_they_must_wait():
    assert privacy.erasure_wait(privacy.ErasureFacts(role="applicant")) is None
    assert "only member of the secretariat" in privacy.erasure_wait(
        privacy.ErasureFacts(role="admin", other_active_admins=0))
    assert "2 score sheets to submit in the 2027 edition" in privacy.erasure_wait(
        privacy.ErasureFacts(role="juror", open_sheets=((2027, 2),)))
