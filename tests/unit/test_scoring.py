"""Unit tests of prize.domain.scoring: every formula against hand-computed numbers.

Most aggregation tests use one criterion on a 0-100 scale with weight 1, so that a
sheet's score *is* its weighted total and the expected numbers can be read directly.
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from prize.domain import editions
from prize.domain.scoring import (
    DISPLAY_DECIMALS,
    EditionResults,
    ScoringCriterion,
    Sheet,
    aggregate,
    competition_ranks,
    interval_alpha,
    ranking,
    weighted_total,
)

# --- factories ---------------------------------------------------------------------------

# The prize's default criteria as scoring sees them: weights 3, 2, 1, 2, 1, 1, 1, 1 (total
# 12), scale 0-5; the hand-computed expectations below rest on these.
DEFAULT_CRITERIA = [
    ScoringCriterion(c.key, c.weight, c.scale_min, c.scale_max) for c in editions.DEFAULT_CRITERIA
]
DEFAULT_WEIGHTS = {criterion.key: criterion.weight for criterion in DEFAULT_CRITERIA}

# One criterion on 0-100 with weight 1: a score equals its sheet's weighted total.
DIRECT = [ScoringCriterion("overall", 1, 0, 100)]


def direct_sheet(juror: int, entry: int, total: int, *, submitted: bool = True) -> Sheet:
    """A sheet on the DIRECT criteria whose weighted total is ``total``."""
    return Sheet(juror_id=juror, entry_id=entry, scores={"overall": total}, submitted=submitted)


def default_sheet(juror: int, entry: int, scores: list[int]) -> Sheet:
    """A submitted sheet on the default criteria, scores in DEFAULT_WEIGHTS order."""
    return Sheet(juror, entry, dict(zip(DEFAULT_WEIGHTS, scores, strict=True)), True)


def aggregate_direct(sheets: list[Sheet], threshold: float = 25.0, **options) -> EditionResults:
    return aggregate(sheets, DIRECT, spread_threshold=threshold, **options)


def by_entry(results: EditionResults) -> dict:
    return {entry.entry_id: entry for entry in results.entries}


def by_juror(results: EditionResults) -> dict:
    return {juror.juror_id: juror for juror in results.jurors}


# --- weighted total ----------------------------------------------------------------------


def test_weighted_total_matches_hand_computed_value_with_mixed_weights_and_scales():
    # given three criteria of different weights, one on a 1-4 scale
    criteria = [
        ScoringCriterion("a", 3, 0, 5),
        ScoringCriterion("b", 1, 0, 5),
        ScoringCriterion("c", 2, 1, 4),
    ]
    # when
    total = weighted_total({"a": 4, "b": 5, "c": 2}, criteria)
    # then: 100 * (3*4/5 + 1*5/5 + 2*(2-1)/(4-1)) / 6 = 100 * (2.4 + 1 + 2/3) / 6
    #      = 100 * (61/15) / 6 = 6100/90 = 67.777...
    assert total == pytest.approx(6100 / 90)


def test_weighted_total_is_0_at_every_minimum_and_100_at_every_maximum():
    keys = list(DEFAULT_WEIGHTS)
    assert weighted_total(dict.fromkeys(keys, 0), DEFAULT_CRITERIA) == 0
    assert weighted_total(dict.fromkeys(keys, 5), DEFAULT_CRITERIA) == pytest.approx(100)


def test_weighted_total_follows_the_weights_of_the_default_criteria():
    # given 5 on youth participation (weight 3 of 12) and 0 elsewhere
    scores = dict.fromkeys(DEFAULT_WEIGHTS, 0) | {"youth_participation": 5}
    # then 100 * 3 / 12
    assert weighted_total(scores, DEFAULT_CRITERIA) == pytest.approx(25)


def test_weighted_total_ignores_a_criterion_of_weight_zero():
    criteria = [ScoringCriterion("a", 1, 0, 5), ScoringCriterion("b", 0, 0, 5)]
    assert weighted_total({"a": 5, "b": 0}, criteria) == pytest.approx(100)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"a": 3}, "no score"),
        ({"a": 3, "b": None}, "'b'"),
        ({"a": 6, "b": 0}, "integer from 0 to 5"),
        ({"a": -1, "b": 0}, "integer from 0 to 5"),
        ({"a": 2.5, "b": 0}, "integer from 0 to 5"),
        ({"a": 3, "b": 1, "c": 2}, "unknown criteria"),
    ],
    ids=["missing", "none", "above-scale", "below-scale", "not-integer", "unknown-criterion"],
)
def test_weighted_total_rejects_incomplete_out_of_scale_or_unknown_scores(scores, message):
    criteria = [ScoringCriterion("a", 1, 0, 5), ScoringCriterion("b", 1, 0, 5)]
    with pytest.raises(ValueError, match=message):
        weighted_total(scores, criteria)


@pytest.mark.parametrize(
    "build",
    [
        lambda: [ScoringCriterion("a", 1, 0, 5), ScoringCriterion("a", 1, 0, 5)],
        lambda: [ScoringCriterion("a", 0, 0, 5)],
        lambda: [ScoringCriterion("a", -1, 0, 5)],
        lambda: [ScoringCriterion("a", 1, 5, 5)],
        lambda: [],
    ],
    ids=["duplicate-key", "all-weights-zero", "negative-weight", "empty-scale", "no-criteria"],
)
def test_invalid_criteria_are_rejected(build):
    with pytest.raises(ValueError):
        weighted_total({"a": 1}, build())


# --- per-entry aggregates ----------------------------------------------------------------


def test_entry_mean_median_spread_and_count_come_from_its_sheet_totals():
    # given entry 1 with totals 40, 70, 60 and entry 2 with totals 40, 70
    sheets = [
        direct_sheet(10, 1, 40),
        direct_sheet(11, 1, 70),
        direct_sheet(12, 1, 60),
        direct_sheet(10, 2, 40),
        direct_sheet(11, 2, 70),
    ]
    # when
    entries = by_entry(aggregate_direct(sheets))
    # then
    assert entries[1].totals == {10: 40, 11: 70, 12: 60}
    assert entries[1].mean == pytest.approx(170 / 3)
    assert entries[1].median == 60
    assert entries[1].spread == 30
    assert entries[1].count == 3
    assert entries[2].median == 55  # mean of the two middle values of an even count
    assert entries[2].spread == 30
    assert entries[2].count == 2


def test_entry_totals_are_the_weighted_totals_of_its_sheets():
    sheet = default_sheet(1, 1, [4, 3, 5, 2, 1, 0, 3, 4])
    results = aggregate([sheet], DEFAULT_CRITERIA, spread_threshold=20)
    # 100 * (3*4 + 2*3 + 5 + 2*2 + 1 + 0 + 3 + 4) / (5 * 12) = 100 * 35 / 60
    assert results.entries[0].totals == {1: pytest.approx(3500 / 60)}
    assert results.entries[0].totals[1] == weighted_total(sheet.scores, DEFAULT_CRITERIA)


def test_entry_with_one_sheet_has_zero_spread_and_mean_equal_to_median():
    entry = aggregate_direct([direct_sheet(1, 1, 63)]).entries[0]
    assert (entry.mean, entry.median, entry.spread, entry.count) == (63, 63, 0, 1)
    assert entry.discuss is False


@pytest.mark.parametrize(
    ("spread", "flagged"), [(19, False), (20, False), (21, True)], ids=["below", "at", "above"]
)
def test_discuss_flag_is_raised_only_when_spread_exceeds_the_threshold(spread, flagged):
    sheets = [direct_sheet(1, 1, 50), direct_sheet(2, 1, 50 + spread)]
    entry = aggregate_direct(sheets, threshold=20).entries[0]
    assert entry.spread == spread
    assert entry.discuss is flagged


def test_discuss_flag_compares_the_spread_as_displayed_not_its_float_noise():
    # given two default-criteria sheets whose weighted sums are 14 and 26 (of 60), so the
    # totals are 23.33... and 43.33..., exactly 20 apart; in floats the difference is
    # 20.000000000000004
    sheets = [
        default_sheet(1, 1, [0, 1, 3, 0, 0, 5, 0, 4]),
        default_sheet(2, 1, [3, 4, 2, 0, 2, 0, 1, 4]),
    ]
    # when
    entry = aggregate(sheets, DEFAULT_CRITERIA, spread_threshold=20).entries[0]
    # then the spread, shown as 20.00, does not exceed a threshold of 20
    assert round(entry.spread, DISPLAY_DECIMALS) == 20
    assert entry.discuss is False


def test_draft_sheets_are_ignored_even_when_incomplete():
    # given one submitted sheet and a draft that is incomplete and would change the mean
    sheets = [
        direct_sheet(1, 1, 80),
        Sheet(juror_id=2, entry_id=1, scores={"overall": None}, submitted=False),
        direct_sheet(3, 1, 0, submitted=False),
    ]
    # when
    results = aggregate_direct(sheets)
    # then only the submitted sheet counts, everywhere
    entry = results.entries[0]
    assert (entry.totals, entry.mean, entry.count) == ({1: 80}, 80, 1)
    assert [juror.juror_id for juror in results.jurors] == [1]
    assert results.distributions["overall"][80] == 1
    assert sum(results.distributions["overall"]) == 1


def test_entry_with_only_drafts_or_no_sheet_is_listed_last_without_rank():
    # given entry 1 scored, entry 2 with only a draft, entry 3 without any sheet
    sheets = [direct_sheet(1, 1, 70), direct_sheet(1, 2, 90, submitted=False)]
    # when
    results = aggregate_direct(sheets, entry_ids=[3, 1])
    # then
    entries = by_entry(results)
    for unscored in (entries[2], entries[3]):
        assert unscored.count == 0
        assert unscored.totals == {}
        assert unscored.mean is unscored.median is unscored.spread is unscored.normalised is None
        assert unscored.rank_mean is unscored.rank_normalised is None
        assert unscored.discuss is False
    assert [entry.entry_id for entry in ranking(results)] == [1, 2, 3]
    assert [entry.entry_id for entry in ranking(results, by="normalised")] == [1, 2, 3]


def test_submitted_sheet_with_missing_score_is_rejected_naming_juror_and_entry():
    sheets = [Sheet(juror_id=7, entry_id=42, scores={"overall": None}, submitted=True)]
    with pytest.raises(ValueError, match="juror 7 for entry 42"):
        aggregate_direct(sheets)


def test_two_submitted_sheets_by_one_juror_for_one_entry_are_rejected():
    sheets = [direct_sheet(7, 42, 10), direct_sheet(7, 42, 20)]
    with pytest.raises(ValueError, match="juror 7 .* entry 42"):
        aggregate_direct(sheets)


def test_negative_spread_threshold_is_rejected():
    with pytest.raises(ValueError, match="spread_threshold"):
        aggregate_direct([direct_sheet(1, 1, 50)], threshold=-1)


# --- juror normalisation and leniency -----------------------------------------------------

# Harsh juror H=1, lenient juror L=2, neutral juror N=3; four entries, two sheets each.
#
#   H: E1 20, E2 40               mean 30, population std 10, z: E1 -1, E2 +1
#   L: E3 80, E4 100              mean 90, population std 10, z: E3 -1, E4 +1
#   N: E1 50, E2 70, E3 50, E4 70 mean 60, population std 10, z: -1, +1, -1, +1
#
# Raw means: E1 (20+50)/2 = 35, E2 (40+70)/2 = 55, E3 (80+50)/2 = 65, E4 (100+70)/2 = 85,
# so by mean: E4 1st, E3 2nd, E2 3rd, E1 4th: the lenient juror lifts E3 over E2.
#
# Edition: totals 20 40 80 100 50 70 50 70, mean 480/8 = 60; squared deviations
# 1600 400 400 1600 100 100 100 100 = 4400, population std sqrt(4400/8) = sqrt(550).
# Mapped z: 60 - sqrt(550) = 36.548 for z = -1, 60 + sqrt(550) = 83.452 for z = +1.
# Normalised: E1 (-1,-1) 36.548, E2 (+1,+1) 83.452, E3 (-1,-1) 36.548, E4 (+1,+1) 83.452,
# so by normalised: E2 and E4 tie 1st, E1 and E3 tie 3rd: both jurors of E2 put it
# at the top of their own range, both jurors of E3 at the bottom.
#
# Leniency (sheet minus entry mean): H (20-35 + 40-55)/2 = -15, L (80-65 + 100-85)/2 = +15,
# N (15 + 15 - 15 - 15)/4 = 0.
HARSH, LENIENT, NEUTRAL = 1, 2, 3
HARSH_AND_LENIENT = [
    direct_sheet(HARSH, 1, 20),
    direct_sheet(HARSH, 2, 40),
    direct_sheet(LENIENT, 3, 80),
    direct_sheet(LENIENT, 4, 100),
    direct_sheet(NEUTRAL, 1, 50),
    direct_sheet(NEUTRAL, 2, 70),
    direct_sheet(NEUTRAL, 3, 50),
    direct_sheet(NEUTRAL, 4, 70),
]


def test_normalised_totals_map_juror_z_scores_to_the_edition_mean_and_std():
    results = aggregate_direct(HARSH_AND_LENIENT)
    assert results.overall_mean == pytest.approx(60)
    assert results.overall_std == pytest.approx(math.sqrt(550))
    low, high = 60 - math.sqrt(550), 60 + math.sqrt(550)
    normalised = {entry.entry_id: entry.normalised for entry in results.entries}
    assert normalised == pytest.approx({1: low, 2: high, 3: low, 4: high})


def test_normalisation_undoes_a_harsh_and_a_lenient_juror_in_the_ranking():
    entries = by_entry(aggregate_direct(HARSH_AND_LENIENT))
    assert {e: entries[e].mean for e in entries} == pytest.approx({1: 35, 2: 55, 3: 65, 4: 85})
    assert {e: entries[e].rank_mean for e in entries} == {4: 1, 3: 2, 2: 3, 1: 4}
    assert {e: entries[e].rank_normalised for e in entries} == {2: 1, 4: 1, 1: 3, 3: 3}


def test_juror_leniency_is_the_mean_offset_from_each_entrys_mean():
    jurors = by_juror(aggregate_direct(HARSH_AND_LENIENT))
    assert jurors[HARSH].offset == pytest.approx(-15)
    assert jurors[LENIENT].offset == pytest.approx(15)
    assert jurors[NEUTRAL].offset == pytest.approx(0)
    assert {j: jurors[j].sheets for j in jurors} == {HARSH: 2, LENIENT: 2, NEUTRAL: 4}


def test_juror_with_one_sheet_counts_at_the_edition_mean_in_normalisation():
    # given juror 1 with a single sheet (90 on E1) and juror 2 with 50 on E1, 70 on E2
    sheets = [direct_sheet(1, 1, 90), direct_sheet(2, 1, 50), direct_sheet(2, 2, 70)]
    # when
    results = aggregate_direct(sheets)
    # then: edition mean 70, population std sqrt((400 + 400 + 0) / 3) = sqrt(800/3);
    # juror 1's z is 0 (-> 70), juror 2's z are -1 on E1 and +1 on E2
    std = math.sqrt(800 / 3)
    entries = by_entry(results)
    assert entries[1].normalised == pytest.approx((70 + (70 - std)) / 2)
    assert entries[2].normalised == pytest.approx(70 + std)


def test_juror_whose_totals_are_all_equal_counts_at_the_edition_mean():
    # given juror 1 gives 60 everywhere, juror 2 separates E1 (40) from E2 (80)
    sheets = [
        direct_sheet(1, 1, 60),
        direct_sheet(1, 2, 60),
        direct_sheet(2, 1, 40),
        direct_sheet(2, 2, 80),
    ]
    # when
    entries = by_entry(aggregate_direct(sheets))
    # then: edition mean 60, std sqrt((0 + 0 + 400 + 400) / 4) = sqrt(200)
    std = math.sqrt(200)
    assert entries[1].normalised == pytest.approx((60 + 60 - std) / 2)
    assert entries[2].normalised == pytest.approx((60 + 60 + std) / 2)


def test_juror_totals_equal_up_to_float_noise_count_as_equal():
    # given juror 1 whose two sheets both weigh 18 of 60 points (total 30), reached by
    # different sums of floats: 30.0 and 30.000000000000004; juror 2 gives 0 and 100
    sheets = [
        default_sheet(1, 1, [1, 2, 1, 1, 0, 3, 5, 0]),
        default_sheet(1, 2, [2, 0, 1, 1, 1, 0, 3, 5]),
        default_sheet(2, 1, [0] * 8),
        default_sheet(2, 2, [5] * 8),
    ]
    # when
    results = aggregate(sheets, DEFAULT_CRITERIA, spread_threshold=50)
    # then juror 1 adds the edition mean to both entries (z = 0, not -1 and +1), so the
    # gap between the entries comes from juror 2's z of -1 and +1 alone
    entries = by_entry(results)
    assert entries[1].totals[1] != entries[2].totals[1]
    gap = entries[2].normalised - entries[1].normalised
    assert gap == pytest.approx(results.overall_std)


def test_leniency_of_a_juror_alone_on_an_entry_is_zero():
    results = aggregate_direct([direct_sheet(1, 1, 90)])
    assert by_juror(results)[1].offset == 0
    assert by_juror(results)[1].sheets == 1


# --- ranking with ties ---------------------------------------------------------------------


def test_competition_ranks_share_a_rank_when_equal_after_rounding_to_two_decimals():
    # 80.004 and 79.996 both display as 80.00: "1, 2, 2, 4"
    assert competition_ranks([90.0, 80.004, 79.996, 70.0]) == [1, 2, 2, 4]


def test_competition_ranks_separate_values_that_display_differently():
    # 80.004 displays as 80.00, 80.006 as 80.01
    assert competition_ranks([80.004, 80.006]) == [2, 1]


def test_competition_ranks_leave_missing_values_unranked():
    assert competition_ranks([None, 50.0, None, 60.0]) == [None, 2, None, 1]
    assert competition_ranks([]) == []


def test_ranking_shows_ties_as_ties_and_keeps_tied_entries_in_entry_order():
    # given means 90, 80.004, 79.996, 70 (scale 0-100000: a score of s totals s/1000)
    criteria = [ScoringCriterion("overall", 1, 0, 100_000)]
    means = {1: 70_000, 2: 79_996, 3: 90_000, 4: 80_004}
    sheets = [Sheet(1, entry, {"overall": score}, True) for entry, score in means.items()]
    # when
    results = aggregate(sheets, criteria, spread_threshold=10)
    ranked = ranking(results, by="mean")
    # then
    assert [(entry.entry_id, entry.rank_mean) for entry in ranked] == [
        (3, 1),
        (2, 2),
        (4, 2),
        (1, 4),
    ]


def test_ranking_by_normalised_orders_by_rank_normalised():
    ranked = ranking(aggregate_direct(HARSH_AND_LENIENT), by="normalised")
    assert [(entry.entry_id, entry.rank_normalised) for entry in ranked] == [
        (2, 1),
        (4, 1),
        (1, 3),
        (3, 3),
    ]


def test_ranking_by_an_unknown_key_is_rejected():
    with pytest.raises(ValueError, match="median"):
        ranking(aggregate_direct(HARSH_AND_LENIENT), by="median")  # type: ignore[arg-type]


# --- score distributions --------------------------------------------------------------------


def test_distributions_count_submitted_scores_per_scale_level():
    criteria = [ScoringCriterion("a", 1, 0, 5), ScoringCriterion("b", 1, 1, 4)]
    sheets = [
        Sheet(1, 1, {"a": 0, "b": 4}, True),
        Sheet(2, 1, {"a": 5, "b": 4}, True),
        Sheet(1, 2, {"a": 5, "b": 1}, True),
        Sheet(2, 2, {"a": 3, "b": None}, False),
    ]
    results = aggregate(sheets, criteria, spread_threshold=20)
    assert results.distributions == {"a": [1, 0, 0, 0, 0, 2], "b": [1, 0, 0, 2]}


# --- edge cases -----------------------------------------------------------------------------


def test_edition_without_sheets_has_empty_results():
    results = aggregate([], DEFAULT_CRITERIA, spread_threshold=20)
    assert results.entries == []
    assert results.jurors == []
    assert results.alpha_overall is None
    assert results.alpha_by_criterion == dict.fromkeys(DEFAULT_WEIGHTS)
    assert results.distributions == {key: [0] * 6 for key in DEFAULT_WEIGHTS}
    assert results.overall_mean is None
    assert results.overall_std is None
    assert ranking(results) == []


def test_edition_with_one_sheet_ranks_it_first_and_has_no_agreement():
    results = aggregate_direct([direct_sheet(1, 1, 42)])
    entry = results.entries[0]
    assert (entry.rank_mean, entry.rank_normalised) == (1, 1)
    assert entry.normalised == 42  # z = 0 maps to the edition mean, its own total
    assert (results.overall_mean, results.overall_std) == (42, 0)
    assert results.alpha_overall is None


def test_edition_where_all_sheets_are_equal_ties_every_entry_and_has_undefined_alpha():
    sheets = [direct_sheet(juror, entry, 60) for juror in (1, 2) for entry in (1, 2, 3)]
    results = aggregate_direct(sheets)
    assert [entry.rank_mean for entry in results.entries] == [1, 1, 1]
    assert [entry.rank_normalised for entry in results.entries] == [1, 1, 1]
    assert [entry.normalised for entry in results.entries] == [60, 60, 60]
    assert [entry.spread for entry in results.entries] == [0, 0, 0]
    assert [juror.offset for juror in results.jurors] == [0, 0]
    assert results.alpha_overall is None
    assert results.alpha_by_criterion == {"overall": None}


# --- Krippendorff's alpha -------------------------------------------------------------------


def alpha_from_package(reliability: np.ndarray) -> float | None:
    """The krippendorff package's interval alpha, None where it is undefined."""
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = float(
                krippendorff.alpha(reliability_data=reliability, level_of_measurement="interval")
            )
    except ValueError:  # fewer than two distinct values, or no unit with two values
        return None
    return None if math.isnan(value) else value


