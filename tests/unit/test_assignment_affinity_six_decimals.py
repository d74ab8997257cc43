"""The affinity of a juror for an entry is rounded to exactly six decimals (the precision
the solver optimises exactly), an entry of unknown language matches no language, and an
unknown country code names itself (what the mutation run of prize/domain/assignment.py
found untested)."""

from __future__ import annotations

from prize.domain.assignment import (
    EntryForAssignment,
    JurorForAssignment,
    affinity_between,
    conflict_between,
    country_name,
)


def test_a_share_of_one_third_is_rounded_to_six_decimals():
    project = EntryForAssignment(
        id=1, reference="EDPP-2026-0001", countries=("FR",), language="fr",
        settings=("school", "online", "family"))
    expert = JurorForAssignment(
        id=10, name="Ana", country="DE", languages=("fr",), expertise_settings=("school",))

    # 0.35 language + 0.25 × 1/3 settings + 0.10 no preference
    assert affinity_between(expert, project) == 0.533333


def test_an_entry_of_unknown_language_matches_no_language_not_even_a_blank_one():
    project = EntryForAssignment(id=1, reference="EDPP-2026-0001", countries=("FR",), language=None)
    blank = JurorForAssignment(id=10, name="Ana", country="DE", languages=("",))

    assert affinity_between(blank, project) == 0.1  # the neutral preference only


def test_an_unknown_country_code_names_itself():
    assert country_name("QQ") == "QQ"
    assert country_name("mt") == "Malta"
    project = EntryForAssignment(id=1, reference="EDPP-2026-0001", countries=("QQ",))
    member = JurorForAssignment(id=10, name="Ana", country="QQ")
    assert conflict_between(member, project) == "same country: QQ"
