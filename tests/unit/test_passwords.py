"""Passwords hashed at the cost of the settings, checked at the cost of each hash."""

from __future__ import annotations

from pathlib import Path

from prize.web.security import Passwords
from tests import factories

STRONG = {"password_time_cost": 3, "password_memory_cost": 64 * 1024, "password_parallelism": 4}


def passwords(**cost: int) -> Passwords:
    return Passwords(factories.settings(Path("unused"), **cost))


def test_a_hash_made_at_another_cost_still_verifies():
    made_before = passwords(**STRONG).hash("a long password")
    cheap = passwords()  # the tests' cost
    assert cheap.verify(made_before, "a long password")
    assert not cheap.verify(made_before, "another password")
    assert passwords(**STRONG).verify(cheap.hash("a long password"), "a long password")


def test_the_hash_records_the_cost_of_the_settings():
    assert "$m=8,t=1,p=1$" in passwords().hash("a long password")


def test_no_hash_or_a_broken_one_never_verifies():
    cheap = passwords()
    assert not cheap.verify(None, "not a real password, only for timing")
    assert not cheap.verify("", "a long password")
    assert not cheap.verify("not a hash", "a long password")