def alpha_of_matrix(reliability: np.ndarray) -> float | None:
    """interval_alpha on a coders x units matrix with NaN for missing values."""
    units = np.broadcast_to(np.arange(reliability.shape[1]), reliability.shape)
    return interval_alpha(units.ravel(), reliability.ravel())


def test_interval_alpha_matches_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers,
    # 12 units, interval alpha = 0.849
    nan = np.nan
    reliability = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
        ]
    )
    assert alpha_of_matrix(reliability) == pytest.approx(0.849, abs=5e-4)


def test_interval_alpha_is_one_for_perfect_agreement_and_none_without_pairs():
    assert interval_alpha([1, 1, 2, 2], [3, 3, 5, 5]) == pytest.approx(1)
    assert interval_alpha([1, 2, 3], [3, 4, 5]) is None
    assert interval_alpha([], []) is None


def reliability_matrices(max_coders: int = 6, max_units: int = 25):
    """Coders x units matrices of scores 0-5 with about a third missing (NaN)."""
    shape = st.tuples(st.integers(2, max_coders), st.integers(1, max_units))
    cell = st.one_of(st.integers(0, 5).map(float), st.just(math.nan), st.just(math.nan))
    return shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=cell))


@settings(max_examples=200, deadline=None)
@given(reliability_matrices())
def test_interval_alpha_agrees_with_the_krippendorff_package_on_sparse_matrices(reliability):
    expected = alpha_from_package(reliability)
    actual = alpha_of_matrix(reliability)
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(2, 6),
    st.integers(1, 15),
    st.floats(0.0, 0.7),
)
def test_aggregate_alpha_agrees_with_the_krippendorff_package_overall_and_per_criterion(
    seed, n_jurors, n_entries, missing_rate
):
    # given random default-criteria sheets where each juror skips some entries
    rng = np.random.default_rng(seed)
    n_criteria = len(DEFAULT_CRITERIA)
    raw = rng.integers(0, 6, size=(n_jurors, n_entries, n_criteria)).astype(float)
    raw[rng.random((n_jurors, n_entries)) < missing_rate] = np.nan
    sheets = [
        default_sheet(juror, entry, raw[juror, entry].astype(int).tolist())
        for juror in range(n_jurors)
        for entry in range(n_entries)
        if not np.isnan(raw[juror, entry, 0])
    ]
    # when
    results = aggregate(sheets, DEFAULT_CRITERIA, spread_threshold=20)
    # then overall alpha is the package's on the weighted totals (coders x units) ...
    weights = np.array(list(DEFAULT_WEIGHTS.values()), dtype=float)
    totals = 100 * (raw / 5) @ weights / weights.sum()
    expected_overall = alpha_from_package(totals)
    if expected_overall is None:
        assert results.alpha_overall is None
    else:
        assert results.alpha_overall == pytest.approx(expected_overall, rel=1e-9, abs=1e-9)
    # ... and each criterion's is the package's on its raw scores
    for column, key in enumerate(DEFAULT_WEIGHTS):
        expected = alpha_from_package(raw[:, :, column])
        if expected is None:
            assert results.alpha_by_criterion[key] is None
        else:
            assert results.alpha_by_criterion[key] == pytest.approx(expected, rel=1e-9, abs=1e-9)
