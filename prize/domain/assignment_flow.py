"""Bipartite assignment on indices by min-cost flow (OR-Tools): no rules of the prize.

Rows supply and columns demand (in :mod:`prize.domain.assignment` rows are jurors and
columns entries). :func:`optimal_pairs` chooses, among the allowed row × column pairs,
each at most once, exactly ``demand[c]`` pairs per column and between ``lower[r]`` and
``upper[r]`` per row, with the greatest total weight. When it cannot,
:func:`columns_out_of_reach` and :func:`rows_out_of_reach` find the group of columns or
rows at fault, so that a caller can say why in its own words.

The network::

    source ──[upper − lower]──► row ──[1, cost −weight]──► column ──[demand]──► (demand)

Arcs of capacity 1 between a row and a column make a duplicate pair impossible; pairs
not allowed have no arc at all. The lower bound of a row is moved into the node
supplies (the row supplies its mandatory units itself), which is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

#: Costs of the flow must be integers: a pair's cost is −round(weight × AFFINITY_SCALE).
#: Weights with up to six decimals (the benchmark's have three, assign_edition rounds
#: to six) are therefore optimised exactly; any other float is optimised to within 10⁻⁶
#: per chosen pair. (A scale of 1000 would suffice for three decimals, but saved only
#: about 7 % of the time on 5000 × 500.) Far from OR-Tools' overflow limits, which need
#: the largest cost × the number of nodes to fit in 64 bits.
AFFINITY_SCALE = 1_000_000


@dataclass(frozen=True)
class Bounds:
    """What the flow must route: which pairs it may choose and how many per row and column."""

    free: np.ndarray  # rows × columns: pairs that may be chosen, each at most once
    demand: np.ndarray  # per column: pairs needed, exactly
    lower: np.ndarray  # per row: pairs it must take
    upper: np.ndarray  # per row: pairs it may take


def _integer_weights(
    weights: np.ndarray, pair_row: np.ndarray, pair_column: np.ndarray
) -> np.ndarray:
    """round(weight × AFFINITY_SCALE) of the listed pairs.

    Works in place on one gathered copy: on 5000 × 500, every extra temporary array of
    2.4 million floats costs more than the arithmetic.
    """
    scaled = weights[pair_row, pair_column]
    scaled *= AFFINITY_SCALE
    return np.rint(scaled, out=scaled).astype(np.int64)


def optimal_pairs(weights: np.ndarray, bounds: Bounds) -> np.ndarray | None:
    """The chosen pairs as a rows × columns mask, or None when no choice meets every bound.

    ``weights`` is a float matrix of the same shape as ``bounds.free``; the chosen pairs
    have the greatest total weight (exactly, to six decimals; see :data:`AFFINITY_SCALE`).
    """
    n_rows, n_columns = bounds.free.shape
    readings = int(bounds.demand.sum())
    mandatory = int(bounds.lower.sum())
    chosen = np.zeros((n_rows, n_columns), dtype=bool)
    if readings < mandatory:
        return None
    if readings == 0:
        return chosen

    # int32 node indices, as OR-Tools takes them, keep the 2.4 million arcs of
    # 5000 × 500 small. (Listing arcs column by column or row by row made no
    # measurable difference to the solve.)
    flat = np.flatnonzero(bounds.free.T)
    pair_column = (flat // n_rows).astype(np.int32)
    pair_row = (flat % n_rows).astype(np.int32)
    del flat
    source = n_rows + n_columns
    n_pairs = len(pair_column)

    tails = np.empty(n_rows + n_pairs, dtype=np.int32)
    heads = np.empty(n_rows + n_pairs, dtype=np.int32)
    capacities = np.ones(n_rows + n_pairs, dtype=np.int64)
    costs = np.zeros(n_rows + n_pairs, dtype=np.int64)
    tails[:n_rows] = source
    heads[:n_rows] = np.arange(n_rows, dtype=np.int32)
    # The lower bound is supplied by the row node itself (below), so the source only
    # sends what lies between the lower and the upper bound.
    capacities[:n_rows] = bounds.upper - bounds.lower
    tails[n_rows:] = pair_row
    heads[n_rows:] = pair_column + n_rows
    # Maximising weight = minimising its negation; the total flow is fixed, so no
    # offset is needed to keep costs positive (OR-Tools accepts negative costs).
    costs[n_rows:] = _integer_weights(weights, pair_row, pair_column)
    np.negative(costs, out=costs)

    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    del tails, heads, capacities, costs
    supplies = np.concatenate([bounds.lower, -bounds.demand, [readings - mandatory]]).astype(
        np.int64
    )
    network.set_nodes_supplies(np.arange(source + 1, dtype=np.int32), supplies)

    status = network.solve()
    if status == network.INFEASIBLE:
        return None
    if status != network.OPTIMAL:
        # Overflow or a bad graph: a bug in this module, not something a user caused.
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = network.flows(np.arange(n_rows, n_rows + n_pairs, dtype=np.int32)) > 0
    chosen[pair_row[used], pair_column[used]] = True
    return chosen


# Why no choice meets every bound. For this bipartite network a feasible flow exists
# exactly when (1) the rows' upper bounds can cover every column's demand and (2) the
# columns' demands can absorb every row's lower bound (Hoffman's circulation theorem,
# the two families of cuts). A max flow for each finds a minimum cut when one fails;
# the cut's side is a group whose demand exceeds what its possible partners can give
# (Hall's condition).


def _max_flow_cut(
    free: np.ndarray, row_capacity: np.ndarray, column_capacity: np.ndarray, sink_side: bool
) -> np.ndarray | None:
    """Max flow source → rows → columns → sink.

    None when the flow saturates the sink arcs (with ``sink_side``) or the source arcs
    (without); else the nodes on that side of a minimum cut, the smallest such side
    (rows are numbered 0..R-1, columns R..R+C-1).
    """
    n_rows, n_columns = free.shape
    source, sink = n_rows + n_columns, n_rows + n_columns + 1
    pair_row, pair_column = np.nonzero(free)
    tails = np.concatenate(
        [np.full(n_rows, source), pair_row, n_rows + np.arange(n_columns)]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n_rows), n_rows + pair_column, np.full(n_columns, sink)]
    ).astype(np.int32)
    capacities = np.concatenate([row_capacity, np.ones(len(pair_row)), column_capacity]).astype(
        np.int64
    )
    network = max_flow.SimpleMaxFlow()
    network.add_arcs_with_capacity(tails, heads, capacities)
    if network.solve(source, sink) != network.OPTIMAL:
        raise RuntimeError("max flow failed while explaining an infeasible assignment")
    wanted = int(column_capacity.sum() if sink_side else row_capacity.sum())
    if network.optimal_flow() >= wanted:
        return None
    side = network.get_sink_side_min_cut() if sink_side else network.get_source_side_min_cut()
    return np.asarray(side, dtype=np.int64)


def columns_out_of_reach(bounds: Bounds) -> np.ndarray | None:
    """Columns whose demand their possible rows cannot cover, or None when all is covered.

    The group is the smallest one a minimum cut gives; columns that need nothing are
    left out, as they only blur a message.
    """
    n_rows, n_columns = bounds.free.shape
    side = _max_flow_cut(bounds.free, bounds.upper, bounds.demand, sink_side=True)
    if side is None:
        return None
    columns = side[(side >= n_rows) & (side < n_rows + n_columns)] - n_rows
    return columns[bounds.demand[columns] > 0]


def rows_out_of_reach(bounds: Bounds) -> np.ndarray | None:
    """Rows whose lower bounds the columns' demand cannot absorb, or None when it can."""
    n_rows = bounds.free.shape[0]
    side = _max_flow_cut(bounds.free, bounds.lower, bounds.demand, sink_side=False)
    if side is None:
        return None
    rows = side[side < n_rows]
    return rows[bounds.lower[rows] > 0]
