"""A set-aside sheet (its juror has a conflict with the entry) counts in no figure.

One criterion on 0-100 with weight 1, so a sheet's score is its weighted total and the
figures below are worked by hand.
"""

from __future__ import annotations

import math

import pytest

from prize.domain.scoring import ScoringCriterion, Sheet, aggregate, ranking

DIRECT = [ScoringCriterion("overall", 1, 0, 100)]


def sheet(juror: int, entry: int, total: int | None, *, set_aside: bool = False) -> Sheet:
    return Sheet(juror, entry, {"overall": total}, submitted=True, set_aside=set_aside)


# Entry 10: jurors 1, 2 give 80, 60; juror 3's 100 is set aside.
# Entry 20: jurors 1, 2, 3 give 40, 20, 30.
SHEETS = [
    sheet(1, 10, 80), sheet(2, 10, 60), sheet(3, 10, 100, set_aside=True),
    sheet(1, 20, 40), sheet(2, 20, 20), sheet(3, 20, 30),
]


def test_a_set_aside_sheet_counts_in_no_figure():
    # when
    results = aggregate(SHEETS, DIRECT, spread_threshold=25)
    first, second = results.entries
    # then entry 10 has two sheets: mean 70, median 70, spread 20
    assert first.totals == {1: 80.0, 2: 60.0}
    assert (first.count, first.mean, first.median, first.spread) == (2, 70.0, 70.0, 20.0)
    assert (second.count, second.mean, second.median, second.spread) == (3, 30.0, 30.0, 20.0)
    # overall over the five counted totals 80, 60, 40, 20, 30: mean 46,
    # variance (34² + 14² + 6² + 26² + 16²) / 5 = 2320 / 5 = 464
    assert results.overall_mean == pytest.approx(46.0)
    assert results.overall_std == pytest.approx(math.sqrt(464))
    # normalised: jurors 1 and 2 have z = +1 on entry 10 and -1 on entry 20; juror 3 has
    # one counted sheet only (the set-aside 100 is not one of their totals), so z = 0
    s = math.sqrt(464)
    assert first.normalised == pytest.approx(46 + s)
    assert second.normalised == pytest.approx((2 * (46 - s) + 46) / 3)
    # leniency: juror 1 is 10 above each entry's mean, juror 2 10 below, juror 3 level
    leniency = {juror.juror_id: (juror.offset, juror.sheets) for juror in results.jurors}
    assert leniency == {1: pytest.approx((10.0, 2)), 2: pytest.approx((-10.0, 2)),
                        3: pytest.approx((0.0, 1))}
    # alpha: D_o = (2·2·200/1 + 2·3·200/2) / 5 = 280, D_e = 2·2320/4 = 1160, 1 - 7/29
    assert results.alpha_overall == pytest.approx(22 / 29)
    assert results.distributions["overall"][100] == 0
    assert [entry.entry_id for entry in ranking(results)] == [10, 20]


def test_an_entry_whose_only_sheet_is_set_aside_is_listed_unranked():
    results = aggregate([sheet(1, 10, 90, set_aside=True), sheet(2, 20, 50)], DIRECT,
                        spread_threshold=25)
    first = results.entries[0]
    assert (first.entry_id, first.count, first.mean, first.rank_mean) == (10, 0, None, None)
    assert results.overall_mean == 50.0


def test_a_set_aside_sheet_is_not_checked_like_a_counted_one():
    # an incomplete set-aside sheet, beside a second sheet of the same pair, raises nothing
    results = aggregate([sheet(1, 10, None, set_aside=True), sheet(1, 10, 70)], DIRECT,
                        spread_threshold=25)
    assert results.entries[0].totals == {1: 70.0}
