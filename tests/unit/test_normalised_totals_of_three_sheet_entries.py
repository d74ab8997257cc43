"""An entry's normalised total is the mean of its sheets' mapped values, also with three
sheets, where the mean and the median of three values part ways."""

from __future__ import annotations

import math

import pytest

from tests.unit.test_scoring import aggregate_direct, by_entry, direct_sheet

# Three jurors each score the same three entries (one criterion on 0-100, so a score is
# its sheet's total). Every juror's mean is 60; k = sqrt(3/2) is the z of a total one
# step (of two equal steps) away from the juror's mean in a set of three.
#
#   J1: E1 100, E2 20, E3 60   deviations +40 -40   0, std sqrt(3200/3), z +k -k  0
#   J2: E1 40,  E2 80, E3 60   deviations -20 +20   0, std sqrt(800/3),  z -k +k  0
#   J3: E1 60,  E2 80, E3 40   deviations   0 +20 -20, std sqrt(800/3),  z  0 +k -k
#
# Edition: mean 540/9 = 60; squared deviations 1600 1600 0 400 400 0 0 400 400 = 4800,
# population std sqrt(4800/9) = sqrt(1600/3); so k * std = sqrt(3/2 * 1600/3) = sqrt(800).
# Mapped (60 + z * std), with d = sqrt(800) = 28.284:
#   E1: 60 + d, 60 - d, 60      mean 60            (median 60)
#   E2: 60 - d, 60 + d, 60 + d  mean 60 + d/3      (median 60 + d: not the rule)
#   E3: 60,     60,     60 - d  mean 60 - d/3      (median 60: not the rule)
# Raw means: E1 200/3 = 66.67, E2 180/3 = 60, E3 160/3 = 53.33: by mean E1, E2, E3;
# normalised: E2 69.43, E1 60, E3 50.57: by normalised E2, E1, E3.
J1, J2, J3 = 1, 2, 3
THREE_JURORS_EACH_ON_EVERY_ENTRY = [
    direct_sheet(J1, 1, 100), direct_sheet(J1, 2, 20), direct_sheet(J1, 3, 60),
    direct_sheet(J2, 1, 40), direct_sheet(J2, 2, 80), direct_sheet(J2, 3, 60),
    direct_sheet(J3, 1, 60), direct_sheet(J3, 2, 80), direct_sheet(J3, 3, 40),
]
D = math.sqrt(800)


def test_the_normalised_total_of_an_entry_with_three_sheets_is_the_mean_of_its_mapped_values():
    results = aggregate_direct(THREE_JURORS_EACH_ON_EVERY_ENTRY)
    assert results.overall_mean == pytest.approx(60)
    assert results.overall_std == pytest.approx(math.sqrt(1600 / 3))
    entries = by_entry(results)
    assert {e: entries[e].normalised for e in entries} == pytest.approx(
        {1: 60, 2: 60 + D / 3, 3: 60 - D / 3})
    assert {e: entries[e].count for e in entries} == {1: 3, 2: 3, 3: 3}


def test_with_three_sheets_the_mean_and_the_normalised_ranking_differ_as_worked_by_hand():
    entries = by_entry(aggregate_direct(THREE_JURORS_EACH_ON_EVERY_ENTRY))
    assert {e: entries[e].mean for e in entries} == pytest.approx(
        {1: 200 / 3, 2: 60, 3: 160 / 3})
    assert {e: entries[e].median for e in entries} == pytest.approx({1: 60, 2: 80, 3: 60})
    assert {e: entries[e].spread for e in entries} == pytest.approx({1: 60, 2: 60, 3: 20})
    assert {e: entries[e].rank_mean for e in entries} == {1: 1, 2: 2, 3: 3}
    assert {e: entries[e].rank_normalised for e in entries} == {2: 1, 1: 2, 3: 3}
