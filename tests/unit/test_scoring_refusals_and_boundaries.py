"""Scoring's refusals said exactly, and its boundaries: what the mutation run of
prize/domain/scoring.py found no test for (docs/development.md, Mutation testing)."""

from __future__ import annotations

import math
import re
import warnings

import pytest

from prize.domain.scoring import ScoringCriterion, Sheet, aggregate, interval_alpha, weighted_total
from tests.unit.test_scoring import DIRECT, aggregate_direct, direct_sheet


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


# --- criteria ------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [-1, math.nan, math.inf])
def test_a_criterion_with_a_negative_or_non_finite_weight_is_refused_on_its_own(weight):
    # Refused when made, not only later when all weights are summed.
    with pytest.raises(ValueError, match=exactly("criterion 'a': weight must be finite and >= 0")):
        ScoringCriterion("a", weight, 0, 5)


def test_a_criterion_whose_scale_has_one_level_is_refused_when_made():
    with pytest.raises(ValueError, match=exactly("criterion 'a': scale_max must exceed scale_min")):
        ScoringCriterion("a", 1, 5, 5)


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([], "at least one criterion is needed"),
        ([ScoringCriterion("a", 1, 0, 5), ScoringCriterion("a", 2, 0, 5)],
         "criterion keys must be unique"),
        ([ScoringCriterion("a", 0, 0, 5), ScoringCriterion("b", 0, 0, 5)],
         "the criteria's weights must not all be zero"),
    ],
    ids=["none", "duplicate-key", "all-weights-zero"],
)
def test_invalid_sets_of_criteria_are_refused_in_words(criteria, message):
    with pytest.raises(ValueError, match=exactly(message)):
        aggregate([], criteria, spread_threshold=25)


# --- sheets --------------------------------------------------------------------------------


def test_weighted_total_names_the_scores_it_refuses():
    with pytest.raises(ValueError, match=exactly("scores {'overall': 101}: score 101 for "
                                                 "'overall' is not an integer from 0 to 100")):
        weighted_total({"overall": 101}, DIRECT)


@pytest.mark.parametrize(
    ("scores", "message"),
    [({"overall": 5, "extra": 1}, "unknown criteria ['extra']"), ({}, "no score for ['overall']")],
    ids=["unknown-criterion", "missing-key"],
)
def test_a_sheet_naming_the_wrong_criteria_is_refused_naming_juror_and_entry(scores, message):
    sheets = [direct_sheet(1, 1, 50), Sheet(juror_id=7, entry_id=42, scores=scores,
                                            submitted=True)]
    with pytest.raises(ValueError, match=exactly(f"sheet of juror 7 for entry 42: {message}")):
        aggregate_direct(sheets)


def test_a_second_sheet_of_one_juror_is_found_on_any_entry_and_named():
    # The twin is on the second entry in (entry, juror) order, not on the first.
    sheets = [direct_sheet(1, 1, 50), direct_sheet(2, 5, 10), direct_sheet(2, 5, 20)]
    with pytest.raises(ValueError, match=exactly(
            "juror 2 has more than one submitted sheet for entry 5")):
        aggregate_direct(sheets)


# --- the discuss threshold -----------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0, 0.5])
def test_a_threshold_from_zero_up_is_accepted(threshold):
    results = aggregate_direct([direct_sheet(1, 1, 50), direct_sheet(2, 1, 51)],
                               threshold=threshold)
    assert results.entries[0].discuss  # spread 1 exceeds it


def test_a_negative_threshold_is_refused_in_words():
    with pytest.raises(ValueError, match=exactly("spread_threshold must be a finite number >= 0")):
        aggregate_direct([direct_sheet(1, 1, 50)], threshold=-0.5)


def test_the_spread_is_compared_at_two_decimals_not_rounded_to_a_whole_number():
    # On a 0-3 scale the totals are thirds: 100 and 66.67 differ by 33.33, above 33.1,
    # though the whole number 33 is not.
    criteria = [ScoringCriterion("a", 1, 0, 3)]
    sheets = [Sheet(1, 1, {"a": 3}, True), Sheet(2, 1, {"a": 2}, True)]
    assert aggregate(sheets, criteria, spread_threshold=33.1).entries[0].discuss
    assert not aggregate(sheets, criteria, spread_threshold=33.34).entries[0].discuss


# --- agreement -----------------------------------------------------------------------------

SHAPES = "units and values must be one-dimensional and of equal length"


def test_alpha_refuses_units_and_values_of_different_lengths():
    with pytest.raises(ValueError, match=exactly(SHAPES)):
        interval_alpha([1, 1, 2], [1.0, 2.0])


def test_alpha_refuses_two_dimensional_input_even_of_equal_shape():
    with pytest.raises(ValueError, match=exactly(SHAPES)):
        interval_alpha([[1, 1], [2, 2]], [[1.0, 2.0], [3.0, 4.0]])


def test_alpha_is_undefined_when_the_values_differ_only_by_float_noise():
    # Population std 5e-10: no variation, so no alpha (not a number made of noise).
    assert interval_alpha([1, 1, 2, 2], [60, 60 + 1e-9, 60, 60 + 1e-9]) is None


# --- numerics ------------------------------------------------------------------------------


def test_aggregating_jurors_without_spread_raises_no_numpy_warning():
    # A juror with one sheet (J1), and one whose totals are all equal (J2), have std 0:
    # their z is set to 0, never computed by dividing by zero nor read from memory that
    # was never written. Totals 50 70 70 20 80: mean 58, population std sqrt(456);
    # J3's z is -1 on E1, +1 on E2; E1 = (58 + 58 + 58 - s) / 3, E2 = (58 + 58 + s) / 2.
    sheets = [direct_sheet(1, 1, 50), direct_sheet(2, 1, 70), direct_sheet(2, 2, 70),
              direct_sheet(3, 1, 20), direct_sheet(3, 2, 80)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = aggregate_direct(sheets)
    s = math.sqrt(456)
    assert [entry.normalised for entry in results.entries] == pytest.approx(
        [58 - s / 3, 58 + s / 2])
