"""The float-noise cutoff (a standard deviation of 1e-9 or less is no variation) holds at
the cutoff itself, for alpha and for a juror's scale: what the mutation run of
prize/domain/scoring.py found no test for (`<=` made `<`, `>` made `>=`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from prize.domain.scoring import ScoringCriterion, Sheet, aggregate, interval_alpha

# Two values 2e-9 apart have a population standard deviation of exactly 1e-9 in binary
# floating point: the deviations are exactly +-1e-9, and sqrt(fl(x * x)) == x.
AT_CUTOFF = [0.0, 2e-9]
assert math.sqrt(((np.array(AT_CUTOFF) - 1e-9) ** 2).sum() / 2) == 1e-9


def test_alpha_is_undefined_when_the_spread_is_exactly_at_the_cutoff():
    assert interval_alpha([1, 1], AT_CUTOFF) is None


def test_alpha_is_defined_just_above_the_cutoff():
    # One unit, two values: observed and expected disagreement are equal, alpha 0.
    assert interval_alpha([1, 1], [0.0, 2.000001e-9]) == pytest.approx(0.0)


# A criterion weighing 1 and one weighing EPSILON, both scored 0 or 1: a sheet with
# (0, 1) totals 100 * EPSILON / (1 + EPSILON), which for this EPSILON is 2e-9 exactly.
EPSILON = 2.0000000000400002e-11
CRITERIA = [ScoringCriterion("main", 1.0, 0, 1), ScoringCriterion("tiny", EPSILON, 0, 1)]


def sheet(juror: int, entry: int, main: int, tiny: int) -> Sheet:
    return Sheet(juror, entry, {"main": main, "tiny": tiny}, submitted=True)


def test_a_juror_whose_totals_spread_exactly_at_the_cutoff_has_no_scale():
    # given juror 1 whose totals are 0 and 2e-9 (std exactly 1e-9), and juror 2 who
    # gives the two entries 0 and 100
    sheets = [sheet(1, 10, 0, 0), sheet(1, 20, 0, 1), sheet(2, 10, 0, 0), sheet(2, 20, 1, 0)]
    # when
    results = aggregate(sheets, CRITERIA, spread_threshold=50)
    assert results.entries[1].totals[1] == 2e-9
    # then juror 1's z is 0 on both entries (not -1 and +1): the gap between the two
    # entries' normalised totals is juror 2's alone, (+1 - -1) * std / 2 = std
    low, high = results.entries
    assert high.normalised - low.normalised == pytest.approx(results.overall_std)
