"""The flow's two questions asked directly: which rows (jurors) cannot reach their lower
bound, which columns (entries) cannot get their demand; None when all can (what the
mutation run of prize/domain/assignment_flow.py found no direct test for)."""

from __future__ import annotations

import numpy as np

from prize.domain.assignment_flow import Bounds, columns_out_of_reach, rows_out_of_reach


def bounds(free, demand, lower, upper) -> Bounds:
    return Bounds(free=np.array(free, dtype=bool), demand=np.array(demand),
                  lower=np.array(lower), upper=np.array(upper))


def test_rows_whose_lower_bounds_fit_are_not_out_of_reach():
    # Each juror must take 1 and may take 2; the entries need 4 readings in all.
    assert rows_out_of_reach(bounds([[1, 1], [1, 1]], [2, 2], [1, 1], [2, 2])) is None


def test_a_row_that_can_reach_no_column_is_out_of_reach():
    found = rows_out_of_reach(bounds([[1, 1], [0, 0]], [1, 1], [1, 1], [2, 2]))
    assert found is not None and found.tolist() == [1]


def test_columns_whose_demand_fits_are_not_out_of_reach():
    assert columns_out_of_reach(bounds([[1, 1], [1, 1]], [2, 2], [0, 0], [2, 2])) is None


def test_a_column_no_row_can_serve_is_out_of_reach():
    found = columns_out_of_reach(bounds([[1, 0], [1, 0]], [1, 1], [0, 0], [2, 2]))
    assert found is not None and found.tolist() == [1]
